//! Media transfer helpers on the raw wire (media.proto): one transfer stream, whole uploads
//! and downloads answering the server's code on refusal.

use super::TestClient;
use super::WAIT;
use prost::Message as _;
use tim_proto::FrameDecoder;
use tim_proto::v1;
use tim_proto::v1::transfer_request::Kind as RequestKind;
use tim_proto::v1::transfer_response::Kind as ResponseKind;

pub const IMAGE: i32 = 1;
pub const FILE: i32 = 4;

/// One transfer stream with its response decoder.
pub struct Transfer {
    pub send: quinn::SendStream,
    pub recv: quinn::RecvStream,
    decoder: FrameDecoder,
}

impl Transfer {
    pub async fn open(client: &TestClient, kind: RequestKind) -> Self {
        let (mut send, recv) = tokio::time::timeout(WAIT, client.connection.open_bi())
            .await
            .expect("no stream credit in time")
            .unwrap();
        let frame = tim_proto::encode_frame(&v1::TransferRequest { kind: Some(kind) });
        send.write_all(&frame).await.unwrap();
        Self {
            send,
            recv,
            decoder: FrameDecoder::new(),
        }
    }

    pub async fn response(&mut self) -> ResponseKind {
        for _ in 0..10_000 {
            if let Some(payload) = self.decoder.next_frame().unwrap() {
                return v1::TransferResponse::decode(payload.as_slice())
                    .unwrap()
                    .kind
                    .expect("a response kind");
            }
            let chunk = tokio::time::timeout(WAIT, self.recv.read_chunk(64 * 1024, true))
                .await
                .expect("no response in time")
                .unwrap()
                .expect("the stream ended before a response");
            self.decoder.push(&chunk.bytes);
        }
        panic!("no whole response frame");
    }

    /// The raw bytes after the header, to FIN.
    pub async fn rest(mut self) -> Vec<u8> {
        let mut bytes = self.decoder.take_buffered();
        let more = tokio::time::timeout(WAIT, self.recv.read_to_end(200 * 1024 * 1024))
            .await
            .expect("download did not end in time")
            .unwrap();
        bytes.extend_from_slice(&more);
        bytes
    }
}

pub fn begin(upload_id: &str, kind: i32, conv: v1::ConversationId, size: u64) -> RequestKind {
    RequestKind::Upload(v1::UploadBegin {
        upload_id: upload_id.into(),
        media_kind: kind,
        conversation: Some(conv),
        file_name: "f.bin".into(),
        total_size: size,
    })
}

/// Uploads `bytes` in one go: the done message, or the error code.
pub async fn upload(
    client: &TestClient,
    upload_id: &str,
    kind: i32,
    conv: v1::ConversationId,
    bytes: &[u8],
) -> Result<v1::UploadDone, i32> {
    let mut transfer =
        Transfer::open(client, begin(upload_id, kind, conv, bytes.len() as u64)).await;
    let offset = match transfer.response().await {
        ResponseKind::Ready(ready) => ready.offset,
        ResponseKind::Error(error) => return Err(error.code),
        other => panic!("unexpected {other:?}"),
    };
    transfer
        .send
        .write_all(&bytes[usize::try_from(offset).unwrap()..])
        .await
        .unwrap();
    transfer.send.finish().unwrap();
    match transfer.response().await {
        ResponseKind::Done(done) => Ok(done),
        ResponseKind::Error(error) => Err(error.code),
        other => panic!("unexpected {other:?}"),
    }
}

/// Downloads a file from `offset`: (total size, bytes), or the error code.
pub async fn download(
    client: &TestClient,
    file_id: &str,
    offset: u64,
) -> Result<(u64, Vec<u8>), i32> {
    let mut transfer = Transfer::open(
        client,
        RequestKind::Download(v1::DownloadBegin {
            file_id: file_id.into(),
            offset,
        }),
    )
    .await;
    transfer.send.finish().unwrap();
    match transfer.response().await {
        ResponseKind::Header(header) => Ok((header.total_size, transfer.rest().await)),
        ResponseKind::Error(error) => Err(error.code),
        other => panic!("unexpected {other:?}"),
    }
}

pub fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

pub const ID_A: &str = "0123456789abcdef0123456789abcdef";
pub const ID_B: &str = "fedcba9876543210fedcba9876543210";

/// Every file under `dir` (none when it does not exist).
pub fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}
