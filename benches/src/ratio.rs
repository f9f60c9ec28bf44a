//! Ours-versus-baseline ratios from a short, bounded, interleaved timing loop.
//!
//! criterion measures each function carefully but separately; the ratio between two of its
//! numbers mixes in whatever the machine did between them. Here the two functions run in
//! alternating rounds (ours, baseline, ours, baseline, ...) and the ratio is taken of the
//! medians, so background load hits both sides alike. The loop is bounded by
//! [`Budget`]: it never runs more than `rounds * max_iterations` calls of each side.
//!
//! A ratio above 1 means ours is slower than the baseline by that factor.

use std::fmt;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// How much time and work one comparison may take.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Alternating rounds per side; the median of these is reported.
    pub rounds: usize,
    /// Wall time one round of one side should take; the iteration count is sized to it.
    pub round_time: Duration,
    /// Upper bound on iterations in one round, whatever the sizing says.
    pub max_iterations: u64,
}

impl Default for Budget {
    /// 9 rounds of about 20 ms per side: well under half a second per comparison.
    fn default() -> Self {
        Self {
            rounds: 9,
            round_time: Duration::from_millis(20),
            max_iterations: 100_000,
        }
    }
}

/// The outcome of one comparison.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// What was compared, e.g. `decode message`.
    pub name: String,
    /// Median time of one call of ours.
    pub ours: Duration,
    /// Median time of one call of the baseline.
    pub baseline: Duration,
}

impl Comparison {
    /// Ours divided by baseline: 2.0 means ours takes twice as long.
    pub fn ratio(&self) -> f64 {
        let baseline = self.baseline.as_secs_f64();
        if baseline > 0.0 {
            self.ours.as_secs_f64() / baseline
        } else {
            f64::INFINITY
        }
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<28} ours {:>12.3?}  baseline {:>12.3?}  ratio ours/baseline {:>6.2}",
            self.name,
            self.ours,
            self.baseline,
            self.ratio()
        )
    }
}

/// Times `ours` against `baseline` in alternating rounds within `budget` and returns the
/// medians. Each function's result goes through [`black_box`], so neither is optimised away.
pub fn compare<A, B, RA, RB>(name: &str, budget: Budget, mut ours: A, mut baseline: B) -> Comparison
where
    A: FnMut() -> RA,
    B: FnMut() -> RB,
{
    let iterations = size_round(budget, &mut ours).min(size_round(budget, &mut baseline));
    let rounds = budget.rounds.max(1);
    let mut ours_times = Vec::with_capacity(rounds);
    let mut baseline_times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        ours_times.push(time_round(iterations, &mut ours));
        baseline_times.push(time_round(iterations, &mut baseline));
    }
    Comparison {
        name: name.to_owned(),
        ours: median(&mut ours_times),
        baseline: median(&mut baseline_times),
    }
}

/// Prints `comparisons` as a table under a heading, for the end of a benchmark run.
pub fn print_table(title: &str, comparisons: &[Comparison]) {
    println!();
    println!("{title}");
    for comparison in comparisons {
        println!("  {comparison}");
    }
}

/// The iteration count that makes one round of `function` last about `budget.round_time`,
/// from one warm-up call; at least 1, at most `budget.max_iterations`.
fn size_round<F: FnMut() -> R, R>(budget: Budget, function: &mut F) -> u64 {
    let started = Instant::now();
    black_box(function());
    let once = started.elapsed().as_nanos().max(1);
    let fitting = budget.round_time.as_nanos() / once;
    u64::try_from(fitting)
        .unwrap_or(u64::MAX)
        .clamp(1, budget.max_iterations.max(1))
}

/// Average time of one call over `iterations` calls.
fn time_round<F: FnMut() -> R, R>(iterations: u64, function: &mut F) -> Duration {
    let started = Instant::now();
    for _ in 0..iterations {
        black_box(function());
    }
    let total = started.elapsed();
    let per_call = total.as_nanos() / u128::from(iterations.max(1));
    Duration::from_nanos(u64::try_from(per_call).unwrap_or(u64::MAX))
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort_unstable();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ratio_of_slower_work_is_above_one() {
        let budget = Budget {
            rounds: 3,
            round_time: Duration::from_millis(2),
            max_iterations: 1_000,
        };
        let work = |n: u64| (0..n).fold(0u64, |acc, i| acc.wrapping_add(black_box(i)));
        let comparison = compare("sum", budget, || work(20_000), || work(200));
        assert!(comparison.ratio() > 1.0, "{comparison}");
        assert!(comparison.to_string().contains("ratio ours/baseline"));
    }

    #[test]
    fn the_median_is_the_middle_value() {
        let mut times = [3, 1, 2].map(Duration::from_nanos);
        assert_eq!(median(&mut times), Duration::from_nanos(2));
        assert_eq!(median(&mut []), Duration::ZERO);
    }
}
