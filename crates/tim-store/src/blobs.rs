//! Small opaque records the engine keeps beside the messages (the `blobs` table): the
//! conversation attributes synced from the server, drafts, the user's own profile. The store
//! does not read them; the engine owns their encoding. Keys are namespaced by a prefix
//! (`conv_attrs/…`, `draft/…`).

use redb::TableDefinition;

use crate::Store;
use crate::error::Result;
use crate::schema::names;

/// Key -> bytes.
pub(crate) const BLOBS: TableDefinition<&str, &[u8]> = TableDefinition::new(names::BLOBS);

impl Store {
    /// The record at `key`.
    pub fn blob(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let txn = self.read()?;
        let table = txn.open_table(BLOBS)?;
        Ok(table.get(key)?.map(|v| v.value().to_vec()))
    }

    /// Every record whose key starts with `prefix`, by key.
    pub fn blobs_with_prefix(&self, prefix: &str) -> Result<Vec<(String, Vec<u8>)>> {
        let txn = self.read()?;
        let table = txn.open_table(BLOBS)?;
        let mut found = Vec::new();
        for entry in table.range(prefix..)? {
            let (key, value) = entry?;
            let key = key.value();
            if !key.starts_with(prefix) {
                break;
            }
            found.push((key.to_owned(), value.value().to_vec()));
        }
        Ok(found)
    }

    /// Writes (`Some`) or removes (`None`) records, in one transaction.
    pub fn put_blobs(&self, changes: &[(String, Option<Vec<u8>>)]) -> Result<()> {
        let txn = self.db.begin_write()?;
        {
            let mut table = txn.open_table(BLOBS)?;
            for (key, value) in changes {
                match value {
                    Some(bytes) => {
                        table.insert(key.as_str(), bytes.as_slice())?;
                    }
                    None => {
                        table.remove(key.as_str())?;
                    }
                }
            }
        }
        txn.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_written_read_by_prefix_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.redb")).unwrap();
        store
            .put_blobs(&[
                ("a/1".into(), Some(vec![1])),
                ("a/2".into(), Some(vec![2])),
                ("b/1".into(), Some(vec![3])),
            ])
            .unwrap();
        assert_eq!(store.blob("a/2").unwrap(), Some(vec![2]));
        let a: Vec<String> = store
            .blobs_with_prefix("a/")
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(a, ["a/1", "a/2"]);
        store.put_blobs(&[("a/1".into(), None)]).unwrap();
        assert_eq!(store.blobs_with_prefix("a/").unwrap().len(), 1);
        assert_eq!(store.blob("missing").unwrap(), None);
    }
}
