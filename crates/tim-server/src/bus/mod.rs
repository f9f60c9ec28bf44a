//! Between the commit and other nodes' devices: the bus.
//!
//! After a commit a node pushes to its own devices ([`Hub`]) and publishes what other nodes'
//! devices need: stored messages and notices to push, online-only messages, logins (the same
//! device logged in elsewhere is kicked), ends of connections and foreground/background
//! states (so that the node that commits a message decides offline pushes knowing every
//! node's devices), and, every [`SNAPSHOT_INTERVAL`], every device it holds.
//!
//! A publish is only a hint: a lost one is repaired by the cursor sync every client does when
//! it connects. So a node that loses the bus closes its client connections (they reconnect,
//! to it or another node, and sync), and does it again when the bus is back, since devices
//! that connected meanwhile heard nothing from the other nodes.
//!
//! One node needs no bus ([`Hub`] with none set publishes nothing); several use NATS core
//! subjects ([`nats`]).

pub(crate) mod nats;
pub(crate) mod wire;

use crate::hub::Hub;
use crate::offline_push::OfflinePush;
use std::time::{Duration, Instant};
use wire::{Body, Frame};

/// Part of the subject: nodes of incompatible bus formats never hear each other.
pub(crate) const SUBJECT_VERSION: &str = "v1";

/// How often a node publishes every device it holds.
pub(crate) const SNAPSHOT_INTERVAL: Duration = Duration::from_secs(2);

/// A node not heard from for this long is forgotten (its devices with it).
pub(crate) const NODE_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends events to the other nodes.
pub(crate) trait Bus: Send + Sync {
    /// Sends `body` to every other node, without waiting: when the bus is down or its queue
    /// is full the event is dropped (devices catch up by sync).
    fn publish(&self, body: Body);
}

/// Applies an event another node published to this node's devices.
pub(crate) fn apply(hub: &Hub, offline: &OfflinePush, frame: Frame, now: Instant) {
    let node = frame.node;
    if node == hub.node() {
        return;
    }
    hub.remote().seen(node, now);
    let Some(body) = frame.body else {
        return;
    };
    match body {
        Body::Delivery(delivery) => {
            if let Some(delivery) = delivery.into_delivery() {
                hub.deliver_local(&delivery);
            }
        }
        Body::Notice(notice) => {
            if let Some(notice) = notice.into_notice() {
                hub.deliver_notice_local(&notice);
            }
        }
        Body::Online(online) => {
            if let Some(message) = online.message {
                hub.deliver_online_local(online.app, &message, &online.users, 0);
            }
        }
        Body::DeviceOnline(device) => {
            hub.kick_local_device(device.app, &device.user, &device.device_id, device.platform);
            hub.remote().online(node, device);
        }
        Body::DeviceOffline(device) => hub.remote().offline(node, &device),
        Body::AppState(device) => {
            offline.states.set(
                device.app,
                &device.user,
                &device.device_id,
                device.background,
                device.unread,
            );
            hub.remote().app_state(node, &device);
        }
        Body::Snapshot(snapshot) => hub.remote().snapshot(node, snapshot.devices),
    }
}
