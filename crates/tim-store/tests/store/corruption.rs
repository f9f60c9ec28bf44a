//! Damaged records: a read skips them and reports them, and every other record still loads.
//! The damage is written through redb directly, as a disk or a bug elsewhere could.

use crate::common::*;
use redb::{Database, ReadableTable, TableDefinition};
use tim_model::enums::MsgStatus;
use tim_model::{Message, Seq};
use tim_store::{Anchor, Direction, JournalOp, PageQuery};

const MESSAGES: TableDefinition<(u64, u64, u64, u64), &[u8]> = TableDefinition::new("messages");
const MESSAGE_IDS: TableDefinition<&str, (u64, u64, u64, u64, u64)> =
    TableDefinition::new("message_ids");
const CONVERSATIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("conversations");
const JOURNAL: TableDefinition<u64, &[u8]> = TableDefinition::new("index_journal");

/// Overwrites the records of the messages `names` with `garbage`.
fn damage_messages(path: &std::path::Path, names: &[&str], garbage: &[u8]) {
    let db = Database::open(path).unwrap();
    let txn = db.begin_write().unwrap();
    {
        let ids = txn.open_table(MESSAGE_IDS).unwrap();
        let mut messages = txn.open_table(MESSAGES).unwrap();
        for name in names {
            let (conv, time, seq, insert_no, _) = ids.get(*name).unwrap().unwrap().value();
            messages
                .insert((conv, time, seq, insert_no), garbage)
                .unwrap();
        }
    }
    txn.commit().unwrap();
}

#[test]
fn a_damaged_message_is_skipped_and_reported_by_every_read() {
    let (dir, store) = open_temp();
    let bob = c2c("bob");
    let sending = Message {
        is_from_self: true,
        seq: Seq(0),
        status: Some(MsgStatus::Sending),
        ..text("s", 40, 0)
    };
    store
        .put_messages(
            &bob,
            &[text("a", 10, 1), text("b", 20, 2), text("c", 30, 3)],
        )
        .unwrap();
    store.enqueue_send(&bob, &sending).unwrap();
    drop(store);
    damage_messages(&db_path(&dir), &["b", "s"], &[1, 0xff, 0xff, 0xff, 0x0f]);

    let store = reopen(&dir);
    assert!(store.skipped_records().is_empty());
    assert_eq!(
        ids(&store.get_messages(&[id("a"), id("b"), id("c")]).unwrap()),
        ["a", "c"]
    );
    assert_eq!(ids(&all_messages(&store, &bob)), ["a", "c"]);
    let newest = store
        .page(&bob, &PageQuery::new(Anchor::Newest, Direction::Older, 2))
        .unwrap();
    assert_eq!(
        ids(&newest),
        ["c", "a"],
        "the page is filled past the damaged record"
    );
    assert!(store.pending_sends().unwrap().is_empty());
    assert_eq!(
        store.conversation(&bob).unwrap().unwrap().last_message,
        Some(id("c"))
    );
    let locator = text("b", 20, 2).locator();
    assert_eq!(store.find_by_locator(&bob, &locator).unwrap(), None);

    let skipped = store.skipped_records();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(
        skipped
            .iter()
            .all(|record| record.table == "messages" && !record.error.is_empty())
    );
    assert!(
        skipped
            .iter()
            .any(|record| record.error.contains("message b")),
        "{skipped:?}"
    );

    // The journal reads the damaged messages as deletes (the index drops what cannot be read).
    let deletes: Vec<String> = store
        .index_journal(100)
        .unwrap()
        .into_iter()
        .filter_map(|entry| match entry.op {
            JournalOp::Delete { msg_id } => Some(msg_id.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(deletes, ["b", "s"]);

    // Changing the local data of a damaged message needs its record: 6005.
    assert_eq!(
        store
            .set_local_custom_data(&id("b"), 1, "x")
            .unwrap_err()
            .code(),
        6005
    );
    // Replacing or deleting it needs no decoding, and repairs the conversation.
    assert!(store.update_message(&text("b", 20, 2)).unwrap());
    assert_eq!(ids(&all_messages(&store, &bob)), ["a", "b", "c"]);
    assert_eq!(store.delete_messages(&[id("s")]).unwrap(), [id("s")]);
    let state = store.conversation(&bob).unwrap().unwrap();
    assert_eq!((state.message_count, state.unread_count), (3, 3));
}

#[test]
fn records_of_an_unknown_version_or_empty_are_skipped_too() {
    let (dir, store) = open_temp();
    let bob = c2c("bob");
    store
        .put_messages(
            &bob,
            &[text("a", 10, 1), text("b", 20, 2), text("c", 30, 3)],
        )
        .unwrap();
    drop(store);
    damage_messages(&db_path(&dir), &["a"], &[]);
    damage_messages(&db_path(&dir), &["c"], &[9, 1, 2, 3]);
    let store = reopen(&dir);
    assert_eq!(ids(&all_messages(&store, &bob)), ["b"]);
    assert_eq!(store.skipped_records().len(), 2);
}

#[test]
fn damaged_conversations_and_journal_entries_are_skipped_and_reported() {
    let (dir, store) = open_temp();
    store
        .put_messages(&c2c("bob"), &[text("a", 10, 1)])
        .unwrap();
    store
        .put_messages(&group("team"), &[text("t", 10, 1)])
        .unwrap();
    store.delete_messages(&[id("t")]).unwrap();
    drop(store);
    {
        let db = Database::open(db_path(&dir)).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut conversations = txn.open_table(CONVERSATIONS).unwrap();
            conversations.insert("c2c_bob", &b"garbage"[..]).unwrap();
            let mut journal = txn.open_table(JOURNAL).unwrap();
            let first = journal.first().unwrap().unwrap().0.value();
            journal.insert(first, &[1, 77, b'x'][..]).unwrap();
        }
        txn.commit().unwrap();
    }
    let store = reopen(&dir);
    let listed: Vec<String> = store
        .conversations()
        .unwrap()
        .iter()
        .map(|(conv, _)| conv.to_string())
        .collect();
    assert_eq!(listed, ["group_team"]);
    assert_eq!(store.conversation(&c2c("bob")).unwrap(), None);
    let journal = store.index_journal(10).unwrap();
    assert_eq!(journal.len(), 2, "{journal:?}");
    let tables: Vec<&str> = store
        .skipped_records()
        .iter()
        .map(|record| record.table)
        .collect();
    assert_eq!(tables, ["conversations", "index_journal"]);
    // A write that needs the damaged conversation record says so.
    assert_eq!(
        store
            .put_messages(&c2c("bob"), &[text("x", 1, 1)])
            .unwrap_err()
            .code(),
        6005
    );
    // Other conversations keep working.
    store
        .put_messages(&group("team"), &[text("u", 11, 2)])
        .unwrap();
    assert_eq!(ids(&all_messages(&store, &group("team"))), ["u"]);
}
