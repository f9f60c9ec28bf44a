//! `tim-search` is a full-text index of messages on tantivy that works on its own: documents
//! in, hits out.
//!
//! It indexes message text, file names, custom element descriptions and merged-message titles
//! and abstracts ([`doc_for`], [`searchable_text`]), and answers 1..=5 keyword queries combined
//! with AND or OR, filtered by sender, element type, conversation and time range, newest first
//! and paged ([`SearchIndex::search`]), or grouped by conversation
//! ([`SearchIndex::count_by_conversation`]). Chinese, Japanese and Korean text is found without
//! word spaces (a bigram tokenizer over CJK runs, `tokenizer`); Latin text is matched by whole
//! words, case-insensitively.
//!
//! What it must never do: depend on the store or the network, download a dictionary at build or
//! run time, panic on any input, or be the source of truth (the index can always be rebuilt
//! from the store; an index from another schema version is reported as
//! [`SearchError::SchemaMismatch`] so the caller can do so).
//!
//! Modules: `index` (the [`SearchIndex`] and its writer), `schema` (fields, index sorting by
//! time, the schema version file), `tokenizer`, `query` (checks and builds a query), `snapshot`
//! (the committed view searches read), `newest` (newest-first paging with early stop), `group`
//! (matches per conversation), `message` (from a `tim_model::Message` to a [`SearchDoc`]).

mod error;
mod group;
mod index;
mod message;
mod newest;
mod query;
mod schema;
mod snapshot;
mod tokenizer;
mod types;

pub use error::SearchError;
pub use index::{MAX_KEY_BYTES, SearchIndex};
pub use message::{doc_for, searchable_text};
pub use query::MAX_KEYWORDS;
pub use schema::{SCHEMA_VERSION, VERSION_FILE};
pub use tokenizer::{CjkBigramTokenStream, CjkBigramTokenizer};
pub use types::{ConversationHits, Hit, SearchDoc, SearchHits, SearchQuery};
