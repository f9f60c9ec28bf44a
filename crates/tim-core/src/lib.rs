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
//! - [`Engine`] opens a user's store and index under a data directory and performs every local
//!   `TIMMsg*` operation ([`local`]).
//! - [`Client`] is the networked engine of one device: it logs a user in over QUIC, keeps the
//!   session alive and reconnects with backoff, syncs from the user's event log, sends through
//!   the durable send queue ([`SendHandle`]), completes history from the server
//!   (`is_ramble`), wraps batch send and group management, and reports [`Event`]s. The wire
//!   protocol is `docs/protocol.md`; the network modules are described in `net`.

mod client;
pub mod conversations;
mod engine;
mod error;
mod events;
mod ids;
pub mod local;
mod net;

pub use client::{Client, SendError, SendHandle};
pub use engine::Engine;
pub use error::{CoreError, Result};
pub use events::{ConversationGroupChange, Event, EventReceiver};
pub use net::{
    ClientConfig, ConversationChange, CreateGroupParam, GroupMemberPage, GroupOp,
    MAX_CONVERSATIONS_PER_CHANGE, MAX_IMAGE_SOUND_BYTES, MAX_VIDEO_FILE_BYTES, MEDIA_URL_SCHEME,
    MemberResult, ServerTrust, UnreadScope,
};
pub use tim_model::enums::NetworkStatus;
pub use tim_store::ConversationState;
