//! One PostgreSQL transaction as a [`KvTxn`].
//!
//! A write transaction holds the cluster's write lock (see the parent module), so nothing but
//! itself changes the rows it reads: its writes are kept in memory ([`PgTxn::overlay`]) and
//! sent at the end in two statements ([`PgTxn::flush`]: one multi-row upsert, one multi-row
//! delete, sent with the `COMMIT` in one round trip), and the rows it read are remembered.
//! Rows it is told it will read ([`KvTxn::prefetch`], such as every message ID of a batch of
//! sends) come in one round trip, together with the rows the node forgot because another node
//! changed them. A batch of sends then costs one round trip to take the lock, one for what it
//! reads, one per other row it reads for the first time, and one for its writes and commit.
//! Reads see the transaction's own writes: gets look in the overlay first, scans merge it.

use super::cache::{NodeCache, ScanKey, TxnCache, Wanted};
use super::{Conn, PgKv, is_conflict, pg_error, reported};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::ops::Bound;
use tim_server_storage::StorageError;
use tim_server_storage::kv::{KvTxn, Rows};
use tokio_postgres::types::ToSql;

/// A key of the overlay and of the read cache.
type Slot = (&'static str, Vec<u8>);

/// The writes of a transaction, in key order: a value, or `None` for a removal.
pub(super) type Written = BTreeMap<Slot, Option<Vec<u8>>>;

/// A transaction on one connection.
pub(super) struct PgTxn<'a> {
    kv: &'a PgKv,
    conn: &'a Conn,
    writable: bool,
    /// A statement failed for a conflict: the transaction should be run again.
    conflict: Cell<bool>,
    /// Writes not yet sent: a value, or `None` for a removal.
    overlay: RefCell<Written>,
    /// What this transaction read from the database (write transactions only: under the
    /// lock nothing else changes it).
    read: RefCell<TxnCache>,
    /// What the node knew before this transaction (write transactions that follow the
    /// node's own last commit; see [`NodeCache`]).
    node: Option<&'a NodeCache>,
    /// Rows the node forgot because another node changed them, to be read again with the
    /// transaction's next read from the database (one round trip for both).
    pending: RefCell<Wanted>,
}

/// The smallest key greater than `key`.
fn successor(key: &[u8]) -> Vec<u8> {
    let mut next = Vec::with_capacity(key.len() + 1);
    next.extend_from_slice(key);
    next.push(0);
    next
}

/// Whether `key` lies within `lo..hi`.
fn within(key: &[u8], lo: Bound<&[u8]>, hi: Bound<&[u8]>) -> bool {
    let above = match lo {
        Bound::Included(lo) => key >= lo,
        Bound::Excluded(lo) => key > lo,
        Bound::Unbounded => true,
    };
    let below = match hi {
        Bound::Included(hi) => key <= hi,
        Bound::Excluded(hi) => key < hi,
        Bound::Unbounded => true,
    };
    above && below
}

impl<'a> PgTxn<'a> {
    pub(super) fn new(
        kv: &'a PgKv,
        conn: &'a Conn,
        writable: bool,
        node: Option<&'a NodeCache>,
        pending: Wanted,
    ) -> Self {
        Self {
            kv,
            conn,
            writable,
            conflict: Cell::new(false),
            overlay: RefCell::new(BTreeMap::new()),
            read: RefCell::new(TxnCache::default()),
            node,
            pending: RefCell::new(pending),
        }
    }

    /// What the transaction read from the database.
    pub(super) fn into_read(self) -> TxnCache {
        self.read.into_inner()
    }

    /// Whether a statement failed for a conflict with another transaction.
    pub(super) fn conflicted(&self) -> bool {
        self.conflict.get()
    }

    fn check<T>(&self, result: Result<T, tokio_postgres::Error>) -> Result<T, StorageError> {
        result.map_err(|error| {
            if is_conflict(&error) {
                self.conflict.set(true);
            }
            pg_error(&error)
        })
    }

    fn read_only(&self, table: &str) -> Result<(), StorageError> {
        if self.writable {
            Ok(())
        } else {
            Err(StorageError::new(format!(
                "a write to {table} in a read transaction"
            )))
        }
    }

    /// The stored row, without the overlay.
    fn stored(&self, table: &'static str, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
        let slot = (table, key.to_vec());
        if let Some(cached) = self.read.borrow().gets.get(&slot) {
            return Ok(cached.clone());
        }
        if let Some(known) = self.node.and_then(|node| node.get(table, key)) {
            return Ok(known.clone());
        }
        if self.writable && !self.pending.borrow().is_empty() {
            // With the forgotten rows, in one round trip.
            self.fetch(&[(table, vec![key.to_vec()])])?;
            return Ok(self.read.borrow().gets.get(&slot).cloned().flatten());
        }
        let rows = self
            .kv
            .block_on(self.conn.client.query(&self.conn.get, &[&table, &key]))?;
        let value = self
            .check(rows)?
            .first()
            .map(|row| self.check(row.try_get::<_, Vec<u8>>(0)))
            .transpose()?;
        if self.writable {
            self.read.borrow_mut().gets.insert(slot, value.clone());
        }
        Ok(value)
    }

    /// One page of stored rows of `lo..hi`, without the overlay.
    fn stored_page(
        &self,
        table: &'static str,
        lo: Bound<&[u8]>,
        hi: Bound<&[u8]>,
        descending: bool,
        limit: usize,
    ) -> Result<Rows, StorageError> {
        let scan_key: ScanKey = (
            table,
            lo.map(<[u8]>::to_vec),
            hi.map(<[u8]>::to_vec),
            descending,
            limit,
        );
        if let Some(rows) = self.read.borrow().scans.get(&scan_key) {
            return Ok(rows.clone());
        }
        if let Some(rows) = self.node.and_then(|node| node.scan(&scan_key)) {
            return Ok(rows.clone());
        }
        self.fetch(&[])?;
        let rows = self.stored_page_uncached(table, lo, hi, descending, limit)?;
        if self.writable {
            self.read.borrow_mut().scans.insert(scan_key, rows.clone());
        }
        Ok(rows)
    }

    fn stored_page_uncached(
        &self,
        table: &'static str,
        lo: Bound<&[u8]>,
        hi: Bound<&[u8]>,
        descending: bool,
        limit: usize,
    ) -> Result<Rows, StorageError> {
        let lo = match lo {
            Bound::Included(key) => key.to_vec(),
            Bound::Excluded(key) => successor(key),
            Bound::Unbounded => Vec::new(),
        };
        let hi = match hi {
            Bound::Included(key) => Some(successor(key)),
            Bound::Excluded(key) => Some(key.to_vec()),
            Bound::Unbounded => None,
        };
        let statement = &self.conn.scans[usize::from(descending)][usize::from(hi.is_none())];
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.kv.block_on(
            self.conn
                .client
                .query(statement, &[&table, &lo, &hi, &limit]),
        )?;
        self.check(rows)?
            .iter()
            .map(|row| Ok((self.check(row.try_get(0))?, self.check(row.try_get(1))?)))
            .collect()
    }

    /// Reads the rows of `wanted` and the pending forgotten rows that the transaction does not
    /// know yet, all in one round trip (one statement per table, pipelined), and keeps them as
    /// read (write transactions only: a read transaction keeps nothing).
    fn fetch(&self, wanted: &[(&'static str, Vec<Vec<u8>>)]) -> Result<(), StorageError> {
        if !self.writable {
            return Ok(());
        }
        let mut all = std::mem::take(&mut *self.pending.borrow_mut());
        for (table, keys) in wanted {
            match all.iter_mut().find(|(t, _)| t == table) {
                Some((_, known)) => known.extend(keys.iter().cloned()),
                None => all.push((*table, keys.clone())),
            }
        }
        let unknown: Vec<(&'static str, Vec<&[u8]>)> = {
            let overlay = self.overlay.borrow();
            let read = self.read.borrow();
            all.iter()
                .map(|(table, keys)| {
                    let mut keys: Vec<&[u8]> = keys
                        .iter()
                        .map(Vec::as_slice)
                        .filter(|key| {
                            let slot = (*table, key.to_vec());
                            !overlay.contains_key(&slot)
                                && !read.gets.contains_key(&slot)
                                && self.node.and_then(|node| node.get(table, key)).is_none()
                        })
                        .collect();
                    keys.sort_unstable();
                    keys.dedup();
                    (*table, keys)
                })
                .filter(|(_, keys)| !keys.is_empty())
                .collect()
        };
        if unknown.is_empty() {
            return Ok(());
        }
        let client = &self.conn.client;
        let params: Vec<[&(dyn ToSql + Sync); 2]> = unknown
            .iter()
            .map(|(table, keys)| [table as &(dyn ToSql + Sync), keys])
            .collect();
        let answers = self.kv.block_on(futures_util::future::join_all(
            params
                .iter()
                .map(|params| client.query(&self.conn.get_many, params)),
        ))?;
        let mut read = self.read.borrow_mut();
        for ((table, keys), rows) in unknown.iter().zip(answers) {
            let mut found = std::collections::HashMap::new();
            for row in self.check(rows)? {
                let key: Vec<u8> = self.check(row.try_get(0))?;
                let value: Option<Vec<u8>> = self.check(row.try_get(1))?;
                if let Some(value) = value {
                    found.insert(key, value);
                }
            }
            for key in keys {
                read.gets.insert((table, key.to_vec()), found.remove(*key));
            }
        }
        Ok(())
    }

    /// Sends the buffered writes of the transaction at `generation`, with the record of the
    /// keys it changed, and commits, all in one round trip; returns the writes. A statement
    /// that fails leaves the transaction aborted, so the `COMMIT` queued behind it rolls back.
    pub(super) fn commit(&self, generation: i64) -> Result<Written, StorageError> {
        let overlay = std::mem::take(&mut *self.overlay.borrow_mut());
        let client = &self.conn.client;
        if overlay.is_empty() {
            let done = self.kv.block_on(client.batch_execute("COMMIT"))?;
            self.check(done)?;
            return Ok(overlay);
        }
        let (mut put_tables, mut put_keys, mut put_values) = (Vec::new(), Vec::new(), Vec::new());
        let (mut del_tables, mut del_keys) = (Vec::new(), Vec::new());
        let (mut changed_tables, mut changed_keys) = (Vec::new(), Vec::new());
        for ((table, key), value) in &overlay {
            changed_tables.push(*table);
            changed_keys.push(key.as_slice());
            match value {
                Some(value) => {
                    put_tables.push(*table);
                    put_keys.push(key.as_slice());
                    put_values.push(value.as_slice());
                }
                None => {
                    del_tables.push(*table);
                    del_keys.push(key.as_slice());
                }
            }
        }
        let done = self.kv.block_on(async {
            let puts = async {
                if put_tables.is_empty() {
                    return Ok(0);
                }
                client
                    .execute(&self.conn.put_many, &[&put_tables, &put_keys, &put_values])
                    .await
            };
            let deletes = async {
                if del_tables.is_empty() {
                    return Ok(0);
                }
                client
                    .execute(&self.conn.delete_many, &[&del_tables, &del_keys])
                    .await
            };
            let changes = async {
                client
                    .execute(
                        &self.conn.changes_insert,
                        &[&generation, &changed_tables, &changed_keys],
                    )
                    .await
            };
            let pruned = async {
                // Every so often the oldest records go (a node that missed more than
                // `CHANGES_KEPT` generations starts its cache over).
                if generation % super::cache::PRUNE_EVERY != 0 {
                    return Ok(0);
                }
                client
                    .execute(
                        "DELETE FROM tim_changes WHERE generation <= $1",
                        &[&(generation - super::cache::CHANGES_KEPT)],
                    )
                    .await
            };
            let commit = client.batch_execute("COMMIT");
            // Every answer is awaited: the first error to arrive may be one the real cause
            // made in a later statement (25P02), and a conflict must still be seen as one.
            let (puts, deletes, changes, pruned, commit) =
                tokio::join!(puts, deletes, changes, pruned, commit);
            let errors = [
                puts.err(),
                deletes.err(),
                changes.err(),
                pruned.err(),
                commit.err(),
            ];
            let mut errors = errors.into_iter().flatten();
            match errors.next() {
                Some(first) => Err(reported(first, errors)),
                None => Ok(()),
            }
        })?;
        self.check(done)?;
        Ok(overlay)
    }
}

impl KvTxn for PgTxn<'_> {
    fn get(&self, table: &'static str, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
        if let Some(pending) = self.overlay.borrow().get(&(table, key.to_vec())) {
            return Ok(pending.clone());
        }
        self.stored(table, key)
    }

    fn scan(
        &self,
        table: &'static str,
        lo: Bound<&[u8]>,
        hi: Bound<&[u8]>,
        descending: bool,
        limit: usize,
    ) -> Result<Rows, StorageError> {
        let overlay = self.overlay.borrow();
        let pending: Vec<(&Vec<u8>, &Option<Vec<u8>>)> = overlay
            .range((table, Vec::new())..)
            .take_while(|((t, _), _)| *t == table)
            .filter(|((_, key), _)| within(key, lo, hi))
            .map(|((_, key), value)| (key, value))
            .collect();
        if pending.is_empty() {
            return self.stored_page(table, lo, hi, descending, limit);
        }
        // Stored rows page by page, each page merged with the pending writes it covers, until
        // `limit` rows or the end of the range.
        let mut merged: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        let (mut from_lo, mut from_hi) = (lo.map(<[u8]>::to_vec), hi.map(<[u8]>::to_vec));
        loop {
            let page = self.stored_page(
                table,
                from_lo.as_ref().map(Vec::as_slice),
                from_hi.as_ref().map(Vec::as_slice),
                descending,
                limit.max(1),
            )?;
            let full = page.len() >= limit.max(1);
            let last = page.last().map(|(key, _)| key.clone());
            merged.extend(page);
            // The part of the range this page covered completely.
            let covered = |key: &Vec<u8>| match (&last, full) {
                (Some(last), true) if descending => key >= last,
                (Some(last), true) => key <= last,
                _ => true,
            };
            for (key, value) in &pending {
                let inside_page = within(
                    key,
                    from_lo.as_ref().map(Vec::as_slice),
                    from_hi.as_ref().map(Vec::as_slice),
                );
                if inside_page && covered(key) {
                    match value {
                        Some(value) => {
                            merged.insert((*key).clone(), value.clone());
                        }
                        None => {
                            merged.remove(*key);
                        }
                    }
                }
            }
            if merged.len() >= limit || !full {
                break;
            }
            let Some(last) = last else { break };
            if descending {
                from_hi = Bound::Excluded(last);
            } else {
                from_lo = Bound::Excluded(last);
            }
        }
        let rows: Box<dyn Iterator<Item = (Vec<u8>, Vec<u8>)>> = if descending {
            Box::new(merged.into_iter().rev())
        } else {
            Box::new(merged.into_iter())
        };
        Ok(rows.take(limit).collect())
    }

    fn prefetch(&self, table: &'static str, keys: &[Vec<u8>]) -> Result<(), StorageError> {
        self.fetch(&[(table, keys.to_vec())])
    }

    fn put(&self, table: &'static str, key: &[u8], value: &[u8]) -> Result<(), StorageError> {
        self.read_only(table)?;
        self.overlay
            .borrow_mut()
            .insert((table, key.to_vec()), Some(value.to_vec()));
        Ok(())
    }

    fn delete(&self, table: &'static str, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
        self.read_only(table)?;
        let old = self.get(table, key)?;
        if old.is_some() {
            self.overlay
                .borrow_mut()
                .insert((table, key.to_vec()), None);
        }
        Ok(old)
    }
}
