//! A check every [`KvStore`] must pass (feature `testing`): inside a write transaction, gets and
//! scans (both directions, any bounds and limits) see the transaction's own writes and
//! removals exactly as an ordered map would, also after a prefetch of keys written, removed,
//! stored or never seen, and a read transaction after the commit sees the same. Backends that buffer writes (PostgreSQL) merge them into what they read.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use super::{KvStore, read, write};
use std::collections::BTreeMap;
use std::ops::Bound;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const TABLE: &str = "check";
const OTHER: &str = "check_other";

fn key(rng: &mut Rng) -> Vec<u8> {
    // Keys of one to three bytes from a small alphabet: prefixes and neighbours collide often.
    let len = 1 + rng.below(3) as usize;
    (0..len)
        .map(|_| [0u8, 1, 0x7f, 0xff][rng.below(4) as usize])
        .collect()
}

fn bound(rng: &mut Rng) -> Bound<Vec<u8>> {
    match rng.below(3) {
        0 => Bound::Unbounded,
        1 => Bound::Included(key(rng)),
        _ => Bound::Excluded(key(rng)),
    }
}

fn as_ref(bound: &Bound<Vec<u8>>) -> Bound<&[u8]> {
    bound.as_ref().map(Vec::as_slice)
}

fn expected(
    model: &BTreeMap<Vec<u8>, Vec<u8>>,
    lo: &Bound<Vec<u8>>,
    hi: &Bound<Vec<u8>>,
    descending: bool,
    limit: usize,
) -> Vec<(Vec<u8>, Vec<u8>)> {
    let valid = match (lo, hi) {
        (Bound::Included(l) | Bound::Excluded(l), Bound::Included(h) | Bound::Excluded(h)) => {
            l < h || (l == h && matches!((lo, hi), (Bound::Included(_), Bound::Included(_))))
        }
        _ => true,
    };
    if !valid {
        return Vec::new();
    }
    let range = model.range::<Vec<u8>, _>((lo.clone(), hi.clone()));
    let rows: Vec<_> = if descending {
        range.rev().take(limit).collect()
    } else {
        range.take(limit).collect()
    };
    rows.into_iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Runs the check on an empty `store`.
pub fn scans_see_their_own_writes(store: &dyn KvStore) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut model: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
    for round in 0..6 {
        let committed = model.clone();
        let mut pending = committed.clone();
        write(store, |txn| {
            // A body may run more than once: start from the committed state each time.
            pending = committed.clone();
            for step in 0..120 {
                let k = key(&mut rng);
                match rng.below(5) {
                    0 | 1 => {
                        let v = vec![round as u8, step as u8];
                        txn.put(TABLE, &k, &v)?;
                        pending.insert(k.clone(), v);
                    }
                    2 => {
                        let old = txn.delete(TABLE, &k)?;
                        assert_eq!(old, pending.remove(&k), "delete returns the old value");
                    }
                    3 => assert_eq!(txn.get(TABLE, &k)?, pending.get(&k).cloned()),
                    _ => {
                        // A prefetch (with a repeat) changes no answer that follows.
                        let mut keys: Vec<Vec<u8>> =
                            (0..1 + rng.below(5)).map(|_| key(&mut rng)).collect();
                        keys.push(k.clone());
                        keys.push(k.clone());
                        txn.prefetch(TABLE, &keys)?;
                        for k in &keys {
                            assert_eq!(txn.get(TABLE, k)?, pending.get(k).cloned(), "{k:?}");
                        }
                    }
                }
                txn.put(OTHER, &k, b"x")?;
                if step % 10 == 0 {
                    let (lo, hi) = (bound(&mut rng), bound(&mut rng));
                    let descending = rng.below(2) == 0;
                    let limit = 1 + rng.below(8) as usize;
                    let got = txn.scan(TABLE, as_ref(&lo), as_ref(&hi), descending, limit)?;
                    assert_eq!(
                        got,
                        expected(&pending, &lo, &hi, descending, limit),
                        "round {round} step {step}: {lo:?}..{hi:?} descending {descending}, \
                         limit {limit}"
                    );
                }
            }
            Ok(())
        })
        .unwrap();
        model = pending.clone();
        let everything = read(store, |txn| {
            txn.scan(
                TABLE,
                Bound::Unbounded,
                Bound::Unbounded,
                false,
                usize::MAX / 2,
            )
        })
        .unwrap();
        assert_eq!(
            everything,
            expected(
                &model,
                &Bound::Unbounded,
                &Bound::Unbounded,
                false,
                usize::MAX
            ),
            "round {round}: committed"
        );
    }
}
