//! [`DirBlobStore`]: objects as files in one directory, `<root>/<app>/<file_id>`. A put copies
//! (or moves) the source into a temporary file in the same directory, syncs it, renames it
//! into place and syncs the directory before it returns, so a reader sees the whole object or
//! none, and an object whose put returned (and whose upload was acknowledged) survives a
//! power loss.

use super::{BlobReader, BlobStore, BoxFuture, validate_key};
use crate::durable;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::io::AsyncSeekExt;

/// Makes temporary names unique within the process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Blobs in a directory.
#[derive(Debug, Clone)]
pub struct DirBlobStore {
    root: PathBuf,
}

impl DirBlobStore {
    /// The store in `root` (created if missing).
    pub fn open(root: PathBuf) -> io::Result<Self> {
        std::fs::create_dir_all(&root)?;
        Ok(Self { root })
    }

    /// The file of `key` (the key checked first).
    fn path_of(&self, key: &str) -> io::Result<PathBuf> {
        let (app, name) = validate_key(key)?;
        Ok(self.root.join(app).join(name))
    }
}

impl BlobStore for DirBlobStore {
    fn put_file<'a>(&'a self, key: &'a str, path: &'a Path) -> BoxFuture<'a, io::Result<()>> {
        Box::pin(async move {
            let target = self.path_of(key)?;
            let dir = target
                .parent()
                .ok_or_else(|| io::Error::other("blob path without a directory"))?;
            if tokio::fs::metadata(dir).await.is_err() {
                tokio::fs::create_dir_all(dir).await?;
                // The new app directory's own entry must be durable too.
                durable::sync_dir_async(&self.root).await?;
            }
            let temp = dir.join(format!(
                ".tmp-{}-{}",
                target
                    .file_name()
                    .and_then(|name| name.to_str())
                    .unwrap_or("blob"),
                TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
            // Copy rather than rename: the source may be on another file system, and the
            // caller owns it.
            let copied = tokio::fs::copy(path, &temp).await;
            let result = match copied {
                Ok(_) => {
                    let file = tokio::fs::OpenOptions::new()
                        .write(true)
                        .open(&temp)
                        .await?;
                    file.sync_all().await?;
                    tokio::fs::rename(&temp, &target).await
                }
                Err(error) => Err(error),
            };
            if result.is_err() {
                let _ = tokio::fs::remove_file(&temp).await;
            }
            result?;
            // The rename is durable only once the directory is: before this returns (and the
            // upload is acknowledged), not at some later writeback.
            durable::sync_dir_async(dir).await
        })
    }

    fn open<'a>(
        &'a self,
        key: &'a str,
        offset: u64,
    ) -> BoxFuture<'a, io::Result<Option<BlobReader>>> {
        Box::pin(async move {
            let path = self.path_of(key)?;
            let mut file = match tokio::fs::File::open(&path).await {
                Ok(file) => file,
                Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(error) => return Err(error),
            };
            let total_size = file.metadata().await?.len();
            file.seek(io::SeekFrom::Start(offset.min(total_size)))
                .await?;
            Ok(Some(BlobReader {
                total_size,
                reader: Box::pin(file),
            }))
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, io::Result<()>> {
        Box::pin(async move {
            match tokio::fs::remove_file(self.path_of(key)?).await {
                Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
                _ => Ok(()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    #[tokio::test]
    async fn put_open_at_offset_and_delete() {
        let dir = tempfile::tempdir().unwrap();
        let store = DirBlobStore::open(dir.path().join("blobs")).unwrap();
        let source = dir.path().join("source");
        std::fs::write(&source, b"hello, blob").unwrap();
        store.put_file("7/abc", &source).await.unwrap();
        let mut reader = store.open("7/abc", 7).await.unwrap().unwrap();
        assert_eq!(reader.total_size, 11);
        let mut rest = Vec::new();
        reader.reader.read_to_end(&mut rest).await.unwrap();
        assert_eq!(rest, b"blob");
        assert!(store.open("7/missing", 0).await.unwrap().is_none());
        assert!(store.open("../etc", 0).await.is_err());
        assert!(store.put_file("7/../x", &source).await.is_err());
        store.delete("7/abc").await.unwrap();
        store.delete("7/abc").await.unwrap();
        assert!(store.open("7/abc", 0).await.unwrap().is_none());
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path().join("blobs/7"))
            .unwrap()
            .collect();
        assert!(names.is_empty(), "{names:?}");
    }
}
