//! A conversation: sending into it and reading its history.

use crate::{
    ConvId, ConversationState, GetMsgListParam, Message, MessageId, Result, RevokeInfo, SendError,
};
use tim_core::SendHandle;

/// Messages per page when [`Conversation::history`] is asked for none.
const DEFAULT_PAGE: u32 = 20;

/// One C2C or group conversation of the logged-in user.
#[derive(Clone)]
pub struct Conversation {
    pub(crate) core: tim_core::Client,
    id: ConvId,
}

impl Conversation {
    pub(crate) fn new(core: tim_core::Client, id: ConvId) -> Self {
        Self { core, id }
    }

    /// Which conversation this is.
    pub fn id(&self) -> &ConvId {
        &self.id
    }

    /// Sends a text message and waits for the server's ack: the message as stored (SendSucc,
    /// with its seq and server time).
    pub async fn send_text(&self, text: &str) -> std::result::Result<Message, SendError> {
        let (_, handle) = self
            .send(crate::text_message(text))
            .map_err(|err| SendError {
                code: err.code(),
                desc: err.to_string(),
                message: None,
            })?;
        handle.await
    }

    /// `TIMMsgSendMessage`: stores `message` as Sending and queues it; returns at once with
    /// the message as stored (its ID assigned) and a handle resolving to the outcome. The
    /// queue survives reconnects and restarts; dropping the handle does not cancel the send.
    pub fn send(&self, message: Message) -> Result<(Message, SendHandle)> {
        self.core.send_message(&self.id, message)
    }

    /// `TIMMsgCancelSend`: cancels a queued message (`8020` once it was sent).
    pub async fn cancel(&self, msg_id: &MessageId) -> Result<()> {
        self.core.cancel_send(&self.id, msg_id).await
    }

    /// `TIMMsgRevoke`: revokes `message` (its sender within the server's revoke window, or a
    /// group owner or admin); every device of every party gets
    /// [`Event::MessageRevoked`](crate::Event::MessageRevoked). Returns the revoke notice.
    pub async fn revoke(&self, message: &Message) -> Result<RevokeInfo> {
        self.core.revoke(&self.id, message).await
    }

    /// `TIMMsgModifyMessage`: stores `message` (one of this conversation, edited from the
    /// `version` it carries) as its sender's new text, custom, location or face content and
    /// cloud custom data; every party gets
    /// [`Event::MessageModified`](crate::Event::MessageModified). Returns the message as now
    /// stored. An edit of an outdated version fails with
    /// [`Error::ModifyConflict`](crate::Error::ModifyConflict) (8006), which carries the
    /// current message.
    pub async fn modify(&self, mut message: Message) -> Result<Message> {
        self.id.id().clone_into(&mut message.conv_id);
        message.conv_type = self.id.conv_type();
        self.core.modify_message(message).await
    }

    /// The newest `count` messages (0: 20), newest first, pulling from the server whatever
    /// the local store lacks.
    pub async fn history(&self, count: u32) -> Result<Vec<Message>> {
        let param = GetMsgListParam {
            count: if count == 0 { DEFAULT_PAGE } else { count },
            is_ramble: true,
            ..GetMsgListParam::default()
        };
        self.messages(&param).await
    }

    /// The `count` messages older than `anchor`, newest first, pulling what is missing.
    pub async fn older_than(&self, anchor: &Message, count: u32) -> Result<Vec<Message>> {
        let param = GetMsgListParam {
            last_msg: Some(anchor.clone()),
            count: if count == 0 { DEFAULT_PAGE } else { count },
            is_ramble: true,
            ..GetMsgListParam::default()
        };
        self.messages(&param).await
    }

    /// `TIMMsgGetMsgList` with every option of `param`.
    pub async fn messages(&self, param: &GetMsgListParam) -> Result<Vec<Message>> {
        self.core.get_message_list(&self.id, param).await
    }

    /// Unread count, read position and receive option, from the local store.
    pub fn state(&self) -> Result<ConversationState> {
        self.core.engine()?.conversation_state(&self.id)
    }
}
