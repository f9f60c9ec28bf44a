//! A minimal client of the wire protocol for the benchmark: one QUIC connection and its one
//! stream per session, frames written and read in the caller's task, no local store. It
//! measures the server, not the client engine.

use prost::Message as _;
use std::net::SocketAddr;
use std::sync::Arc;
use tim_proto::FrameDecoder;
use tim_proto::v1::{self, client_frame::Body as Request, server_frame::Body as Response};

/// The app every benchmark session logs in to.
pub const APP: u64 = 1_400_000_777;
/// Its secret key.
pub const KEY: &str = "bench-secret-key";

/// Client endpoints (UDP sockets) the sessions are spread over: one endpoint's driver task
/// would otherwise handle every packet of thousands of sessions on one core.
const ENDPOINTS: usize = 8;
/// Kernel buffer of each client socket, bytes: a fan-out to thousands of sessions arrives as
/// one burst of datagrams, and the default buffer drops most of it.
const SOCKET_BUFFER_BYTES: usize = 8 * 1024 * 1024;

/// A few client endpoints (UDP sockets) shared by many sessions.
pub struct Wire {
    endpoints: Vec<quinn::Endpoint>,
    next: std::sync::atomic::AtomicUsize,
    server: SocketAddr,
}

impl Wire {
    /// A client endpoint that trusts the server certificate `der` as its root.
    pub fn new(server: SocketAddr, der: Vec<u8>) -> Result<Self, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(rustls::pki_types::CertificateDer::from(der))
            .map_err(|err| format!("server certificate: {err}"))?;
        let mut tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13])
            .map_err(|err| format!("tls: {err}"))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        tls.alpn_protocols = vec![tim_server::ALPN.to_vec()];
        let crypto = quinn::crypto::rustls::QuicClientConfig::try_from(tls)
            .map_err(|err| format!("quic: {err}"))?;
        let client_config = quinn::ClientConfig::new(Arc::new(crypto));
        let runtime = quinn::default_runtime().ok_or("no async runtime for QUIC")?;
        let mut endpoints = Vec::with_capacity(ENDPOINTS);
        for _ in 0..ENDPOINTS {
            let socket =
                tim_server::bind_socket(SocketAddr::from(([127, 0, 0, 1], 0)), SOCKET_BUFFER_BYTES)
                    .map_err(|err| format!("client socket: {err}"))?;
            let mut endpoint = quinn::Endpoint::new(
                quinn::EndpointConfig::default(),
                None,
                socket,
                runtime.clone(),
            )
            .map_err(|err| format!("client endpoint: {err}"))?;
            endpoint.set_default_client_config(client_config.clone());
            endpoints.push(endpoint);
        }
        Ok(Self {
            endpoints,
            next: std::sync::atomic::AtomicUsize::new(0),
            server,
        })
    }

    /// Connects and logs `user` in on device `device`.
    pub async fn session(&self, user: &str, device: &str) -> Result<Session, String> {
        let at =
            self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % self.endpoints.len();
        let connection = self.endpoints[at]
            .connect(self.server, "localhost")
            .map_err(|err| format!("connect: {err}"))?
            .await
            .map_err(|err| format!("handshake: {err}"))?;
        let (send, recv) = connection
            .open_bi()
            .await
            .map_err(|err| format!("stream: {err}"))?;
        let mut session = Session {
            _connection: connection,
            send,
            recv,
            decoder: FrameDecoder::new(),
            next_id: 1,
        };
        let sig = tim_server::usersig::gen_user_sig(APP, KEY, user, 86_400);
        let login = Request::Login(v1::LoginRequest {
            user_id: user.to_owned(),
            user_sig: sig,
            sdk_app_id: APP,
            device_id: device.to_owned(),
            platform: 0,
            sdk_version: "bench".to_owned(),
        });
        match session.call(login).await? {
            Response::Login(_) => Ok(session),
            other => Err(format!("login of {user}: {}", describe(&other))),
        }
    }
}

/// One logged-in connection.
pub struct Session {
    _connection: quinn::Connection,
    send: quinn::SendStream,
    recv: quinn::RecvStream,
    decoder: FrameDecoder,
    next_id: u64,
}

impl Session {
    /// Writes one request and returns its ID without waiting for the answer.
    pub async fn write(&mut self, body: Request) -> Result<u64, String> {
        let request_id = self.next_id;
        self.next_id += 1;
        let frame = tim_proto::encode_frame(&v1::ClientFrame {
            request_id,
            body: Some(body),
        });
        self.send
            .write_all(&frame)
            .await
            .map_err(|err| format!("write: {err}"))?;
        Ok(request_id)
    }

    /// The next frame from the server: an answer or a push.
    pub async fn read(&mut self) -> Result<v1::ServerFrame, String> {
        loop {
            if let Some(payload) = self.decoder.next_frame().map_err(|err| err.to_string())? {
                return v1::ServerFrame::decode(payload.as_slice())
                    .map_err(|err| format!("decode: {err}"));
            }
            match self.recv.read_chunk(64 * 1024, true).await {
                Ok(Some(chunk)) => self.decoder.push(&chunk.bytes),
                Ok(None) => return Err("the server closed the stream".to_owned()),
                Err(err) => return Err(format!("read: {err}")),
            }
        }
    }

    /// Writes one request and reads until its answer, skipping pushes.
    pub async fn call(&mut self, body: Request) -> Result<Response, String> {
        let request_id = self.write(body).await?;
        loop {
            let frame = self.read().await?;
            if frame.request_id == request_id {
                return frame
                    .body
                    .ok_or_else(|| "an answer without a body".to_owned());
            }
        }
    }

    /// Reads until the push of the new message `msg_id` arrives.
    #[allow(dead_code)] // used by one of the two benchmarks sharing this file
    pub async fn wait_for_message(&mut self, msg_id: &str) -> Result<(), String> {
        loop {
            if let Some(Response::NewMessage(push)) = self.read().await?.body
                && push
                    .message
                    .as_ref()
                    .and_then(|message| message.msg_id.as_deref())
                    == Some(msg_id)
            {
                return Ok(());
            }
        }
    }
}

/// A send of a short text message into a conversation.
pub fn send_text(conv_type: i32, conv_id: &str, msg_id: String, text: &str) -> Request {
    Request::SendMessage(v1::SendMessageRequest {
        conversation: Some(v1::ConversationId {
            conv_type,
            conv_id: conv_id.to_owned(),
        }),
        message: Some(v1::Message {
            elems: vec![v1::Elem {
                body: Some(v1::elem::Body::Text(v1::TextElem {
                    content: text.to_owned(),
                })),
            }],
            msg_id: Some(msg_id),
            rand: 42,
            client_time: 1_735_000_000,
            priority: 1,
            ..Default::default()
        }),
    })
}

/// A readable account of an answer that was not the one expected.
pub fn describe(response: &Response) -> String {
    match response {
        Response::Error(error) => format!("error {}: {}", error.code, error.desc),
        other => format!("unexpected answer {other:?}"),
    }
}
