//! Message identities made on this device: the message ID (globally unique, unguessable, at
//! most 127 bytes) and the message's random number (part of its locator).

use crate::error::{CoreError, Result};
use std::sync::atomic::{AtomicU64, Ordering};
use tim_model::{MessageId, codes};

/// Makes message IDs of the form `<seconds>-<random>-<counter>`.
///
/// The middle part is 64 bits from the system's CSPRNG, drawn afresh for every ID, so nobody
/// who has seen a device's messages can tell the ID it will use next; the counter keeps IDs
/// of one engine distinct even if two draws met. Rands are 32 random bits (never 0), as
/// Tencent's `message_rand`, so every client (JavaScript's doubles included) holds them
/// exactly.
pub(crate) struct IdGenerator {
    counter: AtomicU64,
}

impl IdGenerator {
    pub(crate) fn new() -> Self {
        Self {
            counter: AtomicU64::new(1),
        }
    }

    /// A new message ID and random number for a message made at `now` (seconds).
    pub(crate) fn next(&self, now: u64) -> Result<(MessageId, u64)> {
        let count = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut bytes = [0u8; 12];
        rustls::crypto::ring::default_provider()
            .secure_random
            .fill(&mut bytes)
            .map_err(|_| {
                CoreError::refused(
                    codes::ERR_SDK_INTERNAL_ERROR,
                    "the system gave no random numbers for a message ID",
                )
            })?;
        let (middle, rand) = bytes.split_at(8);
        let middle = u64::from_be_bytes(middle.try_into().unwrap_or_default());
        let rand = u32::from_be_bytes(rand.try_into().unwrap_or_default()).max(1);
        let id = MessageId::new(&format!("{now}-{middle:016x}-{count}"))
            .map_err(|err| CoreError::refused(codes::ERR_SDK_INTERNAL_ERROR, err.to_string()))?;
        Ok((id, u64::from(rand)))
    }
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
            assert!(rand > 0 && rand <= u64::from(u32::MAX));
            rands.insert(rand);
        }
        let (id, _) = other.next(1_700_000_000).unwrap();
        assert!(!ids.contains(&id), "two engines share an ID");
        // 32-bit rands: a handful of birthday collisions in 10,000 at most.
        assert!(rands.len() > 9_980, "{} distinct rands", rands.len());
    }
}
