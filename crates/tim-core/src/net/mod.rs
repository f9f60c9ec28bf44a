//! The network side of the engine: configuration and TLS trust, the QUIC connection with its
//! request multiplexing, the session task (login, keep-alive, reconnect, sync, send queue),
//! and the networked operations of [`Client`](crate::Client).
//!
//! Sans-I/O decisions, unit-tested without network or clock: [`backoff`] (reconnect delays),
//! [`queue`] (send-queue states), [`cursor`] (event-log cursor and announcement order),
//! [`ranges`] (which history range to pull). The async shell: [`connection`], [`session`],
//! [`apply`] (pushes and syncs into the store), [`sending`], [`history`], [`groups`], with
//! store writes in [`persist`].

pub(crate) mod apply;
pub(crate) mod backoff;
pub(crate) mod config;
pub(crate) mod connection;
pub(crate) mod content;
pub(crate) mod conversations;
pub(crate) mod cursor;
pub(crate) mod deletes;
pub(crate) mod device;
pub(crate) mod download;
pub(crate) mod extensions;
pub(crate) mod groups;
pub(crate) mod history;
pub(crate) mod lifecycle;
pub(crate) mod media;
pub(crate) mod media_send;
pub(crate) mod merge;
pub(crate) mod persist;
pub(crate) mod queue;
pub(crate) mod ranges;
pub(crate) mod read_state;
pub(crate) mod recv_opt;
pub(crate) mod sending;
pub(crate) mod session;
pub(crate) mod tls;
pub(crate) mod transfer;

pub use config::{ClientConfig, ServerTrust};
pub use conversations::{ConversationChange, GroupOp, MAX_CONVERSATIONS_PER_CHANGE, UnreadScope};
pub use groups::{CreateGroupParam, GroupMemberPage, MemberResult};
pub use media::{MAX_IMAGE_SOUND_BYTES, MAX_VIDEO_FILE_BYTES, MEDIA_URL_SCHEME};
