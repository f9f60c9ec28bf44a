//! Matching by language: CJK characters and words without spaces, kana, Hangul, mixed text,
//! Latin case-insensitivity, emoji.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{docs, find, index_with, set};

#[test]
fn a_single_chinese_character_finds_every_message_containing_it() {
    let (_dir, index) = index_with(&docs(&["北京欢迎你", "我在北方", "上海", "北"]));
    assert_eq!(find(&index, "北"), set(&["d0", "d1", "d3"]));
    assert_eq!(find(&index, "海"), set(&["d2"]));
    assert_eq!(find(&index, "你"), set(&["d0"]));
    assert!(find(&index, "南").is_empty());
}

#[test]
fn a_two_character_word_needs_its_characters_adjacent() {
    let (_dir, index) = index_with(&docs(&[
        "我们明天去北京开会",
        "北方的京城",
        "京北",
        "北，京",
        "北京",
    ]));
    assert_eq!(find(&index, "北京"), set(&["d0", "d4"]));
    assert_eq!(find(&index, "京北"), set(&["d2"]));
    assert_eq!(find(&index, "开会"), set(&["d0"]));
}

#[test]
fn longer_chinese_keywords_are_exact_phrases() {
    let (_dir, index) = index_with(&docs(&[
        "北京大学",
        "北京的大学",
        "京大学生",
        "哈哈哈",
        "哈哈",
    ]));
    assert_eq!(find(&index, "北京大学"), set(&["d0"]));
    assert_eq!(find(&index, "京大学"), set(&["d0", "d2"]));
    assert_eq!(find(&index, "哈哈哈"), set(&["d3"]));
    assert_eq!(find(&index, "哈哈"), set(&["d3", "d4"]));
}

#[test]
fn mixed_chinese_and_english_is_found_by_either_part() {
    let (_dir, index) = index_with(&docs(&["我爱Rust编程", "rust is fun", "编程很难"]));
    assert_eq!(find(&index, "Rust"), set(&["d0", "d1"]));
    assert_eq!(find(&index, "编程"), set(&["d0", "d2"]));
    assert_eq!(find(&index, "Rust编程"), set(&["d0"]));
    assert_eq!(find(&index, "爱Rust"), set(&["d0"]));
    assert_eq!(find(&index, "我爱Rust编程"), set(&["d0"]));
}

#[test]
fn japanese_kana_and_kanji_are_found_without_spaces() {
    let (_dir, index) = index_with(&docs(&[
        "今日はいい天気ですね",
        "コーヒーを飲みましょう",
        "東京タワーに行きます",
    ]));
    assert_eq!(find(&index, "天気"), set(&["d0"]));
    assert_eq!(find(&index, "いい"), set(&["d0"]));
    assert_eq!(find(&index, "コーヒー"), set(&["d1"]));
    assert_eq!(find(&index, "タワー"), set(&["d2"]));
    assert_eq!(find(&index, "東京"), set(&["d2"]));
    assert_eq!(find(&index, "す"), set(&["d0", "d2"]));
    assert!(find(&index, "京東").is_empty());
}

#[test]
fn korean_is_found_without_spaces() {
    let (_dir, index) = index_with(&docs(&[
        "안녕하세요 여러분",
        "회의는내일입니다",
        "내일 봐요",
    ]));
    assert_eq!(find(&index, "안녕"), set(&["d0"]));
    assert_eq!(find(&index, "내일"), set(&["d1", "d2"]));
    assert_eq!(find(&index, "회의"), set(&["d1"]));
    assert_eq!(find(&index, "요"), set(&["d0", "d2"]));
}

#[test]
fn latin_words_match_whole_and_ignore_case() {
    let (_dir, index) = index_with(&docs(&[
        "Release NOTES are ready",
        "the release_notes file",
        "teammates",
        "Ｒｅｌｅａｓｅ in full width",
    ]));
    assert_eq!(find(&index, "release"), set(&["d0", "d1", "d3"]));
    assert_eq!(find(&index, "RELEASE"), set(&["d0", "d1", "d3"]));
    assert_eq!(find(&index, "release notes"), set(&["d0", "d1"]));
    assert!(find(&index, "team").is_empty(), "word-level matching");
    assert_eq!(find(&index, "Teammates"), set(&["d2"]));
}

#[test]
fn other_scripts_and_emoji_are_searchable() {
    let (_dir, index) = index_with(&docs(&["Привет МИР", "Γειά σου", "派对🎉开始", "ok 👍"]));
    assert_eq!(find(&index, "мир"), set(&["d0"]));
    assert_eq!(find(&index, "ΓΕΙΆ"), set(&["d1"]));
    assert_eq!(find(&index, "🎉"), set(&["d2"]));
    assert_eq!(find(&index, "👍"), set(&["d3"]));
}

#[test]
fn a_keyword_of_punctuation_only_matches_nothing() {
    let (_dir, index) = index_with(&docs(&["hello!!!", "，。"]));
    assert!(find(&index, "!!!").is_empty());
    assert!(find(&index, "，").is_empty());
}
