//! One-line set-ups shared by the integration tests: documents, queries and a committed index
//! in a temporary directory.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use tempfile::TempDir;
use tim_search::{SearchDoc, SearchHits, SearchIndex, SearchQuery};

/// A text message `id` in `conv` from `sender` at `time`.
pub fn doc(id: &str, conv: &str, sender: &str, time: u64, text: &str) -> SearchDoc {
    SearchDoc {
        msg_id: id.to_owned(),
        conv_key: conv.to_owned(),
        sender: sender.to_owned(),
        elem_types: vec![0],
        time,
        text: text.to_owned(),
    }
}

/// Documents `d0`, `d1`, ... in conversation `c`, one per text, at times 1, 2, ...
pub fn docs(texts: &[&str]) -> Vec<SearchDoc> {
    texts
        .iter()
        .enumerate()
        .map(|(i, text)| doc(&format!("d{i}"), "c", "u", i as u64 + 1, text))
        .collect()
}

/// A query for `keywords`, all of them required, every hit returned.
pub fn all_of(keywords: &[&str]) -> SearchQuery {
    SearchQuery {
        keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
        match_all: true,
        ..SearchQuery::default()
    }
}

/// A query for `keywords`, any of them, every hit returned.
pub fn any_of(keywords: &[&str]) -> SearchQuery {
    SearchQuery {
        match_all: false,
        ..all_of(keywords)
    }
}

/// An index in a fresh temporary directory (kept alive by the returned guard).
pub fn temp_index() -> (TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    (dir, index)
}

/// An index holding `docs`, committed.
pub fn index_with(docs: &[SearchDoc]) -> (TempDir, SearchIndex) {
    let (dir, index) = temp_index();
    index.upsert(docs).unwrap();
    index.commit().unwrap();
    (dir, index)
}

/// The message IDs of the hits, in order.
pub fn ids(hits: &SearchHits) -> Vec<&str> {
    hits.hits.iter().map(|hit| hit.msg_id.as_str()).collect()
}

/// The sorted message IDs that `query` finds.
pub fn found(index: &SearchIndex, query: &SearchQuery) -> Vec<String> {
    let hits = index.search(query).unwrap();
    assert_eq!(
        hits.total as usize,
        hits.hits.len(),
        "limit 0 returns every hit"
    );
    let mut ids: Vec<String> = hits.hits.into_iter().map(|hit| hit.msg_id).collect();
    ids.sort();
    ids
}

/// `found` for one keyword.
pub fn find(index: &SearchIndex, keyword: &str) -> Vec<String> {
    found(index, &all_of(&[keyword]))
}

/// Sorted owned strings.
pub fn set(ids: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = ids.iter().map(|id| (*id).to_owned()).collect();
    out.sort();
    out
}
