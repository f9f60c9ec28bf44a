//! Property tests against brute force: random CJK/Latin texts, random times with ties, several
//! commits (so several segments) and deletions; every search must give exactly the documents
//! whose text contains the keyword, in newest-first order, with the right total and pages.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::doc;
use proptest::prelude::*;
use tim_search::{SearchDoc, SearchIndex, SearchQuery};

/// Characters drawn from a small alphabet so keywords hit often: Han, kana, Hangul, Latin
/// letters, and separators.
const ALPHABET: &[char] = &[
    '北', '京', '大', '学', '的', 'の', 'カ', '한', '국', 'a', 'b', 'A', ' ', '，', '.',
];
const CJK: &[char] = &['北', '京', '大', '学', '的', 'の', 'カ', '한', '국'];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 0..12).prop_map(String::from_iter)
}

fn cjk_keyword() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(CJK), 1..=2).prop_map(String::from_iter)
}

/// The Latin words of `text`, lowercased (letters and digits outside CJK).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn matches(text: &str, keyword: &str) -> bool {
    if keyword.chars().all(|c| CJK.contains(&c)) {
        text.contains(keyword)
    } else {
        words(text).contains(&keyword.to_lowercase())
    }
}

/// Documents with times in a small range (so ties are common), in batches (one commit each).
fn batches() -> impl Strategy<Value = Vec<Vec<(u64, String)>>> {
    prop::collection::vec(prop::collection::vec((0u64..6, text()), 1..8), 1..4)
}

struct Built {
    index: SearchIndex,
    /// The documents that are live after the deletions.
    live: Vec<SearchDoc>,
}

fn build(batches: &[Vec<(u64, String)>], deleted_every: usize) -> Built {
    let index = SearchIndex::open_in_ram().unwrap();
    let mut live = Vec::new();
    let mut n = 0usize;
    for batch in batches {
        let docs: Vec<SearchDoc> = batch
            .iter()
            .map(|(time, text)| {
                n += 1;
                doc(
                    &format!("m{:02}", n * 37 % 100),
                    &format!("c{}", n % 3),
                    "u",
                    *time,
                    text,
                )
            })
            .collect();
        index.upsert(&docs).unwrap();
        index.commit().unwrap();
        live.extend(docs);
    }
    let doomed: Vec<String> = live
        .iter()
        .enumerate()
        .filter(|(i, _)| deleted_every > 0 && i % deleted_every == 0)
        .map(|(_, d)| d.msg_id.clone())
        .collect();
    let doomed_refs: Vec<&str> = doomed.iter().map(String::as_str).collect();
    index.delete(&doomed_refs).unwrap();
    index.commit().unwrap();
    live.retain(|d| !doomed.contains(&d.msg_id));
    Built { index, live }
}

/// The brute-force answer, newest first.
fn expected(live: &[SearchDoc], keywords: &[String], match_all: bool) -> Vec<(String, u64)> {
    let mut hits: Vec<(String, u64)> = live
        .iter()
        .filter(|d| {
            let mut each = keywords.iter().map(|k| matches(&d.text, k));
            if match_all {
                each.all(|m| m)
            } else {
                each.any(|m| m)
            }
        })
        .map(|d| (d.msg_id.clone(), d.time))
        .collect();
    hits.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
    hits
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn cjk_keywords_find_exactly_the_texts_containing_them(
        batches in batches(),
        keyword in cjk_keyword(),
        deleted_every in 0usize..4,
    ) {
        let built = build(&batches, deleted_every);
        let query = SearchQuery { keywords: vec![keyword.clone()], ..SearchQuery::default() };
        let hits = built.index.search(&query).unwrap();
        let got: Vec<(String, u64)> = hits.hits.iter().map(|h| (h.msg_id.clone(), h.time)).collect();
        let want = expected(&built.live, &[keyword], true);
        prop_assert_eq!(hits.total as usize, want.len());
        prop_assert_eq!(got, want);
    }

    #[test]
    fn pages_and_totals_agree_with_brute_force(
        batches in batches(),
        keywords in prop::collection::vec(prop_oneof![cjk_keyword(), Just("a".to_owned()), Just("B".to_owned())], 1..3),
        match_all in any::<bool>(),
        offset in 0usize..6,
        limit in 0usize..5,
        deleted_every in 0usize..4,
    ) {
        let built = build(&batches, deleted_every);
        let query = SearchQuery {
            keywords: keywords.clone(),
            match_all,
            offset,
            limit,
            ..SearchQuery::default()
        };
        let hits = built.index.search(&query).unwrap();
        let want = expected(&built.live, &keywords, match_all);
        prop_assert_eq!(hits.total as usize, want.len());
        let end = if limit == 0 { want.len() } else { (offset + limit).min(want.len()) };
        let want_page: Vec<(String, u64)> = want[offset.min(want.len())..end].to_vec();
        let got: Vec<(String, u64)> = hits.hits.iter().map(|h| (h.msg_id.clone(), h.time)).collect();
        prop_assert_eq!(got, want_page);

        // Grouped by conversation: counts and newest per conversation agree too.
        let groups = built.index.count_by_conversation(&query).unwrap();
        let total: u64 = groups.iter().map(|g| g.count).sum();
        prop_assert_eq!(total as usize, want.len());
        for group in &groups {
            let newest = built.live.iter()
                .filter(|d| d.conv_key == group.conv_key)
                .filter(|d| want.iter().any(|(id, _)| *id == d.msg_id))
                .map(|d| (d.time, d.msg_id.clone()))
                .max();
            prop_assert_eq!(Some((group.newest.time, group.newest.msg_id.clone())), newest);
        }
    }

    #[test]
    fn time_ranges_agree_with_brute_force(
        batches in batches(),
        from in 0u64..6,
        span in 0u64..4,
    ) {
        let built = build(&batches, 0);
        let to = from + span;
        let query = SearchQuery {
            keywords: vec!["北".into(), "a".into(), "한".into()],
            match_all: false,
            time_from: Some(from),
            time_to: Some(to),
            limit: 2,
            ..SearchQuery::default()
        };
        let hits = built.index.search(&query).unwrap();
        let in_range: Vec<SearchDoc> = built.live.iter().filter(|d| (from..=to).contains(&d.time)).cloned().collect();
        let want = expected(&in_range, &query.keywords, false);
        prop_assert_eq!(hits.total as usize, want.len());
        let got: Vec<(String, u64)> = hits.hits.iter().map(|h| (h.msg_id.clone(), h.time)).collect();
        prop_assert_eq!(got, want.into_iter().take(2).collect::<Vec<_>>());
    }
}
