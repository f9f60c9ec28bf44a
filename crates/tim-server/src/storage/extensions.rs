//! Message extensions (TIMMsgSetMessageExtensions, TIMMsgGetMessageExtensions, TIMMsgDeleteMessageExtensions): per-key compare-and-swap.
//!
//! Placeholder types: the area's write op, its applied result and its reads.

/// A write of this area (see [`WriteOp::Extensions`](super::WriteOp::Extensions)).
#[derive(Debug, Clone)]
pub struct ExtensionsWrite {}

/// What a write of this area did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionsApplied {}

/// The reads of this area.
pub trait ExtensionReads {}
