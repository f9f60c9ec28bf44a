//! Receive options (TIMMsgSetC2CReceiveMessageOpt, TIMMsgGetC2CReceiveMessageOpt, TIMMsgSetGroupReceiveMessageOpt), enforced on delivery.
//!
//! Placeholder types: the area's write op, its applied result and its reads.

/// A write of this area (see [`WriteOp::RecvOpt`](super::WriteOp::RecvOpt)).
#[derive(Debug, Clone)]
pub struct RecvOptWrite {}

/// What a write of this area did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecvOptApplied {}

/// The reads of this area.
pub trait RecvOptReads {}
