//! The crate's error type for starting and running the server (requests fail with TIM codes
//! instead, see [`Refusal`](crate::storage::Refusal)).

use std::path::PathBuf;

/// Why the server could not start or keep running.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The configuration is unusable.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A file of the data directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the OS reported.
        #[source]
        source: std::io::Error,
    },
    /// The listener could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: std::net::SocketAddr,
        /// What the OS reported.
        #[source]
        source: std::io::Error,
    },
    /// The certificate could not be made, read or used.
    #[error("certificate: {0}")]
    Certificate(String),
    /// The TLS configuration was refused.
    #[error("TLS: {0}")]
    Tls(String),
    /// The database failed.
    #[error("storage: {0}")]
    Storage(#[from] crate::storage::StorageError),
}
