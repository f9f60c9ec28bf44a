//! `tim-server-storage` is what the tim server keeps and the rules that must hold atomically
//! with each write, written once: users and their event logs, conversations and their
//! messages by seq, message-ID dedup, groups and members, and every lifecycle area (read
//! state, extensions, receive options, deletes, merged messages, media records, push tokens,
//! conversation attributes, profiles). The rules decide seq assignment, dedup, membership,
//! visibility, who may revoke, modify, extend or delete, and what each device is pushed.
//!
//! The data model ([`KvStorage`]) is written against an ordered transactional key-value store
//! ([`kv::KvStore`]); a backend crate (`tim-server-redb`, `tim-server-postgres`) only moves
//! bytes, so every backend keeps the same rules and passes the same conformance suite
//! ([`conformance`], feature `testing`) by construction.
//!
//! Writes are batch-oriented: [`Storage::apply`] applies a batch of [`WriteOp`]s in one durable
//! transaction and answers each with its own outcome, so the server's writer can group many
//! requests into one commit. A refused op ([`Refusal`]) writes nothing; a [`StorageError`]
//! fails the whole batch and writes nothing. Messages are kept in their canonical form (see
//! [`view`]) and handed out from the reading user's point of view.
//!
//! What it must never do: touch a file, socket or clock of its own (all I/O goes through the
//! backend's [`kv::KvTxn`]; time comes in the ops), depend on a backend, the server or the
//! client crates, trust a client-supplied sender, seq or time, or panic on stored bytes.

#[cfg(any(test, feature = "testing"))]
pub mod conformance;
pub mod conversations;
pub mod delete;
pub mod extensions;
pub mod group_rules;
pub mod kv;
pub mod media;
pub mod merge;
mod model;
mod ops;
pub mod profiles;
pub mod push;
pub mod read_state;
pub mod records;
pub mod recv_opt;
pub mod view;

use crate::group_rules::GroupLimits;
use std::sync::Arc;
use tim_model::ids::{GroupId, MessageId, UserId};
use tim_proto::v1;

pub use model::KvStorage;
pub use ops::*;
pub use records::{GroupRecord, MemberRecord};

/// An SDKAppID: every key is scoped by app.
pub type AppId = u64;

/// A failure of the storage itself (I/O, corruption, a database that does not answer): the
/// batch wrote nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct StorageError {
    detail: String,
    unreachable: bool,
}

impl StorageError {
    /// An error with this description.
    pub fn new(detail: impl Into<String>) -> Self {
        Self {
            detail: detail.into(),
            unreachable: false,
        }
    }

    /// The storage could not be reached at all (its database is down, or the network to it):
    /// any other write would fail the same way, so the writer does not retry the batch's
    /// requests one by one.
    pub fn unreachable(detail: impl Into<String>) -> Self {
        Self {
            detail: detail.into(),
            unreachable: true,
        }
    }

    /// Whether the storage could not be reached (see [`StorageError::unreachable`]).
    pub fn is_unreachable(&self) -> bool {
        self.unreachable
    }

    /// What went wrong.
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

/// A request refused by a rule, with its TIM code; nothing was written for it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {desc}")]
pub struct Refusal {
    /// TIM error code (`tim_model::codes`).
    pub code: i32,
    /// What was wrong, naming the field where there is one.
    pub desc: String,
}

impl Refusal {
    /// A refusal with this code and description.
    pub fn new(code: i32, desc: impl Into<String>) -> Self {
        Self {
            code,
            desc: desc.into(),
        }
    }
}

/// What a message ID is known as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MsgIdState {
    /// Stored with this ack.
    Stored(Ack),
    /// Cancelled before it was stored.
    Cancelled,
}

/// One event of a user's log as synced.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncItem {
    /// Its log position.
    pub cursor: u64,
    /// What the event says.
    pub event: SyncBody,
}

impl SyncItem {
    /// The message of an event about one stored message.
    pub fn message(&self) -> Option<&v1::Message> {
        match &self.event {
            SyncBody::Message { message, .. } => Some(message),
            SyncBody::Notice(_) => None,
        }
    }

    /// What happened to the message of an event about one stored message.
    pub fn kind(&self) -> Option<EventKind> {
        match &self.event {
            SyncBody::Message { kind, .. } => Some(*kind),
            SyncBody::Notice(_) => None,
        }
    }
}

/// What a synced event says.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncBody {
    /// An event about one stored message.
    Message {
        /// What happened to it.
        kind: EventKind,
        /// The message as now stored, from the user's view (a new-message event of a message
        /// revoked since carries the revoked message).
        message: v1::Message,
    },
    /// Any other event, as logged (its `cursor` field set to the item's cursor).
    Notice(v1::sync_event::Event),
}

/// A page of a user's event log.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncPage {
    /// Events, oldest first.
    pub events: Vec<SyncItem>,
    /// The cursor to continue from.
    pub next_cursor: u64,
    /// More events follow.
    pub has_more: bool,
    /// The requested cursor is beyond the log (the log was reset): start over from
    /// `next_cursor`.
    pub cursor_expired: bool,
}

/// A history request, bounds already defaulted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryQuery {
    /// Inclusive lower bound; 0: from the first message.
    pub begin_seq: u64,
    /// Inclusive upper bound; 0: up to the newest.
    pub end_seq: u64,
    /// Most messages (at least 1).
    pub max_count: usize,
    /// Walk down from the end.
    pub backward: bool,
    /// Stop adding messages once their encoded size passes this many bytes.
    pub max_bytes: usize,
}

/// A page of history.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HistoryPage {
    /// Messages in the order walked, from the user's view.
    pub messages: Vec<v1::Message>,
    /// First seq of the range covered completely (0: nothing covered).
    pub covered_begin_seq: u64,
    /// Last seq of the range covered completely.
    pub covered_end_seq: u64,
    /// The range holds more beyond the covered edge.
    pub has_more: bool,
    /// The conversation's newest seq.
    pub newest_seq: u64,
}

/// A page of members.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MemberPage {
    /// Members in join order.
    pub members: Vec<MemberRecord>,
    /// The position to continue from.
    pub next: u64,
    /// No more members.
    pub finished: bool,
}

/// A storage backend. Implementations are shared between the writer thread and the request
/// handlers; reads may run concurrently with a write and see the last committed state.
///
/// The reads of each lifecycle area live in that area's trait (a supertrait), next to its
/// write types.
pub trait Storage:
    read_state::ReadStateReads
    + extensions::ExtensionReads
    + recv_opt::RecvOptReads
    + conversations::ConversationReads
    + profiles::ProfileReads
    + delete::DeleteReads
    + merge::MergeReads
    + push::PushReads
    + media::MediaReads
    + Send
    + Sync
    + 'static
{
    /// Whether calls wait on something slow (a database across the network): the async
    /// handlers then call it on the blocking pool ([`handle::StorageHandle`]).
    fn blocks(&self) -> bool {
        false
    }

    /// Applies `ops` in order in one atomic, durable transaction: one outcome per op, in
    /// order. A later op sees the effects of earlier ones.
    fn apply(&self, ops: Vec<WriteOp>) -> Result<Vec<WriteOutcome>, StorageError>;

    /// The user, if registered.
    fn user(&self, app: AppId, user: &UserId) -> Result<Option<UserRecord>, StorageError>;

    /// What `sender`'s own `msg_id` is known as.
    fn msg_id_state(
        &self,
        app: AppId,
        sender: &UserId,
        msg_id: &MessageId,
    ) -> Result<Option<MsgIdState>, StorageError>;

    /// Events of the user's log after `cursor`: at most `max_events`, and no more once their
    /// messages pass `max_bytes` (at least one event when there is one).
    fn sync(
        &self,
        app: AppId,
        user: &UserId,
        cursor: u64,
        max_events: usize,
        max_bytes: usize,
    ) -> Result<SyncPage, StorageError>;

    /// History of a conversation for `user`. Refused for a group that does not exist or was
    /// dismissed (10010) or that the user is not a member of (10007). Group members see
    /// messages from their latest join on; the earlier seqs count as covered.
    fn pull_history(
        &self,
        app: AppId,
        user: &UserId,
        target: &Target,
        query: HistoryQuery,
    ) -> Result<Result<HistoryPage, Refusal>, StorageError>;

    /// The group, dismissed ones included.
    fn group(&self, app: AppId, group: &GroupId) -> Result<Option<GroupRecord>, StorageError>;

    /// The membership of `user` in `group`.
    fn member(
        &self,
        app: AppId,
        group: &GroupId,
        user: &UserId,
    ) -> Result<Option<MemberRecord>, StorageError>;

    /// Members in join order, starting at position `from` (0: the first).
    fn list_members(
        &self,
        app: AppId,
        group: &GroupId,
        from: u64,
        count: usize,
    ) -> Result<MemberPage, StorageError>;

    /// Every member's user ID.
    fn member_ids(&self, app: AppId, group: &GroupId) -> Result<Vec<String>, StorageError>;
}
