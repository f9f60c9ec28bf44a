//! Request handling: every request of a logged-in connection is checked against the
//! authenticated user and answered with its response or an `Error` carrying a TIM code.
//!
//! Handlers that write return [`Reply::Later`]: a future that waits only for the writer's
//! answer (it holds no storage), so the connection keeps reading while writes are committed.
//! The hot path, a one-message send, returns [`Reply::Write`] instead: its ops and a function
//! that the writer thread runs on its reply to queue the answer itself, right after the
//! commit, so that no task has to be woken between the commit and the acknowledgement.

mod conversations;
mod delete;
mod extensions;
mod groups;
pub(crate) mod media;
mod merge;
mod messages;
mod push;
mod read_state;
mod recv_opt;
mod session;
mod translate;

pub(crate) use media::new_file_id;
pub use messages::batch_copy_msg_id;
pub(crate) use session::Session;

use crate::config::ServerConfig;
use crate::hub::Hub;
use crate::storage::{Refusal, Storage, StorageError};
use crate::writer::{WriteReply, Writer};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tim_model::codes;
use tim_model::enums::ConvType;
use tim_model::ids::{GroupId, UserId};
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;

/// Largest encoded size of the messages of one sync or history page, leaving room for the
/// envelope under the 1 MiB frame limit.
const PAGE_MAX_BYTES: usize = 900 * 1024;

/// A response now, or one that comes when the writer has committed.
pub(crate) enum Reply {
    Now(Box<Response>),
    Later(Pin<Box<dyn Future<Output = Response> + Send>>),
    /// Ops for the writer; `answer` makes the response from its reply on the writer thread,
    /// which queues it at once (no task to wake between the commit and the answer).
    Write {
        ops: Vec<crate::storage::WriteOp>,
        answer: fn(WriteReply) -> Response,
    },
}

impl Reply {
    fn now(response: Response) -> Self {
        Self::Now(Box::new(response))
    }

    fn later(future: impl Future<Output = Response> + Send + 'static) -> Self {
        Self::Later(Box::pin(future))
    }
}

/// What the handlers share.
pub(crate) struct Services {
    pub config: ServerConfig,
    /// Rate limits per user and per group.
    pub rate: std::sync::Mutex<crate::rate::RateLimiter>,
    /// Reads (writes go through the writer).
    pub storage: crate::storage::handle::StorageHandle,
    pub writer: Writer,
    pub hub: Arc<Hub>,
    /// Outgoing HTTP (translation backend).
    pub http: crate::http_out::HttpOut,
    /// App states and the offline push queue.
    pub offline: Arc<crate::offline_push::OfflinePush>,
    /// Media bytes.
    pub blobs: Arc<dyn crate::blob::BlobStore>,
    /// Upload IDs being written.
    pub upload_locks: crate::transfer::UploadLocks,
    /// Server-wide media transfer state (decode slots, staging).
    pub transfers: crate::transfer::TransferState,
}

/// The parts [`Services`] is made of that its caller starts (the storage, the writer thread,
/// the hub, outgoing HTTP, the offline push and the blob store).
pub(crate) struct Parts {
    pub storage: Arc<dyn Storage>,
    pub writer: Writer,
    pub hub: Arc<Hub>,
    pub http: crate::http_out::HttpOut,
    pub offline: Arc<crate::offline_push::OfflinePush>,
    pub blobs: Arc<dyn crate::blob::BlobStore>,
}

impl Services {
    /// The services of `config` over `parts`; the state derived from the configuration
    /// (rate buckets, upload locks, transfer state) starts empty.
    pub(crate) fn new(config: ServerConfig, parts: Parts) -> Self {
        let Parts {
            storage,
            writer,
            hub,
            http,
            offline,
            blobs,
        } = parts;
        Self {
            rate: std::sync::Mutex::new(crate::rate::RateLimiter::new(config.rate.clone())),
            transfers: crate::transfer::TransferState::new(&config.media),
            upload_locks: crate::transfer::UploadLocks::default(),
            config,
            storage: crate::storage::handle::StorageHandle::new(storage),
            writer,
            hub,
            http,
            offline,
            blobs,
        }
    }
}

/// The `Error` response for `refusal`.
pub(crate) fn error_response(refusal: Refusal) -> Response {
    Response::Error(v1::Error {
        code: refusal.code,
        desc: refusal.desc,
        current_message: None,
    })
}

fn internal(error: StorageError) -> Refusal {
    tracing::error!("storage failure: {error}");
    Refusal::new(
        codes::ERR_SVR_MSG_INTERNAL_ERROR1,
        format!("server storage failure: {error}"),
    )
}

fn invalid(desc: impl Into<String>) -> Refusal {
    Refusal::new(codes::ERR_INVALID_PARAMETERS, desc)
}

/// The only result of a one-op write.
fn single(
    reply: Result<WriteReply, tokio::sync::oneshot::error::RecvError>,
) -> Result<crate::storage::Applied, Refusal> {
    match reply {
        Ok(Ok(mut results)) if results.len() == 1 => {
            results.pop().unwrap_or_else(|| Err(invalid("no result")))
        }
        Ok(Ok(_)) => Err(Refusal::new(
            codes::ERR_SDK_INTERNAL_ERROR,
            "unexpected number of results",
        )),
        Ok(Err(error)) => Err(internal(error)),
        Err(_) => Err(Refusal::new(
            codes::ERR_SDK_INTERNAL_ERROR,
            "the writer stopped",
        )),
    }
}

/// A conversation named by a request, from the requester's view.
fn parse_conversation(
    conversation: Option<&v1::ConversationId>,
) -> Result<crate::storage::Target, Refusal> {
    let Some(conversation) = conversation else {
        return Err(invalid("conversation: required"));
    };
    let refusal =
        |e: tim_model::ModelError| Refusal::new(e.code(), format!("conversation.conv_id: {e}"));
    match ConvType::from_value(i64::from(conversation.conv_type)) {
        Some(ConvType::C2c) => Ok(crate::storage::Target::C2c(
            UserId::new(&conversation.conv_id).map_err(refusal)?,
        )),
        Some(ConvType::Group) => Ok(crate::storage::Target::Group(
            GroupId::new(&conversation.conv_id).map_err(refusal)?,
        )),
        _ => Err(Refusal::new(
            codes::ERR_INVALID_CONVERSATION,
            format!(
                "conversation.conv_type: {} cannot be addressed",
                conversation.conv_type
            ),
        )),
    }
}

impl Services {
    /// Handles one request of a logged-in session (login itself is handled by the
    /// connection, see [`Services::login`]).
    pub async fn handle(&self, session: &Session, request: Request) -> Reply {
        if let Err(refusal) = self.check_rate(session, &request) {
            return Reply::Now(Box::new(error_response(refusal)));
        }
        let result = match request {
            Request::Ping(_) => Ok(Reply::now(Response::Pong(v1::PongResponse {
                server_time: crate::usersig::now_secs(),
            }))),
            Request::SendMessage(request) => self.send_message(session, request).await,
            Request::BatchSend(request) => self.batch_send(session, request).await,
            Request::CancelSend(request) => self.cancel_send(session, request).await,
            Request::RevokeMessage(request) => self.revoke_message(session, request).await,
            Request::ModifyMessage(request) => self.modify_message(session, request).await,
            Request::Sync(request) => self.sync(session, request).await,
            Request::PullHistory(request) => self.pull_history(session, request).await,
            Request::CreateGroup(request) => self.create_group(session, request).await,
            Request::AddGroupMembers(request) => self.add_members(session, request).await,
            Request::RemoveGroupMembers(request) => self.remove_members(session, request).await,
            Request::JoinGroup(request) => self.join_group(session, request).await,
            Request::QuitGroup(request) => self.quit_group(session, request).await,
            Request::DismissGroup(request) => self.dismiss_group(session, request).await,
            Request::ListGroupMembers(request) => self.list_members(session, request).await,
            Request::ReportRead(request) => self.report_read(session, request).await,
            Request::SendReadReceipts(request) => self.send_read_receipts(session, request).await,
            Request::GetReadReceipts(request) => self.get_read_receipts(session, request).await,
            Request::GetGroupReadMembers(request) => {
                self.get_group_read_members(session, request).await
            }
            Request::SetExtensions(request) => self.set_extensions(session, request).await,
            Request::GetExtensions(request) => self.get_extensions(session, request).await,
            Request::DeleteExtensions(request) => self.delete_extensions(session, request).await,
            Request::SetC2cRecvOpt(request) => self.set_c2c_recv_opt(session, request).await,
            Request::GetC2cRecvOpt(request) => self.get_c2c_recv_opt(session, request).await,
            Request::SetGroupRecvOpt(request) => self.set_group_recv_opt(session, request).await,
            Request::DeleteMessages(request) => self.delete_messages(session, request).await,
            Request::ClearHistory(request) => self.clear_history(session, request).await,
            Request::DownloadMerged(request) => self.download_merged(session, request).await,
            Request::TranslateText(request) => self.translate_text(session, request),
            Request::SetOfflinePushToken(request) => {
                self.set_offline_push_token(session, request).await
            }
            Request::SetAppState(request) => Ok(self.set_app_state(session, request)),
            Request::UpdateConversations(request) => {
                self.update_conversations(session, request).await
            }
            Request::GetConversationState(_) => self.get_conversation_state(session).await,
            Request::GetProfiles(request) => self.get_profiles(session, request).await,
            Request::SetProfile(request) => self.set_profile(session, request).await,
            Request::Login(_) => Err(Refusal::new(
                codes::ERR_SDK_INVALID_OPERATION,
                "this connection is already logged in",
            )),
            other => Err(Refusal::new(
                codes::ERR_SDK_INTERFACE_NOT_SUPPORT,
                format!(
                    "{} is not supported by this server yet",
                    request_name(&other)
                ),
            )),
        };
        result.unwrap_or_else(|refusal| Reply::Now(Box::new(error_response(refusal))))
    }
}

fn request_name(request: &Request) -> &'static str {
    match request {
        Request::Logout(_) => "logout",
        _ => "this request",
    }
}

impl Services {
    /// Takes a token from every rate limit `request` counts against (docs/security.md).
    fn check_rate(&self, session: &Session, request: &Request) -> Result<(), Refusal> {
        use crate::rate::Limited;
        let user = session.user.as_str();
        let mut limits: Vec<(Limited, &str)> = Vec::with_capacity(2);
        match request {
            Request::SendMessage(send) => {
                limits.push((Limited::Sends, user));
                if let Some(conversation) = &send.conversation
                    && conversation.conv_type == tim_model::enums::ConvType::Group.value()
                {
                    limits.push((Limited::GroupMessages, conversation.conv_id.as_str()));
                }
            }
            Request::BatchSend(_) => limits.push((Limited::BatchSends, user)),
            Request::ReportRead(v1::ReportReadRequest {
                scope: Some(v1::report_read_request::Scope::AllOfConvType(_)),
            }) => {
                limits.push((Limited::MarkAllRead, user));
            }
            Request::ReportRead(_) | Request::SendReadReceipts(_) => {
                limits.push((Limited::ReadReports, user));
            }
            Request::SetExtensions(_) | Request::DeleteExtensions(_) => {
                limits.push((Limited::Extensions, user));
            }
            Request::CancelSend(_)
            | Request::RevokeMessage(_)
            | Request::ModifyMessage(_)
            | Request::CreateGroup(_)
            | Request::AddGroupMembers(_)
            | Request::RemoveGroupMembers(_)
            | Request::JoinGroup(_)
            | Request::QuitGroup(_)
            | Request::DismissGroup(_)
            | Request::SetC2cRecvOpt(_)
            | Request::SetGroupRecvOpt(_)
            | Request::DeleteMessages(_)
            | Request::ClearHistory(_)
            | Request::SetOfflinePushToken(_)
            | Request::UpdateConversations(_)
            | Request::SetProfile(_) => limits.push((Limited::Changes, user)),
            Request::PullHistory(_)
            | Request::ListGroupMembers(_)
            | Request::GetReadReceipts(_)
            | Request::GetGroupReadMembers(_)
            | Request::GetExtensions(_)
            | Request::GetC2cRecvOpt(_)
            | Request::DownloadMerged(_)
            | Request::TranslateText(_)
            | Request::GetConversationState(_)
            | Request::GetProfiles(_) => limits.push((Limited::Queries, user)),
            // Sync, pings, app states and logout keep a client working: never limited.
            _ => {}
        }
        if limits.is_empty() {
            return Ok(());
        }
        let now = std::time::Instant::now();
        let mut limiter = self
            .rate
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (limited, who) in limits {
            if let Err(refusal) = limiter.take(session.app, limited, who, now) {
                crate::metrics::get()
                    .rate_limited
                    .with_label_values(&[limited.metric_label()])
                    .inc();
                return Err(refusal);
            }
        }
        Ok(())
    }
}
