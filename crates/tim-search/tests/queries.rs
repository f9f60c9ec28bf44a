//! Keyword combination, filters, paging, ordering and grouping by conversation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{all_of, any_of, doc, docs, found, ids, index_with, set};
use tim_search::{SearchDoc, SearchQuery};

fn sample() -> Vec<SearchDoc> {
    let mut image = doc("m5", "group_b", "bob", 50, "lunch 图片");
    image.elem_types = vec![0, 1];
    let mut file = doc("m6", "c2c_carol", "carol", 60, "lunch report.pdf");
    file.elem_types = vec![4];
    vec![
        doc("m1", "c2c_alice", "alice", 10, "lunch tomorrow"),
        doc("m2", "c2c_alice", "me", 20, "lunch today at noon"),
        doc("m3", "group_b", "bob", 30, "meeting tomorrow"),
        doc("m4", "group_b", "alice", 40, "明天 lunch meeting"),
        image,
        file,
    ]
}

#[test]
fn keywords_combine_with_and_or_or() {
    let (_dir, index) = index_with(&sample());
    assert_eq!(found(&index, &all_of(&["lunch", "tomorrow"])), set(&["m1"]));
    assert_eq!(
        found(&index, &any_of(&["lunch", "tomorrow"])),
        set(&["m1", "m2", "m3", "m4", "m5", "m6"])
    );
    assert_eq!(found(&index, &all_of(&["meeting", "明天"])), set(&["m4"]));
    assert_eq!(
        found(&index, &any_of(&["noon", "明天"])),
        set(&["m2", "m4"])
    );
    // A keyword that matches nothing empties an AND query and is ignored by an OR query.
    assert!(found(&index, &all_of(&["lunch", "!!"])).is_empty());
    assert_eq!(found(&index, &any_of(&["noon", "!!"])), set(&["m2"]));
}

#[test]
fn senders_filter_to_any_of_them() {
    let (_dir, index) = index_with(&sample());
    let mut query = any_of(&["lunch", "meeting"]);
    query.senders = vec!["alice".into()];
    assert_eq!(found(&index, &query), set(&["m1", "m4"]));
    query.senders = vec!["alice".into(), "carol".into()];
    assert_eq!(found(&index, &query), set(&["m1", "m4", "m6"]));
    query.senders = vec!["nobody".into()];
    assert!(found(&index, &query).is_empty());
}

#[test]
fn element_types_filter_to_any_of_them() {
    let (_dir, index) = index_with(&sample());
    let mut query = all_of(&["lunch"]);
    query.elem_types = vec![1];
    assert_eq!(found(&index, &query), set(&["m5"]));
    query.elem_types = vec![1, 4];
    assert_eq!(found(&index, &query), set(&["m5", "m6"]));
    query.elem_types = vec![0];
    assert_eq!(found(&index, &query), set(&["m1", "m2", "m4", "m5"]));
}

#[test]
fn the_conversation_filter_is_exact() {
    let (_dir, index) = index_with(&sample());
    let mut query = all_of(&["lunch"]);
    query.conv_key = Some("group_b".into());
    assert_eq!(found(&index, &query), set(&["m4", "m5"]));
    query.conv_key = Some("group".into());
    assert!(found(&index, &query).is_empty());
}

#[test]
fn the_time_range_is_inclusive_at_both_ends() {
    let (_dir, index) = index_with(&sample());
    let mut query = all_of(&["lunch"]);
    query.time_from = Some(20);
    query.time_to = Some(50);
    assert_eq!(found(&index, &query), set(&["m2", "m4", "m5"]));
    query.time_to = None;
    assert_eq!(found(&index, &query), set(&["m2", "m4", "m5", "m6"]));
    query.time_from = None;
    query.time_to = Some(10);
    assert_eq!(found(&index, &query), set(&["m1"]));
    query.time_from = Some(11);
    query.time_to = Some(19);
    assert!(found(&index, &query).is_empty());
}

#[test]
fn filters_combine() {
    let (_dir, index) = index_with(&sample());
    let query = SearchQuery {
        senders: vec!["bob".into(), "alice".into()],
        elem_types: vec![0],
        conv_key: Some("group_b".into()),
        time_from: Some(35),
        ..any_of(&["lunch", "tomorrow"])
    };
    assert_eq!(found(&index, &query), set(&["m4", "m5"]));
}

#[test]
fn hits_are_newest_first_and_ties_go_to_the_larger_message_id() {
    let docs = vec![
        doc("a", "c", "u", 5, "x"),
        doc("c", "c", "u", 7, "x"),
        doc("b", "c", "u", 7, "x"),
        doc("d", "c", "u", 1, "x"),
        doc("e", "c", "u", 7, "x"),
    ];
    let (_dir, index) = index_with(&docs);
    let hits = index.search(&all_of(&["x"])).unwrap();
    assert_eq!(ids(&hits), ["e", "c", "b", "a", "d"]);
    assert_eq!(hits.hits[0].time, 7);
    assert_eq!(hits.hits[0].conv_key, "c");
}

#[test]
fn ties_across_segments_are_ordered_by_message_id() {
    let (_dir, index) = common::temp_index();
    for (id, time) in [("m2", 7), ("m9", 7), ("m1", 3), ("m5", 7), ("m3", 9)] {
        index.upsert(&[doc(id, "c", "u", time, "x")]).unwrap();
        index.commit().unwrap();
    }
    let hits = index.search(&all_of(&["x"])).unwrap();
    assert_eq!(ids(&hits), ["m3", "m9", "m5", "m2", "m1"]);
    let page = index
        .search(&SearchQuery {
            offset: 1,
            limit: 2,
            ..all_of(&["x"])
        })
        .unwrap();
    assert_eq!((page.total, ids(&page)), (5, vec!["m9", "m5"]));
}

#[test]
fn paging_returns_slices_of_the_same_order_and_the_full_total() {
    let texts: Vec<String> = (0..25).map(|i| format!("hello number {i}")).collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let (_dir, index) = index_with(&docs(&texts));
    let everything = index.search(&all_of(&["hello"])).unwrap();
    assert_eq!(everything.total, 25);
    let all_ids = ids(&everything);
    assert_eq!(all_ids[0], "d24");
    for (offset, limit) in [
        (0, 10),
        (10, 10),
        (20, 10),
        (24, 1),
        (25, 5),
        (100, 5),
        (3, 0),
    ] {
        let page = index
            .search(&SearchQuery {
                offset,
                limit,
                ..all_of(&["hello"])
            })
            .unwrap();
        assert_eq!(page.total, 25, "offset {offset} limit {limit}");
        let end = if limit == 0 {
            25
        } else {
            (offset + limit).min(25)
        };
        let expected: Vec<&str> = all_ids[offset.min(25)..end].to_vec();
        assert_eq!(ids(&page), expected, "offset {offset} limit {limit}");
    }
}

#[test]
fn totals_count_matches_in_every_segment_and_range() {
    let (_dir, index) = common::temp_index();
    for batch in 0..4u64 {
        let docs: Vec<SearchDoc> = (0..30u64)
            .map(|i| {
                let n = batch * 30 + i;
                let text = if n % 3 == 0 { "ping pong" } else { "ping" };
                doc(&format!("m{n:03}"), "c", "u", n, text)
            })
            .collect();
        index.upsert(&docs).unwrap();
        index.commit().unwrap();
    }
    let first_page = |query: SearchQuery| index.search(&SearchQuery { limit: 3, ..query }).unwrap();
    assert_eq!(first_page(all_of(&["ping"])).total, 120);
    assert_eq!(first_page(all_of(&["pong"])).total, 40);
    let ranged = first_page(SearchQuery {
        time_from: Some(15),
        time_to: Some(74),
        ..all_of(&["ping"])
    });
    assert_eq!(ranged.total, 60);
    assert_eq!(ids(&ranged), ["m074", "m073", "m072"]);
    index.delete(&["m119", "m000", "m050"]).unwrap();
    index.commit().unwrap();
    let after = first_page(all_of(&["ping"]));
    assert_eq!(after.total, 117);
    assert_eq!(ids(&after), ["m118", "m117", "m116"]);
    assert_eq!(first_page(all_of(&["pong"])).total, 39);
}

#[test]
fn count_by_conversation_groups_matches_newest_conversation_first() {
    let (_dir, index) = index_with(&sample());
    let groups = index.count_by_conversation(&all_of(&["lunch"])).unwrap();
    let summary: Vec<(&str, u64, &str)> = groups
        .iter()
        .map(|g| (g.conv_key.as_str(), g.count, g.newest.msg_id.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("c2c_carol", 1, "m6"),
            ("group_b", 2, "m5"),
            ("c2c_alice", 2, "m2")
        ]
    );
    assert_eq!(groups[1].newest.time, 50);
    assert_eq!(groups[1].newest.conv_key, "group_b");

    let mut query = all_of(&["lunch"]);
    query.time_to = Some(45);
    query.senders = vec!["alice".into()];
    let groups = index.count_by_conversation(&query).unwrap();
    let summary: Vec<(&str, u64, &str)> = groups
        .iter()
        .map(|g| (g.conv_key.as_str(), g.count, g.newest.msg_id.as_str()))
        .collect();
    assert_eq!(summary, [("group_b", 1, "m4"), ("c2c_alice", 1, "m1")]);
    assert!(
        index
            .count_by_conversation(&all_of(&["nothing"]))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn count_by_conversation_adds_up_segments_and_breaks_ties_by_message_id() {
    let (_dir, index) = common::temp_index();
    for (id, conv, time) in [
        ("a1", "A", 5),
        ("b1", "B", 9),
        ("a3", "A", 9),
        ("a2", "A", 9),
    ] {
        index.upsert(&[doc(id, conv, "u", time, "x")]).unwrap();
        index.commit().unwrap();
    }
    let groups = index.count_by_conversation(&all_of(&["x"])).unwrap();
    let summary: Vec<(&str, u64, &str)> = groups
        .iter()
        .map(|g| (g.conv_key.as_str(), g.count, g.newest.msg_id.as_str()))
        .collect();
    // Both newest at time 9: "b1" > "a3".
    assert_eq!(summary, [("B", 1, "b1"), ("A", 3, "a3")]);
}
