//! The message lifecycle after sending: revoke and modify.
//!
//! Decisions:
//! - The server decides (sender, or group owner/admin; window; membership). On success the
//!   caller's store is updated at once, before the call returns; the revoke push that every
//!   device of every party gets (this one included) then applies the same change again, which
//!   changes nothing, and raises [`Event::MessageRevoked`](crate::Event::MessageRevoked).
//! - Online-only messages are never stored by the server and cannot be revoked: refused
//!   locally with `ERR_SVR_GROUP_REVOKE_MSG_DENY` (10032).
//! - Modify: the caller's store takes the server's answer at once; every device of every
//!   party (this one included) then gets the modification push and raises
//!   [`Event::MessageModified`](crate::Event::MessageModified). A store never goes back to
//!   an older version (an answer and a push may arrive in either order), and keeps its
//!   local-only fields (local custom data, read flags).

use super::connection::{Request, Response};
use super::session::unexpected;
use crate::client::Client;
use crate::engine::Engine;
use crate::error::{CoreError, Result};
use tim_model::enums::MsgStatus;
use tim_model::{ConvId, Message, MessageId, RevokeInfo, codes, limits};
use tim_proto::v1 as wire;

impl Client {
    /// `TIMMsgRevoke`: revokes `message` (identified by its ID) of `conv`, with the message's
    /// `revoke_reason` as the reason shown to everyone. Returns the revoke notice (locator and
    /// revoker) from this user's view. Revoking a message that is already revoked succeeds
    /// again without a new notice to anyone.
    pub async fn revoke(&self, conv: &ConvId, message: &Message) -> Result<RevokeInfo> {
        if message.is_online_msg {
            return Err(CoreError::refused(
                codes::ERR_SVR_GROUP_REVOKE_MSG_DENY,
                "online-only messages cannot be revoked",
            ));
        }
        let Some(id) = message.msg_id.clone() else {
            return Err(CoreError::invalid("message.message_msg_id: required"));
        };
        let request = wire::RevokeMessageRequest {
            conversation: Some(conv.clone().into()),
            msg_id: id.as_str().to_owned(),
            reason: message.revoke_reason.clone(),
        };
        let info = match self.request(Request::RevokeMessage(request)).await? {
            Response::RevokeMessage(response) => response.info,
            other => return Err(unexpected(&other)),
        };
        let info = RevokeInfo::try_from(info.ok_or_else(|| {
            CoreError::refused(
                codes::ERR_PARSE_RESPONSE_FAILED,
                "the revoke answer has no notice",
            )
        })?)?;
        let revoker = info.clone();
        self.with_engine(move |engine| engine.mark_revoked_by_id(&id, &revoker))
            .await?;
        Ok(info)
    }
}

impl Client {
    /// `TIMMsgModifyMessage`: `message` is the full modified message, identified by its ID,
    /// in its conversation (`conv_id`, `conv_type` from this user's view), with the `version`
    /// the edit is based on. Only its sender may modify it, and only text, custom, location
    /// and face elements (keeping the element count and types) and `cloud_custom_str` change.
    /// Returns the message as now stored, its version raised by one. When the server holds
    /// another version the call fails with [`CoreError::ModifyConflict`] (8006) carrying the
    /// current message.
    pub async fn modify_message(&self, message: Message) -> Result<Message> {
        limits::validate_send(&message)?;
        if message.msg_id.is_none() {
            return Err(CoreError::invalid("message.message_msg_id: required"));
        }
        let conv = ConvId::new(message.conv_type, &message.conv_id)?;
        let request = wire::ModifyMessageRequest {
            conversation: Some(conv.clone().into()),
            message: Some(message.into()),
        };
        let modified = match self.request(Request::ModifyMessage(request)).await? {
            Response::ModifyMessage(response) => response.message,
            other => return Err(unexpected(&other)),
        };
        let modified = Message::try_from(modified.ok_or_else(|| {
            CoreError::refused(
                codes::ERR_PARSE_RESPONSE_FAILED,
                "the modify answer has no message",
            )
        })?)?;
        self.with_engine(move |engine| engine.apply_modification(&conv, modified))
            .await
    }
}

impl Engine {
    /// Applies a modification from the server to the stored copy (see the module notes) and
    /// returns it as this device sees it: with the stored local-only fields when it was
    /// applied, as it came when the store holds a newer version or no copy.
    pub(crate) fn apply_modification(
        &self,
        conv: &ConvId,
        mut message: Message,
    ) -> Result<Message> {
        conv.id().clone_into(&mut message.conv_id);
        message.conv_type = conv.conv_type();
        if message.status.is_none() {
            message.status = Some(MsgStatus::SendSucc);
        }
        let stored = self.store.apply_modification(&message)?;
        self.sync_index()?;
        Ok(match stored {
            Some(stored) if stored.version == message.version => stored,
            _ => message,
        })
    }

    /// Marks the stored message `id` revoked as `info` says; false if it is not stored.
    pub(crate) fn mark_revoked_by_id(&self, id: &MessageId, info: &RevokeInfo) -> Result<bool> {
        match self.store.get_messages(std::slice::from_ref(id))?.pop() {
            Some(message) => self.mark_revoked(message, info),
            None => Ok(false),
        }
    }

    /// Marks the message of `conv` that `info`'s locator names revoked; false if it is not
    /// stored.
    pub(crate) fn mark_revoked_at(&self, conv: &ConvId, info: &RevokeInfo) -> Result<bool> {
        match self.store.find_by_locator(conv, &info.locator)? {
            Some(message) => self.mark_revoked(message, info),
            None => Ok(false),
        }
    }

    fn mark_revoked(&self, mut message: Message, info: &RevokeInfo) -> Result<bool> {
        message.status = Some(MsgStatus::Revoked);
        info.revoker_user_id
            .clone_into(&mut message.revoker_user_id);
        info.revoker_nick_name
            .clone_into(&mut message.revoker_nick_name);
        info.revoker_face_url
            .clone_into(&mut message.revoker_face_url);
        info.revoke_reason.clone_into(&mut message.revoke_reason);
        self.replace_message(&message)
    }
}
