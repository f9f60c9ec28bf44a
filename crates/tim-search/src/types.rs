//! The values that go in and out of the index: documents, queries and hits.

/// One message as the index sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchDoc {
    /// The message ID; unique in the index (a second document with the same ID replaces the
    /// first). Must not be empty.
    pub msg_id: String,
    /// The conversation the message belongs to, in whatever form the caller chooses (for
    /// example "c2c_alice" or "group_g1"); compared exactly.
    pub conv_key: String,
    /// The sender's user ID; compared exactly.
    pub sender: String,
    /// The element type numbers present in the message (`TIMElemType`).
    pub elem_types: Vec<i32>,
    /// The message time, seconds; hits are ordered by it, newest first.
    pub time: u64,
    /// The searchable text (see [`crate::searchable_text`]).
    pub text: String,
}

/// A search: 1..=5 keywords, optional filters, and a page of the results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// The keywords, 1..=[`crate::MAX_KEYWORDS`], none empty. A keyword matches a message whose
    /// text contains it: CJK characters must appear exactly as given (adjacent), Latin words
    /// must appear as whole words in the same order, ignoring case, spaces and punctuation
    /// between them.
    pub keywords: Vec<String>,
    /// Every keyword must match (`kTIMKeywordListMatchType_And`); otherwise any one
    /// (`kTIMKeywordListMatchType_Or`).
    pub match_all: bool,
    /// Only messages from one of these senders; empty: any sender.
    pub senders: Vec<String>,
    /// Only messages holding an element of one of these types; empty: any type.
    pub elem_types: Vec<i32>,
    /// Only this conversation; `None`: all conversations.
    pub conv_key: Option<String>,
    /// Only messages at or after this time (seconds).
    pub time_from: Option<u64>,
    /// Only messages at or before this time (seconds).
    pub time_to: Option<u64>,
    /// Hits to skip, newest first.
    pub offset: usize,
    /// Hits to return after the skipped ones; 0 returns all of them.
    pub limit: usize,
}

/// A page of search results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchHits {
    /// How many messages match in all, before paging.
    pub total: u64,
    /// The requested page, newest first (time descending, then message ID descending).
    pub hits: Vec<Hit>,
}

/// One matching message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Hit {
    /// Its message ID.
    pub msg_id: String,
    /// Its conversation.
    pub conv_key: String,
    /// Its time, seconds.
    pub time: u64,
}

/// The matches in one conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConversationHits {
    /// The conversation.
    pub conv_key: String,
    /// How many messages of it match.
    pub count: u64,
    /// Its newest matching message.
    pub newest: Hit,
}
