//! What the `local_engine` benchmark prints at the end: search latencies by kind, then one
//! table with each measurement for ours and SQLite, the ratio ours/SQLite, and the target the
//! local engine issue sets for it.

use std::collections::BTreeMap;
use std::time::Duration;
use tim_benches::latency::{Latencies, micros};

/// One value measured on both sides.
#[derive(Debug, Clone, Copy)]
pub struct Both<T> {
    /// tim's engine.
    pub ours: T,
    /// The SQLite baseline.
    pub sqlite: T,
}

/// Latencies of ours and of SQLite for one kind of request.
#[derive(Debug, Default)]
pub struct Pair {
    /// tim's engine.
    pub ours: Latencies,
    /// The SQLite baseline.
    pub sqlite: Latencies,
}

impl Pair {
    /// Adds the times of one request on both sides.
    pub fn push(&mut self, ours: Duration, sqlite: Duration) {
        self.ours.push(ours);
        self.sqlite.push(sqlite);
    }
}

/// Everything one run measured.
#[derive(Debug)]
pub struct Results {
    /// Messages in the data set.
    pub messages: usize,
    /// Conversations in the data set.
    pub conversations: usize,
    /// The bundled SQLite's version.
    pub sqlite_version: &'static str,
    /// Time spent in import calls, all messages.
    pub import: Both<Duration>,
    /// History pages.
    pub pages: Pair,
    /// Searches, all kinds.
    pub searches: Pair,
    /// Searches by kind (`English x1`, `Chinese x2`, ...).
    pub searches_by_kind: BTreeMap<String, Pair>,
    /// `Engine::open` alone, median.
    pub open_only: Duration,
    /// Open and first page, medians.
    pub open: Both<Duration>,
    /// Bytes on disk after closing.
    pub size: Both<u64>,
}

/// What the local engine issue asks of one measurement.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// No target; reported for context.
    None,
    /// ours/SQLite must be at least this (rates: higher is better).
    RatioAtLeast(f64),
    /// ours/SQLite must be at most this (times: lower is better).
    RatioAtMost(f64),
    /// Ours alone must stay below this value.
    OursBelow(f64),
}

impl Target {
    fn describe(self) -> String {
        match self {
            Self::None => "-".to_owned(),
            Self::RatioAtLeast(limit) => format!("ratio >= {limit}"),
            Self::RatioAtMost(limit) => format!("ratio <= {limit}"),
            Self::OursBelow(limit) => format!("ours < {limit}"),
        }
    }

    /// Whether `ours` and `ratio` meet the target; `None` when there is nothing to judge.
    fn met(self, ours: Option<f64>, ratio: Option<f64>) -> Option<bool> {
        match self {
            Self::None => None,
            Self::RatioAtLeast(limit) => ratio.map(|ratio| ratio >= limit),
            Self::RatioAtMost(limit) => ratio.map(|ratio| ratio <= limit),
            Self::OursBelow(limit) => ours.map(|ours| ours < limit),
        }
    }
}

/// One row of the table; a side that was not measured is `None`.
struct Row {
    name: &'static str,
    ours: Option<f64>,
    sqlite: Option<f64>,
    target: Target,
}

impl Row {
    fn both(name: &'static str, values: Both<f64>, target: Target) -> Self {
        Self {
            name,
            ours: Some(values.ours),
            sqlite: Some(values.sqlite),
            target,
        }
    }

    /// ours/SQLite, when both sides were measured and SQLite's value is not zero.
    fn ratio(&self) -> Option<f64> {
        match (self.ours, self.sqlite) {
            (Some(ours), Some(sqlite)) if sqlite > 0.0 => Some(ours / sqlite),
            _ => None,
        }
    }
}

fn cell(value: Option<f64>) -> String {
    match value {
        Some(value) if value >= 100.0 => format!("{value:.0}"),
        Some(value) => format!("{value:.2}"),
        None => "-".to_owned(),
    }
}

fn percentiles(pair: &Pair, percentile: fn(&Latencies) -> Duration) -> Both<f64> {
    Both {
        ours: micros(percentile(&pair.ours)),
        sqlite: micros(percentile(&pair.sqlite)),
    }
}

fn rows(results: &Results) -> Vec<Row> {
    let rate = |time: Duration| results.messages as f64 / time.as_secs_f64().max(1e-9);
    let millis = |time: Duration| time.as_secs_f64() * 1e3;
    let mebibytes = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
    let (import, open, size) = (results.import, results.open, results.size);
    vec![
        Row::both(
            "import (msgs/s)",
            Both {
                ours: rate(import.ours),
                sqlite: rate(import.sqlite),
            },
            Target::RatioAtLeast(2.0),
        ),
        Row::both(
            "page p50 (µs)",
            percentiles(&results.pages, Latencies::p50),
            Target::None,
        ),
        Row::both(
            "page p99 (µs)",
            percentiles(&results.pages, Latencies::p99),
            Target::RatioAtMost(0.25),
        ),
        Row::both(
            "search p50 (µs)",
            percentiles(&results.searches, Latencies::p50),
            Target::RatioAtMost(0.5),
        ),
        Row::both(
            "search p99 (µs)",
            percentiles(&results.searches, Latencies::p99),
            Target::RatioAtMost(1.0),
        ),
        Row::both(
            "open + first page (ms)",
            Both {
                ours: millis(open.ours),
                sqlite: millis(open.sqlite),
            },
            Target::None,
        ),
        Row {
            name: "Engine::open alone (ms)",
            ours: Some(millis(results.open_only)),
            sqlite: None,
            target: Target::OursBelow(100.0),
        },
        Row::both(
            "size on disk (MiB)",
            Both {
                ours: mebibytes(size.ours),
                sqlite: mebibytes(size.sqlite),
            },
            Target::None,
        ),
    ]
}

/// Prints the search latencies by kind and the final table.
pub fn print(results: &Results) {
    println!();
    println!("search latency by kind (µs):");
    for (kind, pair) in &results.searches_by_kind {
        let (p50, p99) = (
            percentiles(pair, Latencies::p50),
            percentiles(pair, Latencies::p99),
        );
        println!(
            "  {kind:<11} n={:<4} ours p50 {:>9.1} p99 {:>9.1}   SQLite p50 {:>9.1} p99 {:>9.1}",
            pair.ours.len(),
            p50.ours,
            p99.ours,
            p50.sqlite,
            p99.sqlite
        );
    }
    println!();
    println!(
        "local_engine: {} messages, {} conversations; ours = tim-core Engine (redb + tantivy), \
         SQLite {} (WAL, synchronous=NORMAL, FTS5 over bigrams); same run, calls interleaved",
        results.messages, results.conversations, results.sqlite_version
    );
    println!(
        "  {:<24} {:>12} {:>12} {:>12}   {:<16} met",
        "measurement", "ours", "SQLite", "ours/SQLite", "target (issue)"
    );
    for row in rows(results) {
        let ratio = row.ratio();
        let met = match row.target.met(row.ours, ratio) {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "",
        };
        println!(
            "  {:<24} {:>12} {:>12} {:>12}   {:<16} {met}",
            row.name,
            cell(row.ours),
            cell(row.sqlite),
            ratio.map_or_else(|| "-".to_owned(), |ratio| format!("{ratio:.3}")),
            row.target.describe()
        );
    }
}
