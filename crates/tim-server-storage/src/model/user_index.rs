//! Each user's conversations, indexed by user: `user_peers` (app, user, peer) for C2C
//! conversations with at least one message, `user_groups` (app, user, group) for current
//! memberships. "Mark all read" walks these ranges, so its cost is the caller's own
//! conversations, never every conversation of the app.

use super::write::Tables;
use super::{CONVS, MEMBERS, META, USER_GROUPS, USER_PEERS};
use crate::kv::{KvTxn, Table};
use crate::{AppId, StorageError};

/// Set in `meta` once the index covers every conversation (built at the first open of a
/// database made before it existed).
const BUILT: &str = "user_index_built";

/// Builds the index from the conversations and memberships already stored, once.
pub(super) fn build_if_missing(txn: &dyn KvTxn) -> Result<(), StorageError> {
    let mut meta = txn.open_table(META)?;
    if meta.get(BUILT)?.is_some() {
        return Ok(());
    }
    let mut peers = txn.open_table(USER_PEERS)?;
    for entry in txn.open_table(CONVS)?.iter()? {
        let (key, value) = entry?;
        if value.value().1 == 0 {
            continue;
        }
        // "app\0c\0lo\0hi"
        let mut parts = key.value().split('\0');
        let (Some(app), Some("c"), Some(lo), Some(hi)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let Ok(app) = app.parse::<u64>() else {
            continue;
        };
        peers.insert((app, lo, hi), ())?;
        peers.insert((app, hi, lo), ())?;
    }
    let mut groups = txn.open_table(USER_GROUPS)?;
    for entry in txn.open_table(MEMBERS)?.iter()? {
        let (key, _) = entry?;
        let (app, group, user) = key.value();
        groups.insert((app, user, group), ())?;
    }
    meta.insert(BUILT, 1)?;
    Ok(())
}

impl Tables<'_> {
    /// Records that `a` and `b` have a C2C conversation (both ways; idempotent).
    pub(super) fn index_peers(&mut self, app: AppId, a: &str, b: &str) -> Result<(), StorageError> {
        if self.user_peers.get((app, a, b))?.is_none() {
            self.user_peers.insert((app, a, b), ())?;
            self.user_peers.insert((app, b, a), ())?;
        }
        Ok(())
    }

    /// Records that `user` is (or is no longer) a member of `group`.
    pub(super) fn index_membership(
        &mut self,
        app: AppId,
        user: &str,
        group: &str,
        member: bool,
    ) -> Result<(), StorageError> {
        if member {
            self.user_groups.insert((app, user, group), ())?;
        } else {
            self.user_groups.remove((app, user, group))?;
        }
        Ok(())
    }

    /// The peers of `user`'s C2C conversations.
    pub(super) fn peers_of(&self, app: AppId, user: &str) -> Result<Vec<String>, StorageError> {
        thirds_of(&self.user_peers, app, user)
    }

    /// The groups `user` is a member of.
    pub(super) fn groups_of(&self, app: AppId, user: &str) -> Result<Vec<String>, StorageError> {
        thirds_of(&self.user_groups, app, user)
    }
}

/// The third parts of the keys (app, user, *) of `table`.
fn thirds_of(
    table: &Table<'_, (u64, &'static str, &'static str), ()>,
    app: AppId,
    user: &str,
) -> Result<Vec<String>, StorageError> {
    let mut out = Vec::new();
    for entry in table.range::<(u64, &str, &str)>((app, user, "")..)? {
        let (key, _) = entry?;
        let (entry_app, entry_user, third) = key.value();
        if entry_app != app || entry_user != user {
            break;
        }
        out.push(third.to_owned());
    }
    Ok(out)
}
