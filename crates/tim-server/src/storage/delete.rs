//! Cloud deletes of a user's own history (TIMMsgDelete with is_ramble, TIMMsgListDelete, TIMMsgClearHistoryMessage): the other party keeps theirs.
//!
//! Placeholder types: the area's write op, its applied result and its reads.

/// A write of this area (see [`WriteOp::Delete`](super::WriteOp::Delete)).
#[derive(Debug, Clone)]
pub struct DeleteWrite {}

/// What a write of this area did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteApplied {}

/// The reads of this area.
pub trait DeleteReads {}
