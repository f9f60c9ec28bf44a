//! Messages: storing (insert or replace by message ID), finding by ID or locator, changing and
//! deleting them, and the primitives every other write uses to keep the indexes, the
//! conversation counts, the held ranges and the journal in step with the `messages` table.

use redb::ReadableTable;
use tim_model::{ConvId, Message, MessageId, MsgLocator};

use crate::Store;
use crate::conversations::{is_unread_candidate, read_mark};
use crate::error::{Result, StoreError};
use crate::keys::{MessageKey, MessageKeyTuple};
use crate::record::{StoredJournalOp, decode_message, encode_message, encode_owned_message};
use crate::schema::{
    CONVERSATIONS, LOCATORS, LocatorKey, LocatorValue, MESSAGE_IDS, MESSAGES, SEQS, names,
};
use crate::tables::Tables;

/// What [`Store::put_messages`] did with one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutResult {
    /// No message had its ID: it was added.
    Inserted,
    /// A message with its ID was replaced (it keeps its place among messages of the same time
    /// and seq).
    Replaced,
}

/// The message's ID, which every stored message must have.
pub(crate) fn required_id(message: &Message) -> Result<&MessageId> {
    message
        .msg_id
        .as_ref()
        .ok_or_else(|| StoreError::invalid("message.msg_id", "a stored message needs a message ID"))
}

impl Tables<'_> {
    /// Inserts `message` into `conv`, or replaces the message with its ID wherever it is,
    /// keeping every index, the conversation counts and the journal in step. The caller adds
    /// the seq to the held ranges.
    pub(crate) fn upsert(
        &mut self,
        conv: &ConvId,
        mut message: Message,
    ) -> Result<(PutResult, MessageKey)> {
        let id = required_id(&message)?.clone();
        conv.id().clone_into(&mut message.conv_id);
        message.conv_type = conv.conv_type();
        let conv_no = self.conv(conv)?;
        self.apply_peer_read(conv, &mut message)?;
        let (result, insert_no) = match self.remove_message(&id)? {
            Some(old) => (PutResult::Replaced, old.insert_no),
            None => (PutResult::Inserted, self.next_insert_no()),
        };
        let key = MessageKey::of(conv_no, &message, insert_no);
        let (rand, is_self) = (message.rand, message.is_from_self);
        let candidate = is_unread_candidate(&message);
        self.messages
            .insert(key.tuple(), encode_owned_message(message).as_slice())?;
        let (conv_no, order_time, seq, insert_no) = key.tuple();
        self.message_ids
            .insert(id.as_str(), (conv_no, order_time, seq, insert_no, rand))?;
        self.locators
            .insert(key.locator_key(rand), (seq, is_self))?;
        self.conversation_message_ids
            .insert((conv_no, insert_no), id.as_str())?;
        if seq > 0 {
            self.seqs.insert(key.seq_key(), order_time)?;
        }
        if candidate {
            self.unread.insert(key.unread_key(conv), ())?;
        }
        let axis = key.unread_axis(conv);
        self.update_record(conv_no, |record| {
            record.message_count += 1;
            if candidate && axis > read_mark(conv, record) {
                record.unread_count += 1;
            }
        })?;
        self.journal(&StoredJournalOp::Upsert(id))?;
        Ok((result, key))
    }

    /// Removes the message `id` and its index entries and updates its conversation's counts;
    /// its old key, or `None` if no message has the ID. Needs no record decoding, so a damaged
    /// record can be removed or replaced. The caller journals the change.
    pub(crate) fn remove_message(&mut self, id: &MessageId) -> Result<Option<MessageKey>> {
        let Some((conv_no, order_time, seq, insert_no, rand)) = self
            .message_ids
            .remove(id.as_str())?
            .map(|slot| slot.value())
        else {
            return Ok(None);
        };
        let key = MessageKey::from_tuple((conv_no, order_time, seq, insert_no));
        let conv = self.conv_id(conv_no)?;
        self.messages.remove(key.tuple())?;
        self.locators.remove(key.locator_key(rand))?;
        self.conversation_message_ids.remove((conv_no, insert_no))?;
        if seq > 0 {
            self.seqs.remove(key.seq_key())?;
        }
        let was_candidate = self.unread.remove(key.unread_key(&conv))?.is_some();
        let axis = key.unread_axis(&conv);
        self.update_record(conv_no, |record| {
            record.message_count = record.message_count.saturating_sub(1);
            if was_candidate && axis > read_mark(&conv, record) {
                record.unread_count = record.unread_count.saturating_sub(1);
            }
        })?;
        Ok(Some(key))
    }

    /// The key of the message `id`, if stored.
    pub(crate) fn key_of(&self, id: &MessageId) -> Result<Option<MessageKey>> {
        Ok(self.message_ids.get(id.as_str())?.map(|slot| {
            let (conv_no, order_time, seq, insert_no, _) = slot.value();
            MessageKey::from_tuple((conv_no, order_time, seq, insert_no))
        }))
    }

    /// Replaces a stored message in the conversation it is in; false if it is not stored.
    pub(crate) fn replace_in_place(&mut self, message: Message) -> Result<bool> {
        let id = required_id(&message)?;
        let Some(key) = self.key_of(id)? else {
            return Ok(false);
        };
        let conv = self.conv_id(key.conv_no)?;
        let (_, key) = self.upsert(&conv, message)?;
        if key.seq > 0 {
            self.hold(key.conv_no, key.seq, key.seq)?;
        }
        Ok(true)
    }
}

impl Store {
    /// Stores `messages` in `conv` in one transaction: each one is inserted, or replaces the
    /// stored message with its ID (wherever it was). Sets each message's `conv_id` and
    /// `conv_type` from `conv`, and keeps the unread count, the held seq ranges and the index
    /// journal in step. A message without ID refuses the whole call (6017) before anything is
    /// written.
    pub fn put_messages(&self, conv: &ConvId, messages: &[Message]) -> Result<Vec<PutResult>> {
        for message in messages {
            required_id(message)?;
        }
        if messages.is_empty() {
            return Ok(Vec::new());
        }
        self.write(|tables| {
            let mut results = Vec::with_capacity(messages.len());
            let mut seqs = Vec::new();
            for message in messages {
                let (result, key) = tables.upsert(conv, message.clone())?;
                results.push(result);
                if key.seq > 0 {
                    seqs.push((key.conv_no, key.seq));
                }
            }
            tables.hold_all(seqs)?;
            Ok(results)
        })
    }

    /// The stored messages among `ids`, in the order asked; unknown IDs and damaged records
    /// (reported) are left out.
    pub fn get_messages(&self, ids: &[MessageId]) -> Result<Vec<Message>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let txn = self.read()?;
        let message_ids = txn.open_table(MESSAGE_IDS)?;
        let messages = txn.open_table(MESSAGES)?;
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(slot) = message_ids.get(id.as_str())? else {
                continue;
            };
            let (conv_no, order_time, seq, insert_no, _) = slot.value();
            let key = MessageKey::from_tuple((conv_no, order_time, seq, insert_no));
            if let Some(message) = self.load(&messages, key, Some(id))? {
                found.push(message);
            }
        }
        Ok(found)
    }

    /// The message of `conv` that `locator` names: same rand and is_self, and same seq and
    /// time (server time, or client time before the server gave one) unless the locator's is
    /// 0 ("any"); of several, the one stored first. Looked up in the locator index (keyed by
    /// time, then rand) when the locator has a time, through the seq index when it has only a
    /// seq; a locator with neither scans the conversation's locator entries (keys only).
    pub fn find_by_locator(&self, conv: &ConvId, locator: &MsgLocator) -> Result<Option<Message>> {
        let txn = self.read()?;
        let Some(record) = self.conv_record(&txn.open_table(CONVERSATIONS)?, conv)? else {
            return Ok(None);
        };
        let conv_no = record.conv_no;
        let locators = txn.open_table(LOCATORS)?;
        let mut candidates = Vec::new();
        let mut matching = |entry: LocatorKey, (seq, is_self): LocatorValue| {
            let (_, order_time, rand, insert_no) = entry;
            if rand == locator.rand
                && is_self == locator.is_self
                && (locator.seq.0 == 0 || locator.seq.0 == seq)
                && (locator.time == 0 || locator.time == order_time)
            {
                candidates.push(MessageKey::from_tuple((
                    conv_no, order_time, seq, insert_no,
                )));
            }
        };
        if locator.time != 0 {
            let (time, rand) = (locator.time, locator.rand);
            for entry in
                locators.range((conv_no, time, rand, 0)..=(conv_no, time, rand, u64::MAX))?
            {
                let (key, value) = entry?;
                matching(key.value(), value.value());
            }
        } else if locator.seq.0 != 0 {
            let seq = locator.seq.0;
            for entry in txn
                .open_table(SEQS)?
                .range((conv_no, seq, 0)..=(conv_no, seq, u64::MAX))?
            {
                let (key, order_time) = entry?;
                let (_, _, insert_no) = key.value();
                let key = (conv_no, order_time.value(), locator.rand, insert_no);
                if let Some(value) = locators.get(key)? {
                    matching(key, value.value());
                }
            }
        } else {
            let all = (conv_no, 0, 0, 0)..=(conv_no, u64::MAX, u64::MAX, u64::MAX);
            for entry in locators.range(all)? {
                let (key, value) = entry?;
                matching(key.value(), value.value());
            }
        }
        candidates.sort_unstable_by_key(|key| key.insert_no);
        let messages = txn.open_table(MESSAGES)?;
        for key in candidates {
            if let Some(message) = self.load(&messages, key, None)? {
                return Ok(Some(message));
            }
        }
        Ok(None)
    }

    /// Replaces a stored message (status, revoke, modify) in the conversation it is in; false
    /// if no message has its ID. Needs a message ID (6017).
    pub fn update_message(&self, message: &Message) -> Result<bool> {
        required_id(message)?;
        self.write(|tables| tables.replace_in_place(message.clone()))
    }

    /// Applies a modification of a stored message made elsewhere (`TIMMsgModifyMessage`), in
    /// one transaction: the message with `message`'s ID is replaced by `message` unless the
    /// stored version is newer, keeping the local-only fields (local custom data, read flags).
    /// Returns the message as stored afterwards (the stored one when it was newer), or `None`
    /// if no message with that ID is stored.
    pub fn apply_modification(&self, message: &Message) -> Result<Option<Message>> {
        let id = required_id(message)?.clone();
        self.write(|tables| {
            let Some(key) = tables.key_of(&id)? else {
                return Ok(None);
            };
            let Some(stored) = self.load(&tables.messages, key, Some(&id))? else {
                return Err(StoreError::Corrupt {
                    table: names::MESSAGES,
                    key: key.describe(),
                    detail: with_id(Some(&id), "the message record cannot be decoded"),
                });
            };
            if stored.version > message.version {
                return Ok(Some(stored));
            }
            let mut merged = message.clone();
            merged.custom_int = stored.custom_int;
            merged.custom_str = stored.custom_str;
            merged.is_read = stored.is_read;
            merged.is_peer_read = stored.is_peer_read;
            merged.conv_id = stored.conv_id;
            merged.conv_type = stored.conv_type;
            tables.replace_in_place(merged.clone())?;
            Ok(Some(merged))
        })
    }

    /// Sets the local custom data of the message `id`; false if it is not stored. A damaged
    /// record cannot be changed ([`StoreError::Corrupt`], 6005).
    pub fn set_local_custom_data(
        &self,
        id: &MessageId,
        custom_int: u32,
        custom_str: &str,
    ) -> Result<bool> {
        self.write(|tables| {
            let Some(key) = tables.key_of(id)? else {
                return Ok(false);
            };
            let Some(mut message) = self.load(&tables.messages, key, Some(id))? else {
                return Err(StoreError::Corrupt {
                    table: names::MESSAGES,
                    key: key.describe(),
                    detail: with_id(Some(id), "the message record cannot be decoded"),
                });
            };
            message.custom_int = custom_int;
            custom_str.clone_into(&mut message.custom_str);
            tables
                .messages
                .insert(key.tuple(), encode_message(&message).as_slice())?;
            tables.journal(&StoredJournalOp::Upsert(id.clone()))?;
            Ok(true)
        })
    }

    /// Deletes the messages `ids` (and their send-queue entries) in one transaction; the IDs
    /// that were stored. Held seq ranges stay: a deleted message is not a gap to fill.
    pub fn delete_messages(&self, ids: &[MessageId]) -> Result<Vec<MessageId>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.write(|tables| {
            let mut deleted = Vec::new();
            for id in ids {
                if tables.remove_message(id)?.is_some() {
                    tables.send_queue.remove(id.as_str())?;
                    tables.journal(&StoredJournalOp::Delete(id.clone()))?;
                    deleted.push(id.clone());
                }
            }
            Ok(deleted)
        })
    }

    /// The message at `key`, or `None` (reported) if its record is missing or damaged.
    pub(crate) fn load(
        &self,
        messages: &impl ReadableTable<MessageKeyTuple, &'static [u8]>,
        key: MessageKey,
        id: Option<&MessageId>,
    ) -> Result<Option<Message>> {
        let Some(bytes) = messages.get(key.tuple())? else {
            self.report(
                names::MESSAGES,
                key.describe(),
                with_id(id, "an index names this message but its record is missing"),
            );
            return Ok(None);
        };
        Ok(self.decode(key, bytes.value(), id))
    }

    /// The message in `bytes`, or `None` (reported) if they cannot be decoded.
    pub(crate) fn decode(
        &self,
        key: MessageKey,
        bytes: &[u8],
        id: Option<&MessageId>,
    ) -> Option<Message> {
        match decode_message(bytes) {
            Ok(message) => Some(message),
            Err(error) => {
                self.report(names::MESSAGES, key.describe(), with_id(id, &error));
                None
            }
        }
    }
}

/// An error text naming the message ID when the read knew it.
fn with_id(id: Option<&MessageId>, error: &str) -> String {
    match id {
        Some(id) => format!("message {id}: {error}"),
        None => error.to_owned(),
    }
}
