//! `tim-search` is a full-text index of messages on tantivy that works on its own:
//! documents in, hits out.
//!
//! It will index message text, file names, custom element descriptions and merged-message
//! titles, and answer 1..=5 keyword queries combined with AND or OR, filtered by sender,
//! element type, conversation and time range, newest first. Chinese, Japanese and Korean text
//! is found without word spaces (a bigram tokenizer over CJK runs); Latin text is matched
//! case-insensitively.
//!
//! What it must never do: depend on the store or the network, download a dictionary at build or
//! run time, or be the source of truth (the index can always be rebuilt from the store).
//!
//! The index is filled by the "Local engine" issue; until then this crate has no items.
