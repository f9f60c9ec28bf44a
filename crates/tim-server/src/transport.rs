//! QUIC: the endpoint, the accept loop, and each connection's reader (frames in, requests
//! dispatched) and writer (a bounded queue of frames out to the one stream).

use crate::admission::{Admission, AdmissionGuard};
use crate::cert::Identity;
use crate::config::ServerConfig;
use crate::error::ServerError;
use crate::hub::{Outbound, Outgoing};
use crate::service::{Reply, Services, Session, error_response};
use crate::storage::Refusal;
use crate::writer::Answer;
use prost::Message as _;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tim_model::codes;
use tim_proto::FrameDecoder;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

/// The ALPN protocol of tim over QUIC.
pub const ALPN: &[u8] = b"tim/1";

/// Largest piece read from a stream at once.
const READ_CHUNK: usize = 64 * 1024;
/// Queued frames written at once, bytes (a frame is never split; one may exceed it).
const WRITE_BATCH_BYTES: usize = 64 * 1024;
/// Time given to queued frames to leave before a connection is closed.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(2);
/// A decoder that buffered more than this is replaced once empty, to give the memory back.
const DECODER_RESET_BYTES: usize = 64 * 1024;
/// UserSig expiries further away than this are not timed.
const EXPIRY_HORIZON_SECS: u64 = 30 * 24 * 3600;
/// Longest wait for the first frame of a connection refused for a cap, to answer it with the
/// refusal's code.
const REFUSAL_ANSWER_WAIT: Duration = Duration::from_secs(2);

/// Binds the QUIC endpoint, retrying briefly while a previous server's socket on the same
/// address is being released (without blocking the runtime while it waits).
pub(crate) async fn bind(
    config: &ServerConfig,
    identity: Identity,
) -> Result<quinn::Endpoint, ServerError> {
    let reset_key: Arc<dyn quinn::crypto::HmacKey> =
        Arc::new(crate::reset_key::ResetKey::from_private_key(&identity.key));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| ServerError::Tls(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(identity.chain, identity.key)
        .map_err(|e| ServerError::Tls(e.to_string()))?;
    tls.alpn_protocols = vec![ALPN.to_vec()];
    let crypto = quinn::crypto::rustls::QuicServerConfig::try_from(tls)
        .map_err(|e| ServerError::Tls(e.to_string()))?;
    let mut server_config = quinn::ServerConfig::with_crypto(Arc::new(crypto));
    let mut transport = quinn::TransportConfig::default();
    transport
        // The control stream and the transfer streams (media.proto); QUIC's stream credit
        // bounds the transfers a connection runs at once.
        .max_concurrent_bidi_streams(quinn::VarInt::from_u32(
            config.media.max_transfers_per_connection.saturating_add(1),
        ))
        .max_concurrent_uni_streams(quinn::VarInt::from_u32(0))
        .stream_receive_window(quinn::VarInt::from_u32(config.stream_receive_window))
        // Every transfer stream may fill its own stream window without taking the control
        // stream's share of the connection window: a stalled upload never blocks requests.
        .receive_window(
            quinn::VarInt::from_u64(
                u64::from(config.connection_receive_window).saturating_add(
                    u64::from(config.stream_receive_window)
                        .saturating_mul(u64::from(config.media.max_transfers_per_connection)),
                ),
            )
            .unwrap_or(quinn::VarInt::MAX),
        )
        .send_window(config.send_window)
        .datagram_receive_buffer_size(None)
        .max_idle_timeout(quinn::IdleTimeout::try_from(config.idle_timeout()).ok());
    server_config.transport_config(Arc::new(transport));
    let mut attempts = 0;
    loop {
        match bind_socket(config.listen, config.udp_buffer_bytes).and_then(|socket| {
            let runtime = quinn::default_runtime()
                .ok_or_else(|| std::io::Error::other("no async runtime for QUIC"))?;
            let mut endpoint_config = quinn::EndpointConfig::new(reset_key.clone());
            endpoint_config.cid_generator(|| Box::new(crate::reset_key::RandomCids));
            quinn::Endpoint::new(
                endpoint_config,
                Some(server_config.clone()),
                socket,
                runtime,
            )
        }) {
            Ok(endpoint) => return Ok(endpoint),
            Err(source) if source.kind() == std::io::ErrorKind::AddrInUse && attempts < 100 => {
                attempts += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(source) => {
                return Err(ServerError::Bind {
                    addr: config.listen,
                    source,
                });
            }
        }
    }
}

/// A UDP socket bound to `addr` whose kernel buffers hold `buffer_bytes` each way (as far as
/// the system allows): a burst of datagrams (a fan-out to thousands of devices, their acks,
/// many handshakes at once) must not overflow the default buffer, as every datagram dropped
/// there costs its connection a loss-recovery timeout.
pub fn bind_socket(addr: SocketAddr, buffer_bytes: usize) -> std::io::Result<std::net::UdpSocket> {
    let socket = std::net::UdpSocket::bind(addr)?;
    if buffer_bytes > 0 {
        let state = quinn::udp::UdpSocketState::new((&socket).into())?;
        // Best effort: the system may cap or refuse the sizes; the defaults still work.
        let _ = state.set_recv_buffer_size((&socket).into(), buffer_bytes);
        let _ = state.set_send_buffer_size((&socket).into(), buffer_bytes);
    }
    Ok(socket)
}

/// Accepts connections until `shutdown` fires, then closes them all and waits for their
/// tasks, so that nothing holds the storage afterwards. Handshakes beyond
/// [`ConnectionLimits::max_handshakes`](crate::ConnectionLimits) are refused at once.
pub(crate) async fn accept_loop(
    endpoint: quinn::Endpoint,
    services: Arc<Services>,
    mut shutdown: watch::Receiver<bool>,
) {
    let limits = services.config.connection.clone();
    let handshakes = Arc::new(Semaphore::new(limits.max_handshakes.max(1)));
    let admission = Arc::new(Mutex::new(Admission::new(limits)));
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            incoming = endpoint.accept() => match incoming {
                Some(incoming) => {
                    let Ok(handshake) = handshakes.clone().try_acquire_owned() else {
                        crate::metrics::get().connections_refused.inc();
                        incoming.refuse();
                        continue;
                    };
                    connections.spawn(serve_connection(
                        incoming,
                        services.clone(),
                        admission.clone(),
                        handshake,
                    ));
                }
                None => break,
            },
            _ = shutdown.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    endpoint.close(quinn::VarInt::from_u32(0), b"server shutting down");
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(Duration::from_secs(5), drain)
        .await
        .is_err()
    {
        connections.abort_all();
        while connections.join_next().await.is_some() {}
    }
    let _ = tokio::time::timeout(Duration::from_secs(2), endpoint.wait_idle()).await;
}

/// Serves one connection. The login deadline counts from here: the handshake, the first
/// stream and the login must all fit in `login_timeout`.
async fn serve_connection(
    incoming: quinn::Incoming,
    services: Arc<Services>,
    admission: Arc<Mutex<Admission>>,
    handshake: OwnedSemaphorePermit,
) {
    let login_deadline = Instant::now() + services.config.login_timeout;
    let address = incoming.remote_address().ip();
    let connection = match tokio::time::timeout_at(login_deadline, incoming).await {
        Ok(Ok(connection)) => connection,
        _ => return,
    };
    let (send, recv) = match tokio::time::timeout_at(login_deadline, connection.accept_bi()).await {
        Ok(Ok(streams)) => streams,
        _ => {
            connection.close(quinn::VarInt::from_u32(1), b"no stream");
            return;
        }
    };
    let admitted = match AdmissionGuard::admit(&admission, address) {
        Ok(admitted) => (admitted, crate::metrics::OpenConnection::new()),
        Err(refusal) => {
            crate::metrics::get().connections_refused.inc();
            // Answer the login (or whatever comes first) with the refusal, then close; the
            // handshake permit is held meanwhile, so refusals are bounded too.
            refuse_connection(&services, send, recv, &connection, refusal).await;
            drop(handshake);
            return;
        }
    };
    drop(handshake);
    let (tx, rx) = mpsc::channel(services.config.outbound_queue_frames.max(2));
    let writer = tokio::spawn(write_loop(send, rx, connection.clone()));
    let mut conn = Connection {
        conn_id: services.hub.next_conn_id(),
        in_flight: Arc::new(Semaphore::new(
            services.config.max_in_flight_per_connection.max(1),
        )),
        outbound: Outbound {
            tx,
            connection: connection.clone(),
        },
        services,
        session: None,
        login_deadline,
        address,
        admission,
    };
    let mut transfers = JoinSet::new();
    conn.read_loop(recv, &connection, &mut transfers).await;
    if let Some(session) = &conn.session {
        conn.services
            .hub
            .unregister(session.app, session.user.as_str(), conn.conn_id);
    }
    let _ = conn.outbound.tx.try_send(Outgoing::Close);
    drop(conn);
    let mut writer = writer;
    if tokio::time::timeout(FLUSH_TIMEOUT, &mut writer)
        .await
        .is_err()
    {
        writer.abort();
    }
    connection.close(quinn::VarInt::from_u32(0), b"closed");
    drop(admitted);
    // The transfers' streams fail with the connection; wait for them so no file stays open.
    if tokio::time::timeout(FLUSH_TIMEOUT, async {
        while transfers.join_next().await.is_some() {}
    })
    .await
    .is_err()
    {
        transfers.shutdown().await;
    }
}

/// Answers the first frame of a connection that is over a cap with `refusal` (request ID 0
/// when no whole frame came in time) and closes it.
async fn refuse_connection(
    services: &Services,
    mut send: quinn::SendStream,
    mut recv: quinn::RecvStream,
    connection: &quinn::Connection,
    refusal: Refusal,
) {
    let mut decoder =
        FrameDecoder::with_max_frame_len(services.config.connection.max_frame_bytes_before_login);
    let first = async {
        loop {
            match recv.read_chunk(READ_CHUNK, true).await {
                Ok(Some(chunk)) => decoder.push(&chunk.bytes),
                _ => return 0,
            }
            match decoder.next_frame() {
                Ok(Some(payload)) => {
                    return v1::ClientFrame::decode(payload.as_slice())
                        .map_or(0, |frame| frame.request_id);
                }
                Ok(None) => continue,
                Err(_) => return 0,
            }
        }
    };
    let request_id = tokio::time::timeout(REFUSAL_ANSWER_WAIT, first)
        .await
        .unwrap_or(0);
    tracing::debug!("connection refused: {refusal}");
    let answer = frame(request_id, error_response(refusal));
    if tokio::time::timeout(FLUSH_TIMEOUT, send.write_all(&answer))
        .await
        .is_ok()
    {
        let _ = send.finish();
        let _ = tokio::time::timeout(FLUSH_TIMEOUT, send.stopped()).await;
    }
    connection.close(quinn::VarInt::from_u32(0), b"connection limit");
}

async fn write_loop(
    mut send: quinn::SendStream,
    mut rx: mpsc::Receiver<Outgoing>,
    connection: quinn::Connection,
) {
    let mut batch = Vec::new();
    while let Some(mut item) = rx.recv().await {
        // Frames queued meanwhile go out in one write: one wake of the connection instead of
        // one per frame.
        let close = loop {
            match item {
                Outgoing::Frame(frame) if batch.is_empty() => batch = frame,
                Outgoing::Frame(frame) => batch.extend_from_slice(&frame),
                Outgoing::Close => break true,
            }
            if batch.len() >= WRITE_BATCH_BYTES {
                break false;
            }
            match rx.try_recv() {
                Ok(next) => item = next,
                Err(_) => break false,
            }
        };
        if !batch.is_empty() {
            if send.write_all(&batch).await.is_err() {
                return;
            }
            batch = Vec::new();
        }
        if close {
            let _ = send.finish();
            let _ = tokio::time::timeout(FLUSH_TIMEOUT, send.stopped()).await;
            connection.close(quinn::VarInt::from_u32(0), b"closed");
            return;
        }
    }
}

fn frame(request_id: u64, body: Response) -> Vec<u8> {
    let frame = v1::ServerFrame {
        request_id,
        body: Some(body),
    };
    match tim_proto::encode_frame_checked(&frame) {
        Ok(bytes) => bytes,
        Err(error) => tim_proto::encode_frame(&v1::ServerFrame {
            request_id,
            body: Some(error_response(Refusal::new(
                error.code(),
                error.to_string(),
            ))),
        }),
    }
}

/// Whether the connection goes on after a frame.
enum Next {
    Continue,
    /// Flush what is queued and close.
    Close,
}

struct Connection {
    services: Arc<Services>,
    outbound: Outbound,
    conn_id: u64,
    in_flight: Arc<Semaphore>,
    session: Option<Session>,
    /// Until the session starts: when the connection must have logged in.
    login_deadline: Instant,
    /// The peer's address (connection caps and failed-login lockouts).
    address: IpAddr,
    admission: Arc<Mutex<Admission>>,
}

impl Connection {
    fn send(&self, request_id: u64, body: Response) {
        self.outbound.push(frame(request_id, body));
    }

    fn refuse(&self, request_id: u64, code: i32, desc: impl Into<String>) {
        self.send(request_id, error_response(Refusal::new(code, desc)));
    }

    /// Reads the control stream until it ends; once logged in, also accepts the transfer
    /// streams (media.proto) of `connection`, each served in its own task in `transfers`.
    async fn read_loop(
        &mut self,
        mut recv: quinn::RecvStream,
        connection: &quinn::Connection,
        transfers: &mut JoinSet<()>,
    ) {
        // Before login only small frames are taken (a login is a few hundred bytes).
        let mut decoder = FrameDecoder::with_max_frame_len(
            self.services.config.connection.max_frame_bytes_before_login,
        );
        let mut full_decoder = false;
        let mut buffered_since_reset = 0usize;
        loop {
            let wait = match &self.session {
                // One deadline for the whole login, however the bytes trickle in.
                None => self
                    .login_deadline
                    .saturating_duration_since(Instant::now()),
                Some(_) => self.services.config.idle_timeout(),
            };
            let expiry = self.expiry_sleep();
            let logged_in = self.session.is_some();
            let read = tokio::select! {
                read = tokio::time::timeout(wait, recv.read_chunk(READ_CHUNK, true)) => read,
                stream = connection.accept_bi(), if logged_in => {
                    let Ok((send, recv)) = stream else { return };
                    if let Some(session) = &self.session {
                        transfers.spawn(crate::transfer::serve(
                            self.services.clone(),
                            session.clone(),
                            send,
                            recv,
                        ));
                    }
                    continue;
                }
                Some(_) = transfers.join_next(), if !transfers.is_empty() => continue,
                () = expiry => {
                    let push = v1::UserSigExpiredPush {};
                    self.outbound.push_then_close(frame(0, Response::UserSigExpired(push)));
                    return;
                }
            };
            let chunk = match read {
                Err(_) => {
                    tracing::debug!(
                        conn = self.conn_id,
                        "idle or never logged-in connection dropped"
                    );
                    return;
                }
                Ok(Err(_)) => return,
                Ok(Ok(None)) => {
                    if let Err(error) = decoder.finish() {
                        self.refuse(0, error.code(), error.to_string());
                    }
                    return;
                }
                Ok(Ok(Some(chunk))) => chunk,
            };
            buffered_since_reset = buffered_since_reset.saturating_add(chunk.bytes.len());
            decoder.push(&chunk.bytes);
            loop {
                match decoder.next_frame() {
                    Ok(None) => break,
                    Err(error) => {
                        // The stream is out of step: answer, then close this connection only.
                        self.refuse(0, error.code(), error.to_string());
                        return;
                    }
                    Ok(Some(payload)) => match v1::ClientFrame::decode(payload.as_slice()) {
                        Err(error) => self.refuse(
                            0,
                            codes::ERR_PARSE_RESPONSE_FAILED,
                            format!("malformed protobuf data: {error}"),
                        ),
                        Ok(client_frame) => {
                            if let Next::Close = self.on_frame(client_frame).await {
                                return;
                            }
                            if !full_decoder && self.session.is_some() {
                                // Logged in: frames up to the protocol's limit from now on.
                                let rest = decoder.take_buffered();
                                decoder = FrameDecoder::new();
                                decoder.push(&rest);
                                full_decoder = true;
                            }
                        }
                    },
                }
            }
            if full_decoder
                && buffered_since_reset > DECODER_RESET_BYTES
                && decoder.buffered_len() == 0
            {
                decoder = FrameDecoder::new();
                buffered_since_reset = 0;
            }
        }
    }

    /// Sleeps until the session's UserSig expires (forever without a session or when the
    /// expiry is far away).
    fn expiry_sleep(&self) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        let Some(session) = &self.session else {
            return Box::pin(std::future::pending());
        };
        let remaining = session
            .expires_at
            .saturating_sub(crate::usersig::now_secs());
        if remaining > EXPIRY_HORIZON_SECS {
            return Box::pin(std::future::pending());
        }
        Box::pin(tokio::time::sleep(Duration::from_secs(
            remaining.saturating_add(1),
        )))
    }

    async fn on_frame(&mut self, client_frame: v1::ClientFrame) -> Next {
        let request_id = client_frame.request_id;
        let Some(body) = client_frame.body else {
            self.refuse(
                request_id,
                codes::ERR_SDK_INVALID_OPERATION,
                "unknown or missing request body",
            );
            return Next::Continue;
        };
        let Some(session) = &self.session else {
            if let Request::Login(login) = body {
                return self.login(request_id, login).await;
            }
            self.refuse(request_id, codes::ERR_SDK_NOT_LOGGED_IN, "log in first");
            return Next::Continue;
        };
        if let Request::Logout(_) = body {
            self.services
                .hub
                .unregister(session.app, session.user.as_str(), self.conn_id);
            if let Err(refusal) = self.services.logout(session).await {
                tracing::warn!("logout: the push token was not removed: {refusal}");
            }
            self.send(request_id, Response::Logout(v1::LogoutResponse {}));
            self.session = None;
            return Next::Close;
        }
        let Ok(permit) = self.in_flight.clone().acquire_owned().await else {
            return Next::Close;
        };
        let kind = request_kind(&body);
        crate::metrics::get()
            .requests
            .with_label_values(&[kind])
            .inc();
        let arrived = std::time::Instant::now();
        match self.services.handle(session, body).await {
            Reply::Now(response) => {
                drop(permit);
                self.send(request_id, *response);
            }
            Reply::Later(future) => {
                let outbound = self.outbound.clone();
                tokio::spawn(async move {
                    let response = future.await;
                    outbound.push(frame(request_id, response));
                    drop(permit);
                });
            }
            Reply::Write { ops, answer } => {
                // The writer thread queues the answer itself, ahead of the commit's pushes.
                let outbound = self.outbound.clone();
                let answer = Answer::new(move |reply| {
                    let response = answer(reply);
                    if kind == "send" {
                        let metrics = crate::metrics::get();
                        metrics.send_to_ack.observe(arrived.elapsed().as_secs_f64());
                        if matches!(response, Response::SendMessage(_)) {
                            metrics.acks.inc();
                        }
                    }
                    outbound.push(frame(request_id, response));
                    drop(permit);
                });
                self.services.writer.submit_then(ops, answer).await;
            }
        }
        Next::Continue
    }

    /// Logs in; a refused login is answered and closes the connection (a client starts over
    /// on a new one), and repeated failures lock the (address, app, user) out for a while.
    async fn login(&mut self, request_id: u64, login: v1::LoginRequest) -> Next {
        let (app, user) = (login.sdk_app_id, login.user_id.clone());
        let allowed = crate::admission::lock(&self.admission).login_allowed(
            self.address,
            app,
            &user,
            std::time::Instant::now(),
        );
        if let Err(refusal) = allowed {
            self.outbound
                .push_then_close(frame(request_id, error_response(refusal)));
            return Next::Close;
        }
        let outcome = self.services.login(login, self.conn_id).await;
        let result = match &outcome {
            Ok(_) => "ok".to_owned(),
            Err(refusal) => refusal.code.to_string(),
        };
        crate::metrics::get()
            .logins
            .with_label_values(&[result.as_str()])
            .inc();
        match outcome {
            Err(refusal) => {
                crate::admission::lock(&self.admission).login_failed(
                    self.address,
                    app,
                    &user,
                    std::time::Instant::now(),
                );
                self.outbound
                    .push_then_close(frame(request_id, error_response(refusal)));
                Next::Close
            }
            Ok((session, response)) => {
                crate::admission::lock(&self.admission).login_succeeded(self.address, app, &user);
                self.send(request_id, Response::Login(response));
                let replaced = self.services.hub.register(
                    session.app,
                    session.user.as_str(),
                    self.conn_id,
                    &session.device_id,
                    session.platform,
                    self.outbound.clone(),
                );
                for old in replaced {
                    let kick = v1::KickedOfflinePush {
                        platform: session.platform,
                        device_id: session.device_id.clone(),
                    };
                    old.push_then_close(frame(0, Response::KickedOffline(kick)));
                }
                self.session = Some(session);
                Next::Continue
            }
        }
    }
}

/// The address a bound endpoint listens on.
pub(crate) fn local_addr(endpoint: &quinn::Endpoint, fallback: SocketAddr) -> SocketAddr {
    endpoint.local_addr().unwrap_or(fallback)
}

/// The kind of a request, as the `requests_total` metric counts it.
fn request_kind(body: &Request) -> &'static str {
    match body {
        Request::SendMessage(_) => "send",
        Request::BatchSend(_) => "batch_send",
        Request::Sync(_) => "sync",
        Request::PullHistory(_) => "history",
        Request::Ping(_) => "ping",
        Request::ReportRead(_) | Request::SendReadReceipts(_) => "read",
        Request::RevokeMessage(_) | Request::ModifyMessage(_) | Request::CancelSend(_) => {
            "message_change"
        }
        Request::SetExtensions(_) | Request::DeleteExtensions(_) | Request::GetExtensions(_) => {
            "extensions"
        }
        _ => "other",
    }
}
