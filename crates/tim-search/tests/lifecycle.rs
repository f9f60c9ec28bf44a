//! Writing, committing, reopening and refusing: upsert, delete, clear, durability, bad input,
//! schema versions.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{all_of, doc, find, index_with, set, temp_index};
use tim_search::{SCHEMA_VERSION, SearchError, SearchIndex, SearchQuery, VERSION_FILE};

#[test]
fn upsert_replaces_the_document_with_the_same_message_id() {
    let (_dir, index) = index_with(&[
        doc("m1", "c", "u", 1, "old text"),
        doc("m2", "c", "u", 2, "old"),
    ]);
    index.upsert(&[doc("m1", "c", "u", 5, "new text")]).unwrap();
    index.commit().unwrap();
    assert_eq!(find(&index, "old"), set(&["m2"]));
    assert_eq!(find(&index, "new"), set(&["m1"]));
    assert_eq!(index.doc_count().unwrap(), 2);
    let hits = index.search(&all_of(&["text"])).unwrap();
    assert_eq!((hits.total, hits.hits[0].time), (1, 5));
}

#[test]
fn the_last_upsert_of_a_batch_wins() {
    let (_dir, index) = index_with(&[
        doc("m1", "c", "u", 1, "first"),
        doc("m1", "c", "u", 2, "second"),
    ]);
    assert_eq!(index.doc_count().unwrap(), 1);
    assert!(find(&index, "first").is_empty());
    assert_eq!(find(&index, "second"), set(&["m1"]));
}

#[test]
fn delete_removes_by_message_id_and_ignores_unknown_ones() {
    let (_dir, index) = index_with(&[
        doc("m1", "c", "u", 1, "hello"),
        doc("m2", "c", "u", 2, "hello"),
        doc("m3", "c", "u", 3, "hello"),
    ]);
    index.delete(&["m2", "unknown", ""]).unwrap();
    assert_eq!(
        find(&index, "hello").len(),
        3,
        "not visible before the commit"
    );
    index.commit().unwrap();
    assert_eq!(find(&index, "hello"), set(&["m1", "m3"]));
    assert_eq!(index.doc_count().unwrap(), 2);
}

#[test]
fn delete_conversation_removes_only_that_conversation() {
    let (_dir, index) = index_with(&[
        doc("m1", "a", "u", 1, "hello"),
        doc("m2", "b", "u", 2, "hello"),
        doc("m3", "a", "u", 3, "hello"),
    ]);
    index.delete_conversation("a").unwrap();
    index.commit().unwrap();
    assert_eq!(find(&index, "hello"), set(&["m2"]));
}

#[test]
fn clear_removes_everything_before_it_and_keeps_what_follows() {
    let (_dir, index) = index_with(&[
        doc("m1", "a", "u", 1, "hello"),
        doc("m2", "b", "u", 2, "hello"),
    ]);
    index.upsert(&[doc("m3", "a", "u", 3, "hello")]).unwrap();
    index.clear().unwrap();
    index.upsert(&[doc("m4", "a", "u", 4, "hello")]).unwrap();
    assert_eq!(
        index.doc_count().unwrap(),
        2,
        "not visible before the commit"
    );
    index.commit().unwrap();
    assert_eq!(find(&index, "hello"), set(&["m4"]));
    assert_eq!(index.doc_count().unwrap(), 1);
}

#[test]
fn committed_documents_survive_a_reopen_and_uncommitted_ones_do_not() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path()).unwrap();
        index
            .upsert(&[doc("m1", "c", "u", 1, "北京 hello")])
            .unwrap();
        index.commit().unwrap();
        index
            .upsert(&[doc("m2", "c", "u", 2, "北京 later")])
            .unwrap();
        index.delete(&["m1"]).unwrap();
    }
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(index.doc_count().unwrap(), 1);
    assert_eq!(find(&index, "北京"), set(&["m1"]));
    assert!(find(&index, "later").is_empty());
    index.upsert(&[doc("m3", "c", "u", 3, "北京")]).unwrap();
    index.commit().unwrap();
    assert_eq!(find(&index, "北京"), set(&["m1", "m3"]));
}

#[test]
fn searches_see_nothing_before_the_first_commit() {
    let (_dir, index) = temp_index();
    assert_eq!(index.doc_count().unwrap(), 0);
    index.upsert(&[doc("m1", "c", "u", 1, "hello")]).unwrap();
    assert!(find(&index, "hello").is_empty());
    assert!(
        index
            .count_by_conversation(&all_of(&["hello"]))
            .unwrap()
            .is_empty()
    );
    index.commit().unwrap();
    assert_eq!(find(&index, "hello"), set(&["m1"]));
}

#[test]
fn an_index_in_memory_works_the_same() {
    let index = SearchIndex::open_in_ram().unwrap();
    index.upsert(&[doc("m1", "c", "u", 1, "你好")]).unwrap();
    index.commit().unwrap();
    assert_eq!(find(&index, "你"), set(&["m1"]));
}

#[test]
fn bad_queries_are_invalid_parameters() {
    let (_dir, index) = index_with(&[doc("m1", "c", "u", 1, "hello")]);
    let bad = [
        all_of(&[]),
        all_of(&["a", "b", "c", "d", "e", "f"]),
        all_of(&["hello", ""]),
        all_of(&["   "]),
        SearchQuery {
            time_from: Some(5),
            time_to: Some(4),
            ..all_of(&["hello"])
        },
    ];
    for query in bad {
        let error = index.search(&query).unwrap_err();
        assert!(matches!(error, SearchError::InvalidQuery(_)), "{error}");
        assert_eq!(error.code(), 6017, "{query:?}");
        assert_eq!(
            index.count_by_conversation(&query).unwrap_err().code(),
            6017
        );
    }
    assert!(
        index
            .search(&all_of(&["a", "b", "c", "d", "hello"]))
            .is_ok()
    );
}

#[test]
fn bad_documents_are_refused_as_a_batch() {
    let (_dir, index) = temp_index();
    let error = index
        .upsert(&[
            doc("m1", "c", "u", 1, "hello"),
            doc("", "c", "u", 2, "hello"),
        ])
        .unwrap_err();
    assert_eq!(error.code(), 6017);
    let long = "x".repeat(tim_search::MAX_KEY_BYTES + 1);
    assert_eq!(
        index
            .upsert(&[doc("m1", &long, "u", 1, "hi")])
            .unwrap_err()
            .code(),
        6017
    );
    index.commit().unwrap();
    assert_eq!(index.doc_count().unwrap(), 0);
}

#[test]
fn extreme_input_is_indexed_without_panicking() {
    let (_dir, index) = temp_index();
    let huge_word = "a".repeat(100_000);
    let text = format!("{huge_word} 北京 {}", "🎉".repeat(1000));
    index
        .upsert(&[
            doc("m1", "c", "u", u64::MAX, &text),
            doc("m2", "", "", 0, ""),
            doc("m3", "c", "u", 1, "\u{0}\u{FFFF}\u{10FFFF} ＡＢＣ"),
        ])
        .unwrap();
    index.commit().unwrap();
    assert_eq!(find(&index, "北京"), set(&["m1"]));
    assert_eq!(find(&index, &huge_word), set(&["m1"]));
    assert_eq!(find(&index, "abc"), set(&["m3"]));
    let hits = index.search(&all_of(&["北京"])).unwrap();
    assert_eq!(hits.hits[0].time, u64::MAX);
    let mut query = all_of(&["北京"]);
    query.offset = usize::MAX;
    query.limit = usize::MAX;
    assert!(index.search(&query).unwrap().hits.is_empty());
    let groups = index.count_by_conversation(&all_of(&["abc"])).unwrap();
    assert_eq!(groups[0].conv_key, "c");
}

#[test]
fn an_index_of_another_schema_version_is_a_mismatch() {
    let dir = tempfile::tempdir().unwrap();
    drop(SearchIndex::open(dir.path()).unwrap());
    let version_file = dir.path().join(VERSION_FILE);
    assert_eq!(
        std::fs::read_to_string(&version_file).unwrap().trim(),
        SCHEMA_VERSION.to_string()
    );
    std::fs::write(&version_file, "0\n").unwrap();
    let error = SearchIndex::open(dir.path()).unwrap_err();
    assert!(
        matches!(&error, SearchError::SchemaMismatch { found, .. } if found == "0"),
        "{error}"
    );
    assert_eq!(error.code(), 6019);

    std::fs::remove_file(&version_file).unwrap();
    let error = SearchIndex::open(dir.path()).unwrap_err();
    assert!(
        matches!(&error, SearchError::SchemaMismatch { found, .. } if found == "none"),
        "an index without a version file: {error}"
    );
}

#[test]
fn a_foreign_tantivy_index_is_a_mismatch() {
    use tantivy::schema::{Schema, TEXT};
    let dir = tempfile::tempdir().unwrap();
    let mut builder = Schema::builder();
    builder.add_text_field("body", TEXT);
    drop(tantivy::Index::create_in_dir(dir.path(), builder.build()).unwrap());
    std::fs::write(dir.path().join(VERSION_FILE), format!("{SCHEMA_VERSION}\n")).unwrap();
    let error = SearchIndex::open(dir.path()).unwrap_err();
    assert!(
        matches!(error, SearchError::SchemaMismatch { .. }),
        "{error}"
    );
}

#[test]
fn a_directory_open_twice_is_an_io_error() {
    let (dir, _index) = temp_index();
    let error = SearchIndex::open(dir.path()).unwrap_err();
    assert_eq!(error.code(), 6022, "{error}");
}

#[test]
fn the_index_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SearchIndex>();
}
