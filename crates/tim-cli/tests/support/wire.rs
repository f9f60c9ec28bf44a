//! A raw wire client: tim-proto frames over quinn, trusting the server by its certificate
//! fingerprint. Unlike `tim-core`, it never retries or queues anything, so the caller knows
//! exactly which requests the server answered; every failure is a value (the server may be
//! killed in the middle of any call), never a panic.

use prost::Message as _;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tim_proto::FrameDecoder;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;
use tim_proto::v1::transfer_request::Kind as TransferKind;
use tim_proto::v1::transfer_response::Kind as TransferAnswer;

/// The longest wait for one answer from a live server.
pub const WAIT: Duration = Duration::from_secs(20);
/// Largest download accepted.
const MAX_DOWNLOAD: usize = 8 * 1024 * 1024;

/// Why a call did not get its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireError {
    /// The server answered with an error.
    Refused { code: i32, desc: String },
    /// The connection or stream broke, or the server did not answer in time.
    Lost(String),
    /// The server answered something this client did not expect.
    Unexpected(String),
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Refused { code, desc } => write!(f, "refused with {code}: {desc}"),
            Self::Lost(what) => write!(f, "lost: {what}"),
            Self::Unexpected(what) => write!(f, "unexpected answer: {what}"),
        }
    }
}

fn lost(what: impl std::fmt::Display) -> WireError {
    WireError::Lost(what.to_string())
}

type Pending = Arc<Mutex<HashMap<u64, tokio::sync::oneshot::Sender<Response>>>>;

/// One logged-in connection with its control stream. Pushes are dropped: the checks read
/// history and sync instead.
pub struct WireClient {
    _endpoint: quinn::Endpoint,
    connection: quinn::Connection,
    control: tokio::sync::Mutex<quinn::SendStream>,
    pending: Pending,
    next_id: AtomicU64,
}

impl WireClient {
    /// Connects to `addr`, trusting the certificate whose SHA-256 is `fingerprint`, and logs
    /// in as `user` (UserSig minted with `key`) on `device`.
    pub async fn login(
        addr: SocketAddr,
        fingerprint: &str,
        (app, key): (u64, &str),
        user: &str,
        device: &str,
    ) -> Result<Self, WireError> {
        let client = Self::connect(addr, fingerprint).await?;
        let sig = tim_server::usersig::gen_user_sig(app, key, user, 86_400);
        let answer = client
            .request(Request::Login(v1::LoginRequest {
                user_id: user.into(),
                user_sig: sig,
                sdk_app_id: app,
                device_id: device.into(),
                platform: 0,
                sdk_version: "crash-test".into(),
            }))
            .await?;
        match answer {
            Response::Login(_) => Ok(client),
            other => Err(WireError::Unexpected(format!("{other:?}"))),
        }
    }

    async fn connect(addr: SocketAddr, fingerprint: &str) -> Result<Self, WireError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut tls = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&[&rustls::version::TLS13])
            .map_err(lost)?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(FingerprintVerifier {
                fingerprint: fingerprint.to_owned(),
                provider,
            }))
            .with_no_client_auth();
        tls.alpn_protocols = vec![tim_server::ALPN.to_vec()];
        let crypto = quinn::crypto::rustls::QuicClientConfig::try_from(tls).map_err(lost)?;
        let mut config = quinn::ClientConfig::new(Arc::new(crypto));
        let mut transport = quinn::TransportConfig::default();
        transport.max_idle_timeout(Some(WAIT.try_into().map_err(lost)?));
        config.transport_config(Arc::new(transport));
        let local: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 0));
        let mut endpoint = quinn::Endpoint::client(local).map_err(lost)?;
        endpoint.set_default_client_config(config);
        let connecting = endpoint.connect(addr, "localhost").map_err(lost)?;
        let connection = tokio::time::timeout(WAIT, connecting)
            .await
            .map_err(|_| lost("connect timed out"))?
            .map_err(lost)?;
        let (control, mut recv) = connection.open_bi().await.map_err(lost)?;
        let pending: Pending = Arc::default();
        let answers = pending.clone();
        tokio::spawn(async move {
            let mut decoder = FrameDecoder::new();
            'read: while let Ok(Some(chunk)) = recv.read_chunk(64 * 1024, true).await {
                decoder.push(&chunk.bytes);
                loop {
                    let frame = match decoder.next_frame() {
                        Ok(Some(payload)) => v1::ServerFrame::decode(payload.as_slice()),
                        Ok(None) => break,
                        Err(_) => break 'read,
                    };
                    let Ok(frame) = frame else { break 'read };
                    let waiter = answers
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .remove(&frame.request_id);
                    if let (Some(waiter), Some(body)) = (waiter, frame.body) {
                        let _ = waiter.send(body);
                    }
                }
            }
            // Every waiter learns that no answer is coming.
            answers
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clear();
        });
        Ok(Self {
            _endpoint: endpoint,
            connection,
            control: tokio::sync::Mutex::new(control),
            pending,
            next_id: AtomicU64::new(1),
        })
    }

    /// Sends one request and waits for its answer; an error frame is `Refused`.
    pub async fn request(&self, body: Request) -> Result<Response, WireError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, tx);
        let frame = tim_proto::encode_frame(&v1::ClientFrame {
            request_id: id,
            body: Some(body),
        });
        self.control
            .lock()
            .await
            .write_all(&frame)
            .await
            .map_err(lost)?;
        match tokio::time::timeout(WAIT, rx).await {
            Err(_) => Err(lost(format!("no answer to request {id} in {WAIT:?}"))),
            Ok(Err(_)) => Err(lost("connection ended before the answer")),
            Ok(Ok(Response::Error(error))) => Err(WireError::Refused {
                code: error.code,
                desc: error.desc,
            }),
            Ok(Ok(answer)) => Ok(answer),
        }
    }

    /// Sends a message: the server's ack.
    pub async fn send(
        &self,
        conversation: v1::ConversationId,
        message: v1::Message,
    ) -> Result<v1::SendMessageResponse, WireError> {
        match self
            .request(Request::SendMessage(v1::SendMessageRequest {
                conversation: Some(conversation),
                message: Some(message),
            }))
            .await?
        {
            Response::SendMessage(ack) => Ok(ack),
            other => Err(WireError::Unexpected(format!("{other:?}"))),
        }
    }

    /// The messages of a conversation this user sees from `begin_seq` on, oldest first
    /// (pages walked up).
    pub async fn history(
        &self,
        conversation: &v1::ConversationId,
        mut begin_seq: u64,
    ) -> Result<Vec<v1::Message>, WireError> {
        let mut messages = Vec::new();
        for _ in 0..100_000 {
            let page = match self
                .request(Request::PullHistory(v1::PullHistoryRequest {
                    conversation: Some(conversation.clone()),
                    begin_seq,
                    end_seq: 0,
                    max_count: 0,
                    backward: false,
                }))
                .await?
            {
                Response::PullHistory(page) => page,
                other => return Err(WireError::Unexpected(format!("{other:?}"))),
            };
            messages.extend(page.messages);
            if !page.has_more {
                return Ok(messages);
            }
            if page.covered_end_seq < begin_seq {
                return Err(WireError::Unexpected(format!(
                    "history page from seq {begin_seq} covers nothing but has more"
                )));
            }
            begin_seq = page.covered_end_seq + 1;
        }
        Err(WireError::Unexpected("history did not end".into()))
    }

    /// This user's event log after `cursor` (0: all of it, as a fresh device syncs): the
    /// events oldest first and the cursor after the last.
    pub async fn sync_from(
        &self,
        mut cursor: u64,
    ) -> Result<(Vec<v1::sync_event::Event>, u64), WireError> {
        let mut events = Vec::new();
        for _ in 0..100_000 {
            let page = match self
                .request(Request::Sync(v1::SyncRequest {
                    cursor,
                    max_events: 0,
                }))
                .await?
            {
                Response::Sync(page) => page,
                other => return Err(WireError::Unexpected(format!("{other:?}"))),
            };
            if page.cursor_expired {
                return Err(WireError::Unexpected(format!(
                    "the log no longer reaches back to cursor {cursor}"
                )));
            }
            events.extend(page.events.into_iter().filter_map(|event| event.event));
            cursor = page.next_cursor;
            if !page.has_more {
                return Ok((events, cursor));
            }
        }
        Err(WireError::Unexpected("sync did not end".into()))
    }

    /// Uploads `bytes` as `upload_id` (resuming from what the server holds): the finished
    /// upload, and the offset the server resumed from.
    pub async fn upload(
        &self,
        upload_id: &str,
        media_kind: i32,
        conversation: v1::ConversationId,
        bytes: &[u8],
    ) -> Result<(v1::UploadDone, u64), WireError> {
        let mut stream = TransferStream::open(
            &self.connection,
            TransferKind::Upload(v1::UploadBegin {
                upload_id: upload_id.into(),
                media_kind,
                conversation: Some(conversation),
                file_name: format!("{upload_id}.bin"),
                total_size: bytes.len() as u64,
            }),
        )
        .await?;
        let offset = match stream.answer().await? {
            TransferAnswer::Ready(ready) => ready.offset,
            other => return Err(transfer_error(other)),
        };
        let rest = usize::try_from(offset)
            .ok()
            .and_then(|offset| bytes.get(offset..))
            .ok_or_else(|| {
                WireError::Unexpected(format!(
                    "resume offset {offset} beyond {} bytes",
                    bytes.len()
                ))
            })?;
        stream.send.write_all(rest).await.map_err(lost)?;
        stream.send.finish().map_err(lost)?;
        match stream.answer().await? {
            TransferAnswer::Done(done) => Ok((done, offset)),
            other => Err(transfer_error(other)),
        }
    }

    /// Downloads a whole file.
    pub async fn download(&self, file_id: &str) -> Result<Vec<u8>, WireError> {
        let mut stream = TransferStream::open(
            &self.connection,
            TransferKind::Download(v1::DownloadBegin {
                file_id: file_id.into(),
                offset: 0,
            }),
        )
        .await?;
        stream.send.finish().map_err(lost)?;
        let total = match stream.answer().await? {
            TransferAnswer::Header(header) => header.total_size,
            other => return Err(transfer_error(other)),
        };
        let mut bytes = stream.decoder.take_buffered();
        let rest = tokio::time::timeout(WAIT, stream.recv.read_to_end(MAX_DOWNLOAD))
            .await
            .map_err(|_| lost("download did not end in time"))?
            .map_err(lost)?;
        bytes.extend_from_slice(&rest);
        if bytes.len() as u64 != total {
            return Err(WireError::Unexpected(format!(
                "download of {file_id}: {} bytes, header said {total}",
                bytes.len()
            )));
        }
        Ok(bytes)
    }
}

fn transfer_error(answer: TransferAnswer) -> WireError {
    match answer {
        TransferAnswer::Error(error) => WireError::Refused {
            code: error.code,
            desc: error.desc,
        },
        other => WireError::Unexpected(format!("{other:?}")),
    }
}

/// One transfer stream and the decoder of its answer frames.
struct TransferStream {
    send: quinn::SendStream,
    recv: quinn::RecvStream,
    decoder: FrameDecoder,
}

impl TransferStream {
    async fn open(connection: &quinn::Connection, kind: TransferKind) -> Result<Self, WireError> {
        let (mut send, recv) = tokio::time::timeout(WAIT, connection.open_bi())
            .await
            .map_err(|_| lost("no stream credit in time"))?
            .map_err(lost)?;
        let frame = tim_proto::encode_frame(&v1::TransferRequest { kind: Some(kind) });
        send.write_all(&frame).await.map_err(lost)?;
        Ok(Self {
            send,
            recv,
            decoder: FrameDecoder::new(),
        })
    }

    async fn answer(&mut self) -> Result<TransferAnswer, WireError> {
        for _ in 0..10_000 {
            match self.decoder.next_frame() {
                Ok(Some(payload)) => {
                    return v1::TransferResponse::decode(payload.as_slice())
                        .map_err(|e| WireError::Unexpected(e.to_string()))?
                        .kind
                        .ok_or_else(|| WireError::Unexpected("empty transfer answer".into()));
                }
                Ok(None) => {}
                Err(e) => return Err(WireError::Unexpected(e.to_string())),
            }
            let chunk = tokio::time::timeout(WAIT, self.recv.read_chunk(64 * 1024, true))
                .await
                .map_err(|_| lost("no transfer answer in time"))?
                .map_err(lost)?
                .ok_or_else(|| lost("transfer stream ended before its answer"))?;
            self.decoder.push(&chunk.bytes);
        }
        Err(WireError::Unexpected("no whole transfer answer".into()))
    }
}

/// Accepts exactly the certificate with the given SHA-256, as `tim serve` prints it.
#[derive(Debug)]
struct FingerprintVerifier {
    fingerprint: String,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl rustls::client::danger::ServerCertVerifier for FingerprintVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        if tim_server::cert::fingerprint(end_entity.as_ref()) == self.fingerprint {
            Ok(rustls::client::danger::ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General("fingerprint mismatch".into()))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
