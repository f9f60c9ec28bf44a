//! Measurements (ignored by default; run in release):
//! `cargo test -p tim-store --release --test store -- --ignored --nocapture measure`

use crate::common::*;
use std::time::{Duration, Instant};
use tim_model::enums::ElemType;
use tim_model::{Message, Seq};
use tim_store::{Anchor, Direction, PageQuery, Store};

const MESSAGES: u64 = 100_000;
const BATCH: u64 = 1_000;
const PAGES: usize = 2_000;

/// A message ID in tim-core's form (`<seconds>-<device salt>-<counter>`), from eight senders.
fn bench_id(seq: u64) -> String {
    let salt = rand_of(&(seq % 8).to_string());
    format!("{}-{salt:016x}-{seq}", time_of(seq))
}

/// Three messages a second.
fn time_of(seq: u64) -> u64 {
    1_700_000_000 + seq / 3
}

fn percentile(sorted: &[Duration], per_cent: usize) -> f64 {
    let index = (sorted.len() * per_cent / 100).min(sorted.len() - 1);
    sorted[index].as_secs_f64() * 1e6
}

fn timed(samples: usize, mut run: impl FnMut()) -> (f64, f64) {
    let mut times: Vec<Duration> = (0..samples)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    times.sort();
    (percentile(&times, 50), percentile(&times, 99))
}

#[test]
#[ignore = "measurement; run in release with --ignored --nocapture"]
fn measure_put_page_open_and_size() {
    let (dir, store) = open_temp();
    let conv = group("bench");
    let start = Instant::now();
    for batch in 0..MESSAGES / BATCH {
        let messages: Vec<Message> = (0..BATCH)
            .map(|n| {
                let seq = batch * BATCH + n + 1;
                let mut message = text(&bench_id(seq), time_of(seq), seq);
                if let Some(tim_model::Elem::Text(elem)) = message.elems.first_mut() {
                    elem.content =
                        format!("message number {seq}: a line of chat about the plan for today");
                }
                message
            })
            .collect();
        store.put_messages(&conv, &messages).unwrap();
    }
    let put = start.elapsed();
    println!(
        "put {MESSAGES} messages in transactions of {BATCH}: {:.2} s, {:.0} msgs/s",
        put.as_secs_f64(),
        MESSAGES as f64 / put.as_secs_f64()
    );

    let mut rng = Rng::new(42);
    let (p50, p99) = timed(PAGES, || {
        let query = PageQuery::new(
            Anchor::AtSeq(Seq(1 + rng.below(MESSAGES))),
            Direction::Older,
            20,
        );
        assert!(!store.page(&conv, &query).unwrap().is_empty());
    });
    println!("page of 20 at a random seq, older: p50 {p50:.1} us, p99 {p99:.1} us");
    let (p50, p99) = timed(PAGES, || {
        let seq = 1 + rng.below(MESSAGES);
        let anchor = Anchor::After(id(&bench_id(seq)));
        store
            .page(&conv, &PageQuery::new(anchor, Direction::Newer, 20))
            .unwrap();
    });
    println!("page of 20 after a random message, newer: p50 {p50:.1} us, p99 {p99:.1} us");
    let (p50, p99) = timed(PAGES, || {
        let time = 1_700_000_000 + rng.below(MESSAGES / 3);
        store
            .page(
                &conv,
                &PageQuery::new(Anchor::AtTime(time), Direction::Older, 20),
            )
            .unwrap();
    });
    println!("page of 20 at a random time, older: p50 {p50:.1} us, p99 {p99:.1} us");
    let (p50, p99) = timed(PAGES, || {
        let query = PageQuery {
            elem_types: vec![ElemType::Text],
            ..PageQuery::new(Anchor::Newest, Direction::Older, 20)
        };
        store.page(&conv, &query).unwrap();
    });
    println!("newest page of 20 with an element filter: p50 {p50:.1} us, p99 {p99:.1} us");
    let (p50, p99) = timed(PAGES, || {
        let seq = 1 + rng.below(MESSAGES);
        store.get_messages(&[id(&bench_id(seq))]).unwrap();
    });
    println!("get one message by ID: p50 {p50:.1} us, p99 {p99:.1} us");
    let (p50, p99) = timed(PAGES, || {
        let seq = 1 + rng.below(MESSAGES);
        let locator = text(&bench_id(seq), time_of(seq), seq).locator();
        assert!(store.find_by_locator(&conv, &locator).unwrap().is_some());
    });
    println!("find by locator: p50 {p50:.1} us, p99 {p99:.1} us");
    let (p50, p99) = timed(20, || {
        let seq = 1 + rng.below(MESSAGES);
        let name = bench_id(seq);
        store.set_local_custom_data(&id(&name), 1, "x").unwrap();
    });
    println!(
        "one small write (set_local_custom_data, durable commit): p50 {p50:.1} us, p99 {p99:.1} us"
    );

    let state = store.conversation(&conv).unwrap().unwrap();
    assert_eq!(state.message_count, MESSAGES);
    drop(store);
    let size = std::fs::metadata(db_path(&dir)).unwrap().len();
    println!(
        "file size: {:.1} MiB ({:.0} bytes/message)",
        size as f64 / 1048576.0,
        size as f64 / MESSAGES as f64
    );
    let mut opens = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let store: Store = reopen(&dir);
        opens.push(start.elapsed());
        drop(store);
    }
    opens.sort();
    println!(
        "open (clean shutdown): median {:.2} ms",
        opens[2].as_secs_f64() * 1e3
    );
}
