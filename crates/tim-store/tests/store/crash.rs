//! Crash safety: a child process (this test binary again) writes batches and prints each batch
//! number once its put has returned; it is killed with SIGKILL at random moments, and after
//! each kill the store must hold every acknowledged batch, no batch in part, and a journal
//! entry for every stored message.

use crate::common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use tim_model::Message;
use tim_store::{JournalOp, Store};

/// Set in the child: the database it writes to.
const WRITER_DB: &str = "TIM_STORE_CRASH_WRITER_DB";
/// Set in the child: the number of its first batch.
const WRITER_FIRST_BATCH: &str = "TIM_STORE_CRASH_FIRST_BATCH";
/// Messages per batch.
const BATCH: u64 = 25;
/// Kill rounds.
const ROUNDS: u64 = 5;

/// The writer. Run as an ordinary test it does nothing; the crash test runs it in a child
/// process with [`WRITER_DB`] set.
#[test]
fn writer_child() {
    let Ok(path) = std::env::var(WRITER_DB) else {
        return;
    };
    let first: u64 = std::env::var(WRITER_FIRST_BATCH).unwrap().parse().unwrap();
    let store = Store::open(Path::new(&path)).unwrap();
    // Straight to the process's stdout, past the test harness's capture.
    let mut out = std::io::stdout().lock();
    // Bounded: the parent kills the writer long before; if the parent is gone, writing to the
    // closed pipe fails and the writer stops.
    for batch in first..first + 100_000 {
        let conv = if batch % 2 == 0 {
            c2c("bob")
        } else {
            group("team")
        };
        let messages: Vec<Message> = (0..BATCH)
            .map(|n| text(&format!("b{batch}-{n}"), batch, batch * BATCH + n + 1))
            .collect();
        store.put_messages(&conv, &messages).unwrap();
        writeln!(out, "ACK {batch}").unwrap();
        out.flush().unwrap();
    }
}

/// The batch number an output line acknowledges (the harness may print before it on the line).
fn acknowledged(line: &str) -> Option<u64> {
    line.split("ACK ").nth(1)?.trim().parse().ok()
}

#[test]
fn killed_writers_lose_no_acknowledged_batch_and_leave_no_partial_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let mut rng = Rng::from_clock("crash");
    let mut acked = BTreeSet::new();
    for round in 0..ROUNDS {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "crash::writer_child",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(WRITER_DB, &path)
            .env(WRITER_FIRST_BATCH, (round * 1_000_000 + 1).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let wanted = 1 + rng.below(12);
        let mut seen = 0;
        while seen < wanted {
            let line = lines
                .next()
                .expect("the writer stopped before it was killed")
                .unwrap();
            if let Some(batch) = acknowledged(&line) {
                acked.insert(batch);
                seen += 1;
            }
        }
        // A random pause moves the kill to a random point of the next batch's transaction
        // (inserting, committing, or between batches). It synchronises nothing: the checks
        // must hold whatever the pause.
        std::thread::sleep(Duration::from_micros(rng.below(4_000)));
        child.kill().unwrap(); // SIGKILL: no destructor, no flush, no commit of what is running
        child.wait().unwrap();
        // Acknowledgements already in the pipe count too.
        acked.extend(
            lines
                .map_while(Result::ok)
                .filter_map(|line| acknowledged(&line)),
        );
        let stored = check_after_crash(&path, &acked);
        println!(
            "round {round}: {} batches acknowledged, {stored} stored",
            acked.len()
        );
    }
}

/// Checks the store after a kill; returns how many batches it holds.
fn check_after_crash(path: &Path, acked: &BTreeSet<u64>) -> usize {
    let store = Store::open(path).unwrap();
    let mut batches: BTreeMap<u64, u64> = BTreeMap::new();
    let mut stored = BTreeSet::new();
    for conv in [c2c("bob"), group("team")] {
        let messages = all_messages(&store, &conv);
        if let Some(state) = store.conversation(&conv).unwrap() {
            assert_eq!(state.message_count, messages.len() as u64);
            assert_eq!(state.unread_count, messages.len() as u64);
        }
        for name in ids(&messages) {
            let batch: u64 = name[1..name.find('-').unwrap()].parse().unwrap();
            *batches.entry(batch).or_default() += 1;
            stored.insert(name);
        }
    }
    for (batch, count) in &batches {
        assert_eq!(*count, BATCH, "batch {batch} is partly stored");
    }
    for batch in acked {
        assert!(
            batches.contains_key(batch),
            "acknowledged batch {batch} was lost"
        );
    }
    let journaled: BTreeSet<String> = store
        .index_journal(usize::MAX)
        .unwrap()
        .into_iter()
        .filter_map(|entry| match entry.op {
            JournalOp::Upsert { message, .. } => message.msg_id.map(|id| id.into_string()),
            _ => None,
        })
        .collect();
    assert_eq!(
        journaled, stored,
        "the journal covers exactly the stored messages"
    );
    assert!(store.skipped_records().is_empty());
    batches.len()
}
