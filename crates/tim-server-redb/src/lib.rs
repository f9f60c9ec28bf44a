//! `tim-server-redb` is the tim server's default, embedded storage backend: one redb file
//! (`server.redb`) in the data directory, holding the data model's tables
//! (`tim-server-storage`) as redb tables of byte keys and values. It implements [`KvStore`]
//! and nothing else: the rules and the record layout are the data model's.
//!
//! redb has one writer at a time and serializable snapshots, so a write body runs exactly once.
//! Files written before the data model moved onto [`KvStore`] (typed redb tables) are converted
//! when opened (`legacy`); a file of a newer layout is refused untouched.
//!
//! What it must never do: decide anything the data model decides, write outside its one file,
//! or change a file whose layout it does not know.

mod legacy;

use ::redb::{
    Database, ReadOnlyTable, ReadTransaction, ReadableDatabase, ReadableTable, Table,
    TableDefinition, WriteTransaction,
};
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Bound;
use std::path::Path;
use tim_server_storage::KvStorage;
use tim_server_storage::StorageError;
use tim_server_storage::kv::{KvStore, KvTxn, Rows, TxnBody};

/// The database file's name in the data directory.
pub const DB_FILE: &str = "server.redb";

/// Opens (or creates) `server.redb` in `data_dir`. The file is locked until the storage is
/// dropped.
pub fn open(data_dir: &Path) -> Result<KvStorage, StorageError> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| StorageError::new(format!("{}: {e}", data_dir.display())))?;
    open_file(&data_dir.join(DB_FILE))
}

/// Opens (or creates) the database file `path`.
pub fn open_file(path: &Path) -> Result<KvStorage, StorageError> {
    let db = Database::create(path)
        .map_err(|e| StorageError::new(format!("{}: {e}", path.display())))?;
    legacy::convert(&db)?;
    KvStorage::new(Box::new(RedbKv { db }))
}

/// [`KvStore`] on a redb database.
struct RedbKv {
    db: Database,
}

/// A redb result as the data model's: redb's errors become [`StorageError`]s.
pub(crate) trait Redb<T> {
    /// The result, its error described as redb's.
    fn redb(self) -> Result<T, StorageError>;
}

impl<T, E: std::fmt::Display> Redb<T> for Result<T, E> {
    fn redb(self) -> Result<T, StorageError> {
        self.map_err(|error| StorageError::new(format!("redb: {error}")))
    }
}

fn definition(name: &'static str) -> TableDefinition<'static, &'static [u8], &'static [u8]> {
    TableDefinition::new(name)
}

impl KvStore for RedbKv {
    fn write(&self, body: &mut TxnBody<'_>) -> Result<(), StorageError> {
        let txn = self.db.begin_write().redb()?;
        {
            let scope = WriteScope {
                txn: &txn,
                tables: RefCell::new(HashMap::new()),
            };
            body(&scope)?;
        }
        txn.commit().redb()?;
        Ok(())
    }

    fn read(&self, body: &mut TxnBody<'_>) -> Result<(), StorageError> {
        let scope = ReadScope {
            txn: self.db.begin_read().redb()?,
            tables: RefCell::new(HashMap::new()),
        };
        body(&scope)
    }
}

/// Collects at most `limit` entries of `range` (already in the wanted direction).
fn collect<'a>(
    range: impl Iterator<
        Item = Result<
            (
                ::redb::AccessGuard<'a, &'static [u8]>,
                ::redb::AccessGuard<'a, &'static [u8]>,
            ),
            ::redb::StorageError,
        >,
    >,
    limit: usize,
) -> Result<Rows, StorageError> {
    let mut rows = Vec::new();
    for entry in range.take(limit) {
        let (key, value) = entry.redb()?;
        rows.push((key.value().to_vec(), value.value().to_vec()));
    }
    Ok(rows)
}

fn scan_table(
    table: &impl ReadableTable<&'static [u8], &'static [u8]>,
    lo: Bound<&[u8]>,
    hi: Bound<&[u8]>,
    descending: bool,
    limit: usize,
) -> Result<Rows, StorageError> {
    if let (Bound::Included(lo) | Bound::Excluded(lo), Bound::Included(hi) | Bound::Excluded(hi)) =
        (lo, hi)
    {
        // redb refuses a range whose start is after its end; such a range is empty.
        if lo > hi {
            return Ok(Vec::new());
        }
    }
    let range = table.range::<&[u8]>((lo, hi)).redb()?;
    if descending {
        collect(range.rev(), limit)
    } else {
        collect(range, limit)
    }
}

/// A table of byte keys and values.
type ByteTable<'t> = Table<'t, &'static [u8], &'static [u8]>;
/// A read-only table of byte keys and values, `None` when it was never written.
type ByteReadTable = Option<ReadOnlyTable<&'static [u8], &'static [u8]>>;

/// A write transaction with the tables it opened so far.
struct WriteScope<'t> {
    txn: &'t WriteTransaction,
    tables: RefCell<HashMap<&'static str, ByteTable<'t>>>,
}

impl WriteScope<'_> {
    fn with<T>(
        &self,
        name: &'static str,
        f: impl FnOnce(&mut Table<'_, &'static [u8], &'static [u8]>) -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        let mut tables = self.tables.borrow_mut();
        let table = match tables.entry(name) {
            std::collections::hash_map::Entry::Occupied(open) => open.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(self.txn.open_table(definition(name)).redb()?)
            }
        };
        f(table)
    }
}

impl KvTxn for WriteScope<'_> {
    fn get(&self, table: &'static str, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
        self.with(table, |t| {
            Ok(t.get(key).redb()?.map(|v| v.value().to_vec()))
        })
    }

    fn scan(
        &self,
        table: &'static str,
        lo: Bound<&[u8]>,
        hi: Bound<&[u8]>,
        descending: bool,
        limit: usize,
    ) -> Result<Rows, StorageError> {
        self.with(table, |t| scan_table(t, lo, hi, descending, limit))
    }

    fn put(&self, table: &'static str, key: &[u8], value: &[u8]) -> Result<(), StorageError> {
        self.with(table, |t| {
            t.insert(key, value).redb()?;
            Ok(())
        })
    }

    fn delete(&self, table: &'static str, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
        self.with(table, |t| {
            Ok(t.remove(key).redb()?.map(|v| v.value().to_vec()))
        })
    }
}

/// A read transaction with the tables it opened so far.
struct ReadScope {
    txn: ReadTransaction,
    tables: RefCell<HashMap<&'static str, ByteReadTable>>,
}

impl ReadScope {
    /// Runs `f` on the table, or answers `empty` when the table was never written.
    fn with<T>(
        &self,
        name: &'static str,
        empty: T,
        f: impl FnOnce(&ReadOnlyTable<&'static [u8], &'static [u8]>) -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        let mut tables = self.tables.borrow_mut();
        let table = match tables.entry(name) {
            std::collections::hash_map::Entry::Occupied(open) => open.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                match self.txn.open_table(definition(name)) {
                    Ok(table) => slot.insert(Some(table)),
                    Err(::redb::TableError::TableDoesNotExist(_)) => slot.insert(None),
                    Err(error) => return Err(error).redb(),
                }
            }
        };
        match table {
            Some(table) => f(table),
            None => Ok(empty),
        }
    }
}

impl KvTxn for ReadScope {
    fn get(&self, table: &'static str, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
        self.with(table, None, |t| {
            Ok(t.get(key).redb()?.map(|v| v.value().to_vec()))
        })
    }

    fn scan(
        &self,
        table: &'static str,
        lo: Bound<&[u8]>,
        hi: Bound<&[u8]>,
        descending: bool,
        limit: usize,
    ) -> Result<Rows, StorageError> {
        self.with(table, Vec::new(), |t| {
            scan_table(t, lo, hi, descending, limit)
        })
    }

    fn put(&self, table: &'static str, _: &[u8], _: &[u8]) -> Result<(), StorageError> {
        Err(read_only(table))
    }

    fn delete(&self, table: &'static str, _: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
        Err(read_only(table))
    }
}

fn read_only(table: &str) -> StorageError {
    StorageError::new(format!("a write to {table} in a read transaction"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_redb_store_passes_the_key_value_check() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::create(dir.path().join("kv.redb")).unwrap();
        tim_server_storage::kv::check::scans_see_their_own_writes(&RedbKv { db });
    }
}
