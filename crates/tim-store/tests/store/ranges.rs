//! Held seq ranges: kept merged from stored messages and from explicit marks.

use crate::common::*;
use tim_model::{Message, Seq};

fn ranges(store: &tim_store::Store, conv: &tim_model::ConvId) -> Vec<(u64, u64)> {
    store
        .held_ranges(conv)
        .unwrap()
        .into_iter()
        .map(|(from, to)| (from.0, to.0))
        .collect()
}

#[test]
fn stored_seqs_become_merged_ranges() {
    let (_dir, store) = open_temp();
    let conv = group("team");
    let batch: Vec<Message> = [1, 2, 3, 7, 8, 12]
        .iter()
        .map(|&seq| text(&format!("s{seq}"), seq, seq))
        .collect();
    store.put_messages(&conv, &batch).unwrap();
    store.put_messages(&conv, &[text("unsent", 50, 0)]).unwrap();
    assert_eq!(ranges(&store, &conv), [(1, 3), (7, 8), (12, 12)]);
    store
        .put_messages(&conv, &[text("s4", 4, 4), text("s6", 6, 6)])
        .unwrap();
    assert_eq!(ranges(&store, &conv), [(1, 4), (6, 8), (12, 12)]);
    store.put_messages(&conv, &[text("s5", 5, 5)]).unwrap();
    assert_eq!(ranges(&store, &conv), [(1, 8), (12, 12)]);
    store.delete_messages(&[id("s5")]).unwrap();
    assert_eq!(
        ranges(&store, &conv),
        [(1, 8), (12, 12)],
        "deleting does not open a gap"
    );
    store.update_message(&text("unsent", 60, 20)).unwrap();
    assert_eq!(ranges(&store, &conv), [(1, 8), (12, 12), (20, 20)]);
    assert!(ranges(&store, &c2c("team")).is_empty());
}

#[test]
fn marked_ranges_merge_with_what_they_overlap_or_touch() {
    let (_dir, store) = open_temp();
    let conv = c2c("bob");
    let mark = |from: u64, to: u64| store.mark_range_held(&conv, Seq(from), Seq(to)).unwrap();
    mark(10, 20);
    mark(30, 40);
    mark(50, 60);
    mark(12, 15);
    assert_eq!(
        ranges(&store, &conv),
        [(10, 20), (30, 40), (50, 60)],
        "inside one"
    );
    mark(21, 29);
    assert_eq!(
        ranges(&store, &conv),
        [(10, 40), (50, 60)],
        "touching both sides"
    );
    mark(5, 9);
    mark(61, 61);
    assert_eq!(ranges(&store, &conv), [(5, 40), (50, 61)]);
    mark(1, 100);
    assert_eq!(ranges(&store, &conv), [(1, 100)], "covering all");
    mark(200, u64::MAX);
    mark(150, u64::MAX);
    assert_eq!(ranges(&store, &conv), [(1, 100), (150, u64::MAX)]);
}

#[test]
fn a_range_must_start_at_1_or_later_and_not_end_before_it_starts() {
    let (_dir, store) = open_temp();
    let conv = c2c("bob");
    assert_eq!(
        store
            .mark_range_held(&conv, Seq(0), Seq(3))
            .unwrap_err()
            .code(),
        6017
    );
    assert_eq!(
        store
            .mark_range_held(&conv, Seq(4), Seq(3))
            .unwrap_err()
            .code(),
        6017
    );
    assert_eq!(store.conversation(&conv).unwrap(), None);
    store.mark_range_held(&conv, Seq(3), Seq(3)).unwrap();
    assert_eq!(ranges(&store, &conv), [(3, 3)]);
}
