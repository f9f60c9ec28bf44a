//! Opening: migration of a version-0 file, refusal of a newer version, refusal of files that
//! cannot be opened.

use crate::common::*;
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use tim_model::enums::MsgStatus;
use tim_model::{Message, Seq};
use tim_store::schema::SCHEMA_VERSION;
use tim_store::{Store, StoreError};

const META: TableDefinition<&str, u64> = TableDefinition::new("meta");

fn version_in(path: &std::path::Path) -> Option<u64> {
    let db = Database::open(path).unwrap();
    let txn = db.begin_read().unwrap();
    let meta = txn.open_table(META).unwrap();
    meta.get("schema_version").unwrap().map(|row| row.value())
}

#[test]
fn a_version_0_file_is_migrated_and_keeps_everything() {
    let (dir, store) = open_temp();
    let (bob, team) = (c2c("bob"), group("team"));
    store
        .put_messages(&bob, &[text("a", 10, 1), text("b", 10, 1)])
        .unwrap();
    store.put_messages(&team, &[text("t", 5, 1)]).unwrap();
    let sending = Message {
        is_from_self: true,
        seq: Seq(0),
        status: Some(MsgStatus::Sending),
        ..text("s", 20, 0)
    };
    store.enqueue_send(&bob, &sending).unwrap();
    let journal = store.index_journal(100).unwrap();
    drop(store);

    // Version 0: the same tables, without the meta table (no version row, no counters).
    let path = db_path(&dir);
    {
        let db = Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        assert!(txn.delete_table(META).unwrap());
        txn.commit().unwrap();
    }

    let store = reopen(&dir);
    assert_eq!(ids(&all_messages(&store, &bob)), ["a", "b", "s"]);
    assert_eq!(store.index_journal(100).unwrap(), journal);
    // The counters were derived from the data: new numbers follow the old ones.
    store.put_messages(&bob, &[text("c", 10, 1)]).unwrap();
    assert_eq!(
        ids(&all_messages(&store, &bob)),
        ["a", "b", "c", "s"],
        "inserted after a and b"
    );
    let journal_after = store.index_journal(100).unwrap();
    assert!(journal_after.last().unwrap().id > journal.last().unwrap().id);
    store
        .enqueue_send(
            &bob,
            &Message {
                msg_id: Some(id("s2")),
                ..sending
            },
        )
        .unwrap();
    assert_eq!(ids(&store.pending_sends().unwrap()), ["s", "s2"]);
    let carol = c2c("carol");
    store.put_messages(&carol, &[text("new", 1, 1)]).unwrap();
    assert_eq!(
        ids(&all_messages(&store, &carol)),
        ["new"],
        "a new conversation number"
    );
    assert_eq!(ids(&all_messages(&store, &team)), ["t"]);
    assert_eq!(store.conversation(&bob).unwrap().unwrap().unread_count, 3);
    drop(store);
    assert_eq!(version_in(&path), Some(SCHEMA_VERSION));
}

#[test]
fn a_meta_table_without_version_row_is_version_0_too() {
    let (dir, store) = open_temp();
    store
        .put_messages(&c2c("bob"), &[text("a", 10, 1)])
        .unwrap();
    drop(store);
    let path = db_path(&dir);
    {
        let db = Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(META).unwrap().retain(|_, _| false).unwrap();
        txn.commit().unwrap();
    }
    assert_eq!(version_in(&path), None);
    let store = reopen(&dir);
    store
        .put_messages(&c2c("bob"), &[text("b", 10, 1)])
        .unwrap();
    assert_eq!(ids(&all_messages(&store, &c2c("bob"))), ["a", "b"]);
    drop(store);
    assert_eq!(version_in(&path), Some(SCHEMA_VERSION));
}

#[test]
fn a_file_from_a_newer_version_is_refused_and_left_untouched() {
    let (dir, store) = open_temp();
    store
        .put_messages(&c2c("bob"), &[text("a", 10, 1)])
        .unwrap();
    drop(store);
    let path = db_path(&dir);
    {
        let db = Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(META)
            .unwrap()
            .insert("schema_version", SCHEMA_VERSION + 1)
            .unwrap();
        txn.commit().unwrap();
    }
    let Err(error) = Store::open(&path) else {
        panic!("a newer file was opened")
    };
    assert!(
        matches!(error, StoreError::NewerSchema { found, .. } if found == SCHEMA_VERSION + 1),
        "{error:?}"
    );
    assert_eq!(error.code(), 7010);
    assert!(error.to_string().contains("newer tim"), "{error}");
    assert_eq!(version_in(&path), Some(SCHEMA_VERSION + 1));
}

#[test]
fn files_that_cannot_be_opened_are_refused_with_7010() {
    let (dir, store) = open_temp();
    let Err(busy) = Store::open(&db_path(&dir)) else {
        panic!("opened twice")
    };
    assert_eq!(busy.code(), 7010, "{busy}");
    drop(store);

    let garbage = dir.path().join("garbage.redb");
    std::fs::write(&garbage, vec![0x5a; 8192]).unwrap();
    let Err(error) = Store::open(&garbage) else {
        panic!("garbage opened")
    };
    assert_eq!(error.code(), 7010, "{error}");

    let Err(error) = Store::open(&dir.path().join("no/such/dir/store.redb")) else {
        panic!("opened")
    };
    assert_eq!(error.code(), 7010, "{error}");
}

#[test]
fn reopening_keeps_every_kind_of_state() {
    let (dir, store) = open_temp();
    let bob = c2c("bob");
    store
        .put_messages(&bob, &[text("a", 10, 1), text("b", 20, 5)])
        .unwrap();
    store
        .mark_read(
            &bob,
            tim_store::ReadMark {
                time: 10,
                seq: Seq(0),
            },
        )
        .unwrap();
    let state = store.conversation(&bob).unwrap();
    let ranges = store.held_ranges(&bob).unwrap();
    drop(store);
    let store = reopen(&dir);
    assert_eq!(store.conversation(&bob).unwrap(), state);
    assert_eq!(store.held_ranges(&bob).unwrap(), ranges);
    assert_eq!(ids(&all_messages(&store, &bob)), ["a", "b"]);
}

#[test]
fn a_new_file_has_every_table_and_a_missing_one_is_added_back() {
    let (dir, store) = open_temp();
    drop(store);
    let path = db_path(&dir);
    let tables = || {
        let db = Database::open(&path).unwrap();
        let txn = db.begin_read().unwrap();
        let mut names: Vec<String> = txn
            .list_tables()
            .unwrap()
            .map(|table| redb::TableHandle::name(&table).to_owned())
            .collect();
        names.sort();
        names
    };
    let all = tables();
    assert_eq!(
        all,
        [
            "blobs",
            "conversation_message_ids",
            "conversation_numbers",
            "conversations",
            "held_ranges",
            "index_journal",
            "locators",
            "message_ids",
            "messages",
            "meta",
            "peer_read",
            "send_queue",
            "seqs",
            "unread_candidates",
        ]
    );
    {
        let db = Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        let held: TableDefinition<(u64, u64), u64> = TableDefinition::new("held_ranges");
        assert!(txn.delete_table(held).unwrap());
        txn.commit().unwrap();
    }
    let store = reopen(&dir);
    store.mark_range_held(&c2c("bob"), Seq(1), Seq(2)).unwrap();
    assert_eq!(store.held_ranges(&c2c("bob")).unwrap(), [(Seq(1), Seq(2))]);
    drop(store);
    assert_eq!(tables(), all);
}

#[test]
fn a_version_1_file_gets_its_locator_index_rebuilt() {
    let (dir, store) = open_temp();
    let (bob, team) = (c2c("bob"), group("team"));
    let [mine, theirs, unsent] = locator_messages();
    store
        .put_messages(&team, &[mine, theirs, unsent.clone()])
        .unwrap();
    store.put_messages(&bob, &[text("a", 10, 1)]).unwrap();
    drop(store);

    // Version 1 keyed the locator index by (conv no, rand, insert no) and kept (order time,
    // seq, is_self) as value.
    let path = db_path(&dir);
    {
        let current: TableDefinition<(u64, u64, u64, u64), (u64, bool)> =
            TableDefinition::new("locators");
        let old: TableDefinition<(u64, u64, u64), (u64, u64, bool)> =
            TableDefinition::new("locators");
        let db = Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        let entries: Vec<_> = txn
            .open_table(current)
            .unwrap()
            .iter()
            .unwrap()
            .map(|entry| {
                let (key, value) = entry.unwrap();
                (key.value(), value.value())
            })
            .collect();
        assert_eq!(entries.len(), 4);
        assert!(txn.delete_table(current).unwrap());
        {
            let mut table = txn.open_table(old).unwrap();
            for ((conv_no, time, rand, insert_no), (seq, is_self)) in entries {
                table
                    .insert((conv_no, rand, insert_no), (time, seq, is_self))
                    .unwrap();
            }
            txn.open_table(META)
                .unwrap()
                .insert("schema_version", 1)
                .unwrap();
        }
        txn.commit().unwrap();
    }
    assert_eq!(version_in(&path), Some(1));

    let store = reopen(&dir);
    let find = |conv: &tim_model::ConvId, rand: u64, time: u64, seq: u64, is_self: bool| {
        let locator = tim_model::MsgLocator {
            rand,
            time,
            seq: Seq(seq),
            is_self,
            ..tim_model::MsgLocator::default()
        };
        store
            .find_by_locator(conv, &locator)
            .unwrap()
            .map(|found| ids(&[found])[0].clone())
    };
    assert_eq!(find(&team, 7, 20, 2, true).as_deref(), Some("mine"));
    assert_eq!(find(&team, 7, 0, 3, false).as_deref(), Some("theirs"));
    assert_eq!(find(&team, 7, 0, 0, false).as_deref(), Some("theirs"));
    assert_eq!(find(&team, 8, 25, 0, false).as_deref(), Some("unsent"));
    let a = text("a", 10, 1).locator();
    assert_eq!(find(&bob, a.rand, a.time, 0, false).as_deref(), Some("a"));
    assert_eq!(find(&team, 7, 21, 3, true), None);
    // The rebuilt index is kept in step by later writes.
    store.delete_messages(&[id("theirs")]).unwrap();
    assert_eq!(find(&team, 7, 0, 0, false), None);
    store
        .put_messages(
            &team,
            &[Message {
                server_time: 30,
                seq: Seq(9),
                ..unsent
            }],
        )
        .unwrap();
    assert_eq!(find(&team, 8, 25, 0, false), None);
    assert_eq!(find(&team, 8, 30, 9, false).as_deref(), Some("unsent"));
    drop(store);
    assert_eq!(version_in(&path), Some(SCHEMA_VERSION));
}
