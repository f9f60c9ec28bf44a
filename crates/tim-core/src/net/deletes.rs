//! Cloud deletes of this user's history: TIMMsgDelete with is_ramble, TIMMsgListDelete,
//! TIMMsgClearHistoryMessage, and the pushes from the user's other devices.
//!
//! Decisions:
//! - Cloud deletes act on this user's copy only: the server leaves the messages out of this
//!   user's history pulls and sync from then on; the peer and other group members keep theirs.
//! - The server is the authority for the rules (1..=50 messages of one conversation the user
//!   can see, at most one list delete per second per user → 7008); a refused call changes
//!   nothing, locally or in the cloud. `TIMMsgDelete` with is_ramble is a one-message list
//!   delete (same limit); without is_ramble it is local only.
//! - On success the caller's store (and search index) drops the messages before the call
//!   returns. Every device of the user, this one included, then gets the logged notice, drops
//!   them too (again: a no-op here) and raises [`Event::MessagesDeleted`] /
//!   [`Event::HistoryCleared`].
//! - A clear pushed from another device removes the messages up to the cleared seq only;
//!   messages that arrived after the clear stay. Deleted and cleared seqs stay "held", so a
//!   later `TIMMsgGetMsgList` with is_ramble does not pull them again (and the server would
//!   not return them anyway).

use super::connection::{Request, Response};
use super::persist::blocking;
use super::session::{Session, unexpected};
use crate::client::Client;
use crate::engine::Engine;
use crate::error::{CoreError, Result};
use crate::events::Event;
use tim_model::{ConvId, Message, MessageId, MsgDeleteParam, limits};
use tim_proto::v1 as wire;
use tim_proto::v1::sync_event;

impl Client {
    /// `TIMMsgListDelete`: deletes `messages` (1..=50, identified by their IDs) of `conv` from
    /// this user's cloud history and from this device's store; the user's other devices follow.
    pub async fn delete_messages(&self, conv: &ConvId, messages: &[Message]) -> Result<()> {
        limits::validate_list_delete(messages)?;
        let mut ids = Vec::with_capacity(messages.len());
        for (index, message) in messages.iter().enumerate() {
            let Some(id) = message.msg_id.clone() else {
                return Err(CoreError::invalid(format!(
                    "json_msg_array[{index}].message_msg_id: required"
                )));
            };
            ids.push(id);
        }
        let request = wire::DeleteMessagesRequest {
            conversation: Some(conv.clone().into()),
            msg_ids: ids.iter().map(|id| id.as_str().to_owned()).collect(),
        };
        match self.request(Request::DeleteMessages(request)).await? {
            Response::DeleteMessages(_) => {}
            other => return Err(unexpected(&other)),
        }
        self.with_engine(move |engine| engine.drop_messages(&ids))
            .await
    }

    /// `TIMMsgDelete`: with `is_ramble`, deletes the message from this user's cloud history
    /// too (as [`delete_messages`](Self::delete_messages) with one message); without, from
    /// this device only. A parameter without a message clears the conversation (cloud too with
    /// `is_ramble`).
    pub async fn delete_message(&self, conv: &ConvId, param: &MsgDeleteParam) -> Result<()> {
        match (&param.msg, param.is_ramble) {
            (Some(message), true) => {
                self.delete_messages(conv, std::slice::from_ref(message))
                    .await
            }
            (None, true) => self.clear_history(conv).await,
            (_, false) => {
                let (conv, param) = (conv.clone(), param.clone());
                self.with_engine(move |engine| engine.delete_local(&conv, &param))
                    .await
            }
        }
    }

    /// `TIMMsgClearHistoryMessage`: clears `conv` from this user's cloud history (up to its
    /// newest message now) and from this device's store; the user's other devices follow.
    pub async fn clear_history(&self, conv: &ConvId) -> Result<()> {
        let request = wire::ClearHistoryRequest {
            conversation: Some(conv.clone().into()),
        };
        match self.request(Request::ClearHistory(request)).await? {
            Response::ClearHistory(_) => {}
            other => return Err(unexpected(&other)),
        }
        let conv = conv.clone();
        self.with_engine(move |engine| engine.clear_local_history(&conv))
            .await
    }
}

impl Engine {
    /// Removes the messages `ids` from the store and the search index.
    fn drop_messages(&self, ids: &[MessageId]) -> Result<()> {
        self.store.delete_messages(ids)?;
        self.sync_index()
    }

    /// Removes the messages of `conv` up to `up_to_seq` from the store and the search index.
    fn drop_up_to(&self, conv: &ConvId, up_to_seq: u64) -> Result<()> {
        self.store.delete_up_to_seq(conv, up_to_seq)?;
        self.sync_index()
    }
}

impl Session {
    /// Applies a logged event of this area (push or sync), in log order.
    pub(crate) async fn delete_notice(&mut self, event: sync_event::Event) -> Result<()> {
        match event {
            sync_event::Event::MessagesDeleted(push) => {
                let Some(conv) = push.conversation.and_then(|c| ConvId::try_from(c).ok()) else {
                    return Ok(());
                };
                let ids: Vec<MessageId> = push
                    .msg_ids
                    .iter()
                    .filter_map(|id| MessageId::new(id).ok())
                    .collect();
                blocking(&self.ctx.engine, move |engine| engine.drop_messages(&ids)).await?;
                self.ctx.shared.events.emit(&Event::MessagesDeleted {
                    conv,
                    msg_ids: push.msg_ids,
                });
            }
            sync_event::Event::HistoryCleared(push) => {
                let Some(conv) = push.conversation.and_then(|c| ConvId::try_from(c).ok()) else {
                    return Ok(());
                };
                let target = conv.clone();
                blocking(&self.ctx.engine, move |engine| {
                    engine.drop_up_to(&target, push.up_to_seq)
                })
                .await?;
                self.ctx.shared.events.emit(&Event::HistoryCleared(conv));
            }
            _ => {}
        }
        Ok(())
    }
}
