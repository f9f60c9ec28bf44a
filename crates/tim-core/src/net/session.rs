//! The session task of one logged-in user: connect, log in, sync, keep alive, send the queue,
//! apply pushes, and after any failure reconnect with backoff, log in again with the stored
//! UserSig and sync again, until logout, close, a kick or a refused re-login.
//!
//! The task owns the session state ([`SendQueue`], [`CursorTracker`], [`Backoff`]); the API
//! talks to it through [`Command`]s, and helper tasks (sends, cancels, pings) report back
//! through [`Internal`] messages, so the state has one owner and needs no lock. Store work runs
//! on the blocking pool ([`blocking`]).

use super::backoff::Backoff;
use super::config::{ClientConfig, random_u64};
use super::connection::{Conn, Incoming, Request, Response};
use super::cursor::CursorTracker;
use super::persist::blocking;
use super::queue::SendQueue;
use crate::SendError;
use crate::engine::Engine;
use crate::error::{CoreError, Result};
use crate::events::{Event, EventHub};
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tim_model::enums::NetworkStatus;
use tim_model::{ConvId, Message, MessageId, UserId, codes};
use tim_proto::WireEnum;
use tim_proto::v1::{LoginRequest, LoginResponse, SendMessageResponse};
use tokio::sync::{mpsc, oneshot, watch};

/// Pushes read from the server and not yet applied, at most. Beyond, the connection's reader
/// waits: backpressure reaches the server, whose slow-consumer rule closes the connection
/// (the session then reconnects and syncs), instead of the client's memory growing.
const INCOMING_QUEUE: usize = 4096;

/// The heartbeat when the server gives none.
const DEFAULT_HEARTBEAT: Duration = Duration::from_secs(30);

/// The outcome of one send, for its [`SendHandle`](crate::SendHandle).
pub(crate) type SendResult = std::result::Result<Message, SendError>;

/// The handles waiting for their send's outcome, by message ID.
pub(crate) type Waiters = Arc<Mutex<HashMap<MessageId, oneshot::Sender<SendResult>>>>;

/// What every session of a client shares with the client.
pub(crate) struct Shared {
    pub config: ClientConfig,
    pub device_id: String,
    pub events: EventHub,
    status: Mutex<NetworkStatus>,
    /// Server clock minus device clock, seconds, from the last login or pong (0 before any).
    clock_offset: AtomicI64,
    /// The server of the address list tried first: the last one that answered (at first the
    /// first of the list; apps spread their users over the nodes by the order they list them
    /// in).
    pub preferred_server: std::sync::atomic::AtomicUsize,
}

impl Shared {
    pub(crate) fn new(config: ClientConfig, device_id: String) -> Self {
        Self {
            config,
            device_id,
            events: EventHub::default(),
            status: Mutex::new(NetworkStatus::Disconnected),
            clock_offset: AtomicI64::new(0),
            preferred_server: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Notes the server's clock (`server_time`, seconds, from a login or pong answer); 0 (a
    /// server that did not say) changes nothing.
    pub(crate) fn note_server_time(&self, server_time: u64) {
        if server_time == 0 {
            return;
        }
        let server = i64::try_from(server_time).unwrap_or(i64::MAX);
        let device = i64::try_from(device_secs()).unwrap_or(i64::MAX);
        self.clock_offset
            .store(server.saturating_sub(device), Ordering::Relaxed);
    }

    /// The server's clock, seconds since the epoch: the device clock plus the offset the
    /// server last reported (the device clock before any login).
    pub(crate) fn server_time(&self) -> u64 {
        let device = i64::try_from(device_secs()).unwrap_or(i64::MAX);
        let offset = self.clock_offset.load(Ordering::Relaxed);
        u64::try_from(device.saturating_add(offset)).unwrap_or(0)
    }

    /// The current network status.
    pub(crate) fn status(&self) -> NetworkStatus {
        *self.status.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Moves to `status`, telling subscribers when it changes.
    pub(crate) fn set_status(&self, status: NetworkStatus, code: i32, desc: &str) {
        {
            let mut current = self.status.lock().unwrap_or_else(PoisonError::into_inner);
            if *current == status {
                return;
            }
            *current = status;
        }
        self.events.emit(&Event::NetworkStatus {
            status,
            code,
            desc: desc.to_owned(),
        });
    }
}

/// Everything one session works with.
pub(crate) struct SessionContext {
    pub shared: Arc<Shared>,
    pub user: UserId,
    pub user_sig: String,
    pub engine: Arc<Engine>,
    pub waiters: Waiters,
    /// The current connection, for the API's requests.
    pub link: watch::Sender<Option<Conn>>,
    pub quic: quinn::ClientConfig,
}

/// Requests from the API to the session task.
pub(crate) enum Command {
    /// A message was stored and queued: send it.
    Enqueued { conv: ConvId, message: Box<Message> },
    /// Cancel a queued message.
    Cancel {
        conv: ConvId,
        id: MessageId,
        reply: oneshot::Sender<Result<()>>,
    },
    /// Tell the server, then end the session.
    Logout { reply: oneshot::Sender<()> },
    /// End the session without telling the server (as a process exit would).
    Close,
}

/// Reports of the session's helper tasks.
pub(crate) enum Internal {
    SendDone {
        id: MessageId,
        attempt: u64,
        generation: u64,
        result: Result<SendMessageResponse>,
        /// The message with the media elements uploaded so far filled in (media sends).
        filled: Option<Box<Message>>,
        /// The attempt failed while uploading (it counts against the upload retries).
        upload_failed: bool,
    },
    CancelDone {
        conv: ConvId,
        id: MessageId,
        result: Result<()>,
        reply: oneshot::Sender<Result<()>>,
    },
    PingFailed {
        generation: u64,
    },
}

/// Why a connected phase ended.
pub(crate) enum End {
    /// The connection is gone: reconnect.
    Lost { code: i32, desc: String },
    /// The session is over (logout, close, kick, expired UserSig).
    Stop,
}

/// The state of one session.
pub(crate) struct Session {
    pub ctx: SessionContext,
    commands: mpsc::UnboundedReceiver<Command>,
    pub internal_tx: mpsc::UnboundedSender<Internal>,
    internal_rx: mpsc::UnboundedReceiver<Internal>,
    incoming_tx: mpsc::Sender<Incoming>,
    incoming_rx: mpsc::Receiver<Incoming>,
    pub queue: SendQueue,
    pub cursor: CursorTracker,
    backoff: Backoff,
    generation: u64,
    /// Media uploads running before their message's send, by message ID.
    pub uploads: HashMap<MessageId, super::media_send::UploadTask>,
    /// Upload attempts per message (bounded: see `media_send`).
    pub upload_attempts: HashMap<MessageId, u32>,
}

/// Runs a session until it ends. `first_login` gets the outcome of the first login: when it
/// fails, the session ends at once (no retry).
pub(crate) async fn run(
    ctx: SessionContext,
    commands: mpsc::UnboundedReceiver<Command>,
    first_login: oneshot::Sender<Result<()>>,
) {
    let mut session = match Session::start(ctx, commands).await {
        Ok(session) => session,
        Err(err) => {
            let _ = first_login.send(Err(err));
            return;
        }
    };
    let mut first = Some(first_login);
    // The first login keeps trying while the network fails it, up to this moment.
    let login_deadline = tokio::time::Instant::now() + session.ctx.shared.config.login_retry;
    loop {
        session
            .ctx
            .shared
            .set_status(NetworkStatus::Connecting, 0, "");
        let attempt = session.connect_and_login();
        let Some(outcome) = session.during(attempt).await else {
            break;
        };
        match outcome {
            Ok((conn, login)) => {
                session.ctx.shared.note_server_time(login.server_time);
                session.backoff.reset();
                session.ctx.link.send_replace(Some(conn.clone()));
                session
                    .ctx
                    .shared
                    .set_status(NetworkStatus::Connected, 0, "");
                if let Some(first) = first.take() {
                    let _ = first.send(Ok(()));
                }
                let end = session.connected(&conn, &login).await;
                session.ctx.link.send_replace(None);
                conn.close("session ended");
                session.queue.on_disconnect();
                session.abort_uploads();
                match end {
                    End::Stop => break,
                    End::Lost { code, desc } => {
                        session
                            .ctx
                            .shared
                            .set_status(NetworkStatus::Disconnected, code, &desc);
                    }
                }
            }
            Err(err) => {
                if let Some(waiting) = first.take() {
                    // A network that fails the first login (a timeout, a lost connection) is
                    // tried again with backoff until the login deadline, reporting
                    // ConnectFailed meanwhile; a refusal, a certificate that does not match
                    // or the deadline ends the login.
                    let transient = matches!(
                        err.code(),
                        codes::ERR_SDK_NET_CONN_TIMEOUT
                            | codes::ERR_SDK_NET_DISCONNECT
                            | codes::ERR_SDK_NET_WAIT_ACK_TIMEOUT
                    );
                    if !transient || tokio::time::Instant::now() >= login_deadline {
                        let _ = waiting.send(Err(err));
                        break;
                    }
                    first = Some(waiting);
                    session.ctx.shared.set_status(
                        NetworkStatus::ConnectFailed,
                        err.code(),
                        &err.to_string(),
                    );
                    let delay = session.backoff.next_delay();
                    if session.during(tokio::time::sleep(delay)).await.is_none() {
                        break;
                    }
                    continue;
                }
                if let CoreError::Server { code, desc } = err {
                    // The server refused the stored UserSig: retrying cannot help.
                    let event = if code == codes::ERR_USER_SIG_EXPIRED
                        || code == codes::ERR_SVR_ACCOUNT_USERSIG_EXPIRED
                    {
                        Event::UserSigExpired
                    } else {
                        Event::LoginRefused { code, desc }
                    };
                    session.ctx.shared.events.emit(&event);
                    break;
                }
                session.ctx.shared.set_status(
                    NetworkStatus::ConnectFailed,
                    err.code(),
                    &err.to_string(),
                );
            }
        }
        let delay = session.backoff.next_delay();
        if session.during(tokio::time::sleep(delay)).await.is_none() {
            break;
        }
    }
    session.finish();
}

impl Session {
    /// Loads the queue and the cursor from the store.
    async fn start(
        ctx: SessionContext,
        commands: mpsc::UnboundedReceiver<Command>,
    ) -> Result<Self> {
        let (pending, cursor) = blocking(&ctx.engine, |engine| {
            Ok((engine.pending_sends()?, engine.sync_cursor()?))
        })
        .await?;
        let mut queue = SendQueue::default();
        for message in pending {
            match ConvId::new(message.conv_type, &message.conv_id) {
                // Queued by an earlier process: it may have reached the server.
                Ok(conv) => {
                    queue.push(conv, message, true);
                }
                Err(err) => tracing::warn!("queued message without a valid conversation: {err}"),
            }
        }
        let config = &ctx.shared.config;
        let backoff = Backoff::new(config.reconnect_initial, config.reconnect_max, random_u64());
        let (internal_tx, internal_rx) = mpsc::unbounded_channel();
        let (incoming_tx, incoming_rx) = mpsc::channel(INCOMING_QUEUE);
        Ok(Self {
            ctx,
            commands,
            internal_tx,
            internal_rx,
            incoming_tx,
            incoming_rx,
            queue,
            cursor: CursorTracker::new(cursor),
            backoff,
            generation: 0,
            uploads: HashMap::new(),
            upload_attempts: HashMap::new(),
        })
    }

    /// A connection attempt and login, as a future that borrows nothing of the session.
    fn connect_and_login(
        &mut self,
    ) -> impl Future<Output = Result<(Conn, LoginResponse)>> + Send + 'static {
        self.generation += 1;
        let generation = self.generation;
        let shared = Arc::clone(&self.ctx.shared);
        let quic = self.ctx.quic.clone();
        let incoming = self.incoming_tx.clone();
        let login = LoginRequest {
            user_id: self.ctx.user.as_str().to_owned(),
            user_sig: self.ctx.user_sig.clone(),
            sdk_app_id: shared.config.sdk_app_id,
            device_id: shared.device_id.clone(),
            platform: shared.config.platform.to_wire(),
            sdk_version: env!("CARGO_PKG_VERSION").to_owned(),
        };
        async move {
            let conn = Conn::connect(
                &shared.config,
                quic,
                generation,
                incoming,
                &shared.preferred_server,
            )
            .await?;
            match conn.request(Request::Login(login)).await {
                Ok(Response::Login(response)) => Ok((conn, response)),
                Ok(other) => {
                    conn.close("unexpected answer");
                    Err(unexpected(&other))
                }
                Err(err) => {
                    conn.close("login failed");
                    Err(err)
                }
            }
        }
    }

    /// Runs `work` while serving commands and helper reports; `None` when a command ended
    /// the session first.
    async fn during<T>(&mut self, work: impl Future<Output = T>) -> Option<T> {
        let mut work = std::pin::pin!(work);
        loop {
            tokio::select! {
                output = &mut work => return Some(output),
                command = self.commands.recv() => match command {
                    None | Some(Command::Close) => return None,
                    Some(Command::Logout { reply }) => {
                        let _ = reply.send(());
                        return None;
                    }
                    Some(command) => self.on_command(command, None).await,
                },
                Some(internal) = self.internal_rx.recv() => {
                    // Offline: nothing here can end the session.
                    let _ = self.on_internal(internal, None).await;
                }
            }
        }
    }

    /// The connected phase: sync, send the queue, apply pushes, ping, until it ends.
    async fn connected(&mut self, conn: &Conn, login: &LoginResponse) -> End {
        if let Err(err) = self.sync(conn).await
            && let Some(end) = self.on_failure(err)
        {
            return end;
        }
        if let Err(err) = self.sync_conversations(conn).await
            && let Some(end) = self.on_failure(err)
        {
            return end;
        }
        self.pump(conn);
        let heartbeat = match login.heartbeat_interval_secs {
            0 => DEFAULT_HEARTBEAT,
            secs => Duration::from_secs(u64::from(secs)),
        };
        let mut ticker =
            tokio::time::interval_at(tokio::time::Instant::now() + heartbeat, heartbeat);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                incoming = self.incoming_rx.recv() => match incoming {
                    Some(Incoming::Push { generation, body }) if generation == conn.generation() => {
                        if let Some(end) = self.on_push(conn, *body).await {
                            return end;
                        }
                    }
                    Some(Incoming::Closed { generation, reason }) if generation == conn.generation() => {
                        return End::Lost { code: codes::ERR_SDK_NET_DISCONNECT, desc: reason };
                    }
                    // A notice of an earlier connection.
                    Some(_) => {}
                    None => return End::Stop,
                },
                command = self.commands.recv() => match command {
                    None | Some(Command::Close) => return End::Stop,
                    Some(Command::Logout { reply }) => {
                        if let Err(err) = conn.request(Request::Logout(Default::default())).await {
                            tracing::debug!("logout not confirmed: {err}");
                        }
                        let _ = reply.send(());
                        return End::Stop;
                    }
                    Some(command) => self.on_command(command, Some(conn)).await,
                },
                Some(internal) = self.internal_rx.recv() => {
                    if let Some(end) = self.on_internal(internal, Some(conn)).await {
                        return end;
                    }
                }
                _ = ticker.tick() => self.ping(conn),
            }
            self.pump(conn);
        }
    }

    /// What a failed sync or apply means: a network failure ends the connected phase; any
    /// other failure is logged (the cursor did not move, so the next sync tries again).
    pub(crate) fn on_failure(&self, err: CoreError) -> Option<End> {
        if err.is_network() {
            return Some(End::Lost {
                code: err.code(),
                desc: err.to_string(),
            });
        }
        tracing::warn!("tim session: {err}");
        None
    }

    async fn on_command(&mut self, command: Command, conn: Option<&Conn>) {
        match command {
            Command::Enqueued { conv, message } => {
                self.queue.push(conv, *message, false);
            }
            Command::Cancel { conv, id, reply } => self.cancel(conv, id, reply).await,
            // Handled by the callers, which end the session.
            Command::Logout { reply } => {
                let _ = reply.send(());
            }
            Command::Close => {}
        }
        if let Some(conn) = conn {
            self.pump(conn);
        }
    }

    async fn on_internal(&mut self, internal: Internal, conn: Option<&Conn>) -> Option<End> {
        match internal {
            Internal::SendDone {
                id,
                attempt,
                generation,
                result,
                filled,
                upload_failed,
            } => {
                let current = conn.is_some_and(|conn| conn.generation() == generation);
                self.uploads.remove(&id);
                if let Some(filled) = filled {
                    self.queue.update_message(&id, *filled);
                }
                if !(upload_failed && result.as_ref().is_err_and(CoreError::is_network)) {
                    self.upload_attempts.remove(&id);
                }
                self.send_done(id, attempt, current, result).await
            }
            Internal::CancelDone {
                conv,
                id,
                result,
                reply,
            } => {
                self.cancel_done(conv, id, result, reply).await;
                None
            }
            Internal::PingFailed { generation } => conn
                .filter(|conn| conn.generation() == generation)
                .map(|_| End::Lost {
                    code: codes::ERR_SDK_NET_WAIT_ACK_TIMEOUT,
                    desc: "the heartbeat got no answer".to_owned(),
                }),
        }
    }

    fn ping(&self, conn: &Conn) {
        let conn = conn.clone();
        let internal = self.internal_tx.clone();
        let shared = Arc::clone(&self.ctx.shared);
        tokio::spawn(async move {
            match conn.request(Request::Ping(Default::default())).await {
                Ok(Response::Pong(pong)) => shared.note_server_time(pong.server_time),
                Ok(_) => {}
                Err(err) if err.is_network() => {
                    let _ = internal.send(Internal::PingFailed {
                        generation: conn.generation(),
                    });
                }
                Err(_) => {}
            }
        });
    }

    /// The end of the session: handles still waiting learn that the session ended (their
    /// messages stay queued in the store).
    fn finish(mut self) {
        self.abort_uploads();
        self.ctx.link.send_replace(None);
        self.ctx
            .waiters
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        self.ctx
            .shared
            .set_status(NetworkStatus::Disconnected, 0, "");
    }
}

/// The device clock, seconds since the epoch (0 for a clock before 1970).
fn device_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// The error for an answer of the wrong kind.
pub(crate) fn unexpected(response: &Response) -> CoreError {
    let name = format!("{response:?}");
    let name = name.split('(').next().unwrap_or_default().to_owned();
    CoreError::refused(
        codes::ERR_PARSE_RESPONSE_FAILED,
        format!("unexpected answer from the server: {name}"),
    )
}

/// Sends `body` on the current connection, waiting up to the request timeout for one when
/// there is none (`ERR_SDK_NET_DISCONNECT` then).
pub(crate) async fn request_via(
    link: &mut watch::Receiver<Option<Conn>>,
    timeout: Duration,
    body: Request,
) -> Result<Response> {
    let conn = match tokio::time::timeout(timeout, link.wait_for(Option::is_some)).await {
        Ok(Ok(conn)) => conn.clone(),
        Ok(Err(_)) => return Err(CoreError::not_logged_in()),
        Err(_) => None,
    };
    match conn {
        Some(conn) => conn.request(body).await,
        None => Err(CoreError::disconnected(format!(
            "not connected to the server for {timeout:?}"
        ))),
    }
}

#[cfg(test)]
mod clock_tests {
    use super::*;
    use crate::net::config::ServerTrust;

    #[test]
    fn server_time_is_the_device_clock_plus_the_reported_offset() {
        let config = ClientConfig::new(
            "127.0.0.1:1",
            ServerTrust::Fingerprint([0; 32]),
            1,
            "unused",
        );
        let shared = Shared::new(config, "device".to_owned());
        let device = device_secs();
        // Before any login: the device clock.
        assert!(shared.server_time().abs_diff(device) <= 1);
        // A server one hour ahead.
        shared.note_server_time(device + 3600);
        assert!(shared.server_time().abs_diff(device + 3600) <= 1);
        // 0 means "not said" and keeps the offset.
        shared.note_server_time(0);
        assert!(shared.server_time().abs_diff(device + 3600) <= 1);
        // A server behind the device.
        shared.note_server_time(device - 600);
        assert!(shared.server_time().abs_diff(device - 600) <= 1);
    }
}
