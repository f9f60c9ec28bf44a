//! What the data model needs from a database: ordered tables of byte keys and values, read
//! and written in transactions. The data model (`crate::model`) is written once
//! against [`KvTxn`] through typed tables ([`table`]); each backend ([`redb`](super::redb),
//! [`postgres`](super::postgres)) only moves bytes.
//!
//! A write transaction is a closure ([`KvStore::write`]): a backend whose transactions can
//! fail for a conflict with another node (PostgreSQL's serialization failures and deadlocks)
//! runs it again from the start on a fresh transaction, so the closure must act on nothing but
//! the transaction and its own captured input.

#[cfg(any(test, feature = "testing"))]
pub mod check;
pub mod codec;
pub mod table;

use crate::StorageError;
use std::ops::Bound;

pub use table::{
    AccessGuard, KeyGuard, MultimapTable, MultimapTableDefinition, Range, Table, TableDefinition,
};

/// Entries as read: (key, value) byte strings.
pub type Rows = Vec<(Vec<u8>, Vec<u8>)>;

/// One transaction of an ordered key-value store. Tables exist once named (no creation step);
/// keys compare as byte strings.
pub trait KvTxn {
    /// The value of `key` in `table`.
    fn get(&self, table: &'static str, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError>;

    /// At most `limit` entries of `table` with keys between `lo` and `hi`, in ascending key
    /// order, or descending when `descending`.
    fn scan(
        &self,
        table: &'static str,
        lo: Bound<&[u8]>,
        hi: Bound<&[u8]>,
        descending: bool,
        limit: usize,
    ) -> Result<Rows, StorageError>;

    /// Sets `key` to `value` (write transactions only).
    fn put(&self, table: &'static str, key: &[u8], value: &[u8]) -> Result<(), StorageError>;

    /// Removes `key`, returning its value (write transactions only).
    fn delete(&self, table: &'static str, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError>;

    /// A hint that the transaction is about to [`get`](KvTxn::get) these keys of `table`: a
    /// backend whose reads are network round trips may fetch them all in one. Nothing depends
    /// on it: a backend may ignore it, and the gets answer the same either way.
    fn prefetch(&self, table: &'static str, keys: &[Vec<u8>]) -> Result<(), StorageError> {
        let _ = (table, keys);
        Ok(())
    }
}

/// The body of a transaction; see [`KvStore::write`].
pub type TxnBody<'a> = dyn FnMut(&dyn KvTxn) -> Result<(), StorageError> + 'a;

/// An ordered key-value store with serializable transactions.
pub trait KvStore: Send + Sync + 'static {
    /// Runs `body` in a write transaction and commits it durably when `body` succeeds (an
    /// error from `body` writes nothing). The store may run `body` again on a new
    /// transaction when the first could not commit for a conflict with a concurrent writer.
    fn write(&self, body: &mut TxnBody<'_>) -> Result<(), StorageError>;

    /// Runs `body` in a read transaction that sees one committed state.
    fn read(&self, body: &mut TxnBody<'_>) -> Result<(), StorageError>;

    /// Whether [`KvStore::write`] may run its body more than once (then the caller keeps a copy
    /// of what the body consumes).
    fn reruns(&self) -> bool {
        false
    }

    /// Whether calls wait on the network (see [`Storage::blocks`](crate::Storage::blocks)).
    fn blocks(&self) -> bool {
        false
    }
}

/// Runs `body` in a write transaction of `store` and returns what it returned.
pub fn write<T>(
    store: &dyn KvStore,
    mut body: impl FnMut(&dyn KvTxn) -> Result<T, StorageError>,
) -> Result<T, StorageError> {
    let mut out = None;
    store.write(&mut |txn| {
        out = Some(body(txn)?);
        Ok(())
    })?;
    out.ok_or_else(|| StorageError::new("a write transaction ended without its result"))
}

/// Runs `body` in a read transaction of `store` and returns what it returned.
pub fn read<T>(
    store: &dyn KvStore,
    mut body: impl FnMut(&dyn KvTxn) -> Result<T, StorageError>,
) -> Result<T, StorageError> {
    let mut out = None;
    store.read(&mut |txn| {
        out = Some(body(txn)?);
        Ok(())
    })?;
    out.ok_or_else(|| StorageError::new("a read transaction ended without its result"))
}
