//! Upload staging on disk: the received prefix of each unfinished upload in
//! `<data_dir>/uploads/<app>/<user hash>/<upload_id>-<total_size>.part`, the per-user quota
//! on staged bytes, and the removal of expired prefixes.
//!
//! Contract:
//! - A user's staged uploads are counted by their declared sizes (the name carries it), so
//!   what a user may still send to the disk is reserved when an upload begins. The check and
//!   the creation of the staging file happen under the user's lock, so two uploads beginning
//!   together cannot both pass on the same room. Resuming an upload never counts against
//!   itself.
//! - A prefix whose last write is older than the TTL is expired: it is not counted, it is
//!   removed when its upload is touched again, and [`remove_expired`] removes it (and the
//!   directories left empty) unless a stream is writing it.

use super::{Failure, UploadLocks, io_refusal};
use crate::storage::Refusal;
use sha2::Digest as _;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use tim_model::codes;

/// Most unfinished uploads one user may have staged at once, whatever their sizes (each is a
/// file on disk).
pub(crate) const MAX_STAGED_UPLOADS_PER_USER: usize = 4096;

/// Most directory entries looked at by one sweep (the rest wait for the next one).
const MAX_SWEEP_ENTRIES: usize = 1_000_000;

/// The staging directory of `user` of `app`.
pub(crate) fn user_dir(uploads_dir: &Path, app: u64, user: &str) -> PathBuf {
    let user_hash = sha2::Sha256::digest(user.as_bytes());
    let name: String = user_hash[..16].iter().map(|b| format!("{b:02x}")).collect();
    uploads_dir.join(app.to_string()).join(name)
}

/// The file name of an upload's staged prefix.
pub(crate) fn part_name(upload_id: &str, total_size: u64) -> String {
    format!("{upload_id}-{total_size}.part")
}

/// The declared size of a staged upload, from its file name.
fn declared_size(name: &str) -> Option<u64> {
    let stem = name.strip_suffix(".part")?;
    let (_, size) = stem.rsplit_once('-')?;
    size.parse().ok()
}

/// Whether a file last written at `modified` is older than `ttl` at `now`.
fn expired(modified: io::Result<SystemTime>, ttl: Duration, now: SystemTime) -> bool {
    modified
        .ok()
        .and_then(|modified| now.duration_since(modified).ok())
        .is_some_and(|age| age > ttl)
}

/// The bounds a new staged upload must fit in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StagingRules {
    /// Prefixes older than this are expired.
    pub ttl: Duration,
    /// Most declared bytes staged per user.
    pub quota: u64,
}

/// Opens the staging file `path` (in `dir`, the user's staging directory) of an upload of
/// `total_size` bytes for appending, creating it when the user's staged uploads leave room:
/// the open file and the bytes it holds. An expired or oversized prefix is dropped first.
pub(super) async fn open_staged(
    locks: &UploadLocks,
    dir: &Path,
    path: &Path,
    total_size: u64,
    rules: StagingRules,
) -> Result<(tokio::fs::File, u64), Failure> {
    let _user = locks.lock(dir).await.ok_or_else(|| {
        Refusal::new(
            codes::ERR_SDK_INVALID_OPERATION,
            "another upload of this user is starting; retry",
        )
    })?;
    let dir_owned = dir.to_path_buf();
    let path_owned = path.to_path_buf();
    let held = tokio::task::spawn_blocking(move || {
        prepare(
            &dir_owned,
            &path_owned,
            total_size,
            rules,
            SystemTime::now(),
        )
    })
    .await
    .map_err(|e| io_refusal("staging", &io::Error::other(e.to_string())))?
    .map_err(|e| io_refusal("staging", &e))??;
    let file = tokio::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .await
        .map_err(|e| io_refusal("staging", &e))?;
    Ok((file, held))
}

/// Under the user's lock: drops an unusable prefix of this upload, checks the quota against
/// the user's other staged uploads, and makes the directory. The bytes held for this upload.
fn prepare(
    dir: &Path,
    path: &Path,
    total_size: u64,
    rules: StagingRules,
    now: SystemTime,
) -> io::Result<Result<u64, Refusal>> {
    let mut held = 0;
    match std::fs::metadata(path) {
        Ok(metadata) => {
            if expired(metadata.modified(), rules.ttl, now) || metadata.len() > total_size {
                std::fs::remove_file(path)?;
            } else {
                held = metadata.len();
            }
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(error) => return Err(error),
    }
    let (mut others, mut count) = (0u64, 0usize);
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            for entry in entries.take(MAX_STAGED_UPLOADS_PER_USER.saturating_mul(2)) {
                let entry = entry?;
                if entry.path() == path {
                    continue;
                }
                let name = entry.file_name();
                let Some(size) = name.to_str().and_then(declared_size) else {
                    continue;
                };
                let Ok(metadata) = entry.metadata() else {
                    continue;
                };
                if !expired(metadata.modified(), rules.ttl, now) {
                    others = others.saturating_add(size);
                    count += 1;
                }
            }
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(error) => return Err(error),
    }
    if count >= MAX_STAGED_UPLOADS_PER_USER || others.saturating_add(total_size) > rules.quota {
        return Ok(Err(Refusal::new(
            codes::ERR_SVR_RES_SIZE_LIMIT,
            format!(
                "staged uploads would exceed this user's quota ({} bytes in {count} unfinished uploads, {total_size} more asked, {} allowed, at most {MAX_STAGED_UPLOADS_PER_USER} uploads): finish or resume earlier uploads, or wait for them to expire",
                others, rules.quota
            ),
        )));
    }
    std::fs::create_dir_all(dir)?;
    Ok(Ok(held))
}

/// What [`remove_expired`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Removed {
    /// Staged prefixes.
    pub files: usize,
    /// Their bytes.
    pub bytes: u64,
}

/// Removes every staged prefix of `uploads_dir` expired at `now` that no stream is writing,
/// and the app and user directories left empty. Blocking: run it on the blocking pool.
pub(crate) fn remove_expired(
    locks: &UploadLocks,
    uploads_dir: &Path,
    ttl: Duration,
    now: SystemTime,
) -> io::Result<Removed> {
    let mut removed = Removed::default();
    let mut budget = MAX_SWEEP_ENTRIES;
    for app_dir in subdirs(uploads_dir, &mut budget)? {
        for user_dir in subdirs(&app_dir, &mut budget)? {
            // Held while the directory may be removed: no upload is creating a file in it.
            let Some(_user) = locks.try_lock(&user_dir) else {
                continue;
            };
            let mut files = Vec::new();
            for entry in std::fs::read_dir(&user_dir)? {
                if budget == 0 {
                    break;
                }
                budget -= 1;
                files.push(entry?);
            }
            for entry in files {
                let path = entry.path();
                let metadata = entry.metadata()?;
                if !metadata.is_file() || !expired(metadata.modified(), ttl, now) {
                    continue;
                }
                let Some(_writing) = locks.try_lock(&path) else {
                    continue;
                };
                match std::fs::remove_file(&path) {
                    Ok(()) => {
                        removed.files += 1;
                        removed.bytes = removed.bytes.saturating_add(metadata.len());
                    }
                    Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                    Err(error) => return Err(error),
                }
            }
            // Fails (and is left) when not empty.
            let _ = std::fs::remove_dir(&user_dir);
        }
        let _ = std::fs::remove_dir(&app_dir);
    }
    locks.prune();
    Ok(removed)
}

/// The directories directly in `dir` (none when it does not exist).
fn subdirs(dir: &Path, budget: &mut usize) -> io::Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    let mut dirs = Vec::new();
    for entry in entries {
        if *budget == 0 {
            break;
        }
        *budget -= 1;
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            dirs.push(entry.path());
        }
    }
    Ok(dirs)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_size_is_read_from_the_name() {
        let name = part_name("0123456789abcdef0123456789abcdef", 12345);
        assert_eq!(declared_size(&name), Some(12345));
        assert_eq!(declared_size("x.part"), None);
        assert_eq!(declared_size("a-1.tmp"), None);
    }

    #[test]
    fn the_quota_counts_other_live_uploads_only() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("u");
        let rules = StagingRules {
            ttl: Duration::from_secs(60),
            quota: 100,
        };
        let now = SystemTime::now();
        let first = dir.join(part_name("a", 60));
        assert_eq!(prepare(&dir, &first, 60, rules, now).unwrap().unwrap(), 0);
        std::fs::write(&first, b"1234").unwrap();
        let second = dir.join(part_name("b", 50));
        let refused = prepare(&dir, &second, 50, rules, now).unwrap().unwrap_err();
        assert_eq!(refused.code, codes::ERR_SVR_RES_SIZE_LIMIT);
        // Resuming the first one is not counted against itself.
        assert_eq!(prepare(&dir, &first, 60, rules, now).unwrap().unwrap(), 4);
        // Once the first one has expired, it no longer counts.
        let later = now + Duration::from_secs(120);
        assert_eq!(
            prepare(&dir, &second, 50, rules, later).unwrap().unwrap(),
            0
        );
    }
}
