//! Driving the send queue: dispatching the next message, turning answers into the stored
//! final state (SendSucc with seq and server time, SendFail with the server's code, Cancel),
//! and cancels. The decisions are [`SendQueue`](super::queue::SendQueue)'s; this moves the
//! messages and reports outcomes to the waiting [`SendHandle`](crate::SendHandle), or as an
//! [`Event::SendCompleted`] when nobody waits.

use super::connection::{Conn, Request, Response};
use super::persist::blocking;
use super::queue::CancelStep;
use super::session::{End, Internal, Session, request_via, unexpected};
use crate::SendError;
use crate::error::{CoreError, Result};
use crate::events::Event;
use std::sync::PoisonError;
use tim_model::enums::MsgStatus;
use tim_model::{ConvId, Message, MessageId, Seq, codes};
use tim_proto::v1::{CancelSendRequest, SendMessageRequest, SendMessageResponse};
use tokio::sync::oneshot;

impl Session {
    /// Dispatches the next queued message if none is on the network.
    pub(crate) fn pump(&mut self, conn: &Conn) {
        let Some((attempt, conv, message)) = self.queue.next_to_send() else {
            return;
        };
        let Some(id) = message.msg_id.clone() else {
            return;
        };
        if !super::media::upload_jobs(&message).is_empty() {
            self.start_upload(conn, attempt, conv, message, id);
            return;
        }
        let conn = conn.clone();
        let internal = self.internal_tx.clone();
        tokio::spawn(async move {
            let request = Request::SendMessage(SendMessageRequest {
                conversation: Some(conv.into()),
                message: Some(message.into()),
            });
            let result = match conn.request(request).await {
                Ok(Response::SendMessage(ack)) => Ok(ack),
                Ok(other) => Err(unexpected(&other)),
                Err(err) => Err(err),
            };
            let _ = internal.send(Internal::SendDone {
                id,
                attempt,
                generation: conn.generation(),
                result,
                filled: None,
                upload_failed: false,
            });
        });
    }

    /// The outcome of one send attempt. `current`: it was made on the current connection.
    pub(crate) async fn send_done(
        &mut self,
        id: MessageId,
        attempt: u64,
        current: bool,
        result: Result<SendMessageResponse>,
    ) -> Option<End> {
        match result {
            Ok(ack) => {
                let entry = self.queue.on_answer(&id)?;
                let mut message = entry.message;
                message.status = Some(MsgStatus::SendSucc);
                message.seq = Seq(ack.seq);
                if ack.server_time > 0 {
                    message.server_time = ack.server_time;
                }
                if ack.rand != 0 {
                    message.rand = ack.rand;
                }
                super::merge::apply_relay_keys(&mut message, &ack.merge_relay_pb_keys);
                self.complete(message, None).await;
                None
            }
            Err(err) if err.is_network() => {
                self.queue.on_network_error(&id, attempt);
                // No answer in time on a live connection: treat the connection as dead.
                (current && err.code() == codes::ERR_SDK_NET_WAIT_ACK_TIMEOUT).then(|| End::Lost {
                    code: err.code(),
                    desc: err.to_string(),
                })
            }
            Err(err) => {
                let entry = self.queue.on_answer(&id)?;
                let mut message = entry.message;
                let cancelled = err.code() == codes::ERR_SDK_SEND_MESSAGE_FAILED_WITH_CANCEL;
                message.status = Some(if cancelled {
                    MsgStatus::Cancel
                } else {
                    MsgStatus::SendFail
                });
                self.complete(message, Some(err)).await;
                None
            }
        }
    }

    /// Stores the final state of a send and reports it.
    pub(crate) async fn complete(&mut self, message: Message, error: Option<CoreError>) {
        let stored = message.clone();
        if let Err(err) = blocking(&self.ctx.engine, move |engine| {
            engine.complete_send(&stored)
        })
        .await
        {
            tracing::warn!("tim: the outcome of a send could not be stored: {err}");
        }
        let (code, desc) = match &error {
            Some(err) => (err.code(), server_desc(err)),
            None => (0, String::new()),
        };
        let outcome = match error {
            None => Ok(message),
            Some(_) => Err(SendError {
                code,
                desc: desc.clone(),
                message: Some(Box::new(message)),
            }),
        };
        let sent = outcome
            .as_ref()
            .map_or_else(|err| err.message.as_deref(), Some)
            .and_then(|message| ConvId::new(message.conv_type, &message.conv_id).ok());
        if let Some(conv) = sent {
            // The last message's status changed: the conversation list shows it.
            self.ctx
                .shared
                .events
                .emit(&Event::ConversationsTouched(vec![conv]));
        }
        let waiter = outcome
            .as_ref()
            .map_or_else(|err| err.message.as_deref(), Some)
            .and_then(|message| message.msg_id.clone())
            .and_then(|id| {
                self.ctx
                    .waiters
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .remove(&id)
            });
        let unclaimed = match waiter {
            Some(waiter) => waiter.send(outcome).err(),
            None => Some(outcome),
        };
        if let Some(outcome) = unclaimed {
            let event = match outcome {
                Ok(message) => Event::SendCompleted {
                    message,
                    code: 0,
                    desc: String::new(),
                },
                Err(err) => Event::SendCompleted {
                    message: err.message.map(|m| *m).unwrap_or_default(),
                    code: err.code,
                    desc: err.desc,
                },
            };
            self.ctx.shared.events.emit(&event);
        }
    }

    /// A cancel request from the API.
    pub(crate) async fn cancel(
        &mut self,
        conv: ConvId,
        id: MessageId,
        reply: oneshot::Sender<Result<()>>,
    ) {
        if let Some(entry) = self.cancel_upload(&id) {
            let mut message = entry.message;
            message.status = Some(MsgStatus::Cancel);
            self.complete(message, Some(cancelled_error())).await;
            let _ = reply.send(Ok(()));
            return;
        }
        match self.queue.cancel(&id) {
            CancelStep::NotQueued | CancelStep::InProgress => {
                let _ = reply.send(Err(CoreError::refused(
                    codes::ERR_SDK_INVALID_CANCEL_MESSAGE,
                    format!("message {id} is not waiting to be sent"),
                )));
            }
            CancelStep::Removed(entry) => {
                let mut message = entry.message;
                message.status = Some(MsgStatus::Cancel);
                self.complete(message, Some(cancelled_error())).await;
                let _ = reply.send(Ok(()));
            }
            CancelStep::AskServer => {
                let mut link = self.ctx.link.subscribe();
                let timeout = self.ctx.shared.config.request_timeout;
                let internal = self.internal_tx.clone();
                tokio::spawn(async move {
                    let request = Request::CancelSend(CancelSendRequest {
                        conversation: Some(conv.clone().into()),
                        msg_id: id.as_str().to_owned(),
                    });
                    let result = match request_via(&mut link, timeout, request).await {
                        Ok(Response::CancelSend(_)) => Ok(()),
                        Ok(other) => Err(unexpected(&other)),
                        Err(err) => Err(err),
                    };
                    let _ = internal.send(Internal::CancelDone {
                        conv,
                        id,
                        result,
                        reply,
                    });
                });
            }
        }
    }

    /// The server's answer to a cancel.
    pub(crate) async fn cancel_done(
        &mut self,
        _conv: ConvId,
        id: MessageId,
        result: Result<()>,
        reply: oneshot::Sender<Result<()>>,
    ) {
        match result {
            Ok(()) => {
                if let Some(entry) = self.queue.cancel_confirmed(&id) {
                    let mut message = entry.message;
                    message.status = Some(MsgStatus::Cancel);
                    self.complete(message, Some(cancelled_error())).await;
                }
                let _ = reply.send(Ok(()));
            }
            Err(err) => {
                self.queue.cancel_refused(&id);
                let _ = reply.send(Err(err));
            }
        }
    }
}

pub(crate) fn cancelled_error() -> CoreError {
    CoreError::refused(
        codes::ERR_SDK_SEND_MESSAGE_FAILED_WITH_CANCEL,
        "the send was cancelled",
    )
}

/// The description to report: the server's own text for server refusals.
fn server_desc(err: &CoreError) -> String {
    match err {
        CoreError::Server { desc, .. } => desc.clone(),
        other => other.to_string(),
    }
}
