//! Pages in display order: every anchor in both directions, time ranges, element filters and
//! exact seqs.

use crate::common::*;
use tim_model::enums::ElemType;
use tim_model::{ConvId, Elem, ImageElem, Message, Seq};
use tim_store::{Anchor, Direction, PageQuery, Store};

/// Display order (oldest first): m1 (t10 s1), m2 (t20 s2), m3 (t20 s3), m4 (t30 s4, image),
/// m6 (unsent, client t35), m5 (t40 s7), m7 and m8 (unsent, client t50, in insertion order).
fn conversation() -> (tempfile::TempDir, Store, ConvId) {
    let (dir, store) = open_temp();
    let conv = group("team");
    let mut m4 = text("m4", 30, 4);
    m4.elems = vec![Elem::Image(ImageElem::default())];
    let unsent = |msg_id: &str, time: u64| Message {
        server_time: 0,
        seq: Seq(0),
        ..text(msg_id, time, 0)
    };
    // m3 before m2 and m5 before m4: the order comes from the keys, not from insertion.
    let batch = [
        text("m1", 10, 1),
        text("m3", 20, 3),
        text("m2", 20, 2),
        text("m5", 40, 7),
        m4,
    ];
    store.put_messages(&conv, &batch).unwrap();
    store
        .put_messages(&conv, &[unsent("m6", 35), unsent("m7", 50)])
        .unwrap();
    store.put_messages(&conv, &[unsent("m8", 50)]).unwrap();
    (dir, store, conv)
}

fn page(store: &Store, conv: &ConvId, query: PageQuery) -> Vec<String> {
    ids(&store.page(conv, &query).unwrap())
}

fn query(anchor: Anchor, direction: Direction, count: usize) -> PageQuery {
    PageQuery::new(anchor, direction, count)
}

use Direction::{Newer, Older};

#[test]
fn newest_and_oldest_walk_from_the_ends() {
    let (_dir, store, conv) = conversation();
    assert_eq!(
        page(&store, &conv, query(Anchor::Newest, Older, 3)),
        ["m8", "m7", "m5"]
    );
    assert_eq!(
        page(&store, &conv, query(Anchor::Oldest, Newer, 3)),
        ["m1", "m2", "m3"]
    );
    assert!(page(&store, &conv, query(Anchor::Newest, Newer, 3)).is_empty());
    assert!(page(&store, &conv, query(Anchor::Oldest, Older, 3)).is_empty());
    let everything = page(&store, &conv, query(Anchor::Oldest, Newer, 100));
    assert_eq!(everything, ["m1", "m2", "m3", "m4", "m6", "m5", "m7", "m8"]);
    let mut backwards = page(&store, &conv, query(Anchor::Newest, Older, 100));
    backwards.reverse();
    assert_eq!(backwards, everything);
}

#[test]
fn after_a_message_excludes_it() {
    let (_dir, store, conv) = conversation();
    assert_eq!(
        page(&store, &conv, query(Anchor::After(id("m4")), Older, 10)),
        ["m3", "m2", "m1"]
    );
    assert_eq!(
        page(&store, &conv, query(Anchor::After(id("m4")), Newer, 2)),
        ["m6", "m5"]
    );
    assert!(page(&store, &conv, query(Anchor::After(id("m8")), Newer, 2)).is_empty());
    assert!(page(&store, &conv, query(Anchor::After(id("m1")), Older, 2)).is_empty());
}

#[test]
fn after_a_message_walks_through_the_whole_conversation_in_pages() {
    let (_dir, store, conv) = conversation();
    let mut anchor = Anchor::Oldest;
    let mut walked = Vec::new();
    for _ in 0..10 {
        let page = store.page(&conv, &query(anchor.clone(), Newer, 3)).unwrap();
        let Some(last) = page.last() else { break };
        anchor = Anchor::After(last.msg_id.clone().unwrap());
        walked.extend(ids(&page));
    }
    assert_eq!(walked, ["m1", "m2", "m3", "m4", "m6", "m5", "m7", "m8"]);
}

#[test]
fn an_anchor_outside_the_conversation_is_a_bad_argument() {
    let (_dir, store, conv) = conversation();
    store
        .put_messages(&c2c("bob"), &[text("elsewhere", 5, 1)])
        .unwrap();
    for anchor in [Anchor::After(id("unknown")), Anchor::After(id("elsewhere"))] {
        let error = store.page(&conv, &query(anchor, Older, 5)).unwrap_err();
        assert_eq!(error.code(), 6017, "{error}");
    }
}

#[test]
fn at_seq_includes_the_message_with_that_seq() {
    let (_dir, store, conv) = conversation();
    assert_eq!(
        page(&store, &conv, query(Anchor::AtSeq(Seq(3)), Older, 10)),
        ["m3", "m2", "m1"]
    );
    assert_eq!(
        page(&store, &conv, query(Anchor::AtSeq(Seq(3)), Newer, 10)),
        ["m3", "m4", "m6", "m5", "m7", "m8"]
    );
}

#[test]
fn at_a_missing_seq_starts_at_the_nearest_seq_beyond_it() {
    let (_dir, store, conv) = conversation();
    assert_eq!(
        page(&store, &conv, query(Anchor::AtSeq(Seq(6)), Older, 2)),
        ["m4", "m3"]
    );
    assert_eq!(
        page(&store, &conv, query(Anchor::AtSeq(Seq(6)), Newer, 5)),
        ["m5", "m7", "m8"]
    );
    assert!(page(&store, &conv, query(Anchor::AtSeq(Seq(99)), Newer, 5)).is_empty());
    assert!(page(&store, &conv, query(Anchor::AtSeq(Seq(0)), Older, 5)).is_empty());
    assert_eq!(
        page(&store, &conv, query(Anchor::AtSeq(Seq(99)), Older, 1)),
        ["m5"]
    );
}

#[test]
fn at_time_includes_messages_at_that_time() {
    let (_dir, store, conv) = conversation();
    assert_eq!(
        page(&store, &conv, query(Anchor::AtTime(20), Older, 10)),
        ["m3", "m2", "m1"]
    );
    assert_eq!(
        page(&store, &conv, query(Anchor::AtTime(20), Newer, 3)),
        ["m2", "m3", "m4"]
    );
    assert_eq!(
        page(&store, &conv, query(Anchor::AtTime(25), Older, 1)),
        ["m3"]
    );
    assert_eq!(
        page(&store, &conv, query(Anchor::AtTime(25), Newer, 1)),
        ["m4"]
    );
    assert!(page(&store, &conv, query(Anchor::AtTime(5), Older, 1)).is_empty());
    assert!(page(&store, &conv, query(Anchor::AtTime(51), Newer, 1)).is_empty());
}

#[test]
fn a_time_range_bounds_every_anchor() {
    let (_dir, store, conv) = conversation();
    let ranged = |anchor: Anchor, direction: Direction| PageQuery {
        time_range: Some((20, 35)),
        ..query(anchor, direction, 10)
    };
    assert_eq!(
        page(&store, &conv, ranged(Anchor::Newest, Older)),
        ["m6", "m4", "m3", "m2"]
    );
    assert_eq!(
        page(&store, &conv, ranged(Anchor::Oldest, Newer)),
        ["m2", "m3", "m4", "m6"]
    );
    assert_eq!(
        page(&store, &conv, ranged(Anchor::AtTime(100), Older)),
        ["m6", "m4", "m3", "m2"]
    );
    assert_eq!(
        page(&store, &conv, ranged(Anchor::AtTime(30), Newer)),
        ["m4", "m6"]
    );
    assert_eq!(
        page(&store, &conv, ranged(Anchor::After(id("m3")), Older)),
        ["m2"]
    );
    assert_eq!(
        page(&store, &conv, ranged(Anchor::AtSeq(Seq(7)), Older)),
        ["m6", "m4", "m3", "m2"]
    );
    assert!(page(&store, &conv, ranged(Anchor::After(id("m1")), Older)).is_empty());
    let single = PageQuery {
        time_range: Some((30, 30)),
        ..query(Anchor::Newest, Older, 10)
    };
    assert_eq!(page(&store, &conv, single), ["m4"]);
    let inverted = PageQuery {
        time_range: Some((31, 30)),
        ..query(Anchor::Newest, Older, 10)
    };
    assert_eq!(store.page(&conv, &inverted).unwrap_err().code(), 6017);
}

#[test]
fn an_element_filter_keeps_walking_until_the_page_is_full() {
    let (_dir, store, conv) = conversation();
    let images = |anchor: Anchor, direction: Direction, elem_types: Vec<ElemType>| PageQuery {
        elem_types,
        ..query(anchor, direction, 2)
    };
    assert_eq!(
        page(
            &store,
            &conv,
            images(Anchor::Oldest, Newer, vec![ElemType::Image])
        ),
        ["m4"]
    );
    assert_eq!(
        page(
            &store,
            &conv,
            images(Anchor::Newest, Older, vec![ElemType::Image])
        ),
        ["m4"]
    );
    assert_eq!(
        page(
            &store,
            &conv,
            images(Anchor::Newest, Older, vec![ElemType::Image, ElemType::Text])
        ),
        ["m8", "m7"]
    );
    assert!(
        page(
            &store,
            &conv,
            images(Anchor::Oldest, Newer, vec![ElemType::Video])
        )
        .is_empty()
    );
}

#[test]
fn exact_seqs_take_priority_and_come_in_walking_order() {
    let (_dir, store, conv) = conversation();
    let exact = |direction: Direction| PageQuery {
        seqs: vec![Seq(4), Seq(1), Seq(99), Seq(4), Seq(0)],
        time_range: Some((1000, 2000)),
        elem_types: vec![ElemType::Video],
        ..query(Anchor::After(id("m1")), direction, 1)
    };
    assert_eq!(page(&store, &conv, exact(Older)), ["m4", "m1"]);
    assert_eq!(page(&store, &conv, exact(Newer)), ["m1", "m4"]);
}

#[test]
fn count_zero_and_unknown_conversations_give_nothing() {
    let (_dir, store, conv) = conversation();
    assert!(page(&store, &conv, query(Anchor::Newest, Older, 0)).is_empty());
    assert!(page(&store, &c2c("nobody"), query(Anchor::Newest, Older, 5)).is_empty());
    // A conversation of the other type with the same ID is another conversation.
    assert!(page(&store, &c2c("team"), query(Anchor::Newest, Older, 5)).is_empty());
}

#[test]
fn a_replaced_message_keeps_its_place_among_equals_and_moves_with_its_time() {
    let (_dir, store, conv) = conversation();
    let mut m7 = Message {
        server_time: 0,
        seq: Seq(0),
        ..text("m7", 50, 0)
    };
    m7.cloud_custom_str = "edited".into();
    store.update_message(&m7).unwrap();
    assert_eq!(
        page(&store, &conv, query(Anchor::Newest, Older, 2)),
        ["m8", "m7"]
    );
    // Sent: it now has a server time and a seq, and moves to its new place.
    store.update_message(&text("m7", 15, 8)).unwrap();
    assert_eq!(
        page(&store, &conv, query(Anchor::Oldest, Newer, 3)),
        ["m1", "m7", "m2"]
    );
    assert_eq!(
        page(&store, &conv, query(Anchor::AtSeq(Seq(8)), Older, 1)),
        ["m7"]
    );
}
