//! The durable send queue: messages the engine still has to send, in enqueue order.
//!
//! `send_queue` maps a message ID to its enqueue number; the message itself lives in
//! `messages` like any other, so a queued message shows in its conversation while it is being
//! sent, and a crash between enqueueing and sending loses nothing.

use redb::ReadableTable;
use tim_model::{ConvId, Message, MessageId};

use crate::Store;
use crate::error::Result;
use crate::keys::MessageKey;
use crate::messages::required_id;
use crate::schema::{MESSAGE_IDS, MESSAGES, SEND_QUEUE};

impl Store {
    /// Stores `message` in `conv` (inserted or replaced, as by [`Store::put_messages`]) and
    /// queues it for sending, in one transaction. A message already queued keeps its place.
    /// Needs a message ID (6017).
    pub fn enqueue_send(&self, conv: &ConvId, message: &Message) -> Result<()> {
        let id = required_id(message)?;
        self.write(|tables| {
            let (_, key) = tables.upsert(conv, message.clone())?;
            if key.seq > 0 {
                tables.hold(key.conv_no, key.seq, key.seq)?;
            }
            if tables.send_queue.get(id.as_str())?.is_none() {
                let position = tables.counters.next_enqueue_no;
                tables.counters.next_enqueue_no += 1;
                tables.send_queue.insert(id.as_str(), position)?;
            }
            Ok(())
        })
    }

    /// The queued messages, in enqueue order (damaged records are skipped and reported).
    pub fn pending_sends(&self) -> Result<Vec<Message>> {
        let txn = self.read()?;
        let mut queued = Vec::new();
        for entry in txn.open_table(SEND_QUEUE)?.iter()? {
            let (id, position) = entry?;
            queued.push((position.value(), id.value().to_owned()));
        }
        queued.sort_unstable();
        let message_ids = txn.open_table(MESSAGE_IDS)?;
        let messages = txn.open_table(MESSAGES)?;
        let mut pending = Vec::with_capacity(queued.len());
        for (_, id) in queued {
            let Some(slot) = message_ids.get(id.as_str())? else {
                continue;
            };
            let (conv_no, order_time, seq, insert_no, _) = slot.value();
            let key = MessageKey::from_tuple((conv_no, order_time, seq, insert_no));
            let id = MessageId::new(&id).ok();
            if let Some(message) = self.load(&messages, key, id.as_ref())? {
                pending.push(message);
            }
        }
        Ok(pending)
    }

    /// Ends the sending of `message`: removes its queue entry and replaces the stored message
    /// (now e.g. SendSucc with its seq and server time, or SendFail, or Cancel) in one
    /// transaction. False, and nothing changes, if it was not queued. Needs a message ID
    /// (6017).
    pub fn complete_send(&self, message: &Message) -> Result<bool> {
        let id = required_id(message)?;
        self.write(|tables| {
            if tables.send_queue.remove(id.as_str())?.is_none() {
                return Ok(false);
            }
            tables.replace_in_place(message.clone())?;
            Ok(true)
        })
    }
}
