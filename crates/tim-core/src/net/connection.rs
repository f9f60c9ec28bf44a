//! One QUIC connection to the server: one bidirectional stream carrying length-prefixed frames,
//! requests multiplexed by `request_id` with a timeout each, and pushes handed to the session.
//!
//! A writer task owns the send half (so a request future dropped mid-way never leaves half a
//! frame on the stream); a reader task owns the receive half, resolves waiting requests and
//! forwards pushes. Whatever ends the connection (stream error, server close, idle timeout,
//! undecodable stream) fails every waiting request with `ERR_SDK_NET_DISCONNECT` and tells the
//! session once, tagged with the connection's generation so a late notice of an old connection
//! is never mistaken for the current one.

use super::config::ClientConfig;
use crate::error::{CoreError, Result};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;
use tim_model::codes;
use tim_proto::v1::{ClientFrame, ServerFrame, client_frame, server_frame};
use tim_proto::{FrameDecoder, decode_frame, encode_frame_checked};
use tokio::sync::{mpsc, oneshot};

/// A request body.
pub(crate) type Request = client_frame::Body;
/// A response or push body.
pub(crate) type Response = server_frame::Body;

/// What a connection tells the session.
#[derive(Debug)]
pub(crate) enum Incoming {
    /// A push (a server frame with request ID 0) on connection `generation`.
    Push {
        generation: u64,
        body: Box<Response>,
    },
    /// Connection `generation` ended.
    Closed { generation: u64, reason: String },
}

/// The requests waiting for their answer, and whether the connection still takes requests.
struct Pending {
    open: bool,
    waiters: HashMap<u64, oneshot::Sender<Result<Response>>>,
}

struct Inner {
    generation: u64,
    connection: quinn::Connection,
    /// Keeps the UDP socket of this connection alive.
    _endpoint: quinn::Endpoint,
    frames: mpsc::UnboundedSender<Vec<u8>>,
    pending: Mutex<Pending>,
    next_id: AtomicU64,
    timeout: Duration,
    /// See `ClientConfig::quiet_probe`.
    quiet_probe: Duration,
    /// Chunks received so far: whether the server said anything since a moment.
    heard: AtomicU64,
}

impl Drop for Inner {
    /// The last handle is gone (the session ended or was dropped): close, so the reader and
    /// writer tasks end and the server forgets this device.
    fn drop(&mut self) {
        self.connection
            .close(quinn::VarInt::from_u32(0), b"client gone");
    }
}

/// A handle on one connection; cheap to clone. The connection closes when the last handle is
/// dropped (the reader and writer tasks hold none).
#[derive(Clone)]
pub(crate) struct Conn {
    inner: Arc<Inner>,
}

impl Conn {
    /// Connects to one of the servers of `config.server_address` (a comma-separated list
    /// of `host:port`), opens the stream and starts the reader and writer tasks. The server at
    /// `preferred` (the one that last worked) is tried first; each next one is tried
    /// [`FAILOVER_STAGGER`] later while the earlier attempts go on, and the first to answer
    /// wins, so a dead node delays a connection by the stagger, not by a timeout. `preferred`
    /// is set to the winner. Fails with `ERR_SDK_NET_CONN_TIMEOUT` when no handshake ends
    /// within the request timeout, and with the last attempt's network code otherwise.
    pub(crate) async fn connect(
        config: &ClientConfig,
        quic: quinn::ClientConfig,
        generation: u64,
        incoming: mpsc::Sender<Incoming>,
        preferred: &AtomicUsize,
    ) -> Result<Self> {
        let timeout = config.request_timeout;
        let addresses = server_addresses(&config.server_address);
        if addresses.is_empty() {
            return Err(CoreError::invalid(
                "server_address: empty (host:port, or several separated by commas)",
            ));
        }
        let first = preferred.load(Ordering::Relaxed) % addresses.len();
        let mut attempts = tokio::task::JoinSet::new();
        for rank in 0..addresses.len() {
            let index = (first + rank) % addresses.len();
            let address = addresses[index].clone();
            let quic = quic.clone();
            let server_name = config.server_name.clone();
            let delay = FAILOVER_STAGGER.saturating_mul(u32::try_from(rank).unwrap_or(u32::MAX));
            attempts.spawn(async move {
                tokio::time::sleep(delay).await;
                (index, dial(&address, quic, &server_name).await)
            });
        }
        let race = async {
            let mut last = None;
            while let Some(joined) = attempts.join_next().await {
                match joined {
                    Ok((index, Ok(parts))) => return Ok((index, parts)),
                    Ok((_, Err(err))) => last = Some(err),
                    Err(err) => {
                        last = Some(CoreError::network(
                            codes::ERR_SDK_NET_CONN_REFUSE,
                            format!("connection attempt failed: {err}"),
                        ));
                    }
                }
            }
            Err(last.unwrap_or_else(|| {
                CoreError::network(codes::ERR_SDK_NET_CONN_REFUSE, "no server to connect to")
            }))
        };
        let (index, (endpoint, connection, send, recv)) =
            tokio::time::timeout(timeout, race).await.map_err(|_| {
                CoreError::network(
                    codes::ERR_SDK_NET_CONN_TIMEOUT,
                    format!("no connection to {} in {timeout:?}", config.server_address),
                )
            })??;
        attempts.abort_all();
        preferred.store(index, Ordering::Relaxed);
        let (frames, frames_rx) = mpsc::unbounded_channel();
        let conn = Self {
            inner: Arc::new(Inner {
                generation,
                connection,
                _endpoint: endpoint,
                frames,
                pending: Mutex::new(Pending {
                    open: true,
                    waiters: HashMap::new(),
                }),
                next_id: AtomicU64::new(1),
                timeout,
                quiet_probe: config.quiet_probe,
                heard: AtomicU64::new(0),
            }),
        };
        tokio::spawn(write_frames(conn.inner.connection.clone(), send, frames_rx));
        tokio::spawn(read_frames(
            Arc::downgrade(&conn.inner),
            conn.inner.connection.clone(),
            recv,
            incoming,
        ));
        Ok(conn)
    }

    /// The generation this connection was made with.
    pub(crate) fn generation(&self) -> u64 {
        self.inner.generation
    }

    /// Whether the QUIC connection has ended (closed by either side, or lost).
    pub(crate) fn is_closed(&self) -> bool {
        self.inner.connection.close_reason().is_some()
    }

    /// Sends `body` and waits for its answer: the response body, the server's `Error` as
    /// [`CoreError::Server`], `ERR_SDK_NET_WAIT_ACK_TIMEOUT` (9520) when none comes in time, or
    /// `ERR_SDK_NET_DISCONNECT` (9508) when the connection ends first.
    pub(crate) async fn request(&self, body: Request) -> Result<Response> {
        let request_id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        let frame = ClientFrame {
            request_id,
            body: Some(body),
        };
        let bytes = encode_frame_checked(&frame)?;
        let (tx, rx) = oneshot::channel();
        {
            let mut pending = self.lock();
            if !pending.open {
                return Err(CoreError::disconnected("the connection is closed"));
            }
            pending.waiters.insert(request_id, tx);
        }
        let heard_before = self.inner.heard.load(Ordering::Relaxed);
        if self.inner.frames.send(bytes).is_err() {
            self.lock().waiters.remove(&request_id);
            return Err(CoreError::disconnected("the connection is closed"));
        }
        let started = tokio::time::Instant::now();
        let mut rx = rx;
        let probe = self.inner.quiet_probe;
        if !probe.is_zero() && probe.saturating_mul(2) < self.inner.timeout {
            if let Ok(answer) = tokio::time::timeout(probe, &mut rx).await {
                return answer
                    .unwrap_or_else(|_| Err(CoreError::disconnected("the connection closed")));
            }
            if self.inner.heard.load(Ordering::Relaxed) == heard_before {
                // Nothing from the server since the request left: ask for a sign of life.
                self.ping();
                if let Ok(answer) = tokio::time::timeout(probe, &mut rx).await {
                    return answer
                        .unwrap_or_else(|_| Err(CoreError::disconnected("the connection closed")));
                }
                if self.inner.heard.load(Ordering::Relaxed) == heard_before {
                    self.lock().waiters.remove(&request_id);
                    self.inner
                        .connection
                        .close(quinn::VarInt::from_u32(4), b"the server went quiet");
                    return Err(CoreError::disconnected(format!(
                        "nothing heard from the server in {:?}: reconnecting",
                        probe.saturating_mul(2)
                    )));
                }
            }
        }
        match tokio::time::timeout_at(started + self.inner.timeout, rx).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(_)) => Err(CoreError::disconnected("the connection closed")),
            Err(_) => {
                self.lock().waiters.remove(&request_id);
                Err(CoreError::network(
                    codes::ERR_SDK_NET_WAIT_ACK_TIMEOUT,
                    format!("no answer in {:?}", self.inner.timeout),
                ))
            }
        }
    }

    /// Sends a ping whose answer nobody waits for: anything the server says proves the path.
    fn ping(&self) {
        let frame = ClientFrame {
            request_id: self.inner.next_id.fetch_add(1, Ordering::Relaxed),
            body: Some(client_frame::Body::Ping(tim_proto::v1::PingRequest {})),
        };
        if let Ok(bytes) = encode_frame_checked(&frame) {
            let _ = self.inner.frames.send(bytes);
        }
    }

    /// Opens a transfer stream (media.proto) on this connection; waits for stream credit when
    /// the server's limit of concurrent transfers is reached.
    pub(crate) async fn open_transfer(&self) -> Result<(quinn::SendStream, quinn::RecvStream)> {
        self.inner
            .connection
            .open_bi()
            .await
            .map_err(|err| CoreError::disconnected(format!("no transfer stream: {err}")))
    }

    /// Closes the connection; waiting requests fail with `ERR_SDK_NET_DISCONNECT`.
    pub(crate) fn close(&self, reason: &str) {
        self.inner.fail_all();
        self.inner
            .connection
            .close(quinn::VarInt::from_u32(0), reason.as_bytes());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.inner.lock()
    }
}

impl Inner {
    fn fail_all(&self) {
        let waiters = {
            let mut pending = self.lock();
            pending.open = false;
            std::mem::take(&mut pending.waiters)
        };
        for (_, waiter) in waiters {
            let _ = waiter.send(Err(CoreError::disconnected("the connection closed")));
        }
    }

    fn answer(&self, request_id: u64, answer: Result<Response>) {
        let waiter = self.lock().waiters.remove(&request_id);
        if let Some(waiter) = waiter {
            // The requester may have given up (timeout): nothing to do then.
            let _ = waiter.send(answer);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// How long the next server of the list waits before it is tried beside the earlier ones.
pub(crate) const FAILOVER_STAGGER: Duration = Duration::from_millis(500);

/// The servers of a `server_address` setting: `host:port` items separated by commas.
pub(crate) fn server_addresses(setting: &str) -> Vec<String> {
    setting
        .split(',')
        .map(str::trim)
        .filter(|address| !address.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The parts of one QUIC connection with its stream.
type Dialed = (
    quinn::Endpoint,
    quinn::Connection,
    quinn::SendStream,
    quinn::RecvStream,
);

/// Resolves `address`, makes a QUIC connection to it and opens the stream.
async fn dial(address: &str, quic: quinn::ClientConfig, server_name: &str) -> Result<Dialed> {
    let target = resolve(address).await?;
    let bind: SocketAddr = if target.is_ipv4() {
        SocketAddr::from(([0, 0, 0, 0], 0))
    } else {
        SocketAddr::from(([0u16; 8], 0))
    };
    let endpoint = quinn::Endpoint::client(bind)
        .map_err(|err| CoreError::network(codes::ERR_SDK_NET_SOCKET_INVALID, err.to_string()))?;
    let connecting = endpoint
        .connect_with(quic, target, server_name)
        .map_err(|err| CoreError::network(codes::ERR_SDK_NET_CONN_REFUSE, err.to_string()))?;
    let connection = connecting.await.map_err(|err| {
        CoreError::network(codes::ERR_SDK_NET_CONN_REFUSE, format!("{address}: {err}"))
    })?;
    let (send, recv) = connection
        .open_bi()
        .await
        .map_err(|err| CoreError::network(codes::ERR_SDK_NET_CONNECT_RESET, err.to_string()))?;
    Ok((endpoint, connection, send, recv))
}

async fn resolve(address: &str) -> Result<SocketAddr> {
    let mut addresses = tokio::net::lookup_host(address).await.map_err(|err| {
        CoreError::network(
            codes::ERR_SDK_NET_HOST_GETADDRINFO_FAILED,
            format!("{address}: {err}"),
        )
    })?;
    addresses.next().ok_or_else(|| {
        CoreError::network(
            codes::ERR_SDK_NET_HOST_GETADDRINFO_FAILED,
            format!("{address}: no address"),
        )
    })
}

/// Writes queued frames until the channel or the stream closes.
async fn write_frames(
    connection: quinn::Connection,
    mut send: quinn::SendStream,
    mut frames: mpsc::UnboundedReceiver<Vec<u8>>,
) {
    while let Some(frame) = frames.recv().await {
        if let Err(err) = send.write_all(&frame).await {
            tracing::debug!("tim connection: write failed: {err}");
            connection.close(quinn::VarInt::from_u32(0), b"write failed");
            return;
        }
    }
    let _ = send.finish();
}

/// Reads frames until the stream ends, answering requests and forwarding pushes.
async fn read_frames(
    conn: Weak<Inner>,
    connection: quinn::Connection,
    mut recv: quinn::RecvStream,
    incoming: mpsc::Sender<Incoming>,
) {
    let Some(generation) = conn.upgrade().map(|inner| inner.generation) else {
        return;
    };
    let mut decoder = FrameDecoder::new();
    let reason = 'read: loop {
        let chunk = match recv.read_chunk(64 * 1024, true).await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break 'read "the server closed the stream".to_owned(),
            Err(err) => break 'read err.to_string(),
        };
        decoder.push(&chunk.bytes);
        if let Some(inner) = conn.upgrade() {
            inner.heard.fetch_add(1, Ordering::Relaxed);
        }
        loop {
            let payload = match decoder.next_frame() {
                Ok(Some(payload)) => payload,
                Ok(None) => break,
                Err(err) => break 'read format!("undecodable stream: {err}"),
            };
            let frame = match decode_frame::<ServerFrame>(&payload) {
                Ok(frame) => frame,
                Err(err) => {
                    // One bad payload: the stream is still in step.
                    tracing::warn!("tim connection: undecodable frame skipped: {err}");
                    continue;
                }
            };
            let Some(body) = frame.body else {
                // A push or answer this client does not know: ignored.
                continue;
            };
            if frame.request_id == 0 {
                if let server_frame::Body::Error(error) = &body {
                    tracing::warn!(
                        "tim connection: server error {}: {}",
                        error.code,
                        error.desc
                    );
                    continue;
                }
                // Bounded: while the session is behind, reading stops, QUIC's flow control
                // holds the server's frames, and the server's slow-consumer rule closes the
                // connection; the session then reconnects and syncs (pushes are only hints).
                if incoming
                    .send(Incoming::Push {
                        generation,
                        body: Box::new(body),
                    })
                    .await
                    .is_err()
                {
                    break 'read "the session ended".to_owned();
                }
                continue;
            }
            let answer = match body {
                server_frame::Body::Error(error) => Err(server_error(error)),
                other => Ok(other),
            };
            let Some(inner) = conn.upgrade() else {
                break 'read "the session ended".to_owned();
            };
            inner.answer(frame.request_id, answer);
        }
    };
    if let Some(inner) = conn.upgrade() {
        inner.fail_all();
    }
    connection.close(quinn::VarInt::from_u32(0), b"closed");
    let _ = incoming.send(Incoming::Closed { generation, reason }).await;
}

/// The error an `Error` answer stands for: a modify conflict carrying a decodable current
/// message becomes [`CoreError::ModifyConflict`], anything else [`CoreError::Server`].
fn server_error(error: tim_proto::v1::Error) -> CoreError {
    if error.code == tim_model::codes::ERR_SDK_MSG_MODIFY_CONFLICT
        && let Some(current) = error
            .current_message
            .and_then(|message| tim_model::Message::try_from(message).ok())
    {
        return CoreError::ModifyConflict {
            desc: error.desc,
            current: Box::new(current),
        };
    }
    CoreError::Server {
        code: error.code,
        desc: error.desc,
    }
}
