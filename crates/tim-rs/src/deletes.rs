//! Cloud deletes of this user's history.

use crate::{Conversation, Message, Result};
use tim_model::MsgDeleteParam;

impl Conversation {
    /// `TIMMsgListDelete`: deletes `messages` (1..=50) of this conversation from this user's
    /// cloud history and from every device of this user (each raises
    /// [`Event::MessagesDeleted`](crate::Event::MessagesDeleted)); the peer keeps them. At most
    /// one call per second per user (`7008` beyond).
    pub async fn delete_messages(&self, messages: &[Message]) -> Result<()> {
        self.core.delete_messages(&self.id, messages).await
    }

    /// `TIMMsgDelete`: deletes `message` from this device, and with `is_ramble` also from this
    /// user's cloud history and other devices (as [`delete_messages`](Self::delete_messages)).
    pub async fn delete_message(&self, message: &Message, is_ramble: bool) -> Result<()> {
        let param = MsgDeleteParam {
            msg: Some(message.clone()),
            is_ramble,
        };
        self.core.delete_message(&self.id, &param).await
    }

    /// `TIMMsgClearHistoryMessage`: clears this conversation from this user's cloud history
    /// and every device of this user (each raises
    /// [`Event::HistoryCleared`](crate::Event::HistoryCleared)); the peer keeps theirs.
    pub async fn clear_history(&self) -> Result<()> {
        self.core.clear_history(&self.id).await
    }
}
