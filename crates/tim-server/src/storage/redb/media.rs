//! The media area of [`RedbStorage`](super::RedbStorage).
//!
//! Tables:
//! - `media` (app, file ID) -> [`MediaRecord`], prost-encoded.

use super::write::Tables;
use super::{RedbStorage, decode};
use crate::storage::media::{MediaReads, MediaRecord, MediaWrite};
use crate::storage::{AppId, Applied, StorageError, WriteOutcome};
use prost::Message as _;
use redb::{ReadableDatabase, TableDefinition, WriteTransaction};

const MEDIA: TableDefinition<(u64, &str), &[u8]> = TableDefinition::new("media");

/// Creates the area's tables (at open, so that reads find them).
pub(super) fn create_tables(txn: &WriteTransaction) -> Result<(), StorageError> {
    txn.open_table(MEDIA)?;
    Ok(())
}

impl Tables<'_> {
    /// Applies one write of the area.
    pub(super) fn media(&mut self, write: MediaWrite) -> Result<WriteOutcome, StorageError> {
        match write {
            MediaWrite::Put { app, records } => {
                let mut table = self.txn.open_table(MEDIA)?;
                for record in records {
                    table.insert(
                        (app, record.file_id.as_str()),
                        record.encode_to_vec().as_slice(),
                    )?;
                }
                Ok(WriteOutcome::applied(Applied::Done))
            }
        }
    }
}

impl MediaReads for RedbStorage {
    fn media(&self, app: AppId, file_id: &str) -> Result<Option<MediaRecord>, StorageError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(MEDIA)?;
        match redb::ReadableTable::get(&table, (app, file_id))? {
            Some(bytes) => Ok(Some(decode(bytes.value(), "media record")?)),
            None => Ok(None),
        }
    }
}
