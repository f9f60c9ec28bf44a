//! What travels between nodes: one protobuf [`Frame`] per bus message, the sending node's ID
//! and one event. Only nodes of the same version talk on one bus (the subject carries the
//! version, see [`super::SUBJECT_VERSION`]).

use crate::storage::{AppId, Delivery, EventKind, NoticeDelivery};
use std::sync::Arc;
use tim_proto::v1;

/// One bus message.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Frame {
    /// The node that sent it.
    #[prost(uint64, tag = "1")]
    pub node: u64,
    /// What happened.
    #[prost(oneof = "Body", tags = "2, 3, 4, 5, 6, 7, 8")]
    pub body: Option<Body>,
    /// When it was published, milliseconds since the Unix epoch (for the bus lag metric).
    #[prost(uint64, tag = "9")]
    pub sent_at_ms: u64,
}

/// The events.
#[derive(Clone, PartialEq, prost::Oneof)]
pub enum Body {
    /// A stored message to push (new, revoked, modified).
    #[prost(message, tag = "2")]
    Delivery(WireDelivery),
    /// A logged notice to push.
    #[prost(message, tag = "3")]
    Notice(WireNotice),
    /// An online-only message (not stored) to push.
    #[prost(message, tag = "4")]
    Online(WireOnline),
    /// A device logged in on the sending node: other nodes kick the same device.
    #[prost(message, tag = "5")]
    DeviceOnline(WireDevice),
    /// A device's connection on the sending node ended.
    #[prost(message, tag = "6")]
    DeviceOffline(WireDevice),
    /// A device went to the background or the foreground.
    #[prost(message, tag = "7")]
    AppState(WireDevice),
    /// Every device of the sending node (sent periodically: a node that joins late, or that
    /// missed an event, catches up; a node whose snapshots stop is forgotten).
    #[prost(message, tag = "8")]
    Snapshot(WireSnapshot),
}

/// A recipient and the log position of the event for them.
#[derive(Clone, PartialEq, prost::Message)]
pub struct WireRecipient {
    /// The user.
    #[prost(string, tag = "1")]
    pub user: String,
    /// The cursor.
    #[prost(uint64, tag = "2")]
    pub cursor: u64,
}

/// See [`Delivery`].
#[derive(Clone, PartialEq, prost::Message)]
pub struct WireDelivery {
    /// The app.
    #[prost(uint64, tag = "1")]
    pub app: u64,
    /// 0 new, 1 revoked, 2 modified.
    #[prost(uint32, tag = "2")]
    pub kind: u32,
    /// The canonical message.
    #[prost(message, optional, tag = "3")]
    pub message: Option<v1::Message>,
    /// The recipients.
    #[prost(message, repeated, tag = "4")]
    pub recipients: Vec<WireRecipient>,
}

/// See [`NoticeDelivery`].
#[derive(Clone, PartialEq, prost::Message)]
pub struct WireNotice {
    /// The app.
    #[prost(uint64, tag = "1")]
    pub app: u64,
    /// The event, cursor 0.
    #[prost(message, optional, tag = "2")]
    pub event: Option<v1::SyncEvent>,
    /// The recipients.
    #[prost(message, repeated, tag = "3")]
    pub recipients: Vec<WireRecipient>,
}

/// An online-only message for some users.
#[derive(Clone, PartialEq, prost::Message)]
pub struct WireOnline {
    /// The app.
    #[prost(uint64, tag = "1")]
    pub app: u64,
    /// The canonical message.
    #[prost(message, optional, tag = "2")]
    pub message: Option<v1::Message>,
    /// Its recipients.
    #[prost(string, repeated, tag = "3")]
    pub users: Vec<String>,
}

/// One device of one node.
#[derive(Clone, PartialEq, prost::Message)]
pub struct WireDevice {
    /// The app.
    #[prost(uint64, tag = "1")]
    pub app: u64,
    /// The user.
    #[prost(string, tag = "2")]
    pub user: String,
    /// The device ID of its login.
    #[prost(string, tag = "3")]
    pub device_id: String,
    /// The connection on its node.
    #[prost(uint64, tag = "4")]
    pub conn_id: u64,
    /// TIMPlatform of its login.
    #[prost(int32, tag = "5")]
    pub platform: i32,
    /// In the background (offline push goes to it).
    #[prost(bool, tag = "6")]
    pub background: bool,
    /// The app's unread count as the device reported it with its state.
    #[prost(uint32, tag = "7")]
    pub unread: u32,
}

/// Every device of a node.
#[derive(Clone, PartialEq, prost::Message)]
pub struct WireSnapshot {
    /// The devices.
    #[prost(message, repeated, tag = "1")]
    pub devices: Vec<WireDevice>,
}

fn kind_code(kind: EventKind) -> u32 {
    match kind {
        EventKind::NewMessage => 0,
        EventKind::Revoked => 1,
        EventKind::Modified => 2,
    }
}

fn recipients(list: &[(String, u64)]) -> Vec<WireRecipient> {
    list.iter()
        .map(|(user, cursor)| WireRecipient {
            user: user.clone(),
            cursor: *cursor,
        })
        .collect()
}

fn from_recipients(list: Vec<WireRecipient>) -> Vec<(String, u64)> {
    list.into_iter().map(|r| (r.user, r.cursor)).collect()
}

/// Recipients per bus message at most: a delivery to a huge group travels in parts, each
/// far below NATS's default 1 MiB payload limit.
pub const RECIPIENTS_PER_FRAME: usize = 4096;

impl WireDelivery {
    /// `delivery` in parts of at most [`RECIPIENTS_PER_FRAME`] recipients.
    pub fn parts(delivery: &Delivery) -> Vec<Self> {
        delivery
            .recipients
            .chunks(RECIPIENTS_PER_FRAME)
            .map(|chunk| Self {
                app: delivery.app,
                kind: kind_code(delivery.kind),
                message: Some((*delivery.message).clone()),
                recipients: recipients(chunk),
            })
            .collect()
    }

    /// The delivery again, if well formed.
    pub fn into_delivery(self) -> Option<Delivery> {
        let kind = match self.kind {
            0 => EventKind::NewMessage,
            1 => EventKind::Revoked,
            2 => EventKind::Modified,
            _ => return None,
        };
        Some(Delivery {
            app: self.app as AppId,
            kind,
            message: Arc::new(self.message?),
            recipients: from_recipients(self.recipients),
        })
    }
}

impl WireNotice {
    /// `notice` in parts of at most [`RECIPIENTS_PER_FRAME`] recipients.
    pub fn parts(notice: &NoticeDelivery) -> Vec<Self> {
        notice
            .recipients
            .chunks(RECIPIENTS_PER_FRAME)
            .map(|chunk| Self {
                app: notice.app,
                event: Some(v1::SyncEvent {
                    event: Some((*notice.event).clone()),
                }),
                recipients: recipients(chunk),
            })
            .collect()
    }

    /// The notice again, if well formed.
    pub fn into_notice(self) -> Option<NoticeDelivery> {
        Some(NoticeDelivery {
            app: self.app,
            event: Arc::new(self.event?.event?),
            recipients: from_recipients(self.recipients),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use prost::Message as _;

    #[test]
    fn a_delivery_travels_in_parts_and_comes_back_whole() {
        let delivery = Delivery {
            app: 7,
            kind: EventKind::Modified,
            message: Arc::new(v1::Message {
                sender: "alice".into(),
                seq: 3,
                ..Default::default()
            }),
            recipients: (0..5000).map(|i| (format!("u{i}"), i)).collect(),
        };
        let parts = WireDelivery::parts(&delivery);
        assert_eq!(parts.len(), 2);
        let mut back = Vec::new();
        for part in parts {
            let frame = Frame {
                node: 9,
                body: Some(Body::Delivery(part)),
                sent_at_ms: 0,
            };
            let decoded = Frame::decode(frame.encode_to_vec().as_slice()).unwrap();
            assert_eq!(decoded.node, 9);
            let Some(Body::Delivery(part)) = decoded.body else {
                panic!("not a delivery");
            };
            let part = part.into_delivery().unwrap();
            assert_eq!(part.kind, EventKind::Modified);
            assert_eq!(part.message.seq, 3);
            back.extend(part.recipients);
        }
        assert_eq!(back, delivery.recipients);
    }
}
