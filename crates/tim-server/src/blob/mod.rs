//! Blob storage: where the bytes of uploaded media live, behind [`BlobStore`], so a server can
//! keep them in a directory of its data dir ([`DirBlobStore`], the default) or in an object
//! store (the S3-compatible backend). Keys are `"<app>/<file_id>"`; metadata (who uploaded
//! what, where it may be downloaded) is not here but in the [`Storage`](crate::storage::Storage).
//!
//! What a backend must never do: hand out a partial object (a `put_file` is all or nothing for
//! readers), or accept a key that could name something outside its own namespace.
//!
//! Ownership: every object has a media record. The server writes the record before the put
//! (see `transfer`), so an interrupted put leaves at most a record whose object is missing
//! (collected by the media sweep, whose deletes tolerate a missing key) and whatever the
//! backend itself leaves of an unfinished put, which [`BlobStore::remove_temporaries`] clears.

mod dir;
pub mod s3;

pub use dir::DirBlobStore;
pub use s3::{S3BlobStore, S3Config};

use std::future::Future;
use std::io;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;
use tokio::io::AsyncRead;

/// A boxed future borrowing from the store.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An object opened for reading.
pub struct BlobReader {
    /// The whole object's size, bytes (not only what follows the offset).
    pub total_size: u64,
    /// The bytes from the requested offset to the end.
    pub reader: Pin<Box<dyn AsyncRead + Send>>,
}

impl std::fmt::Debug for BlobReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobReader")
            .field("total_size", &self.total_size)
            .finish_non_exhaustive()
    }
}

/// Where media bytes are kept.
pub trait BlobStore: Send + Sync + 'static {
    /// Stores the local file `path` under `key` (replacing any object there). Readers see the
    /// old object or the whole new one, never a part.
    fn put_file<'a>(&'a self, key: &'a str, path: &'a Path) -> BoxFuture<'a, io::Result<()>>;
    /// The object under `key` from byte `offset` on (`None`: no such object). An offset past
    /// the end reads nothing.
    fn open<'a>(
        &'a self,
        key: &'a str,
        offset: u64,
    ) -> BoxFuture<'a, io::Result<Option<BlobReader>>>;
    /// Removes the object under `key` (nothing to remove is not an error).
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, io::Result<()>>;
    /// Removes what puts that never finished (the process was killed, the future dropped)
    /// left behind and last touched before `older_than`; the number removed. Never removes a
    /// stored object or the temporary data of a put still running in this process. The
    /// default does nothing: a backend whose puts leave nothing, or whose store cleans up by
    /// itself (an S3 lifecycle rule for incomplete multipart uploads), needs no more.
    fn remove_temporaries(&self, older_than: SystemTime) -> BoxFuture<'_, io::Result<usize>> {
        let _ = older_than;
        Box::pin(std::future::ready(Ok(0)))
    }
}

/// Which blob store a server uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum BlobConfig {
    /// The directory `<data_dir>/blobs`.
    #[default]
    Dir,
    /// An S3-compatible object store (AWS S3, MinIO, ...): the scale-out option, where
    /// several server nodes share one store.
    S3(S3Config),
}

/// The store `config` names, for a server whose data directory is `data_dir`.
pub fn open_store(config: &BlobConfig, data_dir: &Path) -> io::Result<Arc<dyn BlobStore>> {
    match config {
        BlobConfig::Dir => Ok(Arc::new(DirBlobStore::open(data_dir.join("blobs"))?)),
        BlobConfig::S3(config) => Ok(Arc::new(S3BlobStore::new(config.clone())?)),
    }
}

/// Checks a key: `<app>/<name>` where both parts are 1..=64 ASCII letters, digits, `-` or `_`.
/// Everything else (dots, slashes beyond the one, empty parts) is refused, so a key can never
/// name a path outside the store.
pub fn validate_key(key: &str) -> io::Result<(&str, &str)> {
    let invalid = || {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("invalid blob key {key:?}"),
        )
    };
    let (app, name) = key.split_once('/').ok_or_else(invalid)?;
    let part_ok = |part: &str| {
        !part.is_empty()
            && part.len() <= 64
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if part_ok(app) && part_ok(name) {
        Ok((app, name))
    } else {
        Err(invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::validate_key;

    #[test]
    fn keys_cannot_leave_the_store() {
        assert!(validate_key("1400000000/0123456789abcdef0123456789abcdef").is_ok());
        for bad in [
            "", "a", "/x", "a/", "../x", "a/../b", "a/b/c", "a/.", "a/..", ".a/b", "a/b.c",
            "a\\b/c", "a/b\0",
        ] {
            assert!(validate_key(bad).is_err(), "{bad:?} accepted");
        }
    }
}
