//! Test support: a real server on 127.0.0.1 in a temp dir, and a small client speaking
//! tim-proto frames over quinn that trusts the server by its certificate fingerprint.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, missing_docs)]

use prost::Message as _;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tim_proto::FrameDecoder;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;
use tim_server::{AppConfig, Server, ServerConfig};
use tokio::sync::{mpsc, oneshot};

pub const APP: u64 = 1_400_000_001;
pub const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
pub mod media;
pub mod push;

pub const WAIT: Duration = Duration::from_secs(10);

pub struct TestServer {
    pub server: Option<Server>,
    pub dir: tempfile::TempDir,
    pub addr: SocketAddr,
    pub fingerprint: String,
    pub config: ServerConfig,
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(tune: impl FnOnce(&mut ServerConfig)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut config = ServerConfig::new(
            "127.0.0.1:0".parse().unwrap(),
            dir.path().to_owned(),
            vec![AppConfig {
                sdk_app_id: APP,
                secret_key: KEY.into(),
            }],
        );
        tune(&mut config);
        let server = Server::start(config.clone()).await.unwrap();
        let addr = server.local_addr();
        config.listen = addr;
        Self {
            fingerprint: server.certificate().sha256_hex.clone(),
            server: Some(server),
            dir,
            addr,
            config,
        }
    }

    /// Stops the server and starts it again on the same address and data directory.
    pub async fn restart(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
        let server = Server::start(self.config.clone()).await.unwrap();
        assert_eq!(server.local_addr(), self.addr);
        assert_eq!(server.certificate().sha256_hex, self.fingerprint);
        self.server = Some(server);
    }

    pub async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }

    pub fn sig(&self, user: &str) -> String {
        tim_server::usersig::gen_user_sig(APP, KEY, user, 86400)
    }

    pub async fn client(&self, user: &str, device: &str) -> TestClient {
        let client = TestClient::connect(self).await;
        let response = client.login(user, &self.sig(user), device).await;
        assert!(matches!(response, Response::Login(_)), "{response:?}");
        client
    }
}

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

/// A raw QUIC connection with its one stream.
pub async fn connect_raw(
    server: &TestServer,
) -> (
    quinn::Endpoint,
    quinn::Connection,
    quinn::SendStream,
    quinn::RecvStream,
) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(FingerprintVerifier {
            fingerprint: server.fingerprint.clone(),
            provider,
        }))
        .with_no_client_auth();
    tls.alpn_protocols = vec![tim_server::ALPN.to_vec()];
    let crypto = quinn::crypto::rustls::QuicClientConfig::try_from(tls).unwrap();
    let mut endpoint = quinn::Endpoint::client("127.0.0.1:0".parse().unwrap()).unwrap();
    endpoint.set_default_client_config(quinn::ClientConfig::new(Arc::new(crypto)));
    let connection =
        tokio::time::timeout(WAIT, endpoint.connect(server.addr, "localhost").unwrap())
            .await
            .expect("connect timed out")
            .unwrap();
    let (send, recv) = connection.open_bi().await.unwrap();
    (endpoint, connection, send, recv)
}

pub fn encode(request_id: u64, body: Request) -> Vec<u8> {
    tim_proto::encode_frame(&v1::ClientFrame {
        request_id,
        body: Some(body),
    })
}

type Pending = Arc<Mutex<HashMap<u64, oneshot::Sender<Response>>>>;

/// A client: requests are matched to responses by ID; pushes (request ID 0) queue up.
pub struct TestClient {
    pub endpoint: quinn::Endpoint,
    pub connection: quinn::Connection,
    send: tokio::sync::Mutex<quinn::SendStream>,
    pending: Pending,
    pushes: mpsc::UnboundedReceiver<v1::ServerFrame>,
    next_id: AtomicU64,
}

impl TestClient {
    pub async fn connect(server: &TestServer) -> Self {
        let (endpoint, connection, send, mut recv) = connect_raw(server).await;
        let pending: Pending = Arc::default();
        let (push_tx, pushes) = mpsc::unbounded_channel();
        let pending_in = pending.clone();
        tokio::spawn(async move {
            let mut decoder = FrameDecoder::new();
            while let Ok(Some(chunk)) = recv.read_chunk(64 * 1024, true).await {
                decoder.push(&chunk.bytes);
                while let Ok(Some(payload)) = decoder.next_frame() {
                    let frame = v1::ServerFrame::decode(payload.as_slice()).unwrap();
                    let waiter = (frame.request_id != 0)
                        .then(|| pending_in.lock().unwrap().remove(&frame.request_id))
                        .flatten();
                    match (waiter, frame.body.clone()) {
                        (Some(waiter), Some(body)) => {
                            let _ = waiter.send(body);
                        }
                        _ => {
                            let _ = push_tx.send(frame);
                        }
                    }
                }
            }
        });
        Self {
            endpoint,
            connection,
            send: tokio::sync::Mutex::new(send),
            pending,
            pushes,
            next_id: AtomicU64::new(1),
        }
    }

    pub async fn login(&self, user: &str, sig: &str, device: &str) -> Response {
        self.request(Request::Login(v1::LoginRequest {
            user_id: user.into(),
            user_sig: sig.into(),
            sdk_app_id: APP,
            device_id: device.into(),
            platform: 0,
            sdk_version: "test".into(),
        }))
        .await
    }

    pub async fn write_raw(&self, bytes: &[u8]) {
        self.send.lock().await.write_all(bytes).await.unwrap();
    }

    /// Sends `body` without waiting; the answer comes through the returned receiver.
    pub async fn start_request(&self, body: Request) -> oneshot::Receiver<Response> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        self.pending.lock().unwrap().insert(id, tx);
        self.write_raw(&encode(id, body)).await;
        rx
    }

    pub async fn request(&self, body: Request) -> Response {
        let rx = self.start_request(body).await;
        tokio::time::timeout(WAIT, rx)
            .await
            .expect("no response in time")
            .expect("connection ended before the response")
    }

    pub async fn next_push(&mut self) -> v1::ServerFrame {
        tokio::time::timeout(WAIT, self.pushes.recv())
            .await
            .expect("no push in time")
            .expect("connection ended")
    }

    pub async fn next_message(&mut self) -> v1::NewMessagePush {
        match self.next_push().await.body {
            Some(Response::NewMessage(push)) => push,
            other => panic!("expected a new-message push, got {other:?}"),
        }
    }

    /// Waits until the server closes the connection.
    pub async fn closed(&self) -> quinn::ConnectionError {
        tokio::time::timeout(WAIT, self.connection.closed())
            .await
            .expect("connection not closed in time")
    }

    pub async fn send(&self, conv_type: i32, conv_id: &str, msg_id: &str, text: &str) -> Response {
        self.request(send_request(conv_type, conv_id, msg_id, text, false))
            .await
    }

    pub async fn send_ok(
        &self,
        conv_type: i32,
        conv_id: &str,
        msg_id: &str,
        text: &str,
    ) -> v1::SendMessageResponse {
        match self.send(conv_type, conv_id, msg_id, text).await {
            Response::SendMessage(ack) => ack,
            other => panic!("send {msg_id} failed: {other:?}"),
        }
    }

    pub async fn sync_all(&self, mut cursor: u64) -> (Vec<v1::NewMessagePush>, u64) {
        let mut events = Vec::new();
        for _ in 0..1000 {
            match self
                .request(Request::Sync(v1::SyncRequest {
                    cursor,
                    max_events: 0,
                }))
                .await
            {
                Response::Sync(page) => {
                    for event in page.events {
                        match event.event {
                            Some(v1::sync_event::Event::NewMessage(push)) => events.push(push),
                            other => panic!("unexpected event {other:?}"),
                        }
                    }
                    cursor = page.next_cursor;
                    if !page.has_more {
                        return (events, cursor);
                    }
                }
                other => panic!("sync failed: {other:?}"),
            }
        }
        panic!("sync did not finish");
    }

    pub async fn pull(
        &self,
        conv_type: i32,
        conv_id: &str,
        begin: u64,
        end: u64,
        max: u32,
        backward: bool,
    ) -> Response {
        self.request(Request::PullHistory(v1::PullHistoryRequest {
            conversation: Some(conv(conv_type, conv_id)),
            begin_seq: begin,
            end_seq: end,
            max_count: max,
            backward,
        }))
        .await
    }
}

pub const C2C: i32 = 1;
pub const GROUP: i32 = 2;

pub fn conv(conv_type: i32, conv_id: &str) -> v1::ConversationId {
    v1::ConversationId {
        conv_type,
        conv_id: conv_id.into(),
    }
}

pub fn text_message(msg_id: &str, text: &str) -> v1::Message {
    v1::Message {
        elems: vec![v1::Elem {
            body: Some(v1::elem::Body::Text(v1::TextElem {
                content: text.into(),
            })),
        }],
        msg_id: Some(msg_id.into()),
        rand: 7,
        client_time: 1,
        priority: 1,
        ..Default::default()
    }
}

pub fn send_request(
    conv_type: i32,
    conv_id: &str,
    msg_id: &str,
    text: &str,
    online: bool,
) -> Request {
    let mut message = text_message(msg_id, text);
    message.is_online_msg = online;
    Request::SendMessage(v1::SendMessageRequest {
        conversation: Some(conv(conv_type, conv_id)),
        message: Some(message),
    })
}

pub fn error_code(response: &Response) -> i32 {
    match response {
        Response::Error(error) => error.code,
        other => panic!("expected an error, got {other:?}"),
    }
}

pub fn text_of(message: &v1::Message) -> String {
    match message.elems.first().and_then(|e| e.body.as_ref()) {
        Some(v1::elem::Body::Text(text)) => text.content.clone(),
        other => format!("{other:?}"),
    }
}
