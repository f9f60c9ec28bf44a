//! Files of earlier versions: the data model's tables were typed redb tables. At open such a
//! file is converted, in one transaction, to the byte tables of the [`KvStore`] layout (same
//! table names, keys and values re-encoded by [`codec`]); a crash during it leaves the old
//! file as it was. A `tim_format` table marks converted and new files.
//!
//! Before that, a schema-1 `msg_ids` table (message IDs keyed by app only) is moved into
//! `sent_ids` and `conv_msg_ids`, as the typed layout did.
//!
//! [`KvStore`]: tim_server_storage::kv::KvStore

use crate::Redb as _;
use ::redb::{
    Database, MultimapTableDefinition, MultimapTableHandle, ReadableMultimapTable, ReadableTable,
    TableDefinition, TableHandle, WriteTransaction,
};
use prost::Message as _;
use tim_proto::v1;
use tim_server_storage::StorageError;
use tim_server_storage::kv::codec;
use tim_server_storage::records::decode_msg_id;

/// Marks a file in the byte-table layout: `version` -> [`FORMAT_VERSION`].
const FORMAT: TableDefinition<&str, u64> = TableDefinition::new("tim_format");
/// The layout this code writes.
const FORMAT_VERSION: u64 = 2;

const LEGACY_MSG_IDS: TableDefinition<(u64, &str), &[u8]> = TableDefinition::new("msg_ids");
const MESSAGES: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("messages");
const SENT_IDS: TableDefinition<(u64, &str, &str), &[u8]> = TableDefinition::new("sent_ids");
const CONV_MSG_IDS: TableDefinition<(u64, &str, &str), u64> = TableDefinition::new("conv_msg_ids");
const MERGE_CARRIERS: MultimapTableDefinition<(u64, &str), &[u8]> =
    MultimapTableDefinition::new("merge_carriers");

/// Converts a file of the typed layout, marks a new file; refuses a newer layout.
pub(super) fn convert(db: &Database) -> Result<(), StorageError> {
    let txn = db.begin_write().redb()?;
    let names: Vec<String> = txn
        .list_tables()
        .redb()?
        .map(|t| t.name().to_owned())
        .collect();
    if names.iter().any(|name| name == FORMAT.name()) {
        let version = txn
            .open_table(FORMAT)
            .redb()?
            .get("version")
            .redb()?
            .map(|v| v.value())
            .unwrap_or(0);
        if version > FORMAT_VERSION {
            return Err(StorageError::new(format!(
                "server.redb has layout {version}, newer than this server's {FORMAT_VERSION}: \
                 run a newer tim-server (the file was left untouched)"
            )));
        }
        return Ok(());
    }
    if !names.is_empty() {
        migrate_legacy_msg_ids(&txn, &names)?;
        // The move may have made `sent_ids` and `conv_msg_ids`.
        let names: Vec<String> = txn
            .list_tables()
            .redb()?
            .map(|t| t.name().to_owned())
            .collect();
        convert_tables(&txn, &names)?;
        convert_carriers(&txn)?;
    }
    txn.open_table(FORMAT)
        .redb()?
        .insert("version", FORMAT_VERSION)
        .redb()?;
    txn.commit().redb()?;
    Ok(())
}

/// Re-encodes each typed table present into a byte table of the same name.
macro_rules! convert {
    ($txn:expr, $names:expr; $($name:literal: $k:ty => $v:ty),* $(,)?) => {$(
        if $names.iter().any(|n| n == $name) {
            let legacy: TableDefinition<$k, $v> = TableDefinition::new($name);
            let staged: TableDefinition<&[u8], &[u8]> =
                TableDefinition::new(concat!($name, ".converting"));
            {
                let from = $txn.open_table(legacy).redb()?;
                let mut to = $txn.open_table(staged).redb()?;
                for entry in from.iter().redb()? {
                    let (key, value) = entry.redb()?;
                    let key = <$k as codec::Key>::encode(&key.value())?;
                    let value = <$v as codec::Value>::encode(&value.value());
                    to.insert(key.as_slice(), value.as_slice()).redb()?;
                }
            }
            $txn.delete_table(legacy).redb()?;
            $txn.rename_table(staged, TableDefinition::<&[u8], &[u8]>::new($name)).redb()?;
        }
    )*};
}

fn convert_tables(txn: &WriteTransaction, names: &[String]) -> Result<(), StorageError> {
    convert!(txn, names;
        "meta": &'static str => u64,
        "users": (u64, &'static str) => u64,
        "heads": u64 => u64,
        "events": (u64, u64) => &'static [u8],
        "convs": &'static str => (u64, u64),
        "messages": (u64, u64) => &'static [u8],
        "sent_ids": (u64, &'static str, &'static str) => &'static [u8],
        "conv_msg_ids": (u64, &'static str, &'static str) => u64,
        "log_start": u64 => u64,
        "user_peers": (u64, &'static str, &'static str) => (),
        "user_groups": (u64, &'static str, &'static str) => (),
        "groups": (u64, &'static str) => &'static [u8],
        "members": (u64, &'static str, &'static str) => &'static [u8],
        "member_order": (u64, &'static str, u64) => &'static str,
        "deleted": (u64, u64, u64) => u8,
        "cleared": (u64, u64) => u64,
        "delete_calls": u64 => u64,
        "ext_values": (u64, u64, &'static str) => (&'static str, u64),
        "ext_meta": (u64, u64) => (u64, u64),
        "media": (u64, &'static str) => &'static [u8],
        "media_unreferenced": (u64, u64, &'static str) => &'static str,
        "merge_bundles": (u64, &'static str) => (u32, &'static [u8]),
        "merge_readers": (u64, &'static str, &'static str) => (),
        "push_tokens": (u64, &'static str, &'static str) => (i32, &'static [u8]),
        "push_token_set_order": (u64, &'static str, &'static str) => u64,
        "c2c_read": (u64, &'static str, &'static str) => u64,
        "group_read": (u64, &'static str, &'static str) => u64,
        "receipts": (u64, u64, &'static str) => (),
        "recv_opts": (u64, &'static str, u8, &'static str) => u8,
        "recv_opt_calls": (u64, &'static str) => (u64, u64),
    );
    Ok(())
}

/// The typed multimap `merge_carriers` becomes one byte entry per (key, carrier).
fn convert_carriers(txn: &WriteTransaction) -> Result<(), StorageError> {
    let exists = txn
        .list_multimap_tables()
        .redb()?
        .any(|t| t.name() == MERGE_CARRIERS.name());
    if !exists {
        return Ok(());
    }
    let mut entries = Vec::new();
    {
        let carriers = txn.open_multimap_table(MERGE_CARRIERS).redb()?;
        for entry in carriers.iter().redb()? {
            let (key, values) = entry.redb()?;
            let key = key.value();
            let prefix = <(u64, &'static str) as codec::Key>::encode_prefix(&key)?;
            for value in values {
                let mut bytes = prefix.clone();
                bytes.extend_from_slice(value.redb()?.value());
                entries.push(bytes);
            }
        }
    }
    txn.delete_multimap_table(MERGE_CARRIERS).redb()?;
    let mut table = txn
        .open_table(TableDefinition::<&[u8], &[u8]>::new("merge_carriers"))
        .redb()?;
    for entry in entries {
        table.insert(entry.as_slice(), [].as_slice()).redb()?;
    }
    Ok(())
}

/// Moves the schema-1 `msg_ids` table (keyed by app and ID only) into the typed `sent_ids`
/// and `conv_msg_ids`, reading each message's sender from the message itself, then drops it.
/// Cancelled entries of schema 1 name no sender and are dropped: they only mattered to a send
/// still being retried across the upgrade.
fn migrate_legacy_msg_ids(txn: &WriteTransaction, names: &[String]) -> Result<(), StorageError> {
    if !names.iter().any(|name| name == LEGACY_MSG_IDS.name()) {
        return Ok(());
    }
    {
        let legacy = txn.open_table(LEGACY_MSG_IDS).redb()?;
        let messages = txn.open_table(MESSAGES).redb()?;
        let mut sent_ids = txn.open_table(SENT_IDS).redb()?;
        let mut conv_ids = txn.open_table(CONV_MSG_IDS).redb()?;
        for entry in legacy.iter().redb()? {
            let (key, value) = entry.redb()?;
            let (app, msg_id) = key.value();
            let Some(Some(stored)) = decode_msg_id(value.value()) else {
                continue;
            };
            let Some(bytes) = messages.get((stored.conv_no, stored.seq)).redb()? else {
                continue;
            };
            let message = v1::Message::decode(bytes.value())
                .map_err(|e| StorageError::new(format!("stored message is unreadable: {e}")))?;
            sent_ids
                .insert((app, message.sender.as_str(), msg_id), value.value())
                .redb()?;
            conv_ids
                .insert(
                    (stored.conv_no, msg_id, message.sender.as_str()),
                    stored.seq,
                )
                .redb()?;
        }
    }
    txn.delete_table(LEGACY_MSG_IDS).redb()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use ::redb::ReadableDatabase as _;
    use tim_model::ids::{MessageId, UserId};
    use tim_server_storage::records::{StoredId, encode_stored_id};
    use tim_server_storage::{AppId, MsgIdState, Storage};

    const USERS: TableDefinition<(u64, &str), u64> = TableDefinition::new("users");

    fn schema_1_file(path: &std::path::Path) {
        let db = Database::create(path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut legacy = txn.open_table(LEGACY_MSG_IDS).unwrap();
            let mut messages = txn.open_table(MESSAGES).unwrap();
            let mut users = txn.open_table(USERS).unwrap();
            users.insert((1, "alice"), 1).unwrap();
            users.insert((1, "bob"), 2).unwrap();
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
            let mut carriers = txn.open_multimap_table(MERGE_CARRIERS).unwrap();
            carriers
                .insert((1, "key"), b"g\0\0\0\0\0\0\0\x04".as_slice())
                .unwrap();
        }
        txn.commit().unwrap();
    }

    #[test]
    fn a_typed_schema_1_file_keeps_its_users_and_message_ids_after_the_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.redb");
        schema_1_file(&path);
        let storage = super::super::open_file(&path).unwrap();
        const APP: AppId = 1;
        let alice = UserId::new("alice").unwrap();
        assert_eq!(storage.user(APP, &alice).unwrap().unwrap().tiny_id, 1);
        let state = storage
            .msg_id_state(APP, &alice, &MessageId::new("m1").unwrap())
            .unwrap();
        assert!(
            matches!(state, Some(MsgIdState::Stored(ack)) if ack.seq == 4),
            "the stored ID survives"
        );
        drop(storage);

        // Opening again changes nothing; the old typed tables are gone.
        drop(super::super::open_file(&path).unwrap());
        let db = Database::create(&path).unwrap();
        let txn = db.begin_read().unwrap();
        let names: Vec<String> = txn
            .list_tables()
            .unwrap()
            .map(|t| t.name().to_owned())
            .collect();
        assert!(!names.iter().any(|n| n == "msg_ids"), "{names:?}");
        assert!(txn.open_table(USERS).is_err(), "users is a byte table now");
        assert_eq!(
            txn.open_table(FORMAT)
                .unwrap()
                .get("version")
                .unwrap()
                .unwrap()
                .value(),
            FORMAT_VERSION
        );
    }

    #[test]
    fn a_newer_layout_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.redb");
        {
            let db = Database::create(&path).unwrap();
            let txn = db.begin_write().unwrap();
            txn.open_table(FORMAT)
                .unwrap()
                .insert("version", 99)
                .unwrap();
            txn.commit().unwrap();
        }
        let error = super::super::open_file(&path).unwrap_err();
        assert!(error.detail().contains("newer"), "{error}");
        let db = Database::create(&path).unwrap();
        let txn = db.begin_read().unwrap();
        assert_eq!(
            txn.open_table(FORMAT)
                .unwrap()
                .get("version")
                .unwrap()
                .unwrap()
                .value(),
            99
        );
    }
}
