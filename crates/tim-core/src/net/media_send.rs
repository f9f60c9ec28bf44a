//! The upload step of the send queue: a message with local media files is dispatched as an
//! upload task that uploads each file (with progress events), fills the elements, then sends
//! the message. The task reports like a plain send (`Internal::SendDone`), carrying the
//! message as filled so far, so a retry (next dispatch, next connection) skips finished files
//! and resumes the unfinished one under the same upload ID.
//!
//! Rules:
//! - A network failure while uploading (or a lost connection) leaves the message queued for
//!   the next dispatch; a message dispatched for upload [`MAX_UPLOAD_ATTEMPTS`] times without
//!   success fails (SendFail, `ERR_SDK_NET_DISCONNECT`).
//! - A refusal (a file check, a server limit or access rule) fails the send at once.
//! - A cancel while the task is still uploading wins over its send: the task is aborted (its
//!   stream reset), the message leaves the queue and is stored as Cancel. Once the task has
//!   started the send request, a cancel goes to the server as for any dispatched message.
//! - A lost connection aborts the running uploads; the queue dispatches them again after the
//!   reconnect.

use super::connection::{Conn, Request, Response};
use super::media;
use super::queue::Queued;
use super::session::{Internal, Session, unexpected};
use crate::error::CoreError;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use tim_model::{ConvId, Message, MessageId, codes};
use tim_proto::v1::SendMessageRequest;

/// Upload dispatches of one message before its send fails.
pub(crate) const MAX_UPLOAD_ATTEMPTS: u32 = 5;

const UPLOADING: u8 = 0;
const SENDING: u8 = 1;
const CANCELLED: u8 = 2;

/// A running upload task.
pub(crate) struct UploadTask {
    /// UPLOADING until the task starts the send (SENDING) or a cancel stops it (CANCELLED);
    /// whichever moves it first decides.
    phase: Arc<AtomicU8>,
    abort: tokio::task::AbortHandle,
}

impl Session {
    /// Dispatches `message` (attempt `attempt`) as an upload followed by its send.
    pub(crate) fn start_upload(
        &mut self,
        conn: &Conn,
        attempt: u64,
        conv: ConvId,
        mut message: Message,
        id: MessageId,
    ) {
        let attempts = self.upload_attempts.entry(id.clone()).or_insert(0);
        *attempts += 1;
        if *attempts > MAX_UPLOAD_ATTEMPTS {
            self.upload_attempts.remove(&id);
            let _ = self.internal_tx.send(Internal::SendDone {
                id,
                attempt,
                generation: conn.generation(),
                result: Err(CoreError::refused(
                    codes::ERR_SDK_NET_DISCONNECT,
                    format!("the upload failed {MAX_UPLOAD_ATTEMPTS} times; the send gives up"),
                )),
                filled: None,
                upload_failed: false,
            });
            return;
        }
        let phase = Arc::new(AtomicU8::new(UPLOADING));
        let task_phase = Arc::clone(&phase);
        let conn = conn.clone();
        let internal = self.internal_tx.clone();
        let shared = Arc::clone(&self.ctx.shared);
        let task_id = id.clone();
        let handle = tokio::spawn(async move {
            let timeout = shared.config.request_timeout;
            let uploaded = media::upload_all(&conn, timeout, &conv, &mut message, &shared).await;
            let (result, upload_failed) = match uploaded {
                Err(err) => (Err(err), true),
                Ok(()) => {
                    if task_phase
                        .compare_exchange(UPLOADING, SENDING, Ordering::SeqCst, Ordering::SeqCst)
                        .is_err()
                    {
                        return;
                    }
                    let request = Request::SendMessage(SendMessageRequest {
                        conversation: Some(conv.into()),
                        message: Some(media::wire_copy(&message).into()),
                    });
                    let result = match conn.request(request).await {
                        Ok(Response::SendMessage(ack)) => Ok(ack),
                        Ok(other) => Err(unexpected(&other)),
                        Err(err) => Err(err),
                    };
                    (result, false)
                }
            };
            let _ = internal.send(Internal::SendDone {
                id: task_id,
                attempt,
                generation: conn.generation(),
                result,
                filled: Some(Box::new(message)),
                upload_failed,
            });
        });
        self.uploads.insert(
            id,
            UploadTask {
                phase,
                abort: handle.abort_handle(),
            },
        );
    }

    /// Stops the upload of `id` if it has not started its send yet: the message leaves the
    /// queue (the caller stores it as cancelled). `None`: no upload to stop.
    pub(crate) fn cancel_upload(&mut self, id: &MessageId) -> Option<Queued> {
        let task = self.uploads.get(id)?;
        task.phase
            .compare_exchange(UPLOADING, CANCELLED, Ordering::SeqCst, Ordering::SeqCst)
            .ok()?;
        task.abort.abort();
        self.uploads.remove(id);
        self.upload_attempts.remove(id);
        self.queue.remove(id)
    }

    /// Aborts every running upload (the connection is gone or the session ends).
    pub(crate) fn abort_uploads(&mut self) {
        for (_, task) in self.uploads.drain() {
            task.abort.abort();
        }
    }
}
