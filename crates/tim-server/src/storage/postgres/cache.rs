//! What the node's writer remembers of the database between its transactions.
//!
//! Every write transaction of every node bumps the one row of `tim_generation` first (that
//! row's lock is what serializes the writers). A node whose transaction gets generation
//! `g + 1`, where `g` is the generation of its own last commit, knows that nobody else wrote
//! in between: what it read and wrote before is still what the database holds, and it may
//! answer reads from memory. Any other generation, a failed commit or a full cache clears it.
//! So a node that writes many batches in a row (one node, or a busy node of a cluster) reads
//! each counter row and membership once, not once per batch.

use crate::storage::kv::Rows;
use std::collections::HashMap;
use std::ops::Bound;

/// A cached scan: table, bounds, direction and limit.
pub(super) type ScanKey = (&'static str, Bound<Vec<u8>>, Bound<Vec<u8>>, bool, usize);

/// Entries kept at most; beyond, the cache starts over.
const MAX_ENTRIES: usize = 200_000;

/// Rows and scans as of the node's last commit.
#[derive(Debug, Default)]
pub(super) struct NodeCache {
    /// The generation of this node's last commit (0: none known).
    generation: i64,
    gets: HashMap<(&'static str, Vec<u8>), Option<Vec<u8>>>,
    scans: HashMap<ScanKey, Rows>,
}

/// What one write transaction read from the database, and wrote.
#[derive(Debug, Default)]
pub(super) struct TxnCache {
    pub gets: HashMap<(&'static str, Vec<u8>), Option<Vec<u8>>>,
    pub scans: HashMap<ScanKey, Rows>,
}

impl NodeCache {
    /// A write transaction got `generation`: keep the cache only if it follows this node's
    /// last commit.
    pub fn begin(&mut self, generation: i64) {
        let follows = self.generation != 0 && generation == self.generation.saturating_add(1);
        if !follows || self.gets.len() + self.scans.len() > MAX_ENTRIES {
            self.clear();
        }
    }

    /// Forgets everything (a failed transaction, another node's write).
    pub fn clear(&mut self) {
        self.generation = 0;
        self.gets.clear();
        self.scans.clear();
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
        self.gets.extend(read.gets);
        self.scans.extend(read.scans);
        let mut touched: Vec<&'static str> = Vec::new();
        for (slot, value) in written {
            if !touched.contains(&slot.0) {
                touched.push(slot.0);
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
    fn the_cache_lives_only_across_this_nodes_consecutive_commits() {
        let mut cache = NodeCache::default();
        cache.begin(5);
        let read = TxnCache {
            gets: HashMap::from([(("users", b"a".to_vec()), Some(b"1".to_vec()))]),
            scans: HashMap::from([(
                ("recv_opts", Bound::Unbounded, Bound::Unbounded, false, 1),
                Vec::new(),
            )]),
        };
        cache.commit(5, read, [(("heads", b"1".to_vec()), Some(b"9".to_vec()))]);
        cache.begin(6);
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
        // Another node wrote generation 7: this node's view is stale.
        cache.begin(8);
        assert_eq!(cache.get("users", b"a"), None);
    }
}
