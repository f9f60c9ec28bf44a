//! Cloud deletes of a user's own history (TIMMsgDelete with is_ramble, TIMMsgListDelete,
//! TIMMsgClearHistoryMessage): the other party keeps theirs.
//!
//! Decisions:
//! - Deletes hide messages from the caller's history pulls and sync only; the stored message
//!   stays for every other party. A clear hides every seq up to the conversation's newest at
//!   the time of the clear; later messages are visible again.
//! - A list delete names 1..=50 messages of ONE conversation the caller can see; one bad ID
//!   refuses the whole call (nothing hidden). At most one successful list delete per
//!   `min_interval_ms` (server setting, default 1 s) per user: the check runs inside the
//!   write, with the time the service passes, so a refused call records nothing.

use crate::{AppId, Target};
use tim_model::ids::{MessageId, UserId};

/// A write of this area (see [`WriteOp::Delete`](super::WriteOp::Delete)).
#[derive(Debug, Clone)]
pub enum DeleteWrite {
    /// `TIMMsgListDelete` / `TIMMsgDelete` with is_ramble: hides `msg_ids` of `target` from
    /// `user`'s history.
    Messages {
        /// App.
        app: AppId,
        /// The caller.
        user: UserId,
        /// The conversation, from the caller's view.
        target: Target,
        /// 1..=50 message IDs of that conversation.
        msg_ids: Vec<MessageId>,
        /// Now, milliseconds since the epoch (the rate check).
        now_ms: u64,
        /// Least time between two list deletes of one user, milliseconds (0 = no limit).
        min_interval_ms: u64,
    },
    /// `TIMMsgClearHistoryMessage`: hides every message of `target` up to its newest seq.
    Clear {
        /// App.
        app: AppId,
        /// The caller.
        user: UserId,
        /// The conversation, from the caller's view.
        target: Target,
    },
}

/// What a write of this area did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteApplied {
    /// The messages are hidden from the caller (the IDs asked for, in order).
    Messages(Vec<String>),
    /// The caller's history is cleared up to this seq (0: the conversation had no message).
    Cleared(u64),
}

/// The reads of this area: none of its own; [`pull_history`](super::Storage::pull_history) and
/// [`sync`](super::Storage::sync) leave out what the user deleted or cleared.
pub trait DeleteReads {}
