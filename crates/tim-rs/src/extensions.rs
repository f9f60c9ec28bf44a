//! Message extensions: key/value pairs any party may set on a message sent with
//! `support_message_extension`, each key compare-and-swap against this device's cache.

use crate::model::{MessageExtension, MessageExtensionResult};
use crate::{Conversation, Message, Result};

impl Conversation {
    /// `TIMMsgSetMessageExtensions`: sets `extensions` (at most 20; key 1..=100 bytes, value
    /// <= 1 KB) on `message` of this conversation. One result per key: 0, or 23001 with the
    /// key's current value when someone changed it since this device last saw it (this
    /// device then knows the current value, so a retry succeeds unless it changes again).
    /// Every device of every party gets [`Event::ExtensionsChanged`](crate::Event::ExtensionsChanged).
    pub async fn set_message_extensions(
        &self,
        message: &Message,
        extensions: Vec<MessageExtension>,
    ) -> Result<Vec<MessageExtensionResult>> {
        self.core
            .set_message_extensions(self.id(), message, extensions)
            .await
    }

    /// `TIMMsgGetMessageExtensions`: every extension of `message` (the cached ones when the
    /// network is down).
    pub async fn message_extensions(&self, message: &Message) -> Result<Vec<MessageExtension>> {
        self.core.get_message_extensions(self.id(), message).await
    }

    /// `TIMMsgDeleteMessageExtensions`: deletes `keys` of `message` (none: every key). One
    /// result per key: 0, or 23004 when it did not exist. Every device of every party gets
    /// [`Event::ExtensionsDeleted`](crate::Event::ExtensionsDeleted).
    pub async fn delete_message_extensions(
        &self,
        message: &Message,
        keys: Vec<String>,
    ) -> Result<Vec<MessageExtensionResult>> {
        self.core
            .delete_message_extensions(self.id(), message, keys)
            .await
    }
}
