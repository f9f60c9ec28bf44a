//! Transfer streams (proto/tim/v1/media.proto): one QUIC bidirectional stream per upload or
//! download on the logged-in connection, beside its control stream. An upload resumes after
//! the prefix the server holds (same upload ID); a download starts at an offset. Stream
//! failures are network errors (retry may succeed); the server's `Error` frame is a
//! [`CoreError::Server`] with its code.
//!
//! A stream dropped before it finished (a cancelled send, an aborted task) is reset, so the
//! server stops at once and keeps what it received for a resume.

use super::connection::Conn;
use crate::error::{CoreError, Result};
use prost::Message as _;
use std::path::Path;
use std::time::Duration;
use tim_model::codes;
use tim_proto::FrameDecoder;
use tim_proto::v1;
use tim_proto::v1::transfer_request::Kind as RequestKind;
use tim_proto::v1::transfer_response::Kind as ResponseKind;
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

/// Bytes read from a file or stream at once.
const CHUNK: usize = 256 * 1024;
/// The least time given to the server to finish an upload (image renditions take a while).
const DONE_TIMEOUT_MIN: Duration = Duration::from_secs(60);

/// Calls the progress callback when at least 1% more is done, and at the end.
pub(crate) struct Progress<'a> {
    callback: &'a mut (dyn FnMut(u64, u64) + Send),
    total: u64,
    reported: Option<u64>,
}

impl<'a> Progress<'a> {
    pub(crate) fn new(callback: &'a mut (dyn FnMut(u64, u64) + Send), total: u64) -> Self {
        Self {
            callback,
            total,
            reported: None,
        }
    }

    pub(crate) fn update(&mut self, current: u64) {
        let step = (self.total / 100).max(1);
        let due = match self.reported {
            None => true,
            Some(last) => current >= last.saturating_add(step) || current == self.total,
        };
        if due && self.reported != Some(current) {
            self.reported = Some(current);
            (self.callback)(current, self.total);
        }
    }
}

/// A transfer stream that is reset unless it was finished.
struct Stream {
    send: Option<quinn::SendStream>,
    recv: quinn::RecvStream,
    decoder: FrameDecoder,
}

impl Drop for Stream {
    fn drop(&mut self) {
        if let Some(mut send) = self.send.take() {
            let _ = send.reset(quinn::VarInt::from_u32(0));
        }
        let _ = self.recv.stop(quinn::VarInt::from_u32(0));
    }
}

fn broken(err: impl std::fmt::Display) -> CoreError {
    CoreError::disconnected(format!("transfer stream: {err}"))
}

impl Stream {
    async fn open(conn: &Conn, request: RequestKind, timeout: Duration) -> Result<Self> {
        let (mut send, recv) = tokio::time::timeout(timeout, conn.open_transfer())
            .await
            .map_err(|_| {
                CoreError::network(
                    codes::ERR_SDK_NET_WAIT_ACK_TIMEOUT,
                    format!("no transfer stream in {timeout:?}"),
                )
            })??;
        let frame = tim_proto::encode_frame(&v1::TransferRequest {
            kind: Some(request),
        });
        send.write_all(&frame).await.map_err(broken)?;
        Ok(Self {
            send: Some(send),
            recv,
            decoder: FrameDecoder::new(),
        })
    }

    fn send(&mut self) -> Result<&mut quinn::SendStream> {
        self.send
            .as_mut()
            .ok_or_else(|| broken("the send side is closed"))
    }

    /// Finishes the send side (no reset on drop any more).
    fn finish(&mut self) -> Result<()> {
        if let Some(mut send) = self.send.take() {
            send.finish().map_err(broken)?;
        }
        Ok(())
    }

    /// The next response frame; the server's `Error` becomes [`CoreError::Server`].
    async fn response(&mut self, timeout: Duration) -> Result<ResponseKind> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(payload) = self.decoder.next_frame()? {
                let response = v1::TransferResponse::decode(payload.as_slice())
                    .map_err(tim_proto::ProtoError::from)?;
                return match response.kind {
                    Some(ResponseKind::Error(error)) => Err(CoreError::Server {
                        code: error.code,
                        desc: error.desc,
                    }),
                    Some(kind) => Ok(kind),
                    None => Err(CoreError::refused(
                        codes::ERR_PARSE_RESPONSE_FAILED,
                        "unknown transfer response",
                    )),
                };
            }
            let chunk = tokio::time::timeout_at(deadline, self.recv.read_chunk(CHUNK, true))
                .await
                .map_err(|_| {
                    CoreError::network(
                        codes::ERR_SDK_NET_WAIT_ACK_TIMEOUT,
                        format!("no transfer answer in {timeout:?}"),
                    )
                })?
                .map_err(broken)?
                .ok_or_else(|| broken("the server ended the stream without an answer"))?;
            self.decoder.push(&chunk.bytes);
        }
    }
}

/// What to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UploadSpec {
    /// 32 hex characters, stable across retries.
    pub upload_id: String,
    /// 1 image, 2 sound, 3 video, 4 file, 5 video snapshot.
    pub media_kind: i32,
    /// Display name.
    pub file_name: String,
    /// Bytes, as checked before the upload.
    pub size: u64,
}

/// Uploads `path` as `spec` for a message to `conversation`, resuming after what the server
/// holds; `progress(current, total)` as bytes are handed to the stream.
pub(crate) async fn upload(
    conn: &Conn,
    timeout: Duration,
    conversation: v1::ConversationId,
    spec: &UploadSpec,
    path: &Path,
    progress: &mut Progress<'_>,
) -> Result<v1::UploadDone> {
    let request = RequestKind::Upload(v1::UploadBegin {
        upload_id: spec.upload_id.clone(),
        media_kind: spec.media_kind,
        conversation: Some(conversation),
        file_name: spec.file_name.clone(),
        total_size: spec.size,
    });
    let mut stream = Stream::open(conn, request, timeout).await?;
    let offset = match stream.response(timeout).await? {
        ResponseKind::Ready(ready) => ready.offset.min(spec.size),
        _ => return Err(unexpected()),
    };
    let open_failed = |err: std::io::Error| {
        CoreError::refused(
            codes::ERR_SDK_COMM_FILE_OPEN_FAILED,
            format!("{}: {err}", path.display()),
        )
    };
    let mut file = tokio::fs::File::open(path).await.map_err(open_failed)?;
    file.seek(std::io::SeekFrom::Start(offset))
        .await
        .map_err(open_failed)?;
    let mut sent = offset;
    progress.update(sent);
    let mut buffer = vec![0u8; CHUNK];
    while sent < spec.size {
        let want = usize::try_from(spec.size - sent)
            .unwrap_or(CHUNK)
            .min(CHUNK);
        let read = file.read(&mut buffer[..want]).await.map_err(open_failed)?;
        if read == 0 {
            return Err(CoreError::refused(
                codes::ERR_SDK_COMM_FILE_OPEN_FAILED,
                format!("{}: the file shrank while it was uploaded", path.display()),
            ));
        }
        stream
            .send()?
            .write_all(&buffer[..read])
            .await
            .map_err(broken)?;
        sent += read as u64;
        progress.update(sent);
    }
    stream.finish()?;
    match stream.response(timeout.max(DONE_TIMEOUT_MIN)).await? {
        ResponseKind::Done(done) => Ok(done),
        _ => Err(unexpected()),
    }
}

/// Downloads `file_id` from `offset` into `file` (positioned at `offset`): returns the
/// file's total size once every byte up to it is written.
pub(crate) async fn download(
    conn: &Conn,
    timeout: Duration,
    file_id: &str,
    offset: u64,
    file: &mut tokio::fs::File,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<u64> {
    let request = RequestKind::Download(v1::DownloadBegin {
        file_id: file_id.to_owned(),
        offset,
    });
    let mut stream = Stream::open(conn, request, timeout).await?;
    stream.finish()?;
    let total = match stream.response(timeout).await? {
        ResponseKind::Header(header) => header.total_size,
        _ => return Err(unexpected()),
    };
    let mut progress = Progress::new(progress, total);
    let write_failed =
        |err: std::io::Error| CoreError::refused(codes::ERR_IO_OPERATION_FAILED, err.to_string());
    let mut received = offset.min(total);
    progress.update(received);
    let early = stream.decoder.take_buffered();
    if !early.is_empty() {
        file.write_all(&early).await.map_err(write_failed)?;
        received += early.len() as u64;
        progress.update(received.min(total));
    }
    loop {
        let chunk = tokio::time::timeout(timeout, stream.recv.read_chunk(CHUNK, true))
            .await
            .map_err(|_| {
                CoreError::network(
                    codes::ERR_SDK_NET_WAIT_ACK_TIMEOUT,
                    format!("no download data in {timeout:?}"),
                )
            })?
            .map_err(broken)?;
        let Some(chunk) = chunk else { break };
        received += chunk.bytes.len() as u64;
        if received > total {
            return Err(CoreError::refused(
                codes::ERR_PARSE_RESPONSE_FAILED,
                "the server sent more bytes than the file holds",
            ));
        }
        file.write_all(&chunk.bytes).await.map_err(write_failed)?;
        progress.update(received);
    }
    if received != total {
        return Err(broken(format!(
            "the download ended after {received} of {total} bytes"
        )));
    }
    file.flush().await.map_err(write_failed)?;
    Ok(total)
}

fn unexpected() -> CoreError {
    CoreError::refused(
        codes::ERR_PARSE_RESPONSE_FAILED,
        "unexpected transfer answer from the server",
    )
}

#[cfg(test)]
mod tests {
    use super::Progress;

    #[test]
    fn progress_reports_each_percent_and_the_end_once() {
        let mut calls = Vec::new();
        let mut record = |current: u64, total: u64| calls.push((current, total));
        {
            let mut progress = Progress::new(&mut record, 1000);
            for current in (0..=1000).step_by(3) {
                progress.update(current);
            }
            progress.update(1000);
            progress.update(1000);
        }
        assert_eq!(calls.first(), Some(&(0, 1000)));
        assert_eq!(calls.last(), Some(&(1000, 1000)));
        assert_eq!(calls.iter().filter(|(c, _)| *c == 1000).count(), 1);
        assert!(calls.len() <= 102, "{}", calls.len());
    }
}
