//! Read reports (TIMMsgReportReaded, TIMMsgMarkAllMessageAsRead) and message read receipts (TIMMsgSendMessageReadReceipts, TIMMsgGetMessageReadReceipts, TIMMsgGetGroupMessageReadMemberList).
//!
//! Placeholder types: the area's write op, its applied result and its reads.

/// A write of this area (see [`WriteOp::ReadState`](super::WriteOp::ReadState)).
#[derive(Debug, Clone)]
pub struct ReadStateWrite {}

/// What a write of this area did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadStateApplied {}

/// The reads of this area.
pub trait ReadStateReads {}
