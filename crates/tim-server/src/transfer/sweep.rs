//! The media sweep: on a timer (`MediaLimits::sweep_interval`), and on demand with a given
//! clock ([`Server::sweep_media`](crate::Server::sweep_media)), it removes staged upload
//! prefixes past `MediaLimits::staging_ttl`, and the files of finished uploads that no stored
//! message named within `MediaLimits::unreferenced_grace` (their records first, in one durable
//! write, then their bytes from the blob store), and what puts into the blob store that
//! never finished left there ([`BlobStore::remove_temporaries`]) before the same grace.
//!
//! Why that leaves no blob without an owner: an upload's records are written before its
//! bytes are put (`finish_upload`), so a crash or a failed put leaves records whose bytes are
//! missing or partly there. Their file IDs never reached a client, so no message names them;
//! they are collected like any unreferenced upload, and deleting a missing blob succeeds.
//!
//! Never: remove a staged prefix a stream is writing, or the file of an upload a stored
//! message names. A crash between the record removal and the byte deletion leaves bytes no
//! record points to; a failed deletion is logged.
//!
//! [`BlobStore::remove_temporaries`]: crate::blob::BlobStore::remove_temporaries

use super::staging;
use crate::service::Services;
use crate::service::media::blob_key;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::task::JoinHandle;

/// Uploads collected per durable write.
const COLLECT_BATCH: usize = 256;
/// Most collection writes per sweep (the rest waits for the next sweep).
const MAX_COLLECT_ROUNDS: usize = 64;

/// What one media sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MediaSweep {
    /// Expired staged upload prefixes removed.
    pub staged_files: usize,
    /// Their bytes.
    pub staged_bytes: u64,
    /// Files of unreferenced uploads removed (originals and renditions).
    pub collected_files: usize,
    /// Files whose record was removed but whose bytes the blob store failed to delete.
    pub delete_failures: usize,
    /// Leftovers of blob store puts that never finished removed (temporary files).
    pub blob_temporaries: usize,
}

/// One sweep as of `now`.
pub(crate) async fn sweep(services: &Arc<Services>, now: SystemTime) -> MediaSweep {
    let mut report = MediaSweep::default();
    let staging_services = services.clone();
    let removed = tokio::task::spawn_blocking(move || {
        staging::remove_expired(
            &staging_services.upload_locks,
            &staging_services.config.uploads_dir(),
            staging_services.config.media.staging_ttl,
            now,
        )
    })
    .await;
    match removed {
        Ok(Ok(removed)) => {
            report.staged_files = removed.files;
            report.staged_bytes = removed.bytes;
        }
        Ok(Err(error)) => tracing::warn!("media sweep: staged uploads: {error}"),
        Err(error) => tracing::warn!("media sweep: staged uploads: {error}"),
    }
    let grace = services.config.media.unreferenced_grace;
    let now_secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let before = now_secs.saturating_sub(grace.as_secs());
    for _ in 0..MAX_COLLECT_ROUNDS {
        let files = match services.collect_media(before, COLLECT_BATCH).await {
            Ok(files) => files,
            Err(refusal) => {
                tracing::warn!("media sweep: collecting: {}", refusal.desc);
                break;
            }
        };
        if files.is_empty() {
            break;
        }
        for file in files {
            report.collected_files += 1;
            let key = blob_key(file.app, &file.file_id);
            if let Err(error) = services.blobs.delete(&key).await {
                report.delete_failures += 1;
                tracing::warn!("media sweep: deleting {key}: {error}");
            }
        }
    }
    let older_than = now.checked_sub(grace).unwrap_or(UNIX_EPOCH);
    match services.blobs.remove_temporaries(older_than).await {
        Ok(removed) => report.blob_temporaries = removed,
        Err(error) => tracing::warn!("media sweep: blob store temporaries: {error}"),
    }
    report
}

/// Starts the timer of the sweep (none when the interval is zero). The first sweep runs one
/// interval after the start.
pub(crate) fn start(services: Arc<Services>) -> Option<JoinHandle<()>> {
    let interval = services.config.media.sweep_interval;
    crate::periodic::spawn(interval, move || {
        let services = services.clone();
        async move {
            let report = sweep(&services, SystemTime::now()).await;
            if report != MediaSweep::default() {
                tracing::info!(?report, "media sweep");
            }
        }
    })
}
