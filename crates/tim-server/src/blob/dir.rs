//! [`DirBlobStore`]: objects as files in one directory, `<root>/<app>/<file_id>`. A put copies
//! (or moves) the source into a temporary file in the same directory, syncs it, renames it
//! into place and syncs the directory before it returns, so a reader sees the whole object or
//! none, and an object whose put returned (and whose upload was acknowledged) survives a
//! power loss.
//!
//! A put killed before its rename leaves its temporary file (`<root>/<app>/.tmp-*`; keys never
//! start with a dot, so no object has such a name); [`BlobStore::remove_temporaries`] removes
//! those older than the sweep's bound that no running put of this process owns. It lists
//! every app directory (names only; only temporary files are looked at further), once a sweep.

use super::{BlobReader, BlobStore, BoxFuture, validate_key};
use crate::durable;
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;
use tokio::io::AsyncSeekExt;

/// Makes temporary names unique within the process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);
/// How the name of a put's temporary file starts.
const TEMP_PREFIX: &str = ".tmp-";

/// Blobs in a directory.
#[derive(Debug, Clone)]
pub struct DirBlobStore {
    root: PathBuf,
    /// The temporary files of the puts running now: never removed as leftovers.
    writing: Arc<Mutex<HashSet<PathBuf>>>,
}

/// Marks a temporary file as being written until dropped (also when the put's future is).
struct Writing<'a> {
    files: &'a Mutex<HashSet<PathBuf>>,
    path: PathBuf,
}

impl<'a> Writing<'a> {
    fn new(files: &'a Mutex<HashSet<PathBuf>>, path: PathBuf) -> Self {
        files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.clone());
        Self { files, path }
    }
}

impl Drop for Writing<'_> {
    fn drop(&mut self) {
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.path);
    }
}

impl DirBlobStore {
    /// The store in `root` (created if missing).
    pub fn open(root: PathBuf) -> io::Result<Self> {
        std::fs::create_dir_all(&root)?;
        Ok(Self {
            root,
            writing: Arc::default(),
        })
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
                "{TEMP_PREFIX}{}-{}",
                target
                    .file_name()
                    .and_then(|name| name.to_str())
                    .unwrap_or("blob"),
                TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
            let _writing = Writing::new(&self.writing, temp.clone());
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

    fn remove_temporaries(&self, older_than: SystemTime) -> BoxFuture<'_, io::Result<usize>> {
        let root = self.root.clone();
        let writing = Arc::clone(&self.writing);
        Box::pin(async move {
            tokio::task::spawn_blocking(move || remove_leftovers(&root, &writing, older_than))
                .await
                .map_err(|e| io::Error::other(e.to_string()))?
        })
    }
}

/// Removes the temporary files in the app directories of `root` last modified before
/// `older_than` and not in `writing`; how many.
fn remove_leftovers(
    root: &Path,
    writing: &Mutex<HashSet<PathBuf>>,
    older_than: SystemTime,
) -> io::Result<usize> {
    let mut removed = 0;
    for app_dir in std::fs::read_dir(root)? {
        let app_dir = app_dir?;
        if !app_dir.file_type()?.is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(app_dir.path())? {
            let entry = entry?;
            if !entry
                .file_name()
                .as_encoded_bytes()
                .starts_with(TEMP_PREFIX.as_bytes())
            {
                continue;
            }
            let metadata = match entry.metadata() {
                Ok(metadata) => metadata,
                // Renamed into place or removed meanwhile.
                Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                Err(error) => return Err(error),
            };
            if !metadata.is_file() || metadata.modified()? >= older_than {
                continue;
            }
            let path = entry.path();
            // Held while removing: a put that registers this name waits until it is gone.
            let writing = writing.lock().unwrap_or_else(PoisonError::into_inner);
            if writing.contains(&path) {
                continue;
            }
            match std::fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                Err(error) => return Err(error),
            }
        }
    }
    Ok(removed)
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

    #[tokio::test]
    async fn leftover_temporaries_go_and_everything_else_stays() {
        let dir = tempfile::tempdir().unwrap();
        let store = DirBlobStore::open(dir.path().join("blobs")).unwrap();
        let source = dir.path().join("source");
        std::fs::write(&source, b"kept").unwrap();
        store.put_file("7/abc", &source).await.unwrap();
        let app_dir = dir.path().join("blobs/7");
        let two_days_ago = SystemTime::now() - std::time::Duration::from_secs(48 * 3600);
        let make = |name: &str, modified: SystemTime| {
            let path = app_dir.join(name);
            let file = std::fs::File::create(&path).unwrap();
            file.set_modified(modified).unwrap();
            path
        };
        let leftover = make(".tmp-dead-0", two_days_ago);
        let recent = make(".tmp-recent-1", SystemTime::now());
        let running = make(".tmp-running-2", two_days_ago);
        let object = make("def", two_days_ago);
        std::fs::write(dir.path().join("blobs/stray"), b"not an app").unwrap();
        let _running = Writing::new(&store.writing, running.clone());

        let an_hour_ago = SystemTime::now() - std::time::Duration::from_secs(3600);
        assert_eq!(store.remove_temporaries(an_hour_ago).await.unwrap(), 1);
        assert!(!leftover.exists());
        for kept in [&recent, &running, &object, &app_dir.join("abc")] {
            assert!(kept.exists(), "{} removed", kept.display());
        }
        assert_eq!(store.remove_temporaries(an_hour_ago).await.unwrap(), 0);
    }
}
