//! [`Tables`]: every table of one write transaction, opened once, plus the conversation
//! records and counters the transaction changes, written back by [`Tables::finish`].
//!
//! Every write of the store goes through one `Tables` inside one redb transaction, so the
//! messages, their indexes, the conversation counts, the held ranges and the journal are
//! changed together or not at all.

use redb::{ReadableTable, Table, WriteTransaction};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use tim_model::ConvId;

use crate::error::{Result, StoreError};
use crate::keys::{MessageKeyTuple, conv_key, parse_conv_key};
use crate::record::{
    ConvRecord, StoredJournalOp, decode_conversation, encode_conversation, encode_journal,
};
use crate::schema::{
    CONVERSATION_MESSAGE_IDS, CONVERSATION_NUMBERS, CONVERSATIONS, Counters, HELD_RANGES, JOURNAL,
    LOCATORS, LocatorKey, LocatorValue, MESSAGE_IDS, MESSAGES, META, SEND_QUEUE, SEQS, SlotTuple,
    UNREAD_CANDIDATES, names,
};

/// A conversation record as changed by this transaction.
struct CachedConv {
    conv: ConvId,
    record: ConvRecord,
    dirty: bool,
}

/// The tables of one write transaction.
pub(crate) struct Tables<'txn> {
    meta: Table<'txn, &'static str, u64>,
    pub messages: Table<'txn, MessageKeyTuple, &'static [u8]>,
    pub message_ids: Table<'txn, &'static str, SlotTuple>,
    pub locators: Table<'txn, LocatorKey, LocatorValue>,
    pub conversation_message_ids: Table<'txn, (u64, u64), &'static str>,
    pub seqs: Table<'txn, (u64, u64, u64), u64>,
    pub unread: Table<'txn, (u64, u64, u64), ()>,
    conversations: Table<'txn, &'static str, &'static [u8]>,
    conversation_numbers: Table<'txn, u64, &'static str>,
    pub held_ranges: Table<'txn, (u64, u64), u64>,
    pub send_queue: Table<'txn, &'static str, u64>,
    pub journal: Table<'txn, u64, &'static [u8]>,
    /// C2C conversation key -> the peer's read time (`read_state`).
    pub peer_read: Table<'txn, &'static str, u64>,
    pub counters: Counters,
    convs: HashMap<u64, CachedConv>,
    conv_nos: HashMap<ConvId, u64>,
}

impl<'txn> Tables<'txn> {
    /// Opens every table of `txn`.
    pub fn open(txn: &'txn WriteTransaction) -> Result<Self> {
        let meta = txn.open_table(META)?;
        let counters = Counters::load(&meta)?;
        Ok(Self {
            meta,
            messages: txn.open_table(MESSAGES)?,
            message_ids: txn.open_table(MESSAGE_IDS)?,
            locators: txn.open_table(LOCATORS)?,
            conversation_message_ids: txn.open_table(CONVERSATION_MESSAGE_IDS)?,
            seqs: txn.open_table(SEQS)?,
            unread: txn.open_table(UNREAD_CANDIDATES)?,
            conversations: txn.open_table(CONVERSATIONS)?,
            conversation_numbers: txn.open_table(CONVERSATION_NUMBERS)?,
            held_ranges: txn.open_table(HELD_RANGES)?,
            send_queue: txn.open_table(SEND_QUEUE)?,
            journal: txn.open_table(JOURNAL)?,
            peer_read: txn.open_table(crate::read_state::PEER_READ)?,
            counters,
            convs: HashMap::new(),
            conv_nos: HashMap::new(),
        })
    }

    /// Writes back the counters and every changed conversation record.
    pub fn finish(mut self) -> Result<()> {
        self.counters.save(&mut self.meta)?;
        for cached in self.convs.values().filter(|cached| cached.dirty) {
            let key = conv_key(&cached.conv);
            self.conversations
                .insert(key.as_str(), encode_conversation(&cached.record).as_slice())?;
        }
        Ok(())
    }

    /// The number of `conv`, if the store knows the conversation.
    pub fn find_conv(&mut self, conv: &ConvId) -> Result<Option<u64>> {
        if let Some(&conv_no) = self.conv_nos.get(conv) {
            return Ok(Some(conv_no));
        }
        let key = conv_key(conv);
        let Some(bytes) = self.conversations.get(key.as_str())? else {
            return Ok(None);
        };
        let record = decode_conversation(bytes.value()).map_err(|detail| StoreError::Corrupt {
            table: names::CONVERSATIONS,
            key: key.clone(),
            detail,
        })?;
        drop(bytes);
        self.cache(conv.clone(), record, false);
        Ok(Some(record.conv_no))
    }

    /// The number of `conv`, creating the conversation if the store does not know it yet.
    pub fn conv(&mut self, conv: &ConvId) -> Result<u64> {
        if let Some(conv_no) = self.find_conv(conv)? {
            return Ok(conv_no);
        }
        let conv_no = self.counters.next_conv_no;
        self.counters.next_conv_no += 1;
        self.conversation_numbers
            .insert(conv_no, conv_key(conv).as_str())?;
        self.cache(conv.clone(), ConvRecord::new(conv_no), true);
        Ok(conv_no)
    }

    /// The conversation number `conv_no` stands for.
    pub fn conv_id(&mut self, conv_no: u64) -> Result<ConvId> {
        if let Some(cached) = self.convs.get(&conv_no) {
            return Ok(cached.conv.clone());
        }
        let corrupt = |detail: String| StoreError::Corrupt {
            table: names::CONVERSATION_NUMBERS,
            key: conv_no.to_string(),
            detail,
        };
        let conv = match self.conversation_numbers.get(conv_no)? {
            Some(key) => parse_conv_key(key.value()).map_err(corrupt)?,
            None => return Err(corrupt("no such conversation number".to_owned())),
        };
        match self.find_conv(&conv)? {
            Some(found) if found == conv_no => Ok(conv),
            _ => Err(corrupt(format!("{conv} has another number"))),
        }
    }

    /// Changes the record of conversation `conv_no`.
    pub fn update_record(
        &mut self,
        conv_no: u64,
        change: impl FnOnce(&mut ConvRecord),
    ) -> Result<ConvRecord> {
        if !self.convs.contains_key(&conv_no) {
            self.conv_id(conv_no)?;
        }
        match self.convs.get_mut(&conv_no) {
            Some(cached) => {
                change(&mut cached.record);
                cached.dirty = true;
                Ok(cached.record)
            }
            None => Err(StoreError::Corrupt {
                table: names::CONVERSATIONS,
                key: conv_no.to_string(),
                detail: "conversation record not loaded".to_owned(),
            }),
        }
    }

    fn cache(&mut self, conv: ConvId, record: ConvRecord, dirty: bool) {
        self.conv_nos.insert(conv.clone(), record.conv_no);
        match self.convs.entry(record.conv_no) {
            Entry::Occupied(_) => {}
            Entry::Vacant(slot) => {
                slot.insert(CachedConv {
                    conv,
                    record,
                    dirty,
                });
            }
        }
    }

    /// Sets the `meta` row `row` (rows other than the counters and the schema version).
    pub fn set_meta(&mut self, row: &str, value: u64) -> Result<()> {
        self.meta.insert(row, value)?;
        Ok(())
    }

    /// A new insertion number.
    pub fn next_insert_no(&mut self) -> u64 {
        let insert_no = self.counters.next_insert_no;
        self.counters.next_insert_no += 1;
        insert_no
    }

    /// Appends an entry to the search-index journal.
    pub fn journal(&mut self, op: &StoredJournalOp) -> Result<()> {
        let id = self.counters.next_journal_id;
        self.counters.next_journal_id += 1;
        self.journal.insert(id, encode_journal(op).as_slice())?;
        Ok(())
    }
}
