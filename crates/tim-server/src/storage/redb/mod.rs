//! The default backend: one redb file (`server.redb`) in the data directory.
//!
//! Tables (every key scoped by app where it names an app-level thing):
//! - `meta`: counters (`next_tiny_id`, `next_conv_no`, `next_group_no`).
//! - `users` (app, user) -> tiny ID; `heads` tiny ID -> newest event position.
//! - `events` (tiny ID, position) -> event entry (kind, conversation number, seq): the log
//!   references the message instead of copying it, so a group message costs one small entry
//!   per member.
//! - `convs` conversation key -> (conversation number, newest seq); `messages` (conversation
//!   number, seq) -> canonical message, prost-encoded.
//! - `sent_ids` (app, sender, message ID) -> stored location and ack, or cancelled: a message
//!   ID belongs to its sender, so dedup and cancel never see another user's IDs.
//! - `conv_msg_ids` (conversation number, message ID, sender) -> seq: finds a message of a
//!   conversation by ID (revoke, modify, receipts, extensions, deletes). Two senders may use
//!   one ID; the caller's own message is found first, then the oldest.
//! - `user_peers` (app, user, peer) and `user_groups` (app, user, group): each user's
//!   conversations, for "mark all read" (see `user_index`).
//! - `groups` (app, group) -> [`GroupRecord`]; `members` (app, group, user) ->
//!   [`MemberRecord`]; `member_order` (app, group, position) -> user.
//! - The lifecycle areas keep their own tables (see each module), merged-message bundles in
//!   `merge`.

mod delete;
mod extensions;
mod groups;
mod ids;
mod lifecycle;
mod media;
mod merge;
mod push;
mod read;
mod read_state;
mod recv_opt;
mod user_index;
mod write;

use super::{AppId, StorageError};
use redb::{Database, TableDefinition};
use std::path::Path;

pub use super::records::{GroupRecord, MemberRecord};

/// The database file's name in the data directory.
pub const DB_FILE: &str = "server.redb";

const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
const USERS: TableDefinition<(u64, &str), u64> = TableDefinition::new("users");
const HEADS: TableDefinition<u64, u64> = TableDefinition::new("heads");
const EVENTS: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("events");
const CONVS: TableDefinition<&str, (u64, u64)> = TableDefinition::new("convs");
const MESSAGES: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("messages");
/// The message-ID table of schema 1 (keyed by app only); migrated at open.
const LEGACY_MSG_IDS: TableDefinition<(u64, &str), &[u8]> = TableDefinition::new("msg_ids");
const SENT_IDS: TableDefinition<(u64, &str, &str), &[u8]> = TableDefinition::new("sent_ids");
const CONV_MSG_IDS: TableDefinition<(u64, &str, &str), u64> = TableDefinition::new("conv_msg_ids");
const USER_PEERS: TableDefinition<(u64, &str, &str), ()> = TableDefinition::new("user_peers");
const USER_GROUPS: TableDefinition<(u64, &str, &str), ()> = TableDefinition::new("user_groups");
const GROUPS: TableDefinition<(u64, &str), &[u8]> = TableDefinition::new("groups");
const MEMBERS: TableDefinition<(u64, &str, &str), &[u8]> = TableDefinition::new("members");
const MEMBER_ORDER: TableDefinition<(u64, &str, u64), &str> = TableDefinition::new("member_order");

/// The key of a C2C conversation between `a` and `b` (either order).
fn c2c_key(app: AppId, a: &str, b: &str) -> String {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    format!("{app}\0c\0{lo}\0{hi}")
}

/// The key of a group conversation.
fn group_key(app: AppId, group: &str) -> String {
    format!("{app}\0g\0{group}")
}

/// The redb backend.
pub struct RedbStorage {
    db: Database,
}

impl std::fmt::Debug for RedbStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RedbStorage")
    }
}

macro_rules! from_redb {
    ($($error:ty),*) => {$(
        impl From<$error> for StorageError {
            fn from(error: $error) -> Self {
                StorageError(format!("redb: {error}"))
            }
        }
    )*};
}

from_redb!(
    redb::Error,
    redb::StorageError,
    redb::TableError,
    redb::TransactionError,
    redb::CommitError,
    redb::DatabaseError
);

impl RedbStorage {
    /// Opens (or creates) `server.redb` in `data_dir`. The file is locked until the storage
    /// is dropped.
    pub fn open(data_dir: &Path) -> Result<Self, StorageError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| StorageError(format!("{}: {e}", data_dir.display())))?;
        Self::open_file(&data_dir.join(DB_FILE))
    }

    /// Opens (or creates) the database file `path`.
    pub fn open_file(path: &Path) -> Result<Self, StorageError> {
        let db =
            Database::create(path).map_err(|e| StorageError(format!("{}: {e}", path.display())))?;
        let txn = db.begin_write()?;
        {
            txn.open_table(META)?;
            txn.open_table(USERS)?;
            txn.open_table(HEADS)?;
            txn.open_table(EVENTS)?;
            txn.open_table(CONVS)?;
            txn.open_table(MESSAGES)?;
            txn.open_table(SENT_IDS)?;
            txn.open_table(CONV_MSG_IDS)?;
            txn.open_table(USER_PEERS)?;
            txn.open_table(USER_GROUPS)?;
            txn.open_table(GROUPS)?;
            txn.open_table(MEMBERS)?;
            txn.open_table(MEMBER_ORDER)?;
        }
        read_state::create_tables(&txn)?;
        extensions::create_tables(&txn)?;
        recv_opt::create_tables(&txn)?;
        delete::create_tables(&txn)?;
        merge::create_tables(&txn)?;
        push::create_tables(&txn)?;
        media::create_tables(&txn)?;
        ids::migrate_legacy_msg_ids(&txn)?;
        user_index::build_if_missing(&txn)?;
        txn.commit()?;
        Ok(Self { db })
    }
}

fn decode<M: prost::Message + Default>(bytes: &[u8], what: &str) -> Result<M, StorageError> {
    M::decode(bytes).map_err(|e| StorageError(format!("stored {what} is unreadable: {e}")))
}
