//! Storage as the server uses it, under one path: the [`Storage`] trait, the data model and its
//! rules (crate `tim-server-storage`, re-exported here whole), the two backends, each its own
//! crate ([`redb`]: `tim-server-redb`, the embedded default; [`postgres`]:
//! `tim-server-postgres`, shared by several nodes), and the async shell the request handlers
//! read through ([`handle`]). The writer (`crate::writer`) groups the writes.

pub mod handle;

pub use tim_server_postgres as postgres;
pub use tim_server_redb as redb;
pub use tim_server_storage::*;
