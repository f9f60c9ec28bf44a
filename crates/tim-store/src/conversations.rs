//! Conversations: their state (unread count, read mark, receive option, last message, message
//! count), the unread rule, marking read and clearing a conversation's history.
//!
//! The unread count is kept exact incrementally: every write that adds, replaces or removes a
//! message adjusts it through the `unread_candidates` index (messages that count before the
//! read mark is considered), so no write has to decode an old record. Marking read recounts
//! from the mark with a key-only range scan of that index.

use redb::ReadableTable;
use tim_model::enums::{MsgStatus, ReceiveMessageOpt};
use tim_model::{ConvId, Message, MessageId, Seq};

use crate::Store;
use crate::error::Result;
use crate::keys::{MessageKey, MessageKeyTuple, conv_key, parse_conv_key};
use crate::record::{ConvRecord, StoredJournalOp, decode_conversation};
use crate::schema::{CONVERSATIONS, MESSAGES, names};

/// The state of a conversation (the default is the state of one the store has never heard of).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConversationState {
    /// Messages that count as unread: not from self, not excluded from the unread count, not
    /// online-only, not revoked or deleted, and after the read mark (C2C: order time after
    /// `read_time`; group: seq after `read_seq`).
    pub unread_count: u64,
    /// Read mark of a C2C conversation: messages up to this time are read.
    pub read_time: u64,
    /// Read mark of a group: messages up to this seq are read.
    pub read_seq: Seq,
    /// The newest message in display order that is neither excluded from being the last
    /// message nor deleted.
    pub last_message: Option<MessageId>,
    /// Messages stored.
    pub message_count: u64,
    /// Receive option.
    pub recv_opt: ReceiveMessageOpt,
}

/// A read position: C2C conversations are read by time, groups by seq. Read marks only move
/// forward: a mark behind the current one (a late report from another device) leaves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadMark {
    /// Messages up to this order time are read (C2C).
    pub time: u64,
    /// Messages up to this seq are read (groups).
    pub seq: Seq,
}

/// Whether `message` counts toward the unread count once it is after the read mark.
pub(crate) fn is_unread_candidate(message: &Message) -> bool {
    !message.is_from_self
        && !message.is_excluded_from_unread_count
        && !message.is_online_msg
        && !matches!(
            message.status,
            Some(MsgStatus::Revoked | MsgStatus::Deleted)
        )
}

/// The read mark of `conv` on its axis (time for C2C, seq for groups).
pub(crate) fn read_mark(conv: &ConvId, record: &ConvRecord) -> u64 {
    match conv {
        ConvId::C2c(_) => record.read_time,
        ConvId::Group(_) => record.read_seq,
    }
}

impl Store {
    /// The state of `conv`, or `None` if the store has never heard of it (or its record is
    /// damaged, which is reported).
    pub fn conversation(&self, conv: &ConvId) -> Result<Option<ConversationState>> {
        let txn = self.read()?;
        let Some(record) = self.conv_record(&txn.open_table(CONVERSATIONS)?, conv)? else {
            return Ok(None);
        };
        let messages = txn.open_table(MESSAGES)?;
        Ok(Some(self.state(&messages, &record)?))
    }

    /// Every conversation the store knows, by conversation key; damaged records are skipped
    /// and reported.
    pub fn conversations(&self) -> Result<Vec<(ConvId, ConversationState)>> {
        let txn = self.read()?;
        let conversations = txn.open_table(CONVERSATIONS)?;
        let messages = txn.open_table(MESSAGES)?;
        let mut found = Vec::new();
        for entry in conversations.iter()? {
            let (key, value) = entry?;
            let key = key.value();
            let decoded = parse_conv_key(key)
                .and_then(|conv| decode_conversation(value.value()).map(|record| (conv, record)));
            match decoded {
                Ok((conv, record)) => found.push((conv, self.state(&messages, &record)?)),
                Err(error) => self.report(names::CONVERSATIONS, key.to_owned(), error),
            }
        }
        Ok(found)
    }

    /// Moves the read mark of `conv` forward to `mark` (C2C by its time, groups by its seq;
    /// both are kept), recounts the unread messages after it, and returns the new state. A
    /// conversation the store did not know is created.
    pub fn mark_read(&self, conv: &ConvId, mark: ReadMark) -> Result<ConversationState> {
        self.write(|tables| {
            let conv_no = tables.conv(conv)?;
            let record = tables.update_record(conv_no, |record| {
                record.read_time = record.read_time.max(mark.time);
                record.read_seq = record.read_seq.max(mark.seq.0);
            })?;
            let unread = match read_mark(conv, &record).checked_add(1) {
                Some(first_unread) => {
                    let range = (conv_no, first_unread, 0)..=(conv_no, u64::MAX, u64::MAX);
                    let mut count = 0;
                    for entry in tables.unread.range(range)? {
                        entry?;
                        count += 1;
                    }
                    count
                }
                None => 0,
            };
            let record = tables.update_record(conv_no, |record| record.unread_count = unread)?;
            self.state(&tables.messages, &record)
        })
    }

    /// Creates `conv` (with no messages) if the store does not know it (`TIMConvCreate`).
    pub fn ensure_conversation(&self, conv: &ConvId) -> Result<()> {
        self.write(|tables| {
            tables.conv(conv)?;
            Ok(())
        })
    }

    /// Sets the receive option of `conv` (created if the store did not know it).
    pub fn set_recv_opt(&self, conv: &ConvId, opt: ReceiveMessageOpt) -> Result<()> {
        self.write(|tables| {
            let conv_no = tables.conv(conv)?;
            tables.update_record(conv_no, |record| record.recv_opt = opt)?;
            Ok(())
        })
    }

    /// Deletes every message of `conv` (and their send-queue entries) in one transaction and
    /// returns how many there were; the unread count becomes 0. The read mark, the receive
    /// option and the held seq ranges stay (cleared history is not a gap to fill).
    pub fn clear_conversation(&self, conv: &ConvId) -> Result<u64> {
        self.write(|tables| {
            let Some(conv_no) = tables.find_conv(conv)? else {
                return Ok(0);
            };
            let mut ids = Vec::new();
            for entry in tables
                .conversation_message_ids
                .range((conv_no, 0)..=(conv_no, u64::MAX))?
            {
                let (_, id) = entry?;
                ids.push(id.value().to_owned());
            }
            for id in &ids {
                tables.message_ids.remove(id.as_str())?;
                tables.send_queue.remove(id.as_str())?;
            }
            let first = MessageKey::first_at(conv_no, 0);
            let last = MessageKey::last_at(conv_no, u64::MAX);
            tables.messages.retain_in(first..=last, |_, _| false)?;
            let (lowest, highest) = ((conv_no, 0, 0), (conv_no, u64::MAX, u64::MAX));
            tables.locators.retain_in(
                (conv_no, 0, 0, 0)..=(conv_no, u64::MAX, u64::MAX, u64::MAX),
                |_, _| false,
            )?;
            tables
                .conversation_message_ids
                .retain_in((conv_no, 0)..=(conv_no, u64::MAX), |_, _| false)?;
            tables.seqs.retain_in(lowest..=highest, |_, _| false)?;
            tables.unread.retain_in(lowest..=highest, |_, _| false)?;
            tables.update_record(conv_no, |record| {
                record.message_count = 0;
                record.unread_count = 0;
            })?;
            if !ids.is_empty() {
                tables.journal(&StoredJournalOp::Clear(conv.clone()))?;
            }
            Ok(ids.len() as u64)
        })
    }

    /// The record of `conv` in a read snapshot; `None` if absent or damaged (reported).
    pub(crate) fn conv_record(
        &self,
        conversations: &impl ReadableTable<&'static str, &'static [u8]>,
        conv: &ConvId,
    ) -> Result<Option<ConvRecord>> {
        let key = conv_key(conv);
        let Some(bytes) = conversations.get(key.as_str())? else {
            return Ok(None);
        };
        match decode_conversation(bytes.value()) {
            Ok(record) => Ok(Some(record)),
            Err(error) => {
                self.report(names::CONVERSATIONS, key, error);
                Ok(None)
            }
        }
    }

    fn state(
        &self,
        messages: &impl ReadableTable<MessageKeyTuple, &'static [u8]>,
        record: &ConvRecord,
    ) -> Result<ConversationState> {
        Ok(ConversationState {
            unread_count: record.unread_count,
            read_time: record.read_time,
            read_seq: Seq(record.read_seq),
            last_message: self.last_message(messages, record.conv_no)?,
            message_count: record.message_count,
            recv_opt: record.recv_opt,
        })
    }

    /// The newest message of conversation `conv_no` that may be shown as its last message.
    fn last_message(
        &self,
        messages: &impl ReadableTable<MessageKeyTuple, &'static [u8]>,
        conv_no: u64,
    ) -> Result<Option<MessageId>> {
        let range = MessageKey::first_at(conv_no, 0)..=MessageKey::last_at(conv_no, u64::MAX);
        for entry in messages.range(range)?.rev() {
            let (key, value) = entry?;
            let key = MessageKey::from_tuple(key.value());
            let Some(message) = self.decode(key, value.value(), None) else {
                continue;
            };
            if !message.excluded_from_last_message && message.status != Some(MsgStatus::Deleted) {
                return Ok(message.msg_id);
            }
        }
        Ok(None)
    }
}
