//! `tim-server` is the tim server: it authenticates clients with a UserSig (Tencent's
//! TLSSigAPIv2 format), keeps per-app accounts and groups, gives every conversation its next
//! seq, stores messages, and fans messages out to connected devices over QUIC.
//!
//! Storage sits behind a trait with one conformance suite for every backend (embedded redb by
//! default). What it must never do: depend on the client crates (`tim-core`, `tim-store`,
//! `tim-search`, facades), trust a client-supplied sender, seq or time, serve a request
//! without checking it against the authenticated user, or panic on any input.
//!
//! Modules:
//! - [`config`]: [`ServerConfig`], [`AppConfig`].
//! - [`usersig`]: TLSSigAPIv2 minting and verification.
//! - [`blob`]: the [`BlobStore`](blob::BlobStore) trait for media bytes and its directory backend.
//! - [`cert`]: the self-signed certificate in the data directory and its fingerprint.
//! - [`storage`]: the [`Storage`](storage::Storage) trait, the data model over a key-value
//!   store, its redb and PostgreSQL backends and (feature `testing`) the conformance suites.
//! - `bus`: what nodes of a cluster tell each other (NATS); `testing` (feature `testing`): a
//!   real PostgreSQL and nats-server for tests.
//! - `server`: [`Server`] start and shutdown; `transport`: the QUIC endpoint and the
//!   per-connection reader and writer; `service`: request handling (login, messages, groups);
//!   `writer`: group commit; `hub`: online devices and push fan-out; `offline_push`: app
//!   states and pushes through the push gateway; `http_out`: outgoing HTTP (translation
//!   backend, push gateway); `transfer`: media upload and download streams (see
//!   `service::media` for their rules).

mod admin;
mod admission;
pub mod blob;
mod bus;
pub mod cert;
pub mod config;
mod durable;
mod error;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub use tim_server_storage::group_rules;
mod http_out;
mod hub;
pub mod limits;
mod log_trim;
mod metrics;
mod offline_push;
mod periodic;
pub mod rate;
mod reset_key;
mod server;
mod service;
pub mod storage;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
mod transfer;
mod transport;
pub mod usersig;
mod writer;

pub use cert::{CertificateInfo, ensure_certificate};
pub use config::{
    AppConfig, BusConfig, ConnectionLimits, EventLogRetention, GroupLimits, MediaLimits,
    PushGateway, Rate, RateLimits, ServerConfig, StorageBackend, TranslateBackend,
};
pub use error::ServerError;
pub use server::Server;
pub use service::batch_copy_msg_id;
/// The storage conformance suites, for a backend's tests (feature `testing`).
#[cfg(feature = "testing")]
pub use tim_server_storage::{storage_conformance_tests, storage_node_tests};
pub use transfer::MediaSweep;
pub use transport::{ALPN, bind_socket};
