//! The search-index journal: every change to messages appends an entry in the same
//! transaction, so the search index (kept elsewhere) can always be brought in step with the
//! store, also after a crash between the store's commit and the index's.
//!
//! An entry is a reference, not a copy: an upsert entry records only the message ID, and
//! [`Store::index_journal`] hands out the message as it is when read (a `Delete` if it is no
//! longer stored). Applying the entries in order still ends in the store's state, because for
//! every message the last entry that touches it decides, and the message is written once, not
//! twice.

use redb::ReadableTable;
use std::collections::HashMap;
use tim_model::{ConvId, Message, MessageId};

use crate::Store;
use crate::error::Result;
use crate::keys::{MessageKey, parse_conv_key};
use crate::record::{StoredJournalOp, decode_journal};
use crate::schema::{CONVERSATION_NUMBERS, JOURNAL, MESSAGE_IDS, MESSAGES, names};

/// One change for the search index to apply.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    /// Increasing ID; acknowledge up to it with [`Store::ack_index_journal`].
    pub id: u64,
    /// The change.
    pub op: JournalOp,
}

/// A change for the search index.
// The message is not boxed: the API hands out the message itself, as every other read does.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum JournalOp {
    /// Index this message (inserted or replaced), as it is now.
    Upsert {
        /// Its conversation.
        conv: ConvId,
        /// The message.
        message: Message,
    },
    /// Drop this message from the index.
    Delete {
        /// Its ID.
        msg_id: MessageId,
    },
    /// Drop every message of this conversation from the index.
    ClearConversation {
        /// The conversation.
        conv: ConvId,
    },
}

impl Store {
    /// Up to `limit` unacknowledged journal entries, oldest first. Damaged entries are skipped
    /// and reported (acknowledging a later ID drops them too).
    pub fn index_journal(&self, limit: usize) -> Result<Vec<JournalEntry>> {
        self.index_journal_after(0, limit)
    }

    /// Like [`Store::index_journal`], but only the entries with an ID greater than `after`:
    /// for a reader that applies entries before it may acknowledge them (e.g. an index that
    /// commits less often than the store), so it does not read the same entries again.
    pub fn index_journal_after(&self, after: u64, limit: usize) -> Result<Vec<JournalEntry>> {
        let mut entries = Vec::new();
        if limit == 0 {
            return Ok(entries);
        }
        let txn = self.read()?;
        let message_ids = txn.open_table(MESSAGE_IDS)?;
        let messages = txn.open_table(MESSAGES)?;
        let conversation_numbers = txn.open_table(CONVERSATION_NUMBERS)?;
        let mut convs: HashMap<u64, Option<ConvId>> = HashMap::new();
        for entry in txn.open_table(JOURNAL)?.range(after.saturating_add(1)..)? {
            let (id, bytes) = entry?;
            let id = id.value();
            let stored = match decode_journal(bytes.value()) {
                Ok(stored) => stored,
                Err(error) => {
                    self.report(names::JOURNAL, id.to_string(), error);
                    continue;
                }
            };
            let op = match stored {
                StoredJournalOp::Delete(msg_id) => JournalOp::Delete { msg_id },
                StoredJournalOp::Clear(conv) => JournalOp::ClearConversation { conv },
                StoredJournalOp::Upsert(msg_id) => {
                    let current = match message_ids.get(msg_id.as_str())? {
                        Some(slot) => {
                            let (conv_no, order_time, seq, insert_no, _) = slot.value();
                            let key = MessageKey::from_tuple((conv_no, order_time, seq, insert_no));
                            let conv = match convs.get(&conv_no) {
                                Some(conv) => conv.clone(),
                                None => {
                                    let conv = self.conv_of(&conversation_numbers, conv_no)?;
                                    convs.insert(conv_no, conv.clone());
                                    conv
                                }
                            };
                            match conv {
                                Some(conv) => self
                                    .load(&messages, key, Some(&msg_id))?
                                    .map(|message| (conv, message)),
                                None => None,
                            }
                        }
                        None => None,
                    };
                    match current {
                        Some((conv, message)) => JournalOp::Upsert { conv, message },
                        None => JournalOp::Delete { msg_id },
                    }
                }
            };
            entries.push(JournalEntry { id, op });
            if entries.len() == limit {
                break;
            }
        }
        Ok(entries)
    }

    /// Drops the journal entries with IDs up to `up_to`, once the search index has applied
    /// them.
    pub fn ack_index_journal(&self, up_to: u64) -> Result<()> {
        self.write(|tables| {
            tables.journal.retain_in(..=up_to, |_, _| false)?;
            Ok(())
        })
    }

    /// The conversation numbered `conv_no`, or `None` (reported) if its entry is damaged.
    fn conv_of(
        &self,
        conversation_numbers: &impl ReadableTable<u64, &'static str>,
        conv_no: u64,
    ) -> Result<Option<ConvId>> {
        let parsed = match conversation_numbers.get(conv_no)? {
            Some(key) => parse_conv_key(key.value()),
            None => Err("no such conversation number".to_owned()),
        };
        Ok(parsed
            .map_err(|error| self.report(names::CONVERSATION_NUMBERS, conv_no.to_string(), error))
            .ok())
    }
}
