//! Durable file writes: what must hold after a crash or power loss, not only after a clean
//! exit. A rename is durable only once the directory holding it is synced, and a file's bytes
//! only once the file is; [`write_atomic`] does both in the order that leaves either the old
//! file or the whole new one, never a part.
//!
//! Never: leave the file's final name pointing at unsynced bytes, or expose a secret in a file
//! readable by others even for a moment (the temporary file is made with its final mode).

use std::io::{self, Write as _};
use std::path::Path;

/// Syncs the directory `dir`, so renames and creations in it survive a power loss. A no-op
/// where directories cannot be opened (not Unix).
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// The async form of [`sync_dir`], run on the blocking pool.
pub(crate) async fn sync_dir_async(dir: &Path) -> io::Result<()> {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || sync_dir(&dir))
        .await
        .map_err(io::Error::other)?
}

/// The temporary name [`write_atomic`] uses for `path`: `.<name>.tmp` beside it. A file by
/// that name is only ever a leftover of an interrupted write.
pub(crate) fn temp_path(path: &Path) -> io::Result<std::path::PathBuf> {
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .ok_or_else(|| io::Error::other(format!("{} has no file name", path.display())))?;
    Ok(path.with_file_name(format!(".{name}.tmp")))
}

/// Replaces `path` with `bytes`: a temporary file in the same directory is created with
/// `mode` (Unix permissions; ignored elsewhere), written, synced, renamed over `path`, and
/// the directory synced. After a crash at any point `path` holds its old content or all of
/// `bytes`; a leftover temporary file is removed by the next write.
///
/// The caller must be the only writer of `path` (two writers could interleave renames).
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other(format!("{} has no directory", path.display())))?;
    let temp = temp_path(path)?;
    // A leftover may have any mode; made anew, the file never has more than `mode`.
    remove_if_present(&temp)?;
    let written = (|| {
        let mut file = create_new(&temp, mode)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)?;
        sync_dir(dir)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// Removes `path` when it exists.
pub(crate) fn remove_if_present(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

#[cfg(unix)]
fn create_new(path: &Path, mode: u32) -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
}

#[cfg(not(unix))]
fn create_new(path: &Path, _mode: u32) -> io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_replaces_the_file_and_removes_a_leftover_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.pem");
        std::fs::write(temp_path(&path).unwrap(), b"partial").unwrap();
        write_atomic(&path, b"first", 0o600).unwrap();
        write_atomic(&path, b"second", 0o600).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["key.pem"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
