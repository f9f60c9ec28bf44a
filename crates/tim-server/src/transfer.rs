//! Transfer streams: one QUIC bidirectional stream per media upload or download, beside the
//! connection's control stream (see proto/tim/v1/media.proto and docs/protocol.md). The rules
//! (limits, access) are `service::media`'s; this moves the bytes.
//!
//! Upload staging: the received prefix of an upload is appended to
//! `<data_dir>/uploads/<app>/<user hash>/<upload_id>-<total_size>.part` as it arrives, so a
//! broken stream loses nothing already received and a retry with the same upload ID resumes
//! after it. A prefix older than the staging TTL is dropped, and each user's staged uploads are
//! bounded ([`staging`]). One upload ID is written by one stream at a time (a retry waits for
//! a previous stream of the same ID to end).

use crate::config::MediaLimits;
use crate::service::media::{
    KIND_IMAGE, KIND_SNAPSHOT, UploadPlan, blob_key, conversation_of, media_file, new_file_id,
    renditions,
};
use crate::service::{Services, Session};
use crate::storage::Refusal;
use crate::storage::media::MediaRecord;
use prost::Message as _;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tim_model::codes;
use tim_proto::FrameDecoder;
use tim_proto::v1;
use tim_proto::v1::transfer_request::Kind as RequestKind;
use tim_proto::v1::transfer_response::Kind as ResponseKind;
use tokio::io::AsyncWriteExt;

mod staging;
mod sweep;

pub use sweep::MediaSweep;
pub(crate) use sweep::{start as start_sweep, sweep};

/// Largest piece read from a transfer stream at once.
const READ_CHUNK: usize = 256 * 1024;
/// How long a retry waits for an earlier stream of the same upload to end.
const UPLOAD_LOCK_WAIT: Duration = Duration::from_secs(10);

/// The upload IDs being written, each with its lock.
#[derive(Debug, Default)]
pub(crate) struct UploadLocks {
    locks: Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>,
}

impl UploadLocks {
    /// The lock of `key`, waiting at most [`UPLOAD_LOCK_WAIT`].
    async fn lock(&self, key: &Path) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        let lock = self.entry(key, true);
        tokio::time::timeout(UPLOAD_LOCK_WAIT, lock.lock_owned())
            .await
            .ok()
    }

    /// The lock of `key` if nobody holds it.
    fn try_lock(&self, key: &Path) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        self.entry(key, false).try_lock_owned().ok()
    }

    /// The lock of `key` (made when missing), after dropping the unused ones when `prune`.
    fn entry(&self, key: &Path, prune: bool) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.locks.lock().unwrap_or_else(PoisonError::into_inner);
        if prune {
            locks.retain(|_, lock| Arc::strong_count(lock) > 1);
        }
        Arc::clone(locks.entry(key.to_path_buf()).or_default())
    }

    /// Drops the locks nobody holds or waits for.
    fn prune(&self) {
        let mut locks = self.locks.lock().unwrap_or_else(PoisonError::into_inner);
        locks.retain(|_, lock| Arc::strong_count(lock) > 1);
    }
}

/// Server-wide state of media transfers, beyond any one stream.
#[derive(Debug)]
pub(crate) struct TransferState {
    /// One permit per image decode that may run at once.
    decodes: Arc<tokio::sync::Semaphore>,
    /// The decode bounds of one image.
    decode_limits: renditions::DecodeLimits,
}

impl TransferState {
    /// The state for a server with these limits.
    pub(crate) fn new(limits: &MediaLimits) -> Self {
        Self {
            // Zero slots would stall every image upload forever.
            decodes: Arc::new(tokio::sync::Semaphore::new(
                limits.max_concurrent_decodes.max(1),
            )),
            decode_limits: renditions::DecodeLimits {
                max_side: limits.max_decode_side,
                max_bytes: limits.max_decode_bytes,
            },
        }
    }
}

/// Why a transfer ended without its normal answer.
enum Failure {
    /// Refused: the error frame is sent.
    Refused(Refusal),
    /// The stream or connection broke: nothing more can be said.
    Broken,
}

impl From<Refusal> for Failure {
    fn from(refusal: Refusal) -> Self {
        Self::Refused(refusal)
    }
}

fn io_refusal(what: &str, error: &std::io::Error) -> Failure {
    tracing::error!("media {what}: {error}");
    Failure::Refused(Refusal::new(
        codes::ERR_SVR_MSG_INTERNAL_ERROR1,
        format!("server storage failure ({what}): {error}"),
    ))
}

async fn write_response(send: &mut quinn::SendStream, kind: ResponseKind) -> Result<(), Failure> {
    let frame = tim_proto::encode_frame(&v1::TransferResponse { kind: Some(kind) });
    send.write_all(&frame).await.map_err(|_| Failure::Broken)
}

/// Serves one transfer stream of a logged-in connection to its end.
pub(crate) async fn serve(
    services: Arc<Services>,
    session: Session,
    mut send: quinn::SendStream,
    mut recv: quinn::RecvStream,
) {
    let result = match read_request(&services, &mut recv).await {
        Err(failure) => Err(failure),
        Ok((RequestKind::Upload(begin), leftover)) => {
            upload(&services, &session, begin, leftover, &mut send, &mut recv).await
        }
        Ok((RequestKind::Download(begin), _)) => {
            download(&services, &session, begin, &mut send).await
        }
    };
    match result {
        Ok(()) => {
            let _ = send.finish();
        }
        Err(Failure::Refused(refusal)) => {
            let _ = recv.stop(quinn::VarInt::from_u32(0));
            let error = v1::Error {
                code: refusal.code,
                desc: refusal.desc,
                current_message: None,
            };
            if write_response(&mut send, ResponseKind::Error(error))
                .await
                .is_ok()
            {
                let _ = send.finish();
            }
        }
        Err(Failure::Broken) => {
            let _ = send.reset(quinn::VarInt::from_u32(0));
        }
    }
    // Let the peer read the last frame before the stream is dropped.
    let _ = tokio::time::timeout(Duration::from_secs(5), send.stopped()).await;
}

/// The request frame and whatever bytes followed it in the same read.
async fn read_request(
    services: &Services,
    recv: &mut quinn::RecvStream,
) -> Result<(RequestKind, Vec<u8>), Failure> {
    let mut decoder = FrameDecoder::new();
    let deadline = tokio::time::Instant::now() + services.config.login_timeout;
    loop {
        match decoder.next_frame() {
            Ok(Some(payload)) => {
                let request = v1::TransferRequest::decode(payload.as_slice()).map_err(|e| {
                    Refusal::new(
                        codes::ERR_PARSE_RESPONSE_FAILED,
                        format!("malformed protobuf data: {e}"),
                    )
                })?;
                let kind = request.kind.ok_or_else(|| {
                    Refusal::new(codes::ERR_SDK_INVALID_OPERATION, "unknown transfer request")
                })?;
                return Ok((kind, decoder.take_buffered()));
            }
            Ok(None) => {}
            Err(error) => return Err(Refusal::new(error.code(), error.to_string()).into()),
        }
        let chunk = tokio::time::timeout_at(deadline, recv.read_chunk(READ_CHUNK, true))
            .await
            .map_err(|_| Failure::Broken)?
            .map_err(|_| Failure::Broken)?
            .ok_or(Failure::Broken)?;
        decoder.push(&chunk.bytes);
    }
}

/// The staging directory of the session's user, and the staging file of an upload in it.
fn staging_paths(services: &Services, session: &Session, plan: &UploadPlan) -> (PathBuf, PathBuf) {
    let dir = staging::user_dir(
        &services.config.uploads_dir(),
        session.app,
        session.user.as_str(),
    );
    let path = dir.join(staging::part_name(&plan.upload_id, plan.total_size));
    (dir, path)
}

async fn upload(
    services: &Arc<Services>,
    session: &Session,
    begin: v1::UploadBegin,
    leftover: Vec<u8>,
    send: &mut quinn::SendStream,
    recv: &mut quinn::RecvStream,
) -> Result<(), Failure> {
    let plan = services.check_upload(session, &begin).await?;
    let (dir, path) = staging_paths(services, session, &plan);
    let _guard = services.upload_locks.lock(&path).await.ok_or_else(|| {
        Refusal::new(
            codes::ERR_SDK_INVALID_OPERATION,
            format!("upload {} is busy on another stream", plan.upload_id),
        )
    })?;
    let rules = staging::StagingRules {
        ttl: services.config.media.staging_ttl,
        quota: services.config.media.max_staged_bytes_per_user,
    };
    let (mut file, held) =
        staging::open_staged(&services.upload_locks, &dir, &path, plan.total_size, rules).await?;
    write_response(send, ResponseKind::Ready(v1::UploadReady { offset: held })).await?;
    let mut received = held;
    let mut pending = leftover;
    loop {
        if !pending.is_empty() {
            received = received.saturating_add(pending.len() as u64);
            if received > plan.total_size {
                file.flush().await.map_err(|e| io_refusal("staging", &e))?;
                let _ = tokio::fs::remove_file(&path).await;
                return Err(Refusal::new(
                    codes::ERR_INVALID_PARAMETERS,
                    format!("more bytes than total_size {}", plan.total_size),
                )
                .into());
            }
            file.write_all(&pending)
                .await
                .map_err(|e| io_refusal("staging", &e))?;
        }
        match recv.read_chunk(READ_CHUNK, true).await {
            Ok(Some(chunk)) => pending = chunk.bytes.to_vec(),
            Ok(None) => break,
            Err(_) => {
                // Keep the prefix for a resume.
                let _ = file.flush().await;
                return Err(Failure::Broken);
            }
        }
    }
    file.flush().await.map_err(|e| io_refusal("staging", &e))?;
    file.sync_all()
        .await
        .map_err(|e| io_refusal("staging", &e))?;
    drop(file);
    if received != plan.total_size {
        return Err(Refusal::new(
            codes::ERR_INVALID_PARAMETERS,
            format!(
                "the upload ended after {received} of {} bytes; resume with the same upload_id",
                plan.total_size
            ),
        )
        .into());
    }
    let done = finish_upload(services, session, &plan, &path).await;
    let _ = tokio::fs::remove_file(&path).await;
    let done = done?;
    write_response(send, ResponseKind::Done(done)).await
}

/// Stores a complete upload (and an image's renditions) in the blob store and records it.
async fn finish_upload(
    services: &Arc<Services>,
    session: &Session,
    plan: &UploadPlan,
    path: &Path,
) -> Result<v1::UploadDone, Failure> {
    let (conv_type, conv_id) = conversation_of(&plan.target);
    let now = crate::usersig::now_secs();
    let record = |size: u64| MediaRecord {
        file_id: new_file_id(),
        uploader: session.user.as_str().to_owned(),
        conv_type,
        conv_id: conv_id.clone(),
        media_kind: plan.media_kind,
        size,
        width: 0,
        height: 0,
        format: 0,
        image_level: 0,
        file_name: plan.file_name.clone(),
        created: now,
        original_id: String::new(),
    };
    let mut original = record(plan.total_size);
    let mut records = Vec::new();
    let mut files = Vec::new();
    if plan.media_kind == KIND_IMAGE {
        let source = path.to_path_buf();
        let limits = services.transfers.decode_limits;
        // Held until the blocking decode ends, even if this task is dropped meanwhile.
        let slot = Arc::clone(&services.transfers.decodes)
            .acquire_owned()
            .await
            .map_err(|e| io_refusal("image", &std::io::Error::other(e.to_string())))?;
        let decoded = tokio::task::spawn_blocking(move || {
            let decoded = renditions::make(&source, limits);
            drop(slot);
            decoded
        })
        .await
        .map_err(|e| io_refusal("image", &std::io::Error::other(e.to_string())))?
        .map_err(|e| io_refusal("image", &e))?;
        match decoded {
            Some(decoded) => {
                original.width = decoded.width;
                original.height = decoded.height;
                original.format = decoded.format;
                for rendition in decoded.renditions {
                    let mut made = record(rendition.size);
                    made.width = rendition.width;
                    made.height = rendition.height;
                    made.format = rendition.format;
                    made.image_level = rendition.level;
                    made.original_id.clone_from(&original.file_id);
                    files.push((made.clone(), rendition.path));
                    records.push(made);
                }
            }
            None => original.format = renditions::FORMAT_UNKNOWN,
        }
    } else if plan.media_kind == KIND_SNAPSHOT {
        let source = path.to_path_buf();
        let probed = tokio::task::spawn_blocking(move || renditions::probe(&source))
            .await
            .map_err(|e| io_refusal("image", &std::io::Error::other(e.to_string())))?
            .map_err(|e| io_refusal("image", &e))?;
        if let Some((width, height, format)) = probed {
            original.width = width;
            original.height = height;
            original.format = format;
        }
    }
    let mut all = vec![original.clone()];
    all.extend(records.iter().cloned());
    let stored = store_upload(services, session, all, path, &files).await;
    for (_, made_path) in &files {
        let _ = tokio::fs::remove_file(made_path).await;
    }
    stored?;
    Ok(v1::UploadDone {
        file: Some(media_file(&original)),
        variants: records.iter().map(media_file).collect(),
    })
}

/// Records an upload's files, then puts their bytes (`path` the original's, `files` the
/// renditions') into the blob store.
///
/// Records first, so that no blob is ever without an owner: a put cut short (a crash, a
/// failing store) leaves records whose bytes are missing or partly there, which answer
/// downloads with 114000, were never given to a client and are collected by the media
/// sweep after the grace period. A sweep that collected the records while the bytes went up
/// (a put slower than the grace) is detected afterwards: the bytes are deleted again and the
/// upload refused.
async fn store_upload(
    services: &Arc<Services>,
    session: &Session,
    records: Vec<MediaRecord>,
    path: &Path,
    files: &[(MediaRecord, PathBuf)],
) -> Result<(), Failure> {
    let Some(original) = records.first() else {
        return Ok(());
    };
    let original_id = original.file_id.clone();
    services.record_media(session, records).await?;
    let original_key = blob_key(session.app, &original_id);
    let keys: Vec<String> = std::iter::once(original_key.clone())
        .chain(
            files
                .iter()
                .map(|(made, _)| blob_key(session.app, &made.file_id)),
        )
        .collect();
    let stored = async {
        services.blobs.put_file(&original_key, path).await?;
        for (key, (_, made_path)) in keys.iter().skip(1).zip(files) {
            services.blobs.put_file(key, made_path).await?;
        }
        Ok::<_, std::io::Error>(())
    }
    .await;
    stored.map_err(|e| io_refusal("blob store", &e))?;
    if !services.media_recorded(session.app, &original_id).await? {
        for key in &keys {
            if let Err(error) = services.blobs.delete(key).await {
                tracing::warn!("media: deleting {key} of a collected upload: {error}");
            }
        }
        return Err(Refusal::new(
            codes::ERR_SVR_MSG_INTERNAL_ERROR1,
            "the upload was collected while it was being stored (a put slower than the \
             unreferenced grace period); upload it again",
        )
        .into());
    }
    Ok(())
}

async fn download(
    services: &Arc<Services>,
    session: &Session,
    begin: v1::DownloadBegin,
    send: &mut quinn::SendStream,
) -> Result<(), Failure> {
    let record = services.check_download(session, &begin.file_id).await?;
    let blob = services
        .blobs
        .open(&blob_key(session.app, &record.file_id), begin.offset)
        .await
        .map_err(|e| io_refusal("blob store", &e))?
        .ok_or_else(|| {
            Refusal::new(
                codes::ERR_SVR_RES_NOT_FOUND,
                format!("file {} has no stored bytes", record.file_id),
            )
        })?;
    write_response(
        send,
        ResponseKind::Header(v1::DownloadHeader {
            total_size: blob.total_size,
        }),
    )
    .await?;
    let mut reader = blob.reader;
    tokio::io::copy(&mut reader, send)
        .await
        .map_err(|_| Failure::Broken)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_slots_follow_the_limit_and_are_never_zero() {
        let mut limits = MediaLimits::default();
        assert_eq!(TransferState::new(&limits).decodes.available_permits(), 2);
        limits.max_concurrent_decodes = 0;
        assert_eq!(TransferState::new(&limits).decodes.available_permits(), 1);
    }
}
