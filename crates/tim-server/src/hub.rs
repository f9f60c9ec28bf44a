//! The online devices: for each user, the connections logged in as them, each with a bounded
//! queue of encoded frames. Delivery never waits: a frame that does not fit a connection's
//! queue closes that connection (the device reconnects and syncs), so one client that stops
//! reading never stalls anyone else.

use crate::storage::{AppId, Delivery, view};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use tim_proto::v1;
use tokio::sync::mpsc;

/// What a connection's writer task receives.
#[derive(Debug)]
pub(crate) enum Outgoing {
    /// An encoded frame to write.
    Frame(Vec<u8>),
    /// Finish the stream after the frames before it, then close the connection.
    Close,
}

/// The sending side of one connection.
#[derive(Debug, Clone)]
pub(crate) struct Outbound {
    pub tx: mpsc::Sender<Outgoing>,
    pub connection: quinn::Connection,
}

impl Outbound {
    /// Queues `frame`; closes the connection when its queue is full. Returns whether queued.
    pub fn push(&self, frame: Vec<u8>) -> bool {
        match self.tx.try_send(Outgoing::Frame(frame)) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                tracing::debug!("outbound queue full: closing the connection");
                self.connection
                    .close(quinn::VarInt::from_u32(2), b"too slow: reconnect and sync");
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }

    /// Queues `frame` and then the close of the connection.
    pub fn push_then_close(&self, frame: Vec<u8>) {
        if self.push(frame) && self.tx.try_send(Outgoing::Close).is_err() {
            self.connection.close(quinn::VarInt::from_u32(0), b"closed");
        }
    }
}

/// One logged-in device.
#[derive(Debug, Clone)]
struct Device {
    conn_id: u64,
    device_id: String,
    outbound: Outbound,
}

/// The registry of online devices.
#[derive(Debug, Default)]
pub(crate) struct Hub {
    users: Mutex<HashMap<(AppId, String), Vec<Device>>>,
    next_conn_id: AtomicU64,
}

impl Hub {
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
        outbound: Outbound,
    ) -> Vec<Outbound> {
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
            outbound,
        });
        replaced
    }

    /// Removes a connection (no-op when it is not registered).
    pub fn unregister(&self, app: AppId, user: &str, conn_id: u64) {
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

    /// Pushes a stored message to every online device of its recipients.
    pub fn deliver(&self, delivery: &Delivery) {
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
        for (user, cursor, outbound) in targets {
            let frame = push_frame(&delivery.message, user, cursor);
            for device in outbound {
                device.push(frame.clone());
            }
        }
    }

    /// Pushes an unstored (online-only) canonical message to `users`' online devices, except
    /// the connection `except`; cursor 0.
    pub fn deliver_online(&self, app: AppId, message: &v1::Message, users: &[String], except: u64) {
        for user in users {
            let devices = self.devices(app, user, Some(except));
            if devices.is_empty() {
                continue;
            }
            let frame = push_frame(message, user, 0);
            for device in devices {
                device.push(frame.clone());
            }
        }
    }
}

/// The encoded NewMessagePush frame of canonical `message` for `user`.
pub(crate) fn push_frame(message: &v1::Message, user: &str, cursor: u64) -> Vec<u8> {
    let frame = v1::ServerFrame {
        request_id: 0,
        body: Some(v1::server_frame::Body::NewMessage(v1::NewMessagePush {
            cursor,
            message: Some(view::for_user(message, user)),
        })),
    };
    tim_proto::encode_frame(&frame)
}
