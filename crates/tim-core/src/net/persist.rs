//! The store writes of the networked engine, each one store transaction followed by the search
//! index update every engine write gets, and [`blocking`]: how async code runs them off the
//! runtime's worker threads.

use crate::engine::Engine;
use crate::error::{CoreError, Result};
use std::sync::Arc;
use tim_model::enums::MsgStatus;
use tim_model::{ConvId, Message, MessageId, Seq, codes};
use tim_store::ReceivedBatch;

/// Runs `work` with the engine on tokio's blocking pool (redb commits fsync; tantivy commits
/// take tens of ms), so the runtime's workers never wait on the disk.
pub(crate) async fn blocking<T, F>(engine: &Arc<Engine>, work: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Engine) -> Result<T> + Send + 'static,
{
    let engine = Arc::clone(engine);
    tokio::task::spawn_blocking(move || work(&engine))
        .await
        .map_err(|err| CoreError::refused(codes::ERR_SDK_INTERNAL_ERROR, err.to_string()))?
}

impl Engine {
    /// Stores `message` in `conv` and queues it for sending, in one transaction.
    pub(crate) fn enqueue_send(&self, conv: &ConvId, message: &Message) -> Result<()> {
        self.store.enqueue_send(conv, message)?;
        self.sync_index()
    }

    /// The queued messages, in enqueue order.
    pub(crate) fn pending_sends(&self) -> Result<Vec<Message>> {
        Ok(self.store.pending_sends()?)
    }

    /// Ends a queued send with `message` as its final state (SendSucc, SendFail, Cancel).
    pub(crate) fn complete_send(&self, message: &Message) -> Result<bool> {
        let done = self.store.complete_send(message)?;
        self.sync_index()?;
        Ok(done)
    }

    /// The sync cursor.
    pub(crate) fn sync_cursor(&self) -> Result<u64> {
        Ok(self.store.sync_cursor()?)
    }

    /// The conversations this device has stored, at most `limit`.
    pub(crate) fn known_conversations(&self, limit: usize) -> Result<Vec<ConvId>> {
        Ok(self
            .store
            .conversations()?
            .into_iter()
            .take(limit)
            .map(|(conv, _)| conv)
            .collect())
    }

    /// Stores messages from the server once by ID, marks `held` ranges and sets the cursor;
    /// the messages that were new here (in input order).
    pub(crate) fn store_received(
        &self,
        messages: Vec<(ConvId, Message)>,
        held: &[(ConvId, Seq, Seq)],
        cursor: Option<u64>,
    ) -> Result<Vec<(ConvId, Message)>> {
        let messages: Vec<(ConvId, Message)> = messages
            .into_iter()
            .map(|(conv, mut message)| {
                if message.status.is_none() {
                    message.status = Some(MsgStatus::SendSucc);
                }
                conv.id().clone_into(&mut message.conv_id);
                message.conv_type = conv.conv_type();
                (conv, message)
            })
            .collect();
        if messages.is_empty() && held.is_empty() && cursor.is_none() {
            return Ok(Vec::new());
        }
        let inserted = self.store.store_received(ReceivedBatch {
            messages: &messages,
            held,
            cursor,
        })?;
        if inserted.iter().any(|&new| new) {
            self.sync_index()?;
        }
        Ok(messages
            .into_iter()
            .zip(inserted)
            .filter_map(|(item, new)| new.then_some(item))
            .collect())
    }

    /// Whether the store holds a message with ID `id`.
    pub(crate) fn has_message(&self, id: &MessageId) -> Result<bool> {
        Ok(!self
            .store
            .get_messages(std::slice::from_ref(id))?
            .is_empty())
    }

    /// The held seq ranges of `conv`.
    pub(crate) fn held_ranges(&self, conv: &ConvId) -> Result<Vec<(Seq, Seq)>> {
        Ok(self.store.held_ranges(conv)?)
    }

    /// Replaces a stored message (revoked, modified); false if it is not stored.
    pub(crate) fn replace_message(&self, message: &Message) -> Result<bool> {
        let replaced = self.store.update_message(message)?;
        if replaced {
            self.sync_index()?;
        }
        Ok(replaced)
    }
}
