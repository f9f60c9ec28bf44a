//! Message IDs in [`RedbStorage`](super::RedbStorage): a message ID belongs to its sender.
//!
//! - `sent_ids` (app, sender, ID) is the sender's own namespace: send dedup (a retry is a
//!   duplicate with the first ack) and cancel. Another user's use of the same ID is never
//!   seen there, so it can neither block, swallow nor reveal a message.
//! - `conv_msg_ids` (conversation number, ID, sender) -> seq finds a message of one
//!   conversation by ID. When senders share an ID, [`find_in_conv`] prefers the caller's own
//!   message and otherwise the oldest, so a later copy of someone's ID never shadows it.

use super::{CONV_MSG_IDS, LEGACY_MSG_IDS, MESSAGES, SENT_IDS, decode};
use crate::storage::StorageError;
use crate::storage::records::decode_msg_id;
use redb::{ReadableTable, TableHandle, WriteTransaction};
use tim_proto::v1;

/// The seq of message `msg_id` in conversation `conv_no` as `caller` finds it: the caller's
/// own message with that ID if there is one, else the oldest. The candidates are at most one
/// per sender of the conversation.
pub(super) fn find_in_conv<T>(
    table: &T,
    conv_no: u64,
    msg_id: &str,
    caller: &str,
) -> Result<Option<u64>, StorageError>
where
    T: ReadableTable<(u64, &'static str, &'static str), u64>,
{
    let mut oldest: Option<u64> = None;
    for entry in table.range::<(u64, &str, &str)>((conv_no, msg_id, "")..)? {
        let (key, seq) = entry?;
        let (entry_conv, entry_id, sender) = key.value();
        if entry_conv != conv_no || entry_id != msg_id {
            break;
        }
        let seq = seq.value();
        if sender == caller {
            return Ok(Some(seq));
        }
        oldest = Some(oldest.map_or(seq, |o| o.min(seq)));
    }
    Ok(oldest)
}

/// Moves the schema-1 `msg_ids` table (keyed by app and ID only) into `sent_ids` and
/// `conv_msg_ids`, reading each message's sender from the message itself, then drops it.
/// Cancelled entries of schema 1 name no sender and are dropped: they only mattered to a
/// send still being retried across the upgrade.
pub(super) fn migrate_legacy_msg_ids(txn: &WriteTransaction) -> Result<(), StorageError> {
    let exists = txn
        .list_tables()?
        .any(|table| table.name() == LEGACY_MSG_IDS.name());
    if !exists {
        return Ok(());
    }
    {
        let legacy = txn.open_table(LEGACY_MSG_IDS)?;
        let messages = txn.open_table(MESSAGES)?;
        let mut sent_ids = txn.open_table(SENT_IDS)?;
        let mut conv_ids = txn.open_table(CONV_MSG_IDS)?;
        for entry in legacy.iter()? {
            let (key, value) = entry?;
            let (app, msg_id) = key.value();
            let Some(Some(stored)) = decode_msg_id(value.value()) else {
                continue;
            };
            let Some(bytes) = messages.get((stored.conv_no, stored.seq))? else {
                continue;
            };
            let message: v1::Message = decode(bytes.value(), "message")?;
            sent_ids.insert((app, message.sender.as_str(), msg_id), value.value())?;
            conv_ids.insert(
                (stored.conv_no, msg_id, message.sender.as_str()),
                stored.seq,
            )?;
        }
    }
    txn.delete_table(LEGACY_MSG_IDS)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::records::{StoredId, encode_stored_id};
    use prost::Message as _;
    #[allow(unused_imports)]
    use redb::ReadableDatabase as _;

    #[test]
    fn a_schema_1_database_keeps_its_message_ids_after_the_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.redb");
        {
            let db = redb::Database::create(&path).unwrap();
            let txn = db.begin_write().unwrap();
            {
                let mut legacy = txn.open_table(LEGACY_MSG_IDS).unwrap();
                let mut messages = txn.open_table(MESSAGES).unwrap();
                let message = v1::Message {
                    sender: "alice".into(),
                    seq: 4,
                    ..Default::default()
                };
                messages
                    .insert((9, 4), message.encode_to_vec().as_slice())
                    .unwrap();
                let stored = StoredId {
                    conv_no: 9,
                    seq: 4,
                    server_time: 100,
                    rand: 5,
                };
                legacy
                    .insert((1, "m1"), encode_stored_id(stored).as_slice())
                    .unwrap();
                legacy.insert((1, "gone"), [2u8].as_slice()).unwrap();
            }
            txn.commit().unwrap();
        }
        drop(super::super::RedbStorage::open_file(&path).unwrap());
        let db = redb::Database::create(&path).unwrap();
        let txn = db.begin_read().unwrap();
        let sent = txn.open_table(SENT_IDS).unwrap();
        let entry = sent.get((1, "alice", "m1")).unwrap().unwrap();
        assert_eq!(decode_msg_id(entry.value()).unwrap().unwrap().seq, 4);
        let conv_ids = txn.open_table(CONV_MSG_IDS).unwrap();
        assert_eq!(find_in_conv(&conv_ids, 9, "m1", "bob").unwrap(), Some(4));
        assert_eq!(find_in_conv(&conv_ids, 9, "m2", "bob").unwrap(), None);
        assert!(
            txn.open_table(LEGACY_MSG_IDS).is_err(),
            "the old table stays"
        );
    }
}
