//! The extension cache: per message, each extension key with its value and the version the
//! server gave it, and tombstones of deleted keys (so that an older state arriving late, say
//! a set answer after the push of a later delete, is not taken for the current one).
//!
//! Table `message_extensions`: (message ID, key) -> (value, version, deleted). It is created
//! by its first write (no schema change): a store that never cached an extension has none,
//! and reads it as empty.

use redb::{ReadableDatabase, ReadableTable, TableDefinition, TableError};

use crate::Store;
use crate::error::Result;

const MESSAGE_EXTENSIONS: TableDefinition<(&str, &str), (&str, u64, bool)> =
    TableDefinition::new("message_extensions");

/// One cached extension key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedExtension {
    /// The key.
    pub key: String,
    /// Its value.
    pub value: String,
    /// The version the server gave this state.
    pub version: u64,
}

impl Store {
    /// Takes each of `items` (key states of message `msg_id`) unless the cache holds the key
    /// at a newer version (or deleted at a newer one); returns the ones taken.
    pub fn put_extensions(
        &self,
        msg_id: &str,
        items: &[CachedExtension],
    ) -> Result<Vec<CachedExtension>> {
        let txn = self.db.begin_write()?;
        let mut taken = Vec::new();
        {
            let mut table = txn.open_table(MESSAGE_EXTENSIONS)?;
            for item in items {
                let cached = table
                    .get((msg_id, item.key.as_str()))?
                    .map(|v| (v.value().1, v.value().2));
                if cached.is_some_and(|(version, deleted)| {
                    version > item.version || (deleted && version == item.version)
                }) {
                    continue;
                }
                table.insert(
                    (msg_id, item.key.as_str()),
                    (item.value.as_str(), item.version, false),
                )?;
                taken.push(item.clone());
            }
        }
        txn.commit()?;
        Ok(taken)
    }

    /// Deletes the keys of message `msg_id`, each deleted at the given version (a key
    /// cached at a newer version stays); returns the keys removed from the cache.
    pub fn delete_extensions(&self, msg_id: &str, keys: &[(String, u64)]) -> Result<Vec<String>> {
        let txn = self.db.begin_write()?;
        let mut removed = Vec::new();
        {
            let mut table = txn.open_table(MESSAGE_EXTENSIONS)?;
            for (key, version) in keys {
                let cached = table
                    .get((msg_id, key.as_str()))?
                    .map(|v| (v.value().1, v.value().2));
                if cached.is_some_and(|(cached, _)| cached > *version) {
                    continue;
                }
                table.insert((msg_id, key.as_str()), ("", *version, true))?;
                if cached.is_some_and(|(_, deleted)| !deleted) {
                    removed.push(key.clone());
                }
            }
        }
        txn.commit()?;
        Ok(removed)
    }

    /// Replaces the cache of message `msg_id` by `items`, the server's full list: keys
    /// not in it are gone (kept as tombstones at their cached version).
    pub fn replace_extensions(&self, msg_id: &str, items: &[CachedExtension]) -> Result<()> {
        let gone: Vec<(String, u64)> = self
            .extensions(msg_id)?
            .into_iter()
            .filter(|cached| !items.iter().any(|item| item.key == cached.key))
            .map(|cached| (cached.key, cached.version))
            .collect();
        self.put_extensions(msg_id, items)?;
        self.delete_extensions(msg_id, &gone)?;
        Ok(())
    }

    /// The cached extensions of message `msg_id`, in key order.
    pub fn extensions(&self, msg_id: &str) -> Result<Vec<CachedExtension>> {
        let txn = self.db.begin_read()?;
        let table = match txn.open_table(MESSAGE_EXTENSIONS) {
            Ok(table) => table,
            Err(TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
            Err(error) => return Err(error.into()),
        };
        let mut all = Vec::new();
        // Every (msg_id, key) sorts before (msg_id + NUL, ""), and no other ID between.
        let next = format!("{msg_id}\0");
        for entry in table.range((msg_id, "")..(next.as_str(), ""))? {
            let (key, value) = entry?;
            let (text, version, deleted) = value.value();
            if !deleted {
                all.push(CachedExtension {
                    key: key.value().1.to_owned(),
                    value: text.to_owned(),
                    version,
                });
            }
        }
        Ok(all)
    }

    /// The cached version of key `key` of message `msg_id` (0: not cached or deleted).
    pub fn extension_version(&self, msg_id: &str, key: &str) -> Result<u64> {
        let txn = self.db.begin_read()?;
        let table = match txn.open_table(MESSAGE_EXTENSIONS) {
            Ok(table) => table,
            Err(TableError::TableDoesNotExist(_)) => return Ok(0),
            Err(error) => return Err(error.into()),
        };
        Ok(table
            .get((msg_id, key))?
            .map(|v| (v.value().1, v.value().2))
            .filter(|(_, deleted)| !deleted)
            .map_or(0, |(version, _)| version))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn item(key: &str, value: &str, version: u64) -> CachedExtension {
        CachedExtension {
            key: key.into(),
            value: value.into(),
            version,
        }
    }

    #[test]
    fn the_cache_never_goes_back_to_an_older_state() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("store.redb")).unwrap();
        // No table yet: empty.
        assert!(store.extensions("m").unwrap().is_empty());
        assert_eq!(store.extension_version("m", "k").unwrap(), 0);
        let taken = store
            .put_extensions("m", &[item("k", "new", 3), item("j", "j", 1)])
            .unwrap();
        assert_eq!(taken.len(), 2);
        // An older state arriving late is ignored; the same one again is harmless.
        assert!(
            store
                .put_extensions("m", &[item("k", "old", 2)])
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store
                .put_extensions("m", &[item("k", "new", 3)])
                .unwrap()
                .len(),
            1
        );
        assert_eq!(store.extension_version("m", "k").unwrap(), 3);
        // Deleted at version 3: the state of version 3 arriving late does not bring it back,
        // a later version does.
        assert_eq!(
            store.delete_extensions("m", &[("k".into(), 3)]).unwrap(),
            vec!["k".to_owned()]
        );
        assert!(
            store
                .put_extensions("m", &[item("k", "new", 3)])
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.extension_version("m", "k").unwrap(), 0);
        assert_eq!(store.extensions("m").unwrap(), vec![item("j", "j", 1)]);
        store.put_extensions("m", &[item("k", "again", 5)]).unwrap();
        // A delete older than the cached state leaves it.
        assert!(
            store
                .delete_extensions("m", &[("k".into(), 4)])
                .unwrap()
                .is_empty()
        );
        // Another message's keys are separate; a message whose ID extends this one too.
        store
            .put_extensions("m2", &[item("k", "other", 1)])
            .unwrap();
        assert_eq!(
            store.extensions("m").unwrap(),
            vec![item("j", "j", 1), item("k", "again", 5)]
        );
        // The server's full list replaces the cache.
        store
            .replace_extensions("m", &[item("k", "again", 5)])
            .unwrap();
        assert_eq!(store.extensions("m").unwrap(), vec![item("k", "again", 5)]);
        assert_eq!(store.extensions("m2").unwrap(), vec![item("k", "other", 1)]);
    }
}
