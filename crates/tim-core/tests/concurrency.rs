//! One engine used from several threads at once: every import lands, and search agrees with
//! the store when they are done.

mod common;

use common::*;
use tim_model::enums::ConvType;
use tim_model::{GetMsgListParam, SearchParam};

#[test]
fn parallel_imports_and_searches_lose_nothing() {
    let (engine, _dir) = engine();
    std::thread::scope(|scope| {
        for writer in 0..4u64 {
            let engine = &engine;
            scope.spawn(move || {
                for batch in 0..10u64 {
                    let messages = (0..10u64)
                        .map(|i| {
                            text(
                                "peer",
                                1 + writer * 1000 + batch * 10 + i,
                                &format!("shared w{writer} 话题"),
                            )
                        })
                        .collect();
                    engine
                        .import_messages(&c2c(&format!("peer{writer}")), messages)
                        .unwrap();
                }
            });
        }
        let engine = &engine;
        scope.spawn(move || {
            for _ in 0..20 {
                let param = SearchParam {
                    keyword_array: vec!["话题".into()],
                    ..Default::default()
                };
                let result = engine.search_local(&param).unwrap();
                assert!(result.total_count <= 4);
            }
        });
    });
    for writer in 0..4 {
        let conv = c2c(&format!("peer{writer}"));
        let all = engine
            .get_message_list(
                &conv,
                &GetMsgListParam {
                    count: 1000,
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(all.len(), 100, "writer {writer}");
        let param = SearchParam {
            keyword_array: vec!["话题".into()],
            conv_id: format!("peer{writer}"),
            conv_type: ConvType::C2c,
            ..Default::default()
        };
        assert_eq!(
            engine.search_local(&param).unwrap().total_count,
            100,
            "writer {writer}"
        );
    }
}
