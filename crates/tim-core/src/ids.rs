//! Message identities made on this device: the message ID (globally unique, opaque, at most 127
//! bytes) and the message's random number (part of its locator).

use crate::error::{CoreError, Result};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use tim_model::{MessageId, codes};

/// Makes message IDs of the form `<seconds>-<device salt>-<counter>`.
///
/// The salt is 64 random bits drawn once per engine (from the OS-seeded keys of std's
/// `RandomState`), so two devices never share a prefix; the counter makes IDs of one engine
/// unique even within one second.
pub(crate) struct IdGenerator {
    salt: u64,
    counter: AtomicU64,
}

impl IdGenerator {
    pub(crate) fn new() -> Self {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        hasher.write_u32(std::process::id());
        Self {
            salt: hasher.finish(),
            counter: AtomicU64::new(1),
        }
    }

    /// A new message ID and random number for a message made at `now` (seconds).
    pub(crate) fn next(&self, now: u64) -> Result<(MessageId, u64)> {
        let count = self.counter.fetch_add(1, Ordering::Relaxed);
        let id = MessageId::new(&format!("{now}-{:016x}-{count}", self.salt))
            .map_err(|err| CoreError::refused(codes::ERR_SDK_INTERNAL_ERROR, err.to_string()))?;
        Ok((id, splitmix64(self.salt ^ count.rotate_left(32))))
    }
}

/// A well-mixed 64-bit value from `x` (Steele et al., SplitMix64).
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_short_and_rands_differ() {
        let generator = IdGenerator::new();
        let other = IdGenerator::new();
        let mut ids = HashSet::new();
        let mut rands = HashSet::new();
        for _ in 0..10_000 {
            let (id, rand) = generator.next(1_700_000_000).unwrap();
            assert!(id.as_str().len() <= 127);
            assert!(ids.insert(id));
            rands.insert(rand);
        }
        let (id, _) = other.next(1_700_000_000).unwrap();
        assert!(!ids.contains(&id), "two engines share an ID");
        assert_eq!(rands.len(), 10_000);
    }
}
