//! Read reports (TIMMsgReportReaded, TIMMsgMarkAllMessageAsRead) and message read receipts
//! (TIMMsgSendMessageReadReceipts, TIMMsgGetMessageReadReceipts,
//! TIMMsgGetGroupMessageReadMemberList): the area's write op, its applied result and its reads.
//!
//! Rules (checked inside the write, atomically with it):
//! - Read marks are per user: a C2C read time per peer (seconds) and a group read seq per
//!   group; both only move forward. A report behind the current mark changes nothing and
//!   answers the current mark.
//! - A report logs a `ConversationReadPush` (the marks that moved) to the reporter's own log,
//!   and for each C2C mark that moved a conversation-level `ReadReceiptPush` to the peer.
//! - Receipts: only for stored messages sent with `need_read_receipt` that the reader can
//!   see; the reader's own messages are skipped; each (message, reader) is recorded once and
//!   the sender gets a `ReadReceiptPush` with the new counts.

use super::{AppId, MemberRecord, Refusal, StorageError, Target};
use tim_model::enums::ConvType;
use tim_model::ids::{GroupId, MessageId, UserId};
use tim_proto::v1;

/// Which conversations a report marks read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportScope {
    /// One conversation, up to `read_time` (C2C; 0: now) or `read_seq` (group; 0: newest).
    One {
        /// The conversation, from the reporter's view.
        target: Target,
        /// C2C read time, seconds (0: the newest message's server time, or now when there is
        /// none; beyond now: now).
        read_time: u64,
        /// Group read seq (0 or beyond the newest: the newest).
        read_seq: u64,
    },
    /// Every conversation of the user with at least one message for them, of this type
    /// (`None`: every type), up to the newest message (its time for C2C, its seq for groups).
    All(Option<ConvType>),
}

/// A write of this area (see [`WriteOp::ReadState`](super::WriteOp::ReadState)).
#[derive(Debug, Clone)]
pub enum ReadStateWrite {
    /// `ReportReadRequest`: outcome [`ReadStateApplied::Marks`].
    Report {
        /// The app.
        app: AppId,
        /// Who read.
        user: UserId,
        /// What was read.
        scope: ReportScope,
        /// Server time now, seconds.
        now: u64,
    },
    /// `SendReadReceiptsRequest`: outcome [`ReadStateApplied::Receipts`]. Refused as a whole
    /// (nothing recorded) when a message is not a stored message of `target` visible to the
    /// reader, or was not sent with `need_read_receipt`.
    Receipts {
        /// The app.
        app: AppId,
        /// Who read.
        reader: UserId,
        /// The conversation, from the reader's view.
        target: Target,
        /// The messages.
        msg_ids: Vec<MessageId>,
    },
}

/// What a write of this area did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadStateApplied {
    /// The marks now stored for the conversations the report named (0s resolved).
    Marks(Vec<v1::ReadMark>),
    /// Receipts recorded: how many were new.
    Receipts(usize),
}

/// A page of the read-member list of a group message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReadMemberPage {
    /// Members in join order.
    pub members: Vec<MemberRecord>,
    /// The join-order position to continue from.
    pub next: u64,
    /// No more members.
    pub finished: bool,
}

/// The reads of this area.
pub trait ReadStateReads {
    /// Receipts of the messages `msg_ids` of `target` that `user` can see (unknown ones are
    /// left out). C2C: `is_peer_read` when the party who is not the sender sent a receipt or
    /// read the conversation up to the message's time; group: read and unread counts over the
    /// current members who can see the message, the sender excluded. Refused for a group that
    /// is gone (10010) or that `user` is not in (10007).
    fn read_receipts(
        &self,
        app: AppId,
        user: &UserId,
        target: &Target,
        msg_ids: &[MessageId],
    ) -> Result<Result<Vec<v1::MessageReceipt>, Refusal>, StorageError>;

    /// Members (in join order from position `from`) who sent a receipt for group message
    /// `msg_id` (`read`) or who can see it and did not (`!read`), at most `count`. Refused for
    /// a group that is gone, a non-member, or a message that is not one of the group visible
    /// to `user` or was not sent with `need_read_receipt`.
    #[allow(clippy::too_many_arguments)]
    fn group_read_members(
        &self,
        app: AppId,
        user: &UserId,
        group: &GroupId,
        msg_id: &MessageId,
        read: bool,
        from: u64,
        count: usize,
    ) -> Result<Result<ReadMemberPage, Refusal>, StorageError>;

    /// The stored read marks of `user`: C2C read time with `peer` and group read seq
    /// (0 when never reported).
    fn read_mark(&self, app: AppId, user: &UserId, target: &Target) -> Result<u64, StorageError>;
}
