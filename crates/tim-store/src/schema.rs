//! The tables of the database, the schema version, and the migration that brings a file
//! written by an older version up to the current one.
//!
//! Tables of schema version 2 (keys are redb tuples, compared field by field):
//!
//! | table | key | value |
//! |---|---|---|
//! | `meta` | name | `schema_version`, the counters (`next_*`) and `sync_cursor` |
//! | `messages` | (conv no, order time, seq, insert no) | message record (`record`) |
//! | `message_ids` | message ID | (conv no, order time, seq, insert no, rand): the message's key |
//! | `locators` | (conv no, order time, rand, insert no) | (seq, is_self) |
//! | `conversation_message_ids` | (conv no, insert no) | message ID |
//! | `seqs` | (conv no, seq, insert no), seq > 0 only | order time |
//! | `unread_candidates` | (conv no, time (C2C) or seq (group), insert no) | () |
//! | `conversations` | `c2c_<user>` / `group_<group>` | conversation record |
//! | `conversation_numbers` | conv no | conversation key |
//! | `held_ranges` | (conv no, first seq) | last seq (inclusive) |
//! | `send_queue` | message ID | enqueue number |
//! | `index_journal` | entry ID | journal record |
//!
//! Version 1 keyed `locators` by (conv no, rand, insert no) with (order time, seq, is_self) as
//! value: rands are random, so every insert landed on a random page of the index, and a
//! 1,000-message batch rewrote most of its pages. Version 2 puts the order time first, so a
//! batch appends near the end of the index; migrating from version 1 rebuilds `locators` from
//! the message records. Version 0 is the version-1 layout without the `meta` rows: its counters
//! are derived from the data when it is migrated. A file whose version is newer than
//! [`SCHEMA_VERSION`] is refused and left untouched.

use redb::{
    Database, ReadableDatabase, ReadableTable, TableDefinition, TableHandle, WriteTransaction,
};
use std::path::Path;

use crate::error::{Result, StoreError};
use crate::record::decode_message;

/// The schema version this build writes.
pub const SCHEMA_VERSION: u64 = 2;

/// The table names, as error reports and the tests name them.
pub(crate) mod names {
    pub const META: &str = "meta";
    pub const MESSAGES: &str = "messages";
    pub const MESSAGE_IDS: &str = "message_ids";
    pub const LOCATORS: &str = "locators";
    pub const CONVERSATION_MESSAGE_IDS: &str = "conversation_message_ids";
    pub const SEQS: &str = "seqs";
    pub const UNREAD_CANDIDATES: &str = "unread_candidates";
    pub const CONVERSATIONS: &str = "conversations";
    pub const CONVERSATION_NUMBERS: &str = "conversation_numbers";
    pub const HELD_RANGES: &str = "held_ranges";
    pub const SEND_QUEUE: &str = "send_queue";
    pub const JOURNAL: &str = "index_journal";
    pub const PEER_READ: &str = "peer_read";
    pub const BLOBS: &str = "blobs";

    /// Every table of the current version.
    pub const ALL: [&str; 14] = [
        META,
        MESSAGES,
        MESSAGE_IDS,
        LOCATORS,
        CONVERSATION_MESSAGE_IDS,
        SEQS,
        UNREAD_CANDIDATES,
        CONVERSATIONS,
        CONVERSATION_NUMBERS,
        HELD_RANGES,
        SEND_QUEUE,
        JOURNAL,
        PEER_READ,
        BLOBS,
    ];
}

/// The value of `message_ids`: the message key followed by its rand.
pub(crate) type SlotTuple = (u64, u64, u64, u64, u64);
/// The key of `locators`: (conv no, order time, rand, insert no). Ordered by time first, so the
/// messages of one batch (usually close in time) land on the same few pages.
pub(crate) type LocatorKey = (u64, u64, u64, u64);
/// The value of `locators`: (seq, is_self).
pub(crate) type LocatorValue = (u64, bool);

pub(crate) const META: TableDefinition<&str, u64> = TableDefinition::new(names::META);
pub(crate) const MESSAGES: TableDefinition<(u64, u64, u64, u64), &[u8]> =
    TableDefinition::new(names::MESSAGES);
pub(crate) const MESSAGE_IDS: TableDefinition<&str, SlotTuple> =
    TableDefinition::new(names::MESSAGE_IDS);
pub(crate) const LOCATORS: TableDefinition<LocatorKey, LocatorValue> =
    TableDefinition::new(names::LOCATORS);
pub(crate) const CONVERSATION_MESSAGE_IDS: TableDefinition<(u64, u64), &str> =
    TableDefinition::new(names::CONVERSATION_MESSAGE_IDS);
pub(crate) const SEQS: TableDefinition<(u64, u64, u64), u64> = TableDefinition::new(names::SEQS);
pub(crate) const UNREAD_CANDIDATES: TableDefinition<(u64, u64, u64), ()> =
    TableDefinition::new(names::UNREAD_CANDIDATES);
pub(crate) const CONVERSATIONS: TableDefinition<&str, &[u8]> =
    TableDefinition::new(names::CONVERSATIONS);
pub(crate) const CONVERSATION_NUMBERS: TableDefinition<u64, &str> =
    TableDefinition::new(names::CONVERSATION_NUMBERS);
pub(crate) const HELD_RANGES: TableDefinition<(u64, u64), u64> =
    TableDefinition::new(names::HELD_RANGES);
pub(crate) const SEND_QUEUE: TableDefinition<&str, u64> = TableDefinition::new(names::SEND_QUEUE);
pub(crate) const JOURNAL: TableDefinition<u64, &[u8]> = TableDefinition::new(names::JOURNAL);

/// Row of `meta` holding the schema version.
const VERSION_ROW: &str = "schema_version";

/// The counters every write transaction allocates numbers from; each holds the next number to
/// hand out (numbers start at 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counters {
    /// Next insertion number (the last tie-break of display order).
    pub next_insert_no: u64,
    /// Next conversation number.
    pub next_conv_no: u64,
    /// Next journal entry ID.
    pub next_journal_id: u64,
    /// Next send-queue position.
    pub next_enqueue_no: u64,
}

impl Counters {
    const ROWS: [&'static str; 4] = [
        "next_insert_no",
        "next_conv_no",
        "next_journal_id",
        "next_enqueue_no",
    ];

    fn as_array(self) -> [u64; 4] {
        [
            self.next_insert_no,
            self.next_conv_no,
            self.next_journal_id,
            self.next_enqueue_no,
        ]
    }

    /// Reads the counters (a missing row counts as 1).
    pub fn load(meta: &impl ReadableTable<&'static str, u64>) -> Result<Self> {
        let mut values = [1; 4];
        for (value, row) in values.iter_mut().zip(Self::ROWS) {
            if let Some(stored) = meta.get(row)? {
                *value = stored.value().max(1);
            }
        }
        let [
            next_insert_no,
            next_conv_no,
            next_journal_id,
            next_enqueue_no,
        ] = values;
        Ok(Self {
            next_insert_no,
            next_conv_no,
            next_journal_id,
            next_enqueue_no,
        })
    }

    /// Writes the counters.
    pub fn save(self, meta: &mut redb::Table<'_, &'static str, u64>) -> Result<()> {
        for (row, value) in Self::ROWS.into_iter().zip(self.as_array()) {
            meta.insert(row, value)?;
        }
        Ok(())
    }
}

/// Creates the file or opens it, and brings its schema to [`SCHEMA_VERSION`].
pub(crate) fn open_database(path: &Path) -> Result<Database> {
    let open_error = |source: redb::Error| StoreError::Open {
        path: path.to_owned(),
        source,
    };
    let db = Database::create(path).map_err(|error| open_error(error.into()))?;
    let (version, complete) = stored_version(&db).map_err(|error| match error {
        StoreError::Storage(source) => open_error(source),
        other => other,
    })?;
    match version {
        Some(SCHEMA_VERSION) if complete => {}
        Some(found) if found > SCHEMA_VERSION => {
            return Err(StoreError::NewerSchema {
                path: path.to_owned(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        older => {
            let txn = db.begin_write()?;
            migrate(&txn, older)?;
            txn.commit()?;
        }
    }
    Ok(db)
}

/// The version recorded in the file (`None` for a new, empty file, `Some(0)` for a file with
/// tables but no version row), and whether every table of this version is there.
fn stored_version(db: &Database) -> Result<(Option<u64>, bool)> {
    let txn = db.begin_read()?;
    let table_names: Vec<String> = txn
        .list_tables()?
        .map(|table| table.name().to_owned())
        .collect();
    let complete = names::ALL
        .iter()
        .all(|name| table_names.iter().any(|present| present == name));
    if table_names.is_empty() {
        return Ok((None, false));
    }
    if !table_names.iter().any(|name| name == names::META) {
        return Ok((Some(0), false));
    }
    let meta = txn.open_table(META)?;
    let version = meta.get(VERSION_ROW)?.map(|row| row.value());
    Ok((Some(version.unwrap_or(0)), complete))
}

/// Brings a new file (`None`) or a file of an older version up to [`SCHEMA_VERSION`] (or adds
/// the tables a current file lacks), inside one transaction: a crash during migration leaves
/// the old file as it was.
fn migrate(txn: &WriteTransaction, from: Option<u64>) -> Result<()> {
    let rebuild_locators = from.is_some_and(|version| version < 2);
    if rebuild_locators {
        // The version-1 index has other key and value types: drop it (by name) and rebuild it.
        txn.delete_table(LOCATORS)?;
    }
    // Opening a table in a write transaction creates it: a new file gets every table.
    create_tables(txn)?;
    if rebuild_locators {
        rebuild_locator_index(txn)?;
    }
    let mut meta = txn.open_table(META)?;
    if from == Some(0) {
        derive_counters(txn)?.save(&mut meta)?;
    } else {
        Counters::load(&meta)?.save(&mut meta)?;
    }
    meta.insert(VERSION_ROW, SCHEMA_VERSION)?;
    Ok(())
}

fn create_tables(txn: &WriteTransaction) -> Result<()> {
    txn.open_table(META)?;
    txn.open_table(MESSAGES)?;
    txn.open_table(MESSAGE_IDS)?;
    txn.open_table(LOCATORS)?;
    txn.open_table(CONVERSATION_MESSAGE_IDS)?;
    txn.open_table(SEQS)?;
    txn.open_table(UNREAD_CANDIDATES)?;
    txn.open_table(CONVERSATIONS)?;
    txn.open_table(CONVERSATION_NUMBERS)?;
    txn.open_table(HELD_RANGES)?;
    txn.open_table(SEND_QUEUE)?;
    txn.open_table(JOURNAL)?;
    txn.open_table(crate::read_state::PEER_READ)?;
    txn.open_table(crate::blobs::BLOBS)?;
    Ok(())
}

/// Fills `locators` from the message records (a record that cannot be decoded gets no entry:
/// it could not be loaded through the index anyway).
fn rebuild_locator_index(txn: &WriteTransaction) -> Result<()> {
    let mut locators = txn.open_table(LOCATORS)?;
    for entry in txn.open_table(MESSAGES)?.iter()? {
        let (key, bytes) = entry?;
        let (conv_no, order_time, seq, insert_no) = key.value();
        if let Ok(message) = decode_message(bytes.value()) {
            locators.insert(
                (conv_no, order_time, message.rand, insert_no),
                (seq, message.is_from_self),
            )?;
        }
    }
    Ok(())
}

/// Version 0 kept no counters: each one is one past the largest number in use.
fn derive_counters(txn: &WriteTransaction) -> Result<Counters> {
    let mut next_insert_no = 1;
    for entry in txn.open_table(MESSAGE_IDS)?.iter()? {
        let (_, key) = entry?;
        let (_, _, _, insert_no, _) = key.value();
        next_insert_no = next_insert_no.max(insert_no.saturating_add(1));
    }
    let next_after_last = |last: Option<u64>| last.map_or(1, |last| last.saturating_add(1));
    let next_conv_no = next_after_last(
        txn.open_table(CONVERSATION_NUMBERS)?
            .last()?
            .map(|(key, _)| key.value()),
    );
    let next_journal_id = next_after_last(txn.open_table(JOURNAL)?.last()?.map(|(k, _)| k.value()));
    let mut next_enqueue_no = 1;
    for entry in txn.open_table(SEND_QUEUE)?.iter()? {
        let (_, position) = entry?;
        next_enqueue_no = next_enqueue_no.max(position.value().saturating_add(1));
    }
    Ok(Counters {
        next_insert_no,
        next_conv_no,
        next_journal_id,
        next_enqueue_no,
    })
}
