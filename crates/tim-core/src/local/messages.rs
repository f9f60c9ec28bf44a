//! The local message operations: save, import, find (by ID and by locator), history pages,
//! delete, clear and local custom data (functions.md 5.4, 5.9–5.13, 5.15, 5.23).

use super::history;
use crate::engine::{Engine, now_secs};
use crate::error::{CoreError, Result};
use tim_model::enums::MsgStatus;
use tim_model::{
    ConvId, GetMsgListParam, Message, MessageId, MsgDeleteParam, MsgLocator, keys, limits,
};

impl Engine {
    /// `TIMMsgSaveMsg`: stores one caller-built message in `conv` (status LocalImported) and
    /// returns it as stored, with its message ID.
    pub fn save_message(&self, conv: &ConvId, message: Message) -> Result<Message> {
        limits::validate_send(&message)?;
        let message = self.prepare_local(message, now_secs())?;
        self.store
            .put_messages(conv, std::slice::from_ref(&message))?;
        self.sync_index()?;
        self.stored(&message)
    }

    /// `TIMMsgImportMsgList`: stores caller-built (or previously exported) messages in `conv`
    /// in one transaction (status LocalImported), keeping message IDs they already have.
    pub fn import_messages(&self, conv: &ConvId, messages: Vec<Message>) -> Result<Vec<Message>> {
        if messages.is_empty() {
            return Err(CoreError::invalid(
                "json_msg_array: at least one message is needed",
            ));
        }
        let now = now_secs();
        let prepared = messages
            .into_iter()
            .enumerate()
            .map(|(index, message)| {
                if message.elems.is_empty() {
                    return Err(CoreError::invalid(format!(
                        "json_msg_array[{index}].{}: a message needs at least one element",
                        keys::MESSAGE_ELEM_ARRAY.name
                    )));
                }
                self.prepare_local(message, now)
            })
            .collect::<Result<Vec<_>>>()?;
        self.store.put_messages(conv, &prepared)?;
        self.sync_index()?;
        // The store keeps what it was given and adds only the conversation; no need to read
        // the batch back.
        Ok(prepared
            .into_iter()
            .map(|message| Message {
                conv_id: conv.id().to_owned(),
                conv_type: conv.conv_type(),
                ..message
            })
            .collect())
    }

    /// `TIMMsgFindMessages`: the messages of `ids` held locally, in the order asked.
    pub fn find_messages(&self, ids: &[MessageId]) -> Result<Vec<Message>> {
        Ok(self.store.get_messages(ids)?)
    }

    /// `TIMMsgFindByMsgLocatorList`: the messages of `conv` matching `locators`, in their order.
    pub fn find_by_locators(&self, conv: &ConvId, locators: &[MsgLocator]) -> Result<Vec<Message>> {
        let mut found = Vec::with_capacity(locators.len());
        for locator in locators {
            if let Some(message) = self.store.find_by_locator(conv, locator)? {
                found.push(message);
            }
        }
        Ok(found)
    }

    /// `TIMMsgGetMsgList`, local part: one page of `conv`'s history (see [`history`]).
    pub fn get_message_list(&self, conv: &ConvId, param: &GetMsgListParam) -> Result<Vec<Message>> {
        let query = history::page_query(conv.conv_type(), param, now_secs())?;
        if let tim_store::Anchor::After(id) = &query.anchor {
            let anchor = self.store.get_messages(std::slice::from_ref(id))?;
            if !anchor.iter().any(|m| belongs_to(m, conv)) {
                return Err(CoreError::not_found(format!(
                    "{}: message {id} is not in this conversation's local history",
                    keys::MSG_GETMSGLIST_PARAM_LAST_MSG.name
                )));
            }
        }
        Ok(self.store.page(conv, &query)?)
    }

    /// `TIMMsgDelete`, local part: deletes the given message of `conv`, or, when the parameter
    /// names no message (absent, or without a message ID like the samples' `{}`), every local
    /// message of `conv`.
    pub fn delete_local(&self, conv: &ConvId, param: &MsgDeleteParam) -> Result<()> {
        let Some(id) = param.msg.as_ref().and_then(|m| m.msg_id.clone()) else {
            return self.clear_local_history(conv);
        };
        let found = self.store.get_messages(std::slice::from_ref(&id))?;
        if !found.iter().any(|m| belongs_to(m, conv)) {
            return Err(CoreError::not_found(format!(
                "{}: message {id} is not in this conversation's local history",
                keys::MSG_DELETE_PARAM_MSG.name
            )));
        }
        self.store.delete_messages(&[id])?;
        self.sync_index()
    }

    /// `TIMMsgClearHistoryMessage`, local part: removes every local message of `conv`.
    pub fn clear_local_history(&self, conv: &ConvId) -> Result<()> {
        self.store.clear_conversation(conv)?;
        self.sync_index()
    }

    /// `TIMMsgSetLocalCustomData`: stores `message_custom_int` and `message_custom_str` of the
    /// message named by `message`'s ID.
    pub fn set_local_custom_data(&self, message: &Message) -> Result<()> {
        let Some(id) = &message.msg_id else {
            return Err(CoreError::invalid(format!(
                "{}: the message has no message ID",
                keys::MESSAGE_MSG_ID.name
            )));
        };
        if !self
            .store
            .set_local_custom_data(id, message.custom_int, &message.custom_str)?
        {
            return Err(CoreError::not_found(format!(
                "message {id} is not in the local store"
            )));
        }
        Ok(())
    }

    /// Fills in what a locally made message lacks: message ID and random number, sender (this
    /// user), times, and the LocalImported status.
    fn prepare_local(&self, mut message: Message, now: u64) -> Result<Message> {
        if message.msg_id.is_none() || message.rand == 0 {
            let (id, rand) = self.new_identity(now)?;
            message.msg_id.get_or_insert(id);
            if message.rand == 0 {
                message.rand = rand;
            }
        }
        if message.sender.is_empty() {
            message.sender = self.user.as_str().to_owned();
        }
        message.is_from_self = message.sender == self.user.as_str();
        if message.client_time == 0 {
            message.client_time = now;
        }
        if message.server_time == 0 {
            message.server_time = message.client_time;
        }
        message.status = Some(MsgStatus::LocalImported);
        Ok(message)
    }

    /// `message` as the store holds it now.
    fn stored(&self, message: &Message) -> Result<Message> {
        let ids: Vec<MessageId> = message.msg_id.iter().cloned().collect();
        self.store
            .get_messages(&ids)?
            .into_iter()
            .next()
            .ok_or_else(|| CoreError::not_found("the message just stored could not be read back"))
    }
}

/// Whether `message` (as stored, with its conversation filled in) is in `conv`.
fn belongs_to(message: &Message, conv: &ConvId) -> bool {
    message.conv_type == conv.conv_type() && message.conv_id == conv.id()
}
