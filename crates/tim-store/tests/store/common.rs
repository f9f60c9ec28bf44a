//! One-line set-ups: a store in a temporary directory, conversations and messages.

#![allow(dead_code)]

use std::path::PathBuf;
use tempfile::TempDir;
use tim_model::enums::{ConvType, MsgStatus};
use tim_model::{ConvId, Elem, Message, MessageId, Seq, TextElem};
use tim_store::{Anchor, Direction, PageQuery, Store};

/// A store in its own temporary directory (kept alive by the returned `TempDir`).
pub fn open_temp() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&db_path(&dir)).unwrap();
    (dir, store)
}

/// The database file of a test directory.
pub fn db_path(dir: &TempDir) -> PathBuf {
    dir.path().join("store.redb")
}

/// Opens the store of `dir` again (drop the previous `Store` first).
pub fn reopen(dir: &TempDir) -> Store {
    Store::open(&db_path(dir)).unwrap()
}

pub fn c2c(peer: &str) -> ConvId {
    ConvId::new(ConvType::C2c, peer).unwrap()
}

pub fn group(id: &str) -> ConvId {
    ConvId::new(ConvType::Group, id).unwrap()
}

pub fn id(text: &str) -> MessageId {
    MessageId::new(text).unwrap()
}

/// A received text message `id` at server time `time` with seq `seq`.
pub fn text(msg_id: &str, time: u64, seq: u64) -> Message {
    Message {
        elems: vec![Elem::Text(TextElem {
            content: format!("text of {msg_id}"),
        })],
        sender: "peer".into(),
        client_time: time,
        server_time: time,
        seq: Seq(seq),
        rand: rand_of(msg_id),
        msg_id: Some(id(msg_id)),
        status: Some(MsgStatus::SendSucc),
        ..Message::default()
    }
}

/// A stable "random" number for a message ID.
pub fn rand_of(msg_id: &str) -> u64 {
    msg_id
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
        })
}

/// The message IDs of `messages`, as text.
pub fn ids(messages: &[Message]) -> Vec<String> {
    messages
        .iter()
        .map(|message| {
            message
                .msg_id
                .as_ref()
                .map(|id| id.as_str().to_owned())
                .unwrap_or_default()
        })
        .collect()
}

/// Every message of `conv`, oldest first.
pub fn all_messages(store: &Store, conv: &ConvId) -> Vec<Message> {
    store
        .page(
            conv,
            &PageQuery::new(Anchor::Oldest, Direction::Newer, usize::MAX),
        )
        .unwrap()
}

/// A tiny deterministic generator (xorshift), for the tests that pick random moments.
pub struct Rng(u64);

impl Rng {
    /// Seeded from the clock; the seed is printed so a failure can be replayed.
    pub fn from_clock(test: &str) -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_nanos() as u64)
            .unwrap_or(1)
            | 1;
        println!("{test}: seed {seed}");
        Self(seed)
    }

    pub fn new(seed: u64) -> Self {
        Self(seed | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

/// Three group messages for locator lookups: "mine" (from self) and "theirs" share rand 7 at
/// times 20 and 21 (seqs 2 and 3); "unsent" (rand 8) has no server time or seq yet.
pub fn locator_messages() -> [Message; 3] {
    let mut mine = text("mine", 20, 2);
    mine.is_from_self = true;
    mine.rand = 7;
    let mut theirs = text("theirs", 21, 3);
    theirs.rand = 7;
    let unsent = Message {
        server_time: 0,
        seq: Seq(0),
        rand: 8,
        ..text("unsent", 25, 0)
    };
    [mine, theirs, unsent]
}
