//! Messages: send (stored or online-only), batch send, cancel, revoke, modify, sync and
//! history.

use super::merge::extract_bundles;
use super::{
    PAGE_MAX_BYTES, Reply, Services, Session, error_response, internal, invalid,
    parse_conversation, single,
};
use crate::storage::{
    Applied, EventKind, HistoryQuery, ModifyWrite, Refusal, RevokeWrite, SendWrite, SyncBody,
    Target, WriteOp, view,
};
use crate::writer::WriteReply;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tim_model::codes;
use tim_model::enums::{ConvType, MsgStatus};
use tim_model::ids::{MESSAGE_ID_MAX_BYTES, MessageId, UserId};
use tim_model::limits::{self, BATCH_SEND_MAX};
use tim_proto::v1;
use tim_proto::v1::server_frame::Body as Response;

const SYNC_DEFAULT_EVENTS: usize = 100;
const SYNC_MAX_EVENTS: usize = 1000;
const HISTORY_DEFAULT_COUNT: usize = 20;
const HISTORY_MAX_COUNT: usize = 100;
/// Longest revoke reason, bytes.
const REVOKE_REASON_MAX_BYTES: usize = 1024;

/// The message ID of the copy of batch message `msg_id` for `recipient`: `msg_id` (cut to
/// 110 bytes at a character boundary), `-`, and the first 16 hex characters of
/// SHA-256(`msg_id` + "\n" + `recipient`). Deterministic, so a retried batch deduplicates per
/// recipient; at most 127 bytes.
pub fn batch_copy_msg_id(msg_id: &str, recipient: &str) -> String {
    let digest = Sha256::digest(format!("{msg_id}\n{recipient}").as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let mut cut = msg_id.len().min(MESSAGE_ID_MAX_BYTES - 17);
    while !msg_id.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{hex}", &msg_id[..cut])
}

/// A rand for a message that came without one, derived from its ID so retries agree: 32 bits
/// and never 0, as Tencent's `message_rand` (JavaScript clients hold it exactly).
fn derived_rand(msg_id: &str) -> u64 {
    let digest = Sha256::digest(msg_id.as_bytes());
    let mut bytes = [0u8; 4];
    bytes.copy_from_slice(&digest[..4]);
    u64::from(u32::from_be_bytes(bytes).max(1))
}

/// Validates a client's message and returns it in canonical form with every server-owned
/// field set (except those the storage assigns) and its ID.
fn canonical(
    session: &Session,
    target: &Target,
    message: v1::Message,
) -> Result<(MessageId, v1::Message), Refusal> {
    let model = tim_model::Message::try_from(message)
        .map_err(|e| Refusal::new(codes::ERR_INVALID_PARAMETERS, format!("message.{e}")))?;
    let Some(msg_id) = model.msg_id.clone() else {
        return Err(invalid("message.msg_id: required"));
    };
    limits::validate_send(&model).map_err(|e| Refusal::new(e.code(), format!("message.{e}")))?;
    let mut message = v1::Message::from(model);
    let (conv_type, conv_id) = match target {
        Target::C2c(peer) => {
            message.target_group_member_array.clear();
            (ConvType::C2c, peer.as_str())
        }
        Target::Group(group) => (ConvType::Group, group.as_str()),
    };
    message.conv_type = conv_type.value();
    message.conv_id = conv_id.to_owned();
    message.sender = session.user.as_str().to_owned();
    message.server_time = crate::usersig::now_secs();
    message.is_from_self = false;
    message.platform = session.platform;
    message.status = Some(MsgStatus::SendSucc.value());
    if message.rand == 0 {
        message.rand = derived_rand(msg_id.as_str());
    }
    // Fields the server owns or that are local to a client.
    message.seq = 0;
    message.unique_id = 0;
    message.version = 0;
    message.is_read = false;
    message.custom_int = 0;
    message.custom_str.clear();
    message.is_peer_read = false;
    message.receipt_peer_read = false;
    message.has_sent_receipt = false;
    message.group_receipt_read_count = 0;
    message.group_receipt_unread_count = 0;
    message.sender_profile = None;
    message.sender_group_member_info = None;
    message.has_risk_content = false;
    message.risk_type_identified = 0;
    message.revoker_user_id.clear();
    message.revoker_nick_name.clear();
    message.revoker_face_url.clear();
    message.revoke_reason.clear();
    message.pinner_user_id.clear();
    message.pinner_nick_name.clear();
    message.pinner_friend_remark.clear();
    message.pinner_name_card.clear();
    message.pinner_face_url.clear();
    message.sender_tiny_id = 0;
    message.receiver_tiny_id = 0;
    Ok((msg_id, message))
}

fn ack_response(ack: crate::storage::Ack, duplicate: bool) -> Response {
    Response::SendMessage(v1::SendMessageResponse {
        msg_id: ack.msg_id,
        seq: ack.seq,
        server_time: ack.server_time,
        rand: ack.rand,
        duplicate,
        merge_relay_pb_keys: ack.relay_keys,
    })
}

/// The response to a one-message send from the writer's reply.
fn send_answer(reply: WriteReply) -> Response {
    match single(Ok(reply)) {
        Ok(Applied::Sent { ack, duplicate }) => ack_response(ack, duplicate),
        Ok(_) => error_response(Refusal::new(
            codes::ERR_SDK_INTERNAL_ERROR,
            "unexpected result",
        )),
        Err(refusal) => error_response(refusal),
    }
}

impl Services {
    pub(super) async fn send_message(
        &self,
        session: &Session,
        request: v1::SendMessageRequest,
    ) -> Result<Reply, Refusal> {
        let target = parse_conversation(request.conversation.as_ref())?;
        let Some(message) = request.message else {
            return Err(invalid("message: required"));
        };
        let (msg_id, mut message) = canonical(session, &target, message)?;
        let merge = extract_bundles(&mut message)?.map(Arc::new);
        if message.is_online_msg {
            return self.send_online(session, &target, message).await;
        }
        let op = WriteOp::Send(Box::new(SendWrite {
            app: session.app,
            sender: session.user.clone(),
            target,
            msg_id,
            message,
            merge,
        }));
        Ok(Reply::Write {
            ops: vec![op],
            answer: send_answer,
        })
    }

    /// Delivers an online-only message to the devices online now; nothing is stored.
    async fn send_online(
        &self,
        session: &Session,
        target: &Target,
        message: v1::Message,
    ) -> Result<Reply, Refusal> {
        let recipients = match target {
            Target::C2c(peer) => vec![peer.as_str().to_owned(), session.user.as_str().to_owned()],
            Target::Group(group) => {
                self.check_member(session, group).await?;
                let members = self
                    .storage
                    .member_ids(session.app, group)
                    .await
                    .map_err(internal)?;
                members
                    .into_iter()
                    .filter(|m| {
                        message.target_group_member_array.is_empty()
                            || m == &message.sender
                            || message.target_group_member_array.contains(m)
                    })
                    .collect()
            }
        };
        self.hub
            .deliver_online(session.app, &message, &recipients, session.conn_id);
        Ok(Reply::now(ack_response(
            crate::storage::Ack {
                msg_id: message.msg_id.unwrap_or_default(),
                seq: 0,
                server_time: message.server_time,
                rand: message.rand,
                relay_keys: Vec::new(),
            },
            false,
        )))
    }

    pub(super) async fn batch_send(
        &self,
        session: &Session,
        request: v1::BatchSendRequest,
    ) -> Result<Reply, Refusal> {
        let count = request.identifier_array.len();
        if count == 0 {
            return Err(invalid(
                "identifier_array: at least one recipient is needed",
            ));
        }
        if count > BATCH_SEND_MAX {
            return Err(Refusal::new(
                codes::ERR_SVR_MSG_TO_ACCOUNT_COUNT_LIMIT,
                format!("identifier_array: {count} recipients; the limit is {BATCH_SEND_MAX}"),
            ));
        }
        let Some(message) = request.msg else {
            return Err(invalid("msg: required"));
        };
        let placeholder = Target::C2c(session.user.clone());
        let (msg_id, mut template) = canonical(session, &placeholder, message)?;
        let merge = extract_bundles(&mut template)?.map(Arc::new);
        let mut ops = Vec::new();
        let mut slots = Vec::with_capacity(count);
        let mut online = Vec::new();
        for identifier in request.identifier_array {
            let peer = match UserId::parse_at(&identifier, "identifier_array") {
                Ok(peer) => peer,
                Err(e) => {
                    slots.push((identifier, Err(Refusal::new(e.code(), e.to_string())), None));
                    continue;
                }
            };
            let mut copy = template.clone();
            let copy_id = batch_copy_msg_id(msg_id.as_str(), peer.as_str());
            copy.conv_id = peer.as_str().to_owned();
            copy.msg_id = Some(copy_id.clone());
            let copy_id =
                MessageId::new(&copy_id).map_err(|e| Refusal::new(e.code(), e.to_string()))?;
            if copy.is_online_msg {
                online.push((peer.as_str().to_owned(), copy.clone()));
                slots.push((identifier, Ok(None), Some(copy)));
                continue;
            }
            slots.push((identifier, Ok(Some(ops.len())), Some(copy.clone())));
            ops.push(WriteOp::Send(Box::new(SendWrite {
                app: session.app,
                sender: session.user.clone(),
                target: Target::C2c(peer),
                msg_id: copy_id,
                message: copy,
                merge: merge.clone(),
            })));
        }
        for (peer, copy) in &online {
            let users = [peer.clone(), session.user.as_str().to_owned()];
            self.hub
                .deliver_online(session.app, copy, &users, session.conn_id);
        }
        let answer = if ops.is_empty() {
            None
        } else {
            Some(self.writer.submit(ops).await)
        };
        let me = session.user.as_str().to_owned();
        Ok(Reply::later(async move {
            let results = match answer {
                Some(answer) => match answer.await {
                    Ok(Ok(results)) => results,
                    Ok(Err(error)) => return error_response(internal(error)),
                    Err(_) => {
                        return error_response(Refusal::new(
                            codes::ERR_SDK_INTERNAL_ERROR,
                            "the writer stopped",
                        ));
                    }
                },
                None => Vec::new(),
            };
            let mut out = Vec::with_capacity(slots.len());
            for (identifier, slot, copy) in slots {
                let outcome = match slot {
                    Err(refusal) => Err(refusal),
                    Ok(None) => Ok(copy),
                    Ok(Some(index)) => match results.get(index).cloned() {
                        Some(Ok(Applied::Sent { ack, .. })) => Ok(copy.map(|mut copy| {
                            copy.seq = ack.seq;
                            copy.server_time = ack.server_time;
                            copy.rand = ack.rand;
                            copy
                        })),
                        Some(Err(refusal)) => Err(refusal),
                        _ => Err(Refusal::new(codes::ERR_SDK_INTERNAL_ERROR, "no result")),
                    },
                };
                out.push(match outcome {
                    Ok(copy) => v1::BatchSendResult {
                        identifier,
                        code: 0,
                        desc: String::new(),
                        msg: copy.map(|copy| view::for_user(&copy, &me)),
                    },
                    Err(refusal) => v1::BatchSendResult {
                        identifier,
                        code: refusal.code,
                        desc: refusal.desc,
                        msg: None,
                    },
                });
            }
            Response::BatchSend(v1::BatchSendResponse { results: out })
        }))
    }

    pub(super) async fn cancel_send(
        &self,
        session: &Session,
        request: v1::CancelSendRequest,
    ) -> Result<Reply, Refusal> {
        let target = parse_conversation(request.conversation.as_ref())?;
        let msg_id = MessageId::parse_at(&request.msg_id, "msg_id")
            .map_err(|e| Refusal::new(e.code(), e.to_string()))?;
        let op = WriteOp::Cancel {
            app: session.app,
            sender: session.user.clone(),
            target,
            msg_id,
        };
        let answer = self.writer.submit(vec![op]).await;
        Ok(Reply::later(async move {
            match single(answer.await) {
                Ok(_) => Response::CancelSend(v1::CancelSendResponse {}),
                Err(refusal) => error_response(refusal),
            }
        }))
    }

    /// `TIMMsgRevoke`: the storage checks the rules in the write (see [`RevokeWrite`]); the
    /// answer is the revoke notice from the revoker's view.
    pub(super) async fn revoke_message(
        &self,
        session: &Session,
        request: v1::RevokeMessageRequest,
    ) -> Result<Reply, Refusal> {
        let target = parse_conversation(request.conversation.as_ref())?;
        let msg_id = MessageId::parse_at(&request.msg_id, "msg_id")
            .map_err(|e| Refusal::new(e.code(), e.to_string()))?;
        if request.reason.len() > REVOKE_REASON_MAX_BYTES {
            return Err(invalid(format!(
                "reason: {} bytes; the limit is {REVOKE_REASON_MAX_BYTES}",
                request.reason.len()
            )));
        }
        let op = WriteOp::Revoke(Box::new(RevokeWrite {
            app: session.app,
            revoker: session.user.clone(),
            target,
            msg_id,
            reason: request.reason,
            now: crate::usersig::now_secs(),
            window: self.config.revoke_window.as_secs(),
        }));
        let answer = self.writer.submit(vec![op]).await;
        let me = session.user.as_str().to_owned();
        Ok(Reply::later(async move {
            match single(answer.await) {
                Ok(Applied::Revoked(message)) => {
                    Response::RevokeMessage(v1::RevokeMessageResponse {
                        info: Some(view::revoke_info(&view::for_user(&message, &me))),
                    })
                }
                Ok(_) => error_response(Refusal::new(
                    codes::ERR_SDK_INTERNAL_ERROR,
                    "unexpected result",
                )),
                Err(refusal) => error_response(refusal),
            }
        }))
    }

    /// `TIMMsgModifyMessage`: the request's message is validated as a send would be; the
    /// storage checks the rest in the write (see [`ModifyWrite`]). A version conflict answers
    /// 8006 with the current message.
    pub(super) async fn modify_message(
        &self,
        session: &Session,
        request: v1::ModifyMessageRequest,
    ) -> Result<Reply, Refusal> {
        let target = parse_conversation(request.conversation.as_ref())?;
        let Some(message) = request.message else {
            return Err(invalid("message: required"));
        };
        let model = tim_model::Message::try_from(message.clone())
            .map_err(|e| Refusal::new(codes::ERR_INVALID_PARAMETERS, format!("message.{e}")))?;
        let Some(msg_id) = model.msg_id.clone() else {
            return Err(invalid("message.msg_id: required"));
        };
        limits::validate_send(&model)
            .map_err(|e| Refusal::new(e.code(), format!("message.{e}")))?;
        let op = WriteOp::Modify(Box::new(ModifyWrite {
            app: session.app,
            editor: session.user.clone(),
            target,
            msg_id,
            version: message.version,
            elems: v1::Message::from(model).elems,
            cloud_custom_str: message.cloud_custom_str,
        }));
        let answer = self.writer.submit(vec![op]).await;
        let me = session.user.as_str().to_owned();
        Ok(Reply::later(async move {
            match single(answer.await) {
                Ok(Applied::Modified(message)) => {
                    Response::ModifyMessage(v1::ModifyMessageResponse {
                        message: Some(view::for_user(&message, &me)),
                    })
                }
                Ok(Applied::Conflict(current)) => Response::Error(v1::Error {
                    code: codes::ERR_SDK_MSG_MODIFY_CONFLICT,
                    desc: format!(
                        "message.version: {} is not the current version {}",
                        message.version, current.version
                    ),
                    current_message: Some(view::for_user(&current, &me)),
                }),
                Ok(_) => error_response(Refusal::new(
                    codes::ERR_SDK_INTERNAL_ERROR,
                    "unexpected result",
                )),
                Err(refusal) => error_response(refusal),
            }
        }))
    }

    pub(super) async fn sync(
        &self,
        session: &Session,
        request: v1::SyncRequest,
    ) -> Result<Reply, Refusal> {
        let max_events = match request.max_events {
            0 => SYNC_DEFAULT_EVENTS,
            n => (n as usize).min(SYNC_MAX_EVENTS),
        };
        let page = self
            .storage
            .sync(
                session.app,
                &session.user,
                request.cursor,
                max_events,
                PAGE_MAX_BYTES,
            )
            .await
            .map_err(internal)?;
        let events = page
            .events
            .into_iter()
            .map(|item| v1::SyncEvent {
                event: Some(match item.event {
                    SyncBody::Message {
                        kind: EventKind::NewMessage,
                        message,
                    } => v1::sync_event::Event::NewMessage(v1::NewMessagePush {
                        cursor: item.cursor,
                        message: Some(message),
                    }),
                    SyncBody::Message {
                        kind: EventKind::Revoked,
                        message,
                    } => v1::sync_event::Event::MessageRevoked(v1::MessageRevokedPush {
                        cursor: item.cursor,
                        info: Some(view::revoke_info(&message)),
                    }),
                    SyncBody::Message {
                        kind: EventKind::Modified,
                        message,
                    } => v1::sync_event::Event::MessageModified(v1::MessageModifiedPush {
                        cursor: item.cursor,
                        message: Some(message),
                    }),
                    SyncBody::Notice(event) => event,
                }),
            })
            .collect();
        Ok(Reply::now(Response::Sync(v1::SyncResponse {
            events,
            next_cursor: page.next_cursor,
            has_more: page.has_more,
            cursor_expired: page.cursor_expired,
        })))
    }

    pub(super) async fn pull_history(
        &self,
        session: &Session,
        request: v1::PullHistoryRequest,
    ) -> Result<Reply, Refusal> {
        let target = parse_conversation(request.conversation.as_ref())?;
        let max_count = match request.max_count {
            0 => HISTORY_DEFAULT_COUNT,
            n => (n as usize).min(HISTORY_MAX_COUNT),
        };
        let query = HistoryQuery {
            begin_seq: request.begin_seq,
            end_seq: request.end_seq,
            max_count,
            backward: request.backward,
            max_bytes: PAGE_MAX_BYTES,
        };
        let page = self
            .storage
            .pull_history(session.app, &session.user, &target, query)
            .await
            .map_err(internal)??;
        Ok(Reply::now(Response::PullHistory(v1::PullHistoryResponse {
            messages: page.messages,
            covered_begin_seq: page.covered_begin_seq,
            covered_end_seq: page.covered_end_seq,
            has_more: page.has_more,
            newest_seq: page.newest_seq,
        })))
    }
}
