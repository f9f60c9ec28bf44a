//! Blob storage for media files behind one trait: a directory in the data dir by default, an
//! S3-compatible object store ([`s3::S3BlobStore`]) as the scale-out option. Keys are
//! `"<app>/<file_id>"`.

use std::future::Future;
use std::io;
use std::path::Path;
use std::pin::Pin;
use tokio::io::AsyncRead;

pub mod s3;

/// A boxed, sendable future borrowing from `'a`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where media bytes live.
pub trait BlobStore: Send + Sync + 'static {
    /// Stores the whole file at `path` under `key`, replacing what was there.
    fn put_file<'a>(&'a self, key: &'a str, path: &'a Path) -> BoxFuture<'a, io::Result<()>>;
    /// Opens `key` for reading from byte `offset`; `Ok(None)` when there is no such blob.
    fn open<'a>(
        &'a self,
        key: &'a str,
        offset: u64,
    ) -> BoxFuture<'a, io::Result<Option<BlobReader>>>;
    /// Removes `key`; removing a missing key succeeds.
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, io::Result<()>>;
}

/// An opened blob: its whole size and a reader positioned at the requested offset.
pub struct BlobReader {
    /// The size of the whole blob in bytes (not of the remainder after the offset).
    pub total_size: u64,
    /// The bytes from the requested offset to the end.
    pub reader: Pin<Box<dyn AsyncRead + Send>>,
}
