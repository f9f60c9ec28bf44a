//! [`Client`]: the networked engine of one device. It logs a user in, keeps the session alive
//! (see `net::session`), sends through the durable queue and answers the networked `TIMMsg*`
//! operations; local operations go to its [`Engine`].
//!
//! A `Client` is `Send + Sync` and cheap to clone (clones share one client). It runs its tasks
//! on the tokio runtime it is called from; dropping the last clone stops them.

use crate::engine::{Engine, now_secs};
use crate::error::{CoreError, Result};
use crate::events::{Event, EventReceiver};
use crate::net::config::{self, ClientConfig};
use crate::net::connection::{Request, Response};
use crate::net::persist::blocking;
use crate::net::session::{self, Command, SessionContext, Shared, Waiters, request_via};
use crate::net::tls;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use tim_model::enums::{MsgStatus, NetworkStatus};
use tim_model::{ConvId, Message, MessageId, UserId, codes, limits};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

/// A send that failed: the TIM code, the description, and the message as stored (SendFail or
/// Cancel), when there is one.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("send failed ({code}): {desc}")]
pub struct SendError {
    /// The TIM code: the server's refusal, `ERR_SDK_SEND_MESSAGE_FAILED_WITH_CANCEL` (8021)
    /// after a cancel, or `ERR_SDK_NOT_LOGGED_IN` (6014) when the session ended first (the
    /// message then stays queued and is sent after the next login).
    pub code: i32,
    /// What happened.
    pub desc: String,
    /// The message in its final state.
    pub message: Option<Box<Message>>,
}

impl From<SendError> for CoreError {
    fn from(err: SendError) -> Self {
        CoreError::Refused {
            code: err.code,
            message: err.desc,
        }
    }
}

/// The outcome of a [`Client::send_message`]: resolves to the message as stored after the
/// server's ack (SendSucc, with seq and server time), or to a [`SendError`]. Dropping it does
/// not cancel the send; the outcome then arrives as
/// [`Event::SendCompleted`](crate::Event::SendCompleted).
#[derive(Debug)]
pub struct SendHandle {
    outcome: oneshot::Receiver<session::SendResult>,
}

impl Future for SendHandle {
    type Output = std::result::Result<Message, SendError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.outcome).poll(cx).map(|outcome| {
            outcome.unwrap_or_else(|_| {
                Err(SendError {
                    code: codes::ERR_SDK_NOT_LOGGED_IN,
                    desc: "the session ended before the send completed; the message stays \
                           queued and is sent after the next login"
                        .to_owned(),
                    message: None,
                })
            })
        })
    }
}

/// The running session of the logged-in user.
struct SessionHandle {
    user: UserId,
    engine: Arc<Engine>,
    commands: mpsc::UnboundedSender<Command>,
    link: watch::Receiver<Option<crate::net::connection::Conn>>,
    waiters: Waiters,
    task: JoinHandle<()>,
    /// The conversation watcher (`conversations::watch`).
    watcher: Watcher,
}

struct Inner {
    shared: Arc<Shared>,
    session: Mutex<Option<SessionHandle>>,
    /// Serialises login, logout and close.
    lifecycle: tokio::sync::Mutex<()>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(session) = self
            .session
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            session.task.abort();
        }
    }
}

/// The networked client engine of one device.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("server", &self.inner.shared.config.server_address)
            .field("user", &self.user())
            .field("status", &self.network_status())
            .finish()
    }
}

impl Client {
    /// A client with `config`. Reads (or creates) the device ID under the data directory;
    /// connects nothing until [`login`](Self::login).
    pub fn new(config: ClientConfig) -> Result<Self> {
        let device_id = config::device_id(&config)?;
        Ok(Self {
            inner: Arc::new(Inner {
                shared: Arc::new(Shared::new(config, device_id)),
                session: Mutex::new(None),
                lifecycle: tokio::sync::Mutex::new(()),
            }),
        })
    }

    /// A new event receiver: every event from now on (unbounded; nothing is dropped).
    /// Subscribe before [`login`](Self::login) to see the first network status changes.
    pub fn subscribe(&self) -> EventReceiver {
        self.inner.shared.events.subscribe()
    }

    /// The current network status.
    pub fn network_status(&self) -> NetworkStatus {
        self.inner.shared.status()
    }

    /// The server's clock, seconds since the epoch (`TIMGetServerTime`): the device clock
    /// corrected by the offset the server reported at the last login or heartbeat; the device
    /// clock before any login.
    pub fn server_time(&self) -> u64 {
        self.inner.shared.server_time()
    }

    /// This device's ID.
    pub fn device_id(&self) -> &str {
        &self.inner.shared.device_id
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.shared.config
    }

    /// The logged-in user, if any.
    pub fn user(&self) -> Option<UserId> {
        self.lock().as_ref().map(|session| session.user.clone())
    }

    /// The local engine of the logged-in user (`ERR_SDK_NOT_LOGGED_IN` before login). Holding
    /// it past [`logout`](Self::logout) keeps the user's database open.
    pub fn engine(&self) -> Result<Arc<Engine>> {
        self.lock()
            .as_ref()
            .map(|session| Arc::clone(&session.engine))
            .ok_or_else(CoreError::not_logged_in)
    }

    /// `TIMLogin`: opens the user's local engine, connects and logs in. Fails with the
    /// server's code when the login is refused (70001 expired, 70009 bad signature, 70013
    /// wrong user, 70014 wrong SDKAppID, ...) or a network code when the server cannot be
    /// reached; nothing is retried then. After a successful login the client reconnects by
    /// itself after any failure until [`logout`](Self::logout). Logging in as another user
    /// logs the current one out first; logging in again as the same user does nothing.
    pub async fn login(&self, user_id: &str, user_sig: &str) -> Result<()> {
        let _lifecycle = self.inner.lifecycle.lock().await;
        let user = UserId::parse_at(user_id, "user_id")?;
        let previous = self.lock().take();
        let mut reuse = None;
        if let Some(previous) = previous {
            if previous.user == user && !previous.task.is_finished() {
                *self.lock() = Some(previous);
                return Ok(());
            }
            let engine = Arc::clone(&previous.engine);
            stop(previous, true).await;
            if engine.user() == &user {
                reuse = Some(engine);
            }
        }
        let shared = Arc::clone(&self.inner.shared);
        let quic = tls::quic_client_config(&shared.config)?;
        let engine = match reuse {
            Some(engine) => engine,
            None => {
                let data_dir = shared.config.data_dir.clone();
                let owner = user.clone();
                let opened =
                    tokio::task::spawn_blocking(move || Engine::open(&data_dir, &owner)).await;
                Arc::new(opened.map_err(|err| {
                    CoreError::refused(codes::ERR_SDK_INTERNAL_ERROR, err.to_string())
                })??)
            }
        };
        let (stop_watcher, watcher_stop) = oneshot::channel();
        let watcher = Watcher {
            stop: stop_watcher,
            task: tokio::spawn(crate::conversations::watch::run(
                Arc::clone(&engine),
                Arc::clone(&shared),
                shared.events.subscribe(),
                watcher_stop,
            )),
        };
        let (commands, commands_rx) = mpsc::unbounded_channel();
        let (link_tx, link) = watch::channel(None);
        let waiters: Waiters = Arc::new(Mutex::new(HashMap::new()));
        let context = SessionContext {
            shared,
            user: user.clone(),
            user_sig: user_sig.to_owned(),
            engine: Arc::clone(&engine),
            waiters: Arc::clone(&waiters),
            link: link_tx,
            quic,
        };
        let (first_tx, first_rx) = oneshot::channel();
        let task = tokio::spawn(session::run(context, commands_rx, first_tx));
        let first = first_rx.await.unwrap_or_else(|_| {
            Err(CoreError::refused(
                codes::ERR_SDK_INTERNAL_ERROR,
                "the session ended before logging in",
            ))
        });
        if let Err(err) = first {
            let _ = task.await;
            watcher.stop().await;
            return Err(err);
        }
        *self.lock() = Some(SessionHandle {
            user,
            engine,
            commands,
            link,
            waiters,
            task,
            watcher,
        });
        Ok(())
    }

    /// `TIMLogout`: tells the server, stops the session and closes the user's local engine.
    /// Queued messages stay in the store and are sent after the next login.
    pub async fn logout(&self) -> Result<()> {
        let _lifecycle = self.inner.lifecycle.lock().await;
        let session = self.lock().take().ok_or_else(CoreError::not_logged_in)?;
        stop(session, true).await;
        Ok(())
    }

    /// Stops the session without telling the server (as if the process ended) and closes the
    /// user's local engine; what is queued stays queued. Does nothing when not logged in.
    pub async fn close(&self) {
        let _lifecycle = self.inner.lifecycle.lock().await;
        let session = self.lock().take();
        if let Some(session) = session {
            stop(session, false).await;
        }
    }

    /// `TIMMsgSendMessage`. Synchronous part: validates the message, gives it its message ID
    /// (unless it has one: a resend keeps it), random number, client time and sender, and
    /// stores it as Sending in `conv` and in the durable send queue (one store transaction,
    /// on the calling thread). Returns the message as stored and a handle resolving to the
    /// outcome. The queue sends in order, retries across reconnects and process restarts, and
    /// the server stores a message at most once per ID.
    pub fn send_message(
        &self,
        conv: &ConvId,
        mut message: Message,
    ) -> Result<(Message, SendHandle)> {
        let (engine, commands, waiters) = {
            let session = self.lock();
            let session = session
                .as_ref()
                .filter(|session| !session.commands.is_closed())
                .ok_or_else(CoreError::not_logged_in)?;
            (
                Arc::clone(&session.engine),
                session.commands.clone(),
                Arc::clone(&session.waiters),
            )
        };
        limits::validate_send(&message)?;
        crate::net::merge::check_frame(conv, &message)?;
        let now = now_secs();
        let (id, rand) = engine.new_identity(now)?;
        let id = message.msg_id.take().unwrap_or(id);
        message.msg_id = Some(id.clone());
        if message.rand == 0 {
            message.rand = rand;
        }
        engine.user().as_str().clone_into(&mut message.sender);
        message.is_from_self = true;
        message.client_time = now;
        message.server_time = now;
        message.seq = tim_model::Seq(0);
        message.status = Some(MsgStatus::Sending);
        message.platform = self.inner.shared.config.platform;
        conv.id().clone_into(&mut message.conv_id);
        message.conv_type = conv.conv_type();
        engine.enqueue_send(conv, &message)?;
        self.inner
            .shared
            .events
            .emit(&Event::ConversationsTouched(vec![conv.clone()]));
        let (tx, rx) = oneshot::channel();
        waiters
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id.clone(), tx);
        let queued = Command::Enqueued {
            conv: conv.clone(),
            message: Box::new(message.clone()),
        };
        if commands.send(queued).is_err() {
            waiters
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&id);
            return Err(CoreError::not_logged_in());
        }
        Ok((message, SendHandle { outcome: rx }))
    }

    /// `TIMMsgCancelSend`: a queued message is removed from the queue and stored as Cancel
    /// (its [`SendHandle`] resolves to `ERR_SDK_SEND_MESSAGE_FAILED_WITH_CANCEL`). A message
    /// that may already have reached the server is cancelled only if the server confirms; a
    /// message that was sent (or is not queued at all) fails with
    /// `ERR_SDK_INVALID_CANCEL_MESSAGE` (8020).
    pub async fn cancel_send(&self, conv: &ConvId, msg_id: &MessageId) -> Result<()> {
        let commands = self.session_field(|session| session.commands.clone())?;
        let (reply, answer) = oneshot::channel();
        commands
            .send(Command::Cancel {
                conv: conv.clone(),
                id: msg_id.clone(),
                reply,
            })
            .map_err(|_| CoreError::not_logged_in())?;
        answer.await.map_err(|_| CoreError::not_logged_in())?
    }

    /// Sends `body` to the server on the current connection (waiting up to the request
    /// timeout for one) and returns the answer.
    pub(crate) async fn request(&self, body: Request) -> Result<Response> {
        let mut link = self.session_field(|session| session.link.clone())?;
        request_via(&mut link, self.inner.shared.config.request_timeout, body).await
    }

    /// What the sessions of this client share (events, configuration).
    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.inner.shared
    }

    /// The current connection's watch (for transfers on their own streams).
    pub(crate) fn link(&self) -> Result<watch::Receiver<Option<crate::net::connection::Conn>>> {
        self.session_field(|session| session.link.clone())
    }

    /// Runs `work` with the logged-in user's engine on the blocking pool.
    pub(crate) async fn with_engine<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Engine) -> Result<T> + Send + 'static,
    {
        blocking(&self.engine()?, work).await
    }

    fn session_field<T>(&self, field: impl FnOnce(&SessionHandle) -> T) -> Result<T> {
        self.lock()
            .as_ref()
            .map(field)
            .ok_or_else(CoreError::not_logged_in)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<SessionHandle>> {
        self.inner
            .session
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Ends a session and waits for its task, so that the user's database is closed when this
/// returns (unless someone else still holds the engine).
async fn stop(session: SessionHandle, tell_server: bool) {
    let SessionHandle {
        commands,
        task,
        watcher,
        ..
    } = session;
    if tell_server {
        let (reply, done) = oneshot::channel();
        if commands.send(Command::Logout { reply }).is_ok() {
            let _ = done.await;
        }
    } else {
        let _ = commands.send(Command::Close);
    }
    drop(commands);
    let _ = task.await;
    watcher.stop().await;
}

/// The conversation watcher of a session and its stop signal.
struct Watcher {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Watcher {
    /// Stops the watcher and waits until it is gone: it holds the engine, so the user's
    /// database is closed when this returns.
    async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync + Clone>() {}
        shareable::<Client>();
        fn sendable<T: Send>() {}
        sendable::<SendHandle>();
    }
}
