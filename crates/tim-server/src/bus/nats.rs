//! The bus on NATS core subjects: every node publishes to and subscribes to one subject,
//! `<prefix>.v1.events`, so each node hears every other node's events (its own are skipped).
//!
//! Publishing never waits: events go through a bounded queue to one publishing task; a full
//! queue drops the event (counted and logged; devices catch up by sync). The NATS client
//! reconnects by itself; the node closes its client connections when the bus is lost and again
//! when it is back (see [`super`]).

use super::wire::{Body, Frame, WireDevice, WireSnapshot};
use super::{Bus, NODE_TIMEOUT, SNAPSHOT_INTERVAL, SUBJECT_VERSION};
use crate::BusConfig;
use crate::error::ServerError;
use crate::hub::Hub;
use crate::offline_push::OfflinePush;
use futures_util::StreamExt as _;
use prost::Message as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Events waiting to be published at most.
const QUEUE: usize = 16_384;

/// The NATS bus of one node.
pub(crate) struct NatsBus {
    node: u64,
    tx: mpsc::Sender<Vec<u8>>,
    dropped: AtomicU64,
}

impl Bus for NatsBus {
    fn publish(&self, body: Body) {
        let frame = Frame {
            node: self.node,
            body: Some(body),
            sent_at_ms: unix_millis(),
        };
        if self.tx.try_send(frame.encode_to_vec()).is_ok() {
            crate::metrics::get().bus_published.inc();
        } else {
            crate::metrics::get().bus_dropped.inc();
            let dropped = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            if dropped.is_power_of_two() {
                tracing::warn!(
                    "cluster bus: {dropped} events dropped (queue full or bus down); devices \
                     catch up by sync"
                );
            }
        }
    }
}

/// The subject of `config`'s cluster.
fn subject(config: &BusConfig) -> String {
    format!("{}.{SUBJECT_VERSION}.events", config.subject_prefix)
}

/// Connects to NATS, subscribes, and starts the publishing, receiving and snapshot tasks; the
/// hub publishes through the returned bus from then on.
pub(crate) async fn start(
    config: &BusConfig,
    hub: Arc<Hub>,
    offline: Arc<OfflinePush>,
) -> Result<Vec<JoinHandle<()>>, ServerError> {
    let subject = subject(config);
    let events_hub = Arc::clone(&hub);
    let options = async_nats::ConnectOptions::new()
        .name("tim-server")
        .event_callback(move |event| {
            let hub = Arc::clone(&events_hub);
            async move {
                match event {
                    async_nats::Event::Disconnected => {
                        hub.set_bus_connected(false);
                        tracing::warn!(
                            "cluster bus lost: closing client connections (they reconnect and \
                             sync)"
                        );
                        hub.remote().clear();
                        hub.close_all("the server lost its cluster bus: reconnect and sync");
                    }
                    async_nats::Event::Connected => {
                        let was_connected = hub.set_bus_connected(true);
                        if !was_connected {
                            tracing::info!(
                                "cluster bus back: closing client connections that heard \
                                 nothing meanwhile (they reconnect and sync)"
                            );
                            hub.close_all("the cluster bus is back: reconnect and sync");
                        }
                    }
                    other => tracing::debug!("cluster bus: {other}"),
                }
            }
        });
    let client = options.connect(config.url.as_str()).await.map_err(|e| {
        ServerError::Config(format!(
            "cannot reach the cluster bus at {}: {e}",
            config.url
        ))
    })?;
    let mut subscriber = client
        .subscribe(subject.clone())
        .await
        .map_err(|e| ServerError::Config(format!("cluster bus subscription {subject}: {e}")))?;
    // Once the bus has confirmed the subscription, no later publish of another node is missed.
    client
        .flush()
        .await
        .map_err(|e| ServerError::Config(format!("cluster bus {}: {e}", config.url)))?;
    let (tx, mut rx) = mpsc::channel::<Vec<u8>>(QUEUE);
    let bus = Arc::new(NatsBus {
        node: hub.node(),
        tx,
        dropped: AtomicU64::new(0),
    });
    hub.set_bus(bus.clone());

    let publisher = {
        let client = client.clone();
        let subject = subject.clone();
        tokio::spawn(async move {
            while let Some(bytes) = rx.recv().await {
                if let Err(error) = client.publish(subject.clone(), bytes.into()).await {
                    tracing::debug!("cluster bus publish failed: {error}");
                }
            }
        })
    };
    let receiver = {
        let hub = Arc::clone(&hub);
        let offline = Arc::clone(&offline);
        tokio::spawn(async move {
            while let Some(message) = subscriber.next().await {
                match Frame::decode(message.payload.as_ref()) {
                    Ok(frame) => {
                        if frame.node != hub.node() {
                            let metrics = crate::metrics::get();
                            metrics.bus_received.inc();
                            let lag = unix_millis().saturating_sub(frame.sent_at_ms);
                            metrics.bus_lag.observe(lag as f64 / 1000.0);
                        }
                        super::apply(&hub, &offline, frame, Instant::now());
                    }
                    Err(error) => tracing::warn!("cluster bus: unreadable event: {error}"),
                }
            }
        })
    };
    let snapshots = tokio::spawn(async move {
        let mut tick = tokio::time::interval(SNAPSHOT_INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            hub.remote().expire(Instant::now(), NODE_TIMEOUT);
            crate::metrics::get()
                .bus_nodes
                .set(i64::try_from(hub.remote().nodes()).unwrap_or(i64::MAX));
            let devices = hub
                .local_devices()
                .into_iter()
                .map(|(app, user, device_id, conn_id, platform)| WireDevice {
                    background: offline.states.is_background(app, &user, &device_id),
                    app,
                    user,
                    device_id,
                    conn_id,
                    platform,
                    unread: 0,
                })
                .collect();
            bus.publish(Body::Snapshot(WireSnapshot { devices }));
        }
    });
    Ok(vec![publisher, receiver, snapshots])
}

/// Milliseconds since the Unix epoch (0 if the clock is before it).
fn unix_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
