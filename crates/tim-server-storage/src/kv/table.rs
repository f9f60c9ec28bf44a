//! Typed tables over a [`KvTxn`]: the data model reads and writes `(app, user) -> tiny ID`
//! rather than bytes. The API follows redb's (`open_table`, `get`, `insert`, `range`,
//! `value()`), which the data model was first written against.

use super::KvTxn;
use super::codec::{Key, Value};
use crate::StorageError;
use std::borrow::Borrow;
use std::collections::VecDeque;
use std::marker::PhantomData;
use std::ops::{Bound, RangeBounds};

/// A table: its name and the types of its keys and values.
pub struct TableDefinition<K: Key, V: Value> {
    name: &'static str,
    types: PhantomData<fn() -> (K, V)>,
}

impl<K: Key, V: Value> TableDefinition<K, V> {
    /// The table called `name`.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            types: PhantomData,
        }
    }

    /// Its name.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<K: Key, V: Value> Clone for TableDefinition<K, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: Key, V: Value> Copy for TableDefinition<K, V> {}

/// A table whose keys each hold a set of values, stored as one entry per (key, value).
pub struct MultimapTableDefinition<K: Key, V: Key> {
    name: &'static str,
    types: PhantomData<fn() -> (K, V)>,
}

impl<K: Key, V: Key> MultimapTableDefinition<K, V> {
    /// The table called `name`.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            types: PhantomData,
        }
    }
}

impl<K: Key, V: Key> Clone for MultimapTableDefinition<K, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: Key, V: Key> Copy for MultimapTableDefinition<K, V> {}

impl<'t> dyn KvTxn + 't {
    /// The table `definition` in this transaction.
    pub fn open_table<K: Key, V: Value>(
        &self,
        definition: TableDefinition<K, V>,
    ) -> Result<Table<'_, K, V>, StorageError> {
        Ok(Table {
            txn: self,
            name: definition.name,
            types: PhantomData,
        })
    }

    /// The multimap table `definition` in this transaction.
    pub fn open_multimap_table<K: Key, V: Key>(
        &self,
        definition: MultimapTableDefinition<K, V>,
    ) -> Result<MultimapTable<'_, K, V>, StorageError> {
        Ok(MultimapTable {
            txn: self,
            name: definition.name,
            types: PhantomData,
        })
    }
}

/// A stored value, checked when read; [`value`](Self::value) borrows from it.
pub struct AccessGuard<V: Value> {
    bytes: Vec<u8>,
    types: PhantomData<fn() -> V>,
}

impl<V: Value> AccessGuard<V> {
    fn new(bytes: Vec<u8>, table: &str) -> Result<Self, StorageError> {
        if V::decode(&bytes).is_none() {
            return Err(unreadable(table, "value"));
        }
        Ok(Self {
            bytes,
            types: PhantomData,
        })
    }

    /// The value.
    pub fn value(&self) -> V::SelfType<'_> {
        V::decode(&self.bytes).unwrap_or_else(V::fallback)
    }
}

/// A stored key, checked when read; [`value`](Self::value) borrows from it.
pub struct KeyGuard<K: Key> {
    bytes: Vec<u8>,
    types: PhantomData<fn() -> K>,
}

impl<K: Key> KeyGuard<K> {
    fn new(bytes: Vec<u8>, table: &str) -> Result<Self, StorageError> {
        if K::decode(&bytes).is_none() {
            return Err(unreadable(table, "key"));
        }
        Ok(Self {
            bytes,
            types: PhantomData,
        })
    }

    /// The key.
    pub fn value(&self) -> K::SelfType<'_> {
        K::decode(&self.bytes).unwrap_or_else(K::fallback)
    }
}

fn unreadable(table: &str, what: &str) -> StorageError {
    StorageError::new(format!("a stored {what} of table {table} is unreadable"))
}

/// A table opened in a transaction.
pub struct Table<'t, K: Key, V: Value> {
    txn: &'t dyn KvTxn,
    name: &'static str,
    types: PhantomData<fn() -> (K, V)>,
}

/// A range of encoded keys: (start, end).
type Bounds = (Bound<Vec<u8>>, Bound<Vec<u8>>);

/// The encoded bounds of a typed range.
fn encode_bounds<'a, K: Key, KR: Borrow<K::SelfType<'a>> + 'a>(
    range: &impl RangeBounds<KR>,
) -> Result<Bounds, StorageError> {
    let encode = |bound: Bound<&KR>| -> Result<Bound<Vec<u8>>, StorageError> {
        Ok(match bound {
            Bound::Included(key) => Bound::Included(K::encode(key.borrow())?),
            Bound::Excluded(key) => Bound::Excluded(K::encode(key.borrow())?),
            Bound::Unbounded => Bound::Unbounded,
        })
    };
    Ok((encode(range.start_bound())?, encode(range.end_bound())?))
}

impl<'t, K: Key, V: Value> Table<'t, K, V> {
    /// The value of `key`.
    pub fn get<'a>(
        &self,
        key: impl Borrow<K::SelfType<'a>>,
    ) -> Result<Option<AccessGuard<V>>, StorageError> {
        let key = K::encode(key.borrow())?;
        self.txn
            .get(self.name, &key)?
            .map(|bytes| AccessGuard::new(bytes, self.name))
            .transpose()
    }

    /// Tells the backend that these keys are about to be read ([`KvTxn::prefetch`]).
    pub fn prefetch<'a, KR: Borrow<K::SelfType<'a>>>(
        &self,
        keys: impl IntoIterator<Item = KR>,
    ) -> Result<(), StorageError> {
        let keys = keys
            .into_iter()
            .map(|key| K::encode(key.borrow()))
            .collect::<Result<Vec<_>, _>>()?;
        if keys.is_empty() {
            return Ok(());
        }
        self.txn.prefetch(self.name, &keys)
    }

    /// Sets `key` to `value`.
    pub fn insert<'a, 'b>(
        &mut self,
        key: impl Borrow<K::SelfType<'a>>,
        value: impl Borrow<V::SelfType<'b>>,
    ) -> Result<(), StorageError> {
        let key = K::encode(key.borrow())?;
        self.txn.put(self.name, &key, &V::encode(value.borrow()))
    }

    /// Removes `key`, returning its value.
    pub fn remove<'a>(
        &mut self,
        key: impl Borrow<K::SelfType<'a>>,
    ) -> Result<Option<AccessGuard<V>>, StorageError> {
        let key = K::encode(key.borrow())?;
        self.txn
            .delete(self.name, &key)?
            .map(|bytes| AccessGuard::new(bytes, self.name))
            .transpose()
    }

    /// The entries whose keys are in `range`, in key order ([`Range::rev`] for the reverse).
    pub fn range<'a, KR: Borrow<K::SelfType<'a>> + 'a>(
        &self,
        range: impl RangeBounds<KR>,
    ) -> Result<Range<'t, K, V>, StorageError> {
        let (lo, hi) = encode_bounds::<K, KR>(&range)?;
        Ok(Range::new(self.txn, self.name, lo, hi))
    }

    /// Whether the table has no entry.
    pub fn is_empty(&self) -> Result<bool, StorageError> {
        Ok(self
            .txn
            .scan(self.name, Bound::Unbounded, Bound::Unbounded, false, 1)?
            .is_empty())
    }

    /// Every entry, in key order.
    pub fn iter(&self) -> Result<Range<'t, K, V>, StorageError> {
        Ok(Range::new(
            self.txn,
            self.name,
            Bound::Unbounded,
            Bound::Unbounded,
        ))
    }

    /// Removes the entries of `range` for which `keep` answers false.
    pub fn retain_in<'a, KR: Borrow<K::SelfType<'a>> + 'a>(
        &mut self,
        range: impl RangeBounds<KR>,
        mut keep: impl FnMut(K::SelfType<'_>, V::SelfType<'_>) -> bool,
    ) -> Result<(), StorageError> {
        let (lo, hi) = encode_bounds::<K, KR>(&range)?;
        let mut doomed = Vec::new();
        for entry in Range::<K, V>::new(self.txn, self.name, lo, hi) {
            let (key, value) = entry?;
            if !keep(key.value(), value.value()) {
                doomed.push(key.bytes);
            }
        }
        for key in doomed {
            self.txn.delete(self.name, &key)?;
        }
        Ok(())
    }
}

/// Entries of a table in key order, read page by page.
pub struct Range<'t, K: Key, V: Value> {
    txn: &'t dyn KvTxn,
    name: &'static str,
    lo: Bound<Vec<u8>>,
    hi: Bound<Vec<u8>>,
    descending: bool,
    page: usize,
    buffered: VecDeque<(Vec<u8>, Vec<u8>)>,
    done: bool,
    types: PhantomData<fn() -> (K, V)>,
}

/// The first page read; each next one doubles up to [`MAX_PAGE`].
const FIRST_PAGE: usize = 16;
const MAX_PAGE: usize = 512;

impl<'t, K: Key, V: Value> Range<'t, K, V> {
    fn new(txn: &'t dyn KvTxn, name: &'static str, lo: Bound<Vec<u8>>, hi: Bound<Vec<u8>>) -> Self {
        Self {
            txn,
            name,
            lo,
            hi,
            descending: false,
            page: FIRST_PAGE,
            buffered: VecDeque::new(),
            done: false,
            types: PhantomData,
        }
    }

    /// The same entries, last first (call before reading any).
    #[must_use]
    pub fn rev(mut self) -> Self {
        self.descending = !self.descending;
        self
    }

    fn fill(&mut self) -> Result<(), StorageError> {
        let rows = self.txn.scan(
            self.name,
            as_ref(&self.lo),
            as_ref(&self.hi),
            self.descending,
            self.page,
        )?;
        if rows.len() < self.page {
            self.done = true;
        }
        self.page = (self.page * 2).min(MAX_PAGE);
        if let Some((last, _)) = rows.last() {
            if self.descending {
                self.hi = Bound::Excluded(last.clone());
            } else {
                self.lo = Bound::Excluded(last.clone());
            }
        }
        self.buffered.extend(rows);
        Ok(())
    }
}

fn as_ref(bound: &Bound<Vec<u8>>) -> Bound<&[u8]> {
    match bound {
        Bound::Included(key) => Bound::Included(key),
        Bound::Excluded(key) => Bound::Excluded(key),
        Bound::Unbounded => Bound::Unbounded,
    }
}

impl<K: Key, V: Value> Iterator for Range<'_, K, V> {
    type Item = Result<(KeyGuard<K>, AccessGuard<V>), StorageError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.buffered.is_empty()
            && !self.done
            && let Err(error) = self.fill()
        {
            self.done = true;
            return Some(Err(error));
        }
        let (key, value) = self.buffered.pop_front()?;
        Some(
            KeyGuard::new(key, self.name)
                .and_then(|key| Ok((key, AccessGuard::new(value, self.name)?))),
        )
    }
}

/// A multimap table opened in a transaction.
pub struct MultimapTable<'t, K: Key, V: Key> {
    txn: &'t dyn KvTxn,
    name: &'static str,
    types: PhantomData<fn() -> (K, V)>,
}

/// The smallest byte string greater than every string that starts with `prefix`, if any.
fn after_prefix(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

impl<K: Key, V: Key> MultimapTable<'_, K, V> {
    /// The values of `key`, in their key order.
    pub fn get<'a>(
        &self,
        key: impl Borrow<K::SelfType<'a>>,
    ) -> Result<impl Iterator<Item = Result<KeyGuard<V>, StorageError>> + '_, StorageError> {
        let prefix = K::encode_prefix(key.borrow())?;
        let hi = after_prefix(&prefix).map_or(Bound::Unbounded, Bound::Excluded);
        let range = Range::<&'static [u8], ()>::new(
            self.txn,
            self.name,
            Bound::Included(prefix.clone()),
            hi,
        );
        let name = self.name;
        Ok(range.map(move |entry| {
            let (key, _) = entry?;
            let value = key.bytes.get(prefix.len()..).unwrap_or_default().to_vec();
            KeyGuard::new(value, name)
        }))
    }

    /// Adds `value` to the set of `key`.
    pub fn insert<'a, 'b>(
        &mut self,
        key: impl Borrow<K::SelfType<'a>>,
        value: impl Borrow<V::SelfType<'b>>,
    ) -> Result<(), StorageError> {
        let mut entry = K::encode_prefix(key.borrow())?;
        entry.extend(V::encode(value.borrow())?);
        self.txn.put(self.name, &entry, &[])
    }
}
