//! The online devices: for each user, the connections logged in as them, each with a bounded
//! queue of encoded frames. Delivery never waits: a frame that does not fit a connection's
//! queue closes that connection (the device reconnects and syncs), so one client that stops
//! reading never stalls anyone else.

mod frames;
mod outbound;
mod remote;

use crate::bus::Bus;
use crate::bus::wire::{Body, WireDelivery, WireDevice, WireNotice, WireOnline};
use crate::storage::{AppId, Delivery, EventKind, NoticeDelivery, with_cursor};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use tim_proto::v1;

pub(crate) use frames::{PushEncoder, notice_body};
use frames::{modified_frame, revoked_frame};
pub(crate) use outbound::{Outbound, Outgoing};
pub(crate) use remote::RemoteDevices;

/// One logged-in device.
#[derive(Debug, Clone)]
struct Device {
    conn_id: u64,
    device_id: String,
    platform: i32,
    outbound: Outbound,
}

/// The registry of online devices.
pub(crate) struct Hub {
    users: Mutex<HashMap<(AppId, String), Vec<Device>>>,
    next_conn_id: AtomicU64,
    /// This node's ID on the bus (random per start).
    node: u64,
    /// The bus to the other nodes, if any (set once at start).
    bus: OnceLock<Arc<dyn Bus>>,
    /// Other nodes' devices.
    remote: RemoteDevices,
    /// The bus is connected (always, without a bus).
    bus_up: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("node", &self.node)
            .finish_non_exhaustive()
    }
}

impl Default for Hub {
    fn default() -> Self {
        let node = u64::from_str_radix(&crate::service::new_file_id()[..16], 16).unwrap_or(1);
        Self {
            users: Mutex::default(),
            next_conn_id: AtomicU64::new(0),
            node,
            bus: OnceLock::new(),
            remote: RemoteDevices::default(),
            bus_up: std::sync::atomic::AtomicBool::new(true),
        }
    }
}

impl Hub {
    /// This node's ID on the bus.
    pub fn node(&self) -> u64 {
        self.node
    }

    /// Other nodes' devices.
    pub fn remote(&self) -> &RemoteDevices {
        &self.remote
    }

    /// Whether the bus to the other nodes is connected (always true without a bus).
    pub fn bus_connected(&self) -> bool {
        self.bus_up.load(Ordering::SeqCst)
    }

    /// The bus was lost (`false`) or is back (`true`); returns whether it was connected
    /// before.
    pub fn set_bus_connected(&self, connected: bool) -> bool {
        self.bus_up.swap(connected, Ordering::SeqCst)
    }

    /// Connects the hub to the other nodes (once; later calls are ignored).
    pub fn set_bus(&self, bus: Arc<dyn Bus>) {
        let _ = self.bus.set(bus);
    }

    fn publish(&self, body: Body) {
        if let Some(bus) = self.bus.get() {
            bus.publish(body);
        }
    }

    /// Every local device, for a snapshot: (app, user, device ID, connection, platform).
    pub fn local_devices(&self) -> Vec<(AppId, String, String, u64, i32)> {
        self.lock()
            .iter()
            .flat_map(|((app, user), devices)| {
                devices.iter().map(move |d| {
                    (
                        *app,
                        user.clone(),
                        d.device_id.clone(),
                        d.conn_id,
                        d.platform,
                    )
                })
            })
            .collect()
    }

    /// Closes every local connection (the bus was lost or is back: devices reconnect and
    /// sync).
    pub fn close_all(&self, why: &'static str) {
        let users = std::mem::take(&mut *self.lock());
        for device in users.into_values().flatten() {
            device
                .outbound
                .connection
                .close(quinn::VarInt::from_u32(3), why.as_bytes());
        }
    }

    /// Kicks the local connections of `device_id` (it logged in on another node).
    pub fn kick_local_device(&self, app: AppId, user: &str, device_id: &str, platform: i32) {
        if device_id.is_empty() {
            return;
        }
        let mut kicked = Vec::new();
        {
            let mut users = self.lock();
            let key = (app, user.to_owned());
            if let Some(devices) = users.get_mut(&key) {
                devices.retain(|d| {
                    let same = d.device_id == device_id;
                    if same {
                        kicked.push(d.outbound.clone());
                    }
                    !same
                });
                if devices.is_empty() {
                    users.remove(&key);
                }
            }
        }
        for outbound in kicked {
            let kick = v1::KickedOfflinePush {
                platform,
                device_id: device_id.to_owned(),
            };
            outbound.push_then_close(tim_proto::encode_frame(&v1::ServerFrame {
                request_id: 0,
                body: Some(v1::server_frame::Body::KickedOffline(kick)),
            }));
        }
    }

    /// Tells the other nodes that `device_id` of `user` changed its app state.
    pub fn publish_app_state(
        &self,
        app: AppId,
        user: &str,
        device_id: &str,
        conn_id: u64,
        background: bool,
        unread: u32,
    ) {
        self.publish(Body::AppState(WireDevice {
            app,
            user: user.to_owned(),
            device_id: device_id.to_owned(),
            conn_id,
            platform: 0,
            background,
            unread,
        }));
    }

    /// A fresh connection number.
    pub fn next_conn_id(&self) -> u64 {
        self.next_conn_id
            .fetch_add(1, Ordering::Relaxed)
            .saturating_add(1)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(AppId, String), Vec<Device>>> {
        // A panic while holding the lock leaves the map consistent (every change is one
        // insert or remove), so a poisoned lock is still usable.
        self.users
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Registers a logged-in connection; returns the connections of the same device that it
    /// replaces (to be kicked).
    pub fn register(
        &self,
        app: AppId,
        user: &str,
        conn_id: u64,
        device_id: &str,
        platform: i32,
        outbound: Outbound,
    ) -> Vec<Outbound> {
        self.publish(Body::DeviceOnline(WireDevice {
            app,
            user: user.to_owned(),
            device_id: device_id.to_owned(),
            conn_id,
            platform,
            background: false,
            unread: 0,
        }));
        let mut users = self.lock();
        let devices = users.entry((app, user.to_owned())).or_default();
        let mut replaced = Vec::new();
        devices.retain(|d| {
            let same = !device_id.is_empty() && d.device_id == device_id;
            if same {
                replaced.push(d.outbound.clone());
            }
            !same
        });
        devices.push(Device {
            conn_id,
            device_id: device_id.to_owned(),
            platform,
            outbound,
        });
        replaced
    }

    /// Removes a connection (no-op when it is not registered).
    pub fn unregister(&self, app: AppId, user: &str, conn_id: u64) {
        self.publish(Body::DeviceOffline(WireDevice {
            app,
            user: user.to_owned(),
            conn_id,
            ..WireDevice::default()
        }));
        let mut users = self.lock();
        let key = (app, user.to_owned());
        if let Some(devices) = users.get_mut(&key) {
            devices.retain(|d| d.conn_id != conn_id);
            if devices.is_empty() {
                users.remove(&key);
            }
        }
    }

    /// The connections of `user`, except `except`.
    pub fn devices(&self, app: AppId, user: &str, except: Option<u64>) -> Vec<Outbound> {
        let users = self.lock();
        users
            .get(&(app, user.to_owned()))
            .map(|devices| {
                devices
                    .iter()
                    .filter(|d| Some(d.conn_id) != except)
                    .map(|d| d.outbound.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The device IDs of `user`'s connections.
    pub fn device_ids(&self, app: AppId, user: &str) -> Vec<String> {
        let users = self.lock();
        users
            .get(&(app, user.to_owned()))
            .map(|devices| devices.iter().map(|d| d.device_id.clone()).collect())
            .unwrap_or_default()
    }

    /// Pushes a stored message to every online device of its recipients, here and on the
    /// other nodes.
    pub fn deliver(&self, delivery: &Delivery) {
        self.deliver_local(delivery);
        if self.bus.get().is_some() {
            for part in WireDelivery::parts(delivery) {
                self.publish(Body::Delivery(part));
            }
        }
    }

    /// Pushes a stored message to this node's devices of its recipients.
    pub fn deliver_local(&self, delivery: &Delivery) {
        let mut targets = Vec::new();
        {
            let users = self.lock();
            for (user, cursor) in &delivery.recipients {
                if let Some(devices) = users.get(&(delivery.app, user.clone())) {
                    let outbound: Vec<Outbound> =
                        devices.iter().map(|d| d.outbound.clone()).collect();
                    targets.push((user.as_str(), *cursor, outbound));
                }
            }
        }
        let mut encoder = PushEncoder::new(&delivery.message);
        for (user, cursor, outbound) in targets {
            let frame = match delivery.kind {
                EventKind::NewMessage => encoder.frame(user, cursor),
                EventKind::Revoked => revoked_frame(&delivery.message, user, cursor),
                EventKind::Modified => modified_frame(&delivery.message, user, cursor),
            };
            for device in outbound {
                device.push(frame.clone());
            }
        }
    }

    /// Pushes a logged notice to every online device of its recipients, each with their own
    /// cursor.
    pub fn deliver_notice(&self, notice: &NoticeDelivery) {
        self.deliver_notice_local(notice);
        if self.bus.get().is_some() {
            for part in WireNotice::parts(notice) {
                self.publish(Body::Notice(part));
            }
        }
    }

    /// Pushes a logged notice to this node's devices of its recipients.
    pub fn deliver_notice_local(&self, notice: &NoticeDelivery) {
        let mut targets = Vec::new();
        {
            let users = self.lock();
            for (user, cursor) in &notice.recipients {
                if let Some(devices) = users.get(&(notice.app, user.clone())) {
                    let outbound: Vec<Outbound> =
                        devices.iter().map(|d| d.outbound.clone()).collect();
                    targets.push((*cursor, outbound));
                }
            }
        }
        for (cursor, outbound) in targets {
            let frame = tim_proto::encode_frame(&v1::ServerFrame {
                request_id: 0,
                body: Some(notice_body(with_cursor((*notice.event).clone(), cursor))),
            });
            for device in outbound {
                device.push(frame.clone());
            }
        }
    }

    /// Pushes an unstored (online-only) canonical message to `users`' online devices, except
    /// the connection `except`; cursor 0.
    pub fn deliver_online(&self, app: AppId, message: &v1::Message, users: &[String], except: u64) {
        self.deliver_online_local(app, message, users, except);
        if self.bus.get().is_some() {
            self.publish(Body::Online(WireOnline {
                app,
                message: Some(message.clone()),
                users: users.to_vec(),
            }));
        }
    }

    /// [`Hub::deliver_online`] to this node's devices only.
    pub fn deliver_online_local(
        &self,
        app: AppId,
        message: &v1::Message,
        users: &[String],
        except: u64,
    ) {
        let mut encoder = PushEncoder::new(message);
        for user in users {
            let devices = self.devices(app, user, Some(except));
            if devices.is_empty() {
                continue;
            }
            let frame = encoder.frame(user, 0);
            for device in devices {
                device.push(frame.clone());
            }
        }
    }
}
