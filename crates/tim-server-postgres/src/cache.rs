//! What the node's writer remembers of the database between its transactions.
//!
//! Every write transaction of every node bumps the one row of `tim_generation` first (that
//! row's lock is what serializes the writers) and records the keys it changed in
//! `tim_changes` under its generation. A node whose transaction gets generation `n` reads the
//! keys changed since its own last commit `g` (nothing when `n = g + 1`: nobody else wrote)
//! and forgets just those (and the cached scans of their tables); what it read and wrote
//! before is otherwise still what the database holds, so it answers those reads from memory.
//! A node that missed more than [`CHANGES_KEPT`] generations, a failed commit or a full cache
//! starts over. So each counter row and membership is read once, not once per batch, unless
//! another node changed it meanwhile.

use std::collections::HashMap;
use std::ops::Bound;
use tim_server_storage::kv::Rows;

/// A cached scan: table, bounds, direction and limit.
pub(super) type ScanKey = (&'static str, Bound<Vec<u8>>, Bound<Vec<u8>>, bool, usize);

/// Entries kept at most; beyond, the cache starts over.
const MAX_ENTRIES: usize = 200_000;

/// Generations whose changed keys stay in `tim_changes`.
pub(super) const CHANGES_KEPT: i64 = 5_000;

/// Every this many generations a transaction removes the records older than
/// [`CHANGES_KEPT`].
pub(super) const PRUNE_EVERY: i64 = 500;

/// Keys a transaction is about to read, by table.
pub(super) type Wanted = Vec<(&'static str, Vec<Vec<u8>>)>;

/// Forgotten keys read again at the start of a transaction at most; beyond, the rest are read
/// when (and if) the transaction needs them.
const REFRESH_MAX: usize = 2_000;

/// Rows and scans as of the node's last commit.
#[derive(Debug, Default)]
pub(super) struct NodeCache {
    /// The generation of this node's last commit (0: none known).
    generation: i64,
    gets: HashMap<(&'static str, Vec<u8>), Option<Vec<u8>>>,
    scans: HashMap<ScanKey, Rows>,
    /// The tables the cache holds something of.
    tables: Vec<&'static str>,
}

/// What one write transaction read from the database, and wrote.
#[derive(Debug, Default)]
pub(super) struct TxnCache {
    pub gets: HashMap<(&'static str, Vec<u8>), Option<Vec<u8>>>,
    pub scans: HashMap<ScanKey, Rows>,
}

impl NodeCache {
    /// The generation of this node's last commit (0: none known).
    pub fn generation(&self) -> i64 {
        self.generation
    }

    /// A write transaction got `generation`; `changes` are the (generation, table, key)
    /// changed after this node's last commit. Forgets what others changed, or everything when
    /// the record may be incomplete, and returns the rows it forgot (up to [`REFRESH_MAX`]):
    /// rows this node used are likely to be used again, so the transaction reads them all
    /// again together with its first read from the database (one round trip) rather than
    /// one by one as the model asks for them.
    pub fn begin(&mut self, generation: i64, changes: Vec<(i64, String, Vec<u8>)>) -> Wanted {
        let known = self.generation;
        let missed = generation.saturating_sub(known).saturating_sub(1);
        if known == 0
            || !(0..CHANGES_KEPT - PRUNE_EVERY).contains(&missed)
            || self.gets.len() + self.scans.len() > MAX_ENTRIES
        {
            self.clear();
            return Wanted::new();
        }
        // The cache's keys name tables by the model's `&'static str`s: find each changed
        // table's among them (a table the cache holds nothing of needs nothing forgotten).
        let tables = self.tables.clone();
        let mut touched: Vec<&'static str> = Vec::new();
        let mut forgotten = Wanted::new();
        let mut count = 0;
        for (at, table, key) in changes {
            if at >= generation {
                continue;
            }
            let Some(table) = tables.iter().find(|t| **t == table).copied() else {
                continue;
            };
            let slot = (table, key);
            if self.gets.remove(&slot).is_some() && count < REFRESH_MAX {
                count += 1;
                match forgotten.iter_mut().find(|(t, _)| *t == table) {
                    Some((_, keys)) => keys.push(slot.1),
                    None => forgotten.push((table, vec![slot.1])),
                }
            }
            if !touched.contains(&table) {
                touched.push(table);
            }
        }
        self.scans.retain(|key, _| !touched.contains(&key.0));
        forgotten
    }

    /// Forgets everything (a failed transaction, another node's write).
    pub fn clear(&mut self) {
        self.generation = 0;
        self.gets.clear();
        self.scans.clear();
        self.tables.clear();
    }

    /// The row `key` of `table`, if known.
    pub fn get(&self, table: &'static str, key: &[u8]) -> Option<&Option<Vec<u8>>> {
        self.gets.get(&(table, key.to_vec()))
    }

    /// A scan's rows, if known.
    pub fn scan(&self, key: &ScanKey) -> Option<&Rows> {
        self.scans.get(key)
    }

    /// The transaction committed at `generation` after reading `read` and writing `written`.
    pub fn commit(
        &mut self,
        generation: i64,
        read: TxnCache,
        written: impl IntoIterator<Item = ((&'static str, Vec<u8>), Option<Vec<u8>>)>,
    ) {
        self.generation = generation;
        for table in read
            .gets
            .keys()
            .map(|(table, _)| *table)
            .chain(read.scans.keys().map(|key| key.0))
        {
            if !self.tables.contains(&table) {
                self.tables.push(table);
            }
        }
        self.gets.extend(read.gets);
        self.scans.extend(read.scans);
        let mut touched: Vec<&'static str> = Vec::new();
        for (slot, value) in written {
            if !touched.contains(&slot.0) {
                touched.push(slot.0);
            }
            if !self.tables.contains(&slot.0) {
                self.tables.push(slot.0);
            }
            self.gets.insert(slot, value);
        }
        self.scans.retain(|key, _| !touched.contains(&key.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_forgets_what_other_nodes_changed() {
        let mut cache = NodeCache::default();
        cache.begin(5, Vec::new());
        let read = TxnCache {
            gets: HashMap::from([(("users", b"a".to_vec()), Some(b"1".to_vec()))]),
            scans: HashMap::from([(
                ("recv_opts", Bound::Unbounded, Bound::Unbounded, false, 1),
                Vec::new(),
            )]),
        };
        cache.commit(5, read, [(("heads", b"1".to_vec()), Some(b"9".to_vec()))]);
        cache.begin(6, Vec::new());
        assert_eq!(cache.get("users", b"a"), Some(&Some(b"1".to_vec())));
        assert_eq!(cache.get("heads", b"1"), Some(&Some(b"9".to_vec())));
        assert!(
            cache
                .scan(&("recv_opts", Bound::Unbounded, Bound::Unbounded, false, 1))
                .is_some()
        );
        // A write to a table drops its cached scans.
        cache.commit(
            6,
            TxnCache::default(),
            [(("recv_opts", b"k".to_vec()), Some(Vec::new()))],
        );
        assert!(
            cache
                .scan(&("recv_opts", Bound::Unbounded, Bound::Unbounded, false, 1))
                .is_none()
        );
        // Another node wrote generation 7, changing heads/1 and heads/2: only the row the
        // cache knew is forgotten, and it is returned to be read again.
        let forgotten = cache.begin(
            8,
            vec![
                (7, "heads".to_owned(), b"1".to_vec()),
                (7, "heads".to_owned(), b"2".to_vec()),
            ],
        );
        assert_eq!(forgotten, vec![("heads", vec![b"1".to_vec()])]);
        assert_eq!(cache.get("heads", b"1"), None);
        assert_eq!(cache.get("users", b"a"), Some(&Some(b"1".to_vec())));
        // A node that missed too much starts over.
        cache.commit(8, TxnCache::default(), []);
        assert!(cache.begin(8 + CHANGES_KEPT, Vec::new()).is_empty());
        assert_eq!(cache.get("users", b"a"), None);
    }
}
