//! The records backends keep besides messages, as prost messages (so that a backend can store
//! them as bytes), and the fixed-size encodings of event and message-ID entries.

/// A group as stored.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GroupRecord {
    /// The group ID.
    #[prost(string, tag = "1")]
    pub group_id: String,
    /// TIMGroupType.
    #[prost(int32, tag = "2")]
    pub group_type: i32,
    /// Name.
    #[prost(string, tag = "3")]
    pub name: String,
    /// Introduction.
    #[prost(string, tag = "4")]
    pub introduction: String,
    /// Notification.
    #[prost(string, tag = "5")]
    pub notification: String,
    /// Avatar URL.
    #[prost(string, tag = "6")]
    pub face_url: String,
    /// TIMGroupAddOption.
    #[prost(int32, tag = "7")]
    pub add_option: i32,
    /// The owner's user ID.
    #[prost(string, tag = "8")]
    pub owner: String,
    /// Creation time, seconds.
    #[prost(uint64, tag = "9")]
    pub create_time: u64,
    /// Dismissed: the group no longer accepts anything.
    #[prost(bool, tag = "10")]
    pub dismissed: bool,
    /// Current member count.
    #[prost(uint64, tag = "11")]
    pub member_count: u64,
    /// The join-order position the next member gets.
    #[prost(uint64, tag = "12")]
    pub next_member_pos: u64,
}

/// One member of a group as stored.
#[derive(Clone, PartialEq, prost::Message)]
pub struct MemberRecord {
    /// The member's user ID.
    #[prost(string, tag = "1")]
    pub user_id: String,
    /// TIMGroupMemberRole.
    #[prost(int32, tag = "2")]
    pub role: i32,
    /// Join time, seconds.
    #[prost(uint64, tag = "3")]
    pub join_time: u64,
    /// Join-order position (the paging key of member lists).
    #[prost(uint64, tag = "4")]
    pub pos: u64,
    /// The first seq of the group this member may read (their latest join).
    #[prost(uint64, tag = "5")]
    pub visible_from_seq: u64,
    /// The member's tiny ID.
    #[prost(uint64, tag = "6")]
    pub tiny_id: u64,
}

/// Event kinds of the user log.
pub const EVENT_NEW_MESSAGE: u8 = 1;
/// A message was revoked.
pub const EVENT_MESSAGE_REVOKED: u8 = 2;
/// A message was modified.
pub const EVENT_MESSAGE_MODIFIED: u8 = 3;

/// Any other event: the entry is this kind byte followed by the prost-encoded
/// `v1::SyncEvent` (its cursor field 0).
pub const EVENT_NOTICE: u8 = 4;

/// A notice entry: [`EVENT_NOTICE`] and the event.
pub fn encode_notice(event: &tim_proto::v1::sync_event::Event) -> Vec<u8> {
    let wrapped = tim_proto::v1::SyncEvent {
        event: Some(event.clone()),
    };
    let mut out = vec![EVENT_NOTICE];
    out.extend(prost::Message::encode_to_vec(&wrapped));
    out
}

/// The event of a notice entry, `None` when the bytes are not one.
pub fn decode_notice(bytes: &[u8]) -> Option<tim_proto::v1::sync_event::Event> {
    if *bytes.first()? != EVENT_NOTICE {
        return None;
    }
    let wrapped: tim_proto::v1::SyncEvent = prost::Message::decode(bytes.get(1..)?).ok()?;
    wrapped.event
}

/// An event entry: kind, conversation number, seq.
pub fn encode_event(kind: u8, conv_no: u64, seq: u64) -> [u8; 17] {
    let mut out = [0u8; 17];
    out[0] = kind;
    out[1..9].copy_from_slice(&conv_no.to_be_bytes());
    out[9..17].copy_from_slice(&seq.to_be_bytes());
    out
}

/// The parts of an event entry, `None` when it is not one.
pub fn decode_event(bytes: &[u8]) -> Option<(u8, u64, u64)> {
    let kind = *bytes.first()?;
    let conv_no = u64::from_be_bytes(bytes.get(1..9)?.try_into().ok()?);
    let seq = u64::from_be_bytes(bytes.get(9..17)?.try_into().ok()?);
    Some((kind, conv_no, seq))
}

const MSG_ID_STORED: u8 = 1;
const MSG_ID_CANCELLED: u8 = 2;

/// A stored message ID: where the message is and its ack fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredId {
    /// The conversation's number.
    pub conv_no: u64,
    /// The message's seq in it.
    pub seq: u64,
    /// The server time of the store.
    pub server_time: u64,
    /// The message's random.
    pub rand: u64,
}

/// The `sent_ids` entry of a stored message.
pub fn encode_stored_id(id: StoredId) -> [u8; 33] {
    let mut out = [0u8; 33];
    out[0] = MSG_ID_STORED;
    out[1..9].copy_from_slice(&id.conv_no.to_be_bytes());
    out[9..17].copy_from_slice(&id.seq.to_be_bytes());
    out[17..25].copy_from_slice(&id.server_time.to_be_bytes());
    out[25..33].copy_from_slice(&id.rand.to_be_bytes());
    out
}

/// The `sent_ids` entry of a message ID cancelled before it was stored.
pub fn encode_cancelled_id() -> [u8; 1] {
    [MSG_ID_CANCELLED]
}

/// `Some(Some(id))` stored, `Some(None)` cancelled, `None` unreadable.
pub fn decode_msg_id(bytes: &[u8]) -> Option<Option<StoredId>> {
    let field = |range: std::ops::Range<usize>| -> Option<u64> {
        Some(u64::from_be_bytes(bytes.get(range)?.try_into().ok()?))
    };
    match *bytes.first()? {
        MSG_ID_CANCELLED => Some(None),
        MSG_ID_STORED => Some(Some(StoredId {
            conv_no: field(1..9)?,
            seq: field(9..17)?,
            server_time: field(17..25)?,
            rand: field(25..33)?,
        })),
        _ => None,
    }
}
