//! The reconnect schedule: exponential backoff with jitter. Sans-I/O: it hands out delays, the
//! session sleeps them.
//!
//! The n-th delay after a failure (n from 0) is `min(max, initial * 2^n)`, scaled by a random
//! factor in `[0.5, 1.0]` so that many clients cut off by one server restart do not all come
//! back in the same instant. A successful login resets the schedule.

use std::time::Duration;

/// Reconnect delays.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    initial: Duration,
    max: Duration,
    attempt: u32,
    rng: u64,
}

impl Backoff {
    /// A schedule starting at `initial` and never exceeding `max`; `seed` drives the jitter.
    pub(crate) fn new(initial: Duration, max: Duration, seed: u64) -> Self {
        Self {
            initial,
            max: max.max(initial),
            attempt: 0,
            // A zero state would make xorshift return zeros forever.
            rng: seed | 1,
        }
    }

    /// The delay before the next attempt; each call doubles the base.
    pub(crate) fn next_delay(&mut self) -> Duration {
        let base = self
            .initial
            .checked_mul(1u32.checked_shl(self.attempt).unwrap_or(u32::MAX))
            .unwrap_or(self.max)
            .min(self.max);
        self.attempt = self.attempt.saturating_add(1).min(31);
        // Jitter: a factor in [0.5, 1.0] with 1/1024 resolution.
        let fraction = 512 + (self.next_random() % 513);
        base.mul_f64(fraction as f64 / 1024.0)
    }

    /// Back to the first delay (after a successful connection).
    pub(crate) fn reset(&mut self) {
        self.attempt = 0;
    }

    /// xorshift64*.
    fn next_random(&mut self) -> u64 {
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_maximum_with_jitter_of_at_most_half() {
        let initial = Duration::from_millis(200);
        let max = Duration::from_secs(30);
        let mut backoff = Backoff::new(initial, max, 42);
        let mut base = initial;
        for _ in 0..20 {
            let delay = backoff.next_delay();
            assert!(delay <= base, "{delay:?} > {base:?}");
            assert!(delay >= base / 2, "{delay:?} < half of {base:?}");
            base = (base * 2).min(max);
        }
        assert_eq!(base, max);
    }

    #[test]
    fn a_reset_starts_over_and_seeds_spread_the_delays() {
        let initial = Duration::from_millis(100);
        let mut backoff = Backoff::new(initial, Duration::from_secs(1), 7);
        for _ in 0..5 {
            backoff.next_delay();
        }
        backoff.reset();
        assert!(backoff.next_delay() <= initial);
        let delays: std::collections::HashSet<Duration> = (0..20u64)
            .map(|seed| Backoff::new(initial, initial, seed).next_delay())
            .collect();
        assert!(delays.len() > 5, "jitter does not spread: {delays:?}");
    }

    #[test]
    fn extreme_settings_do_not_overflow() {
        let mut backoff = Backoff::new(Duration::from_secs(u64::MAX / 4), Duration::ZERO, 0);
        for _ in 0..100 {
            backoff.next_delay();
        }
        let mut zero = Backoff::new(Duration::ZERO, Duration::ZERO, 1);
        assert_eq!(zero.next_delay(), Duration::ZERO);
    }
}
