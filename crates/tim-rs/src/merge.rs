//! Merged (forwarded) messages: sending one is an ordinary send of a message with a
//! [`MergeElem`](tim_model::MergeElem) holding the messages to forward; these calls fetch
//! what a received one bundles.

use crate::{Client, Message, Result};

impl Client {
    /// `TIMMsgDownloadMergerMessage` by key: the messages bundled under `relay_pb_key` (a merge
    /// element's `relay_pb_key`), in their original order. Their own merge elements hold keys
    /// to download in turn. Fails with `7011` for an unknown key or one this user may not read
    /// (only the parties of the conversation the merged message was sent to, or the group's
    /// current members who see it, may).
    pub async fn download_merged(&self, relay_pb_key: &str) -> Result<Vec<Message>> {
        self.core.download_merged(relay_pb_key).await
    }

    /// `TIMMsgDownloadMergerMessage`: the messages bundled by `message`'s first merge element
    /// (a received or sent merged message); `6017` when it has none.
    pub async fn download_merged_message(&self, message: &Message) -> Result<Vec<Message>> {
        self.core.download_merged_message(message).await
    }
}
