//! `tim-core` is the client engine: session, QUIC connection, durable send queue, sync, events.
//!
//! It is the only crate that composes `tim-store`, `tim-search` and the network, and every state
//! change follows one path: network or API call -> store (one transaction) -> search index ->
//! events. It runs its tasks on the tokio runtime it is given (`tim-rs` users bring their own,
//! `tim-capi` owns one). Decisions (send-queue states, seq gap tracking, read-state math,
//! conflict rules) live in plain sans-I/O structs; the async shell only moves bytes and time.
//!
//! What it must never do: expose C types or JSON strings (that is the facades' job), or block
//! the runtime it is given.
//!
//! Today the engine is local: [`Engine`] opens a user's store and index under a data directory
//! and performs every local `TIMMsg*` operation ([`local`]); the network arrives with the
//! server issue.

mod engine;
mod error;
mod ids;
pub mod local;

pub use engine::Engine;
pub use error::{CoreError, Result};
pub use tim_store::ConversationState;
