//! Latency samples of end-to-end operations and their percentiles.
//!
//! The `local_engine` benchmark times each call once (a page, a search) and reports the
//! distribution, because the slow tail (p99) matters to a user scrolling a chat as much as the
//! median does.

use std::time::Duration;

/// The measured durations of one kind of operation.
#[derive(Debug, Clone, Default)]
pub struct Latencies {
    samples: Vec<Duration>,
}

impl Latencies {
    /// No samples yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one measured call.
    pub fn push(&mut self, sample: Duration) {
        self.samples.push(sample);
    }

    /// Adds every sample of `other`.
    pub fn absorb(&mut self, other: Latencies) {
        self.samples.extend(other.samples);
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.samples.len()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// The `percent` percentile by the nearest-rank method (the smallest sample that at least
    /// `percent`% of the samples do not exceed); zero without samples.
    pub fn percentile(&self, percent: f64) -> Duration {
        let mut sorted = self.samples.clone();
        sorted.sort_unstable();
        let rank = (percent / 100.0 * sorted.len() as f64).ceil() as usize;
        sorted
            .get(rank.saturating_sub(1).min(sorted.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    }

    /// The median.
    pub fn p50(&self) -> Duration {
        self.percentile(50.0)
    }

    /// The 99th percentile.
    pub fn p99(&self) -> Duration {
        self.percentile(99.0)
    }
}

/// `duration` in microseconds, as a float for tables.
pub fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let mut latencies = Latencies::new();
        for micros in (1..=100).rev() {
            latencies.push(Duration::from_micros(micros));
        }
        assert_eq!(latencies.p50(), Duration::from_micros(50));
        assert_eq!(latencies.p99(), Duration::from_micros(99));
        assert_eq!(latencies.percentile(100.0), Duration::from_micros(100));
        assert_eq!(Latencies::new().p99(), Duration::ZERO);
    }
}
