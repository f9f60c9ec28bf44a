//! The data model of the server, written once over an ordered transactional key-value store
//! ([`KvStore`]): [`KvStorage`] implements [`Storage`](crate::Storage) on any backend
//! that moves bytes (redb by default, PostgreSQL for several nodes).
//!
//! Tables (every key scoped by app where it names an app-level thing):
//! - `meta`: counters (`next_tiny_id`, `next_conv_no`, `next_group_no`, `next_unique_id`).
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
//!
//! Every counter (seqs, log positions, tiny IDs) is read and bumped inside the transaction
//! that uses it, so on a store shared by several nodes two transactions never hand out the
//! same number and a rolled-back one leaves no gap.

mod conversations;
mod delete;
mod extensions;
mod groups;
mod ids;
mod lifecycle;
mod log_trim;
mod media;
mod merge;
mod profiles;
mod push;
mod read;
mod read_state;
mod recv_opt;
mod user_index;
mod write;

use super::kv::{self, KvStore, KvTxn, TableDefinition};
use super::{AppId, StorageError};

const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
const USERS: TableDefinition<(u64, &str), u64> = TableDefinition::new("users");
const HEADS: TableDefinition<u64, u64> = TableDefinition::new("heads");
const EVENTS: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("events");
const CONVS: TableDefinition<&str, (u64, u64)> = TableDefinition::new("convs");
const MESSAGES: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("messages");
const SENT_IDS: TableDefinition<(u64, &str, &str), &[u8]> = TableDefinition::new("sent_ids");
const CONV_MSG_IDS: TableDefinition<(u64, &str, &str), u64> = TableDefinition::new("conv_msg_ids");
const LOG_START: TableDefinition<u64, u64> = TableDefinition::new("log_start");
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

/// The server's storage on a [`KvStore`].
pub struct KvStorage {
    kv: Box<dyn KvStore>,
}

impl std::fmt::Debug for KvStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KvStorage")
    }
}

impl KvStorage {
    /// The storage on `kv`, after bringing its data up to date (the per-user conversation
    /// index is built once for data stored before it existed).
    pub fn new(kv: Box<dyn KvStore>) -> Result<Self, StorageError> {
        kv::write(kv.as_ref(), |txn| user_index::build_if_missing(txn))?;
        Ok(Self { kv })
    }

    /// Runs `body` in a read transaction.
    fn read<T>(
        &self,
        body: impl FnMut(&dyn KvTxn) -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        kv::read(self.kv.as_ref(), body)
    }
}

fn decode<M: prost::Message + Default>(bytes: &[u8], what: &str) -> Result<M, StorageError> {
    M::decode(bytes).map_err(|e| StorageError::new(format!("stored {what} is unreadable: {e}")))
}
