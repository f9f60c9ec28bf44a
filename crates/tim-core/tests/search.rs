//! Local search through the engine: Chinese without spaces, grouping across conversations,
//! paging, filters, and the index following deletes and clears.

mod common;

use common::*;
use tim_model::enums::{ConvType, ElemType, KeywordListMatchType};
use tim_model::{MsgDeleteParam, SearchParam};

fn search(keywords: &[&str]) -> SearchParam {
    SearchParam {
        keyword_array: keywords.iter().map(|k| (*k).to_owned()).collect(),
        ..Default::default()
    }
}

fn in_conv(param: SearchParam, conv_type: ConvType, id: &str) -> SearchParam {
    SearchParam {
        conv_id: id.to_owned(),
        conv_type,
        ..param
    }
}

#[test]
fn chinese_words_are_found_without_spaces_and_only_where_they_occur() {
    let (engine, _dir) = engine();
    let conv = c2c("peer");
    engine
        .import_messages(
            &conv,
            vec![
                text("peer", 1, "我们明天去北京开会"),
                text("peer", 2, "北方的京城很大"),
                text("peer", 3, "Meeting in 北京 tomorrow"),
                text("peer", 4, "I love Rust编程"),
            ],
        )
        .unwrap();
    let result = engine
        .search_local(&in_conv(search(&["北京"]), ConvType::C2c, "peer"))
        .unwrap();
    assert_eq!(result.total_count, 2);
    assert_eq!(
        contents(&result.item_array[0].message_array),
        ["Meeting in 北京 tomorrow", "我们明天去北京开会"]
    );
    let single = engine
        .search_local(&in_conv(search(&["京"]), ConvType::C2c, "peer"))
        .unwrap();
    assert_eq!(single.total_count, 3);
    for keyword in ["rust", "编程", "MEETING"] {
        let found = engine
            .search_local(&in_conv(search(&[keyword]), ConvType::C2c, "peer"))
            .unwrap();
        assert_eq!(found.total_count, 1, "{keyword}");
    }
}

#[test]
fn all_conversation_search_groups_hits_newest_conversation_first() {
    let (engine, _dir) = engine();
    engine
        .import_messages(
            &c2c("alice"),
            vec![
                text("alice", 10, "lunch?"),
                text("alice", 11, "lunch at noon"),
            ],
        )
        .unwrap();
    engine
        .import_messages(&group("team"), vec![text("bob", 20, "team lunch")])
        .unwrap();
    engine
        .import_messages(&c2c("carol"), vec![text("carol", 5, "dinner")])
        .unwrap();
    let result = engine.search_local(&search(&["lunch"])).unwrap();
    assert_eq!(result.total_count, 2, "conversations with hits");
    let items: Vec<_> = result
        .item_array
        .iter()
        .map(|item| {
            (
                item.conv_id.as_str(),
                item.conv_type,
                item.total_message_count,
                item.message_array.len(),
            )
        })
        .collect();
    assert_eq!(
        items,
        [
            ("team", ConvType::Group, 1, 1),
            ("alice", ConvType::C2c, 2, 1)
        ]
    );
    assert_eq!(
        content(&result.item_array[1].message_array[0]),
        "lunch at noon"
    );
    // Pages of conversations.
    let second = engine
        .search_local(&SearchParam {
            page_index: 1,
            page_size: 1,
            ..search(&["lunch"])
        })
        .unwrap();
    assert_eq!(
        (second.total_count, second.item_array[0].conv_id.as_str()),
        (2, "alice")
    );
}

#[test]
fn keywords_combine_with_and_or_or_and_filters_apply() {
    let (engine, _dir) = engine();
    let conv = group("team");
    engine
        .import_messages(
            &conv,
            vec![
                text("ann", 1, "red apple"),
                text("ben", 2, "green apple"),
                text("ann", 3, "red car"),
            ],
        )
        .unwrap();
    let scoped = |param| in_conv(param, ConvType::Group, "team");
    let or = engine
        .search_local(&scoped(search(&["red", "apple"])))
        .unwrap();
    assert_eq!(or.total_count, 3);
    let and = SearchParam {
        keyword_list_match_type: KeywordListMatchType::And,
        ..search(&["red", "apple"])
    };
    assert_eq!(engine.search_local(&scoped(and)).unwrap().total_count, 1);
    let by_ben = SearchParam {
        sender_identifier_array: vec!["ben".into()],
        ..search(&["apple"])
    };
    assert_eq!(
        contents(&engine.search_local(&scoped(by_ben)).unwrap().item_array[0].message_array),
        ["green apple"]
    );
    let window = SearchParam {
        search_time_position: 2,
        search_time_period: 1,
        ..search(&["apple", "car"])
    };
    assert_eq!(engine.search_local(&scoped(window)).unwrap().total_count, 2);
    let images = SearchParam {
        message_type_array: vec![ElemType::Image],
        ..search(&["apple"])
    };
    assert_eq!(engine.search_local(&scoped(images)).unwrap().total_count, 0);
    let paged = SearchParam {
        page_index: 1,
        page_size: 2,
        ..search(&["red", "apple", "car"])
    };
    let page = engine.search_local(&scoped(paged)).unwrap();
    assert_eq!(
        (
            page.total_count,
            contents(&page.item_array[0].message_array)
        ),
        (3, vec!["red apple"])
    );
}

#[test]
fn the_index_follows_deletes_clears_and_reopens() {
    let (engine, dir) = engine();
    let conv = c2c("peer");
    let messages = engine
        .import_messages(
            &conv,
            vec![text("peer", 1, "alpha one"), text("peer", 2, "alpha two")],
        )
        .unwrap();
    let scoped = in_conv(search(&["alpha"]), ConvType::C2c, "peer");
    assert_eq!(engine.search_local(&scoped).unwrap().total_count, 2);
    engine
        .delete_local(
            &conv,
            &MsgDeleteParam {
                msg: Some(messages[0].clone()),
                is_ramble: false,
            },
        )
        .unwrap();
    assert_eq!(engine.search_local(&scoped).unwrap().total_count, 1);
    drop(engine);
    let engine = reopen(&dir);
    assert_eq!(engine.search_local(&scoped).unwrap().total_count, 1);
    engine.clear_local_history(&conv).unwrap();
    assert_eq!(engine.search_local(&scoped).unwrap().total_count, 0);
    assert!(engine.search_local(&scoped).unwrap().item_array.is_empty());
}

#[test]
fn bad_searches_get_their_codes() {
    let (engine, _dir) = engine();
    assert_eq!(engine.search_local(&search(&[])).unwrap_err().code(), 6017);
    assert_eq!(
        engine
            .search_local(&search(&["1", "2", "3", "4", "5", "6"]))
            .unwrap_err()
            .code(),
        6017
    );
    assert_eq!(
        engine
            .search_local(&in_conv(search(&["x"]), ConvType::C2c, ""))
            .unwrap_err()
            .code(),
        7003
    );
    assert_eq!(
        engine
            .search_local(&in_conv(search(&["x"]), ConvType::Group, &"g".repeat(49)))
            .unwrap_err()
            .code(),
        8501
    );
}

#[test]
fn a_damaged_index_is_rebuilt_from_the_store() {
    let (engine, dir) = engine();
    engine
        .import_messages(&c2c("peer"), vec![text("peer", 1, "survivor")])
        .unwrap();
    drop(engine);
    // Wreck every file of the index.
    let users = dir.path().join("users");
    let user_dir = std::fs::read_dir(&users)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    for entry in std::fs::read_dir(user_dir.join("search")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::write(&path, b"garbage").unwrap();
        }
    }
    let engine = reopen(&dir);
    let found = engine
        .search_local(&in_conv(search(&["survivor"]), ConvType::C2c, "peer"))
        .unwrap();
    assert_eq!(found.total_count, 1);
}
