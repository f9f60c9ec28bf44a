//! `tim-store` is the client's local database, built on redb, for one logged-in user.
//!
//! It holds messages of every conversation in display order with an index by message ID and by
//! locator, conversations with their unread count, read position and receive option, local
//! custom data, the durable send queue, which seq ranges of each conversation are held locally
//! (so the engine can tell a gap from the start of history), and a journal of message changes
//! from which the search index (kept elsewhere) is brought in step.
//!
//! What it must never do: talk to the network, know about the search index beyond appending to
//! its journal, or panic on a record it cannot decode (such a record is skipped, reported by
//! [`Store::skipped_records`], and every other record still loads). Every write is one redb
//! transaction with a durable commit, so a killed process loses no committed message and leaves
//! no half-written one; writes take slices so a caller can batch (importing 1,000 messages is
//! one commit).
//!
//! Modules, one responsibility each:
//! - [`schema`]: the tables, the schema version and migration;
//! - `keys`, `record`: key layouts and record bytes (one version byte + prost for messages);
//! - `tables`: the tables of one write transaction and the conversation records it changes;
//! - `messages`, `paging`: storing, finding and paging messages;
//! - `conversations`: unread counts, read marks, receive options;
//! - `send_queue`, `ranges`, `journal`: the durable send queue, held seq ranges and the
//!   search-index journal;
//! - `received`: messages from the server (pushes, sync, history pulls) stored once by message
//!   ID, together with the held ranges and the sync cursor they bring.

mod blobs;
mod conversations;
mod deletes;
mod error;
mod extensions;
mod journal;
mod keys;
mod messages;
mod paging;
mod ranges;
mod read_state;
mod received;
mod record;
pub mod schema;
mod send_queue;
mod tables;

pub use conversations::{ConversationState, ReadMark};
pub use error::{Result, SkippedRecord, StoreError};
pub use extensions::CachedExtension;
pub use journal::{JournalEntry, JournalOp};
pub use messages::PutResult;
pub use paging::{Anchor, Direction, PageQuery};
pub use received::ReceivedBatch;

use redb::{Database, ReadTransaction, ReadableDatabase};
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use crate::tables::Tables;

/// The local database of one logged-in user. `Send + Sync`: share it behind an `Arc`; writes
/// are serialised by redb (one write transaction at a time), reads run beside them on
/// snapshots.
pub struct Store {
    db: Database,
    skipped: Mutex<Vec<SkippedRecord>>,
}

impl Store {
    /// Creates the database file at `path`, or opens it and migrates it from an older schema
    /// version. A file written by a newer version is refused ([`StoreError::NewerSchema`]) and
    /// left untouched; a file another process holds open is refused ([`StoreError::Open`]).
    pub fn open(path: &Path) -> Result<Self> {
        Ok(Self {
            db: schema::open_database(path)?,
            skipped: Mutex::new(Vec::new()),
        })
    }

    /// The records reads have skipped since the store was opened because they could not be
    /// decoded (each reported once).
    pub fn skipped_records(&self) -> Vec<SkippedRecord> {
        self.skipped
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Records that a read skipped a record.
    fn report(&self, table: &'static str, key: String, error: String) {
        let mut skipped = self.skipped.lock().unwrap_or_else(PoisonError::into_inner);
        if !skipped
            .iter()
            .any(|record| record.table == table && record.key == key)
        {
            skipped.push(SkippedRecord { table, key, error });
        }
    }

    /// Runs `change` in one write transaction and commits it durably; an error aborts the
    /// transaction, so nothing of it is written.
    fn write<T>(&self, change: impl FnOnce(&mut Tables<'_>) -> Result<T>) -> Result<T> {
        let txn = self.db.begin_write()?;
        let value = {
            let mut tables = Tables::open(&txn)?;
            let value = change(&mut tables)?;
            tables.finish()?;
            value
        };
        txn.commit()?;
        Ok(value)
    }

    /// A read snapshot.
    fn read(&self) -> Result<ReadTransaction> {
        Ok(self.db.begin_read()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Store>();
    }
}
