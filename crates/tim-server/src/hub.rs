//! The online devices: for each user, the connections logged in as them, each with a bounded
//! queue of encoded frames. Delivery never waits: a frame that does not fit a connection's
//! queue closes that connection (the device reconnects and syncs), so one client that stops
//! reading never stalls anyone else.

use crate::storage::{AppId, Delivery, EventKind, NoticeDelivery, view, with_cursor};
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

    /// The device IDs of `user`'s connections.
    pub fn device_ids(&self, app: AppId, user: &str) -> Vec<String> {
        let users = self.lock();
        users
            .get(&(app, user.to_owned()))
            .map(|devices| devices.iter().map(|d| d.device_id.clone()).collect())
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

/// The `MessageRevokedPush` frame of the revoked canonical `message` for `user`.
fn revoked_frame(message: &v1::Message, user: &str, cursor: u64) -> Vec<u8> {
    let frame = v1::ServerFrame {
        request_id: 0,
        body: Some(v1::server_frame::Body::MessageRevoked(
            v1::MessageRevokedPush {
                cursor,
                info: Some(view::revoke_info(&view::for_user(message, user))),
            },
        )),
    };
    tim_proto::encode_frame(&frame)
}

/// The `MessageModifiedPush` frame of the modified canonical `message` for `user`.
fn modified_frame(message: &v1::Message, user: &str, cursor: u64) -> Vec<u8> {
    let frame = v1::ServerFrame {
        request_id: 0,
        body: Some(v1::server_frame::Body::MessageModified(
            v1::MessageModifiedPush {
                cursor,
                message: Some(view::for_user(message, user)),
            },
        )),
    };
    tim_proto::encode_frame(&frame)
}

/// Encodes the NewMessagePush frames of one canonical message for many users, encoding the
/// message itself only once per distinct view: a user's view depends on the user only through
/// whether they sent it (see [`view::adjust_for_user`]), so a fan-out to thousands of members
/// encodes it twice at most and each member's frame is a copy plus its cursor.
pub(crate) struct PushEncoder<'a> {
    message: &'a v1::Message,
    /// The encoded view of the sender, and of everyone else.
    own: Option<Vec<u8>>,
    others: Option<Vec<u8>>,
}

/// Field numbers of `NewMessagePush` (`cursor`, `message`).
const PUSH_CURSOR_TAG: u32 = 1;
const PUSH_MESSAGE_TAG: u32 = 2;

impl<'a> PushEncoder<'a> {
    pub fn new(message: &'a v1::Message) -> Self {
        Self {
            message,
            own: None,
            others: None,
        }
    }

    /// The encoded NewMessagePush frame of the message for `user` at `cursor`.
    pub fn frame(&mut self, user: &str, cursor: u64) -> Vec<u8> {
        use prost::Message as _;
        use prost::encoding::{encode_key, encode_varint, encoded_len_varint, key_len};
        let message = self.message;
        let slot = if message.sender == user {
            &mut self.own
        } else {
            &mut self.others
        };
        let view = slot.get_or_insert_with(|| view::for_user(message, user).encode_to_vec());
        // NewMessagePush { cursor, message }: proto3 leaves out a zero cursor.
        let cursor_len = if cursor == 0 {
            0
        } else {
            key_len(PUSH_CURSOR_TAG) + encoded_len_varint(cursor)
        };
        let push_len = cursor_len
            + key_len(PUSH_MESSAGE_TAG)
            + encoded_len_varint(view.len() as u64)
            + view.len();
        // ServerFrame { request_id: 0 (left out), body: NewMessage(push) }.
        let body_key = body_key();
        let payload_len = body_key.len() + encoded_len_varint(push_len as u64) + push_len;
        let mut frame = Vec::with_capacity(4 + payload_len);
        frame.extend_from_slice(&u32::try_from(payload_len).unwrap_or(u32::MAX).to_be_bytes());
        frame.extend_from_slice(body_key);
        encode_varint(push_len as u64, &mut frame);
        if cursor != 0 {
            encode_key(
                PUSH_CURSOR_TAG,
                prost::encoding::WireType::Varint,
                &mut frame,
            );
            encode_varint(cursor, &mut frame);
        }
        encode_key(
            PUSH_MESSAGE_TAG,
            prost::encoding::WireType::LengthDelimited,
            &mut frame,
        );
        encode_varint(view.len() as u64, &mut frame);
        frame.extend_from_slice(view);
        frame
    }
}

/// The key of `ServerFrame.body`'s `new_message` field, taken from prost's own encoding of an
/// empty push (key, then a zero length).
fn body_key() -> &'static [u8] {
    static KEY: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        use prost::Message as _;
        let mut bytes = v1::ServerFrame {
            request_id: 0,
            body: Some(v1::server_frame::Body::NewMessage(
                v1::NewMessagePush::default(),
            )),
        }
        .encode_to_vec();
        bytes.pop();
        bytes
    })
}

/// The encoded NewMessagePush frame of canonical `message` for `user`, the plain way (what
/// [`PushEncoder`] must produce).
#[cfg(test)]
fn push_frame(message: &v1::Message, user: &str, cursor: u64) -> Vec<u8> {
    let frame = v1::ServerFrame {
        request_id: 0,
        body: Some(v1::server_frame::Body::NewMessage(v1::NewMessagePush {
            cursor,
            message: Some(view::for_user(message, user)),
        })),
    };
    tim_proto::encode_frame(&frame)
}

/// The push of a logged event: the `ServerFrame` body of the same number.
pub(crate) fn notice_body(event: v1::sync_event::Event) -> v1::server_frame::Body {
    use v1::server_frame::Body;
    use v1::sync_event::Event;
    match event {
        Event::NewMessage(push) => Body::NewMessage(push),
        Event::MessageRevoked(push) => Body::MessageRevoked(push),
        Event::MessageModified(push) => Body::MessageModified(push),
        Event::ReadReceipts(push) => Body::ReadReceipts(push),
        Event::ConversationRead(push) => Body::ConversationRead(push),
        Event::ExtensionsChanged(push) => Body::ExtensionsChanged(push),
        Event::ExtensionsDeleted(push) => Body::ExtensionsDeleted(push),
        Event::MessagesDeleted(push) => Body::MessagesDeleted(push),
        Event::HistoryCleared(push) => Body::HistoryCleared(push),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(conv_type: i32, text_len: usize) -> v1::Message {
        v1::Message {
            conv_type,
            conv_id: "peer".into(),
            sender: "alice".into(),
            msg_id: Some("m-1".into()),
            seq: 7,
            elems: vec![v1::Elem {
                body: Some(v1::elem::Body::Text(v1::TextElem {
                    content: "x".repeat(text_len),
                })),
            }],
            ..Default::default()
        }
    }

    #[test]
    fn push_encoder_matches_push_frame() {
        for conv_type in [1, 2] {
            for text_len in [0, 5, 200, 20_000] {
                let canonical = message(conv_type, text_len);
                let mut encoder = PushEncoder::new(&canonical);
                for user in ["alice", "bob", "peer", "carol", "alice"] {
                    for cursor in [0, 1, 127, 128, 300, u64::MAX] {
                        assert_eq!(
                            encoder.frame(user, cursor),
                            push_frame(&canonical, user, cursor),
                            "conv_type {conv_type}, text {text_len}, user {user}, cursor {cursor}"
                        );
                    }
                }
            }
        }
    }
}
