//! The baseline: the local message store an application would build on SQLite.
//!
//! - `messages`: one row per message (conversation, time, seq, message ID, sender and the
//!   message's TIM JSON as the body), an index on (conversation, time) for history pages and a
//!   unique index on the message ID (tim's store keeps one too, for anchors and look-ups).
//! - `message_text`: a contentless FTS5 table (`unicode61`, with `_` kept inside tokens so a
//!   conversation key stays one token) with two columns: the conversation key, so a search in
//!   one conversation is an index intersection rather than a scan of every hit, and the text
//!   with its CJK runs rewritten into bigrams by the application (`tim_benches::fts5_text`).
//! - WAL journal, `synchronous=NORMAL`, one transaction per import call, both tables written
//!   in it. Page and search results are decoded back into the model, as ours are.

use rusqlite::{Connection, params};
use std::path::Path;
use tim_benches::fts5_text;
use tim_model::{Elem, Message, json};

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS messages (
        id INTEGER PRIMARY KEY,
        conversation TEXT NOT NULL,
        time INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        msg_id TEXT NOT NULL UNIQUE,
        sender TEXT NOT NULL,
        body BLOB NOT NULL
    );
    CREATE INDEX IF NOT EXISTS messages_by_time ON messages (conversation, time);
    CREATE VIRTUAL TABLE IF NOT EXISTS message_text USING fts5 (
        conv, words, content = '', contentless_delete = 1, tokenize = \"unicode61 tokenchars '_'\"
    );
";

/// An open SQLite message store.
pub struct SqliteStore {
    connection: Connection,
}

/// A rusqlite error as this benchmark reports it: what was being done, then SQLite's words.
fn sql(context: &'static str) -> impl Fn(rusqlite::Error) -> String {
    move |err| format!("SQLite {context}: {err}")
}

fn to_i64(value: u64, what: &str) -> Result<i64, String> {
    i64::try_from(value).map_err(|_| format!("{what} {value} does not fit SQLite's INTEGER"))
}

impl SqliteStore {
    /// Opens (or creates) the store at `path`: WAL journal, `synchronous=NORMAL`, schema
    /// created when missing (an application does this on every start).
    pub fn open(path: &Path) -> Result<Self, String> {
        let connection = Connection::open(path).map_err(sql("open"))?;
        connection
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
            .map_err(sql("pragmas"))?;
        connection.execute_batch(SCHEMA).map_err(sql("schema"))?;
        Ok(Self { connection })
    }

    /// The SQLite version the bundled library reports.
    pub fn version() -> &'static str {
        rusqlite::version()
    }

    /// Stores `messages` of the conversation `conversation_key` (`c2c_<peer>`) in one
    /// transaction: each message's row with its JSON body, and its bigram text in FTS5.
    pub fn import(&mut self, conversation_key: &str, messages: &[Message]) -> Result<(), String> {
        let transaction = self.connection.transaction().map_err(sql("begin"))?;
        {
            let mut insert_message = transaction
                .prepare_cached(
                    "INSERT INTO messages (conversation, time, seq, msg_id, sender, body)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(sql("prepare insert"))?;
            let mut insert_text = transaction
                .prepare_cached("INSERT INTO message_text (rowid, conv, words) VALUES (?1, ?2, ?3)")
                .map_err(sql("prepare insert text"))?;
            for message in messages {
                let body = json::to_string(message);
                let msg_id = message.msg_id.as_ref().map_or("", |id| id.as_str());
                let row = insert_message
                    .insert(params![
                        conversation_key,
                        to_i64(message.server_time, "time")?,
                        to_i64(message.seq.0, "seq")?,
                        msg_id,
                        message.sender,
                        body.as_bytes(),
                    ])
                    .map_err(sql("insert message"))?;
                let words = fts5_text::bigram_text(&searchable_text(message));
                insert_text
                    .execute(params![row, conversation_key, words])
                    .map_err(sql("insert text"))?;
            }
        }
        transaction.commit().map_err(sql("commit"))
    }

    /// Up to `count` messages of `conversation_key` older than `before_time`, newest first,
    /// decoded into the model.
    pub fn page(
        &self,
        conversation_key: &str,
        before_time: u64,
        count: usize,
    ) -> Result<Vec<Message>, String> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT body FROM messages WHERE conversation = ?1 AND time < ?2
                 ORDER BY time DESC LIMIT ?3",
            )
            .map_err(sql("prepare page"))?;
        let rows = statement
            .query(params![
                conversation_key,
                to_i64(before_time, "time")?,
                to_i64(count as u64, "count")?
            ])
            .map_err(sql("page"))?;
        decode_bodies(rows)
    }

    /// The newest `count` messages of `conversation_key` whose text holds every keyword,
    /// newest first, decoded into the model.
    pub fn search(
        &self,
        conversation_key: &str,
        keywords: &[String],
        count: usize,
    ) -> Result<Vec<Message>, String> {
        let expression = fts5_text::match_all("conv", conversation_key, "words", keywords);
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT m.body FROM message_text JOIN messages AS m ON m.id = message_text.rowid
                 WHERE message_text MATCH ?1 ORDER BY m.time DESC LIMIT ?2",
            )
            .map_err(sql("prepare search"))?;
        let rows = statement
            .query(params![expression, to_i64(count as u64, "count")?])
            .map_err(sql("search"))?;
        decode_bodies(rows)
    }

    /// Closes the connection, checkpointing the WAL into the database file.
    pub fn close(self) -> Result<(), String> {
        self.connection
            .close()
            .map_err(|(_, err)| format!("SQLite close: {err}"))
    }
}

/// The model messages of rows whose first column is a message's TIM JSON body.
fn decode_bodies(mut rows: rusqlite::Rows<'_>) -> Result<Vec<Message>, String> {
    let mut messages = Vec::new();
    while let Some(row) = rows.next().map_err(sql("step"))? {
        let body = row
            .get_ref(0)
            .and_then(|value| value.as_blob().map_err(Into::into))
            .map_err(sql("read body"))?;
        let message = json::from_slice::<Message>(body)
            .map_err(|err| format!("SQLite body does not decode: {err}"))?;
        messages.push(message);
    }
    Ok(messages)
}

/// The text a message is found by: its text elements, one per line.
fn searchable_text(message: &Message) -> String {
    let texts: Vec<&str> = message
        .elems
        .iter()
        .filter_map(|elem| match elem {
            Elem::Text(text) => Some(text.content.as_str()),
            _ => None,
        })
        .collect();
    texts.join("\n")
}
