//! The search-index journal: an entry for every change to messages, in the same transaction,
//! surviving reopen; applying it in order reproduces the store.

use crate::common::*;
use std::collections::BTreeMap;
use tim_model::enums::MsgStatus;
use tim_model::{ConvId, Message, Seq};
use tim_store::{JournalEntry, JournalOp, ReadMark, Store};

/// The journal as (kind, message ID or conversation) pairs.
fn summary(entries: &[JournalEntry]) -> Vec<(&'static str, String)> {
    entries
        .iter()
        .map(|entry| match &entry.op {
            JournalOp::Upsert { message, .. } => {
                ("upsert", ids(std::slice::from_ref(message))[0].clone())
            }
            JournalOp::Delete { msg_id } => ("delete", msg_id.to_string()),
            JournalOp::ClearConversation { conv } => ("clear", conv.to_string()),
        })
        .collect()
}

/// A stand-in for the search index: message ID -> (conversation, message).
fn apply(index: &mut BTreeMap<String, (ConvId, Message)>, entries: &[JournalEntry]) {
    for entry in entries {
        match &entry.op {
            JournalOp::Upsert { conv, message } => {
                index.insert(
                    ids(std::slice::from_ref(message))[0].clone(),
                    (conv.clone(), message.clone()),
                );
            }
            JournalOp::Delete { msg_id } => {
                index.remove(msg_id.as_str());
            }
            JournalOp::ClearConversation { conv } => {
                index.retain(|_, (indexed, _)| indexed != conv)
            }
        }
    }
}

/// Every stored message, as the index should hold it.
fn stored(store: &Store) -> BTreeMap<String, (ConvId, Message)> {
    let mut all = BTreeMap::new();
    for (conv, _) in store.conversations().unwrap() {
        for message in all_messages(store, &conv) {
            all.insert(
                ids(std::slice::from_ref(&message))[0].clone(),
                (conv.clone(), message),
            );
        }
    }
    all
}

#[test]
fn every_change_to_messages_appends_an_entry_and_nothing_else_does() {
    let (_dir, store) = open_temp();
    let bob = c2c("bob");
    store
        .put_messages(&bob, &[text("a", 10, 1), text("b", 11, 2)])
        .unwrap();
    store
        .update_message(&Message {
            status: Some(MsgStatus::Revoked),
            ..text("a", 10, 1)
        })
        .unwrap();
    store.set_local_custom_data(&id("a"), 1, "x").unwrap();
    store.delete_messages(&[id("b"), id("unknown")]).unwrap();
    let sending = Message {
        is_from_self: true,
        seq: Seq(0),
        ..text("s", 12, 0)
    };
    store.enqueue_send(&bob, &sending).unwrap();
    store
        .complete_send(&Message {
            seq: Seq(3),
            ..sending
        })
        .unwrap();
    // None of these change a message.
    store
        .mark_read(
            &bob,
            ReadMark {
                time: 100,
                seq: Seq(0),
            },
        )
        .unwrap();
    store
        .set_recv_opt(&bob, tim_model::enums::ReceiveMessageOpt::NotReceive)
        .unwrap();
    store.mark_range_held(&bob, Seq(1), Seq(9)).unwrap();
    store.update_message(&text("unknown", 1, 1)).unwrap();

    let entries = store.index_journal(100).unwrap();
    let upsert = |name: &str| ("upsert", name.to_owned());
    let delete = |name: &str| ("delete", name.to_owned());
    // b's upsert reads as a delete: entries name messages, which are read as they are now.
    let expected = [
        upsert("a"),
        delete("b"),
        upsert("a"),
        upsert("a"),
        delete("b"),
        upsert("s"),
        upsert("s"),
    ];
    assert_eq!(summary(&entries), expected);

    store.clear_conversation(&bob).unwrap();
    store.clear_conversation(&bob).unwrap();
    let after_clear = store.index_journal(100).unwrap();
    assert_eq!(
        after_clear.len(),
        8,
        "one entry for the clear, none for clearing nothing"
    );
    assert_eq!(summary(&after_clear)[7], ("clear", "c2c_bob".to_owned()));
    assert!(
        summary(&after_clear)
            .iter()
            .all(|(kind, _)| *kind != "upsert")
    );
    assert!(after_clear.windows(2).all(|pair| pair[0].id < pair[1].id));
    assert!(store.index_journal(0).unwrap().is_empty());
    assert_eq!(store.index_journal(3).unwrap(), after_clear[..3]);
}

#[test]
fn upserts_carry_the_message_as_it_is_now() {
    let (_dir, store) = open_temp();
    let team = group("team");
    store.put_messages(&team, &[text("a", 10, 1)]).unwrap();
    store.set_local_custom_data(&id("a"), 7, "now").unwrap();
    let entries = store.index_journal(10).unwrap();
    assert_eq!(
        summary(&entries),
        [("upsert", "a".into()), ("upsert", "a".into())]
    );
    for entry in &entries {
        let JournalOp::Upsert { conv, message } = &entry.op else {
            panic!("{entry:?}")
        };
        assert_eq!(conv, &team);
        assert_eq!((message.custom_int, message.conv_id.as_str()), (7, "team"));
    }
}

#[test]
fn acknowledged_entries_go_and_the_rest_survive_a_reopen() {
    let (dir, store) = open_temp();
    let bob = c2c("bob");
    for n in 0..5 {
        store
            .put_messages(&bob, &[text(&format!("m{n}"), n, n + 1)])
            .unwrap();
    }
    let entries = store.index_journal(10).unwrap();
    assert_eq!(entries.len(), 5);
    store.ack_index_journal(entries[2].id).unwrap();
    assert_eq!(store.index_journal(10).unwrap(), entries[3..]);
    drop(store);

    let store = reopen(&dir);
    assert_eq!(store.index_journal(10).unwrap(), entries[3..]);
    store.ack_index_journal(u64::MAX).unwrap();
    assert!(store.index_journal(10).unwrap().is_empty());
    store.put_messages(&bob, &[text("later", 100, 50)]).unwrap();
    let later = store.index_journal(10).unwrap();
    assert_eq!(later.len(), 1);
    assert!(later[0].id > entries[4].id, "IDs are never reused");
}

#[test]
fn applying_the_journal_in_any_number_of_steps_reproduces_the_store() {
    let (_dir, store) = open_temp();
    let (bob, team) = (c2c("bob"), group("team"));
    let mut index = BTreeMap::new();
    let mut rng = Rng::new(0x5eed);
    for step in 0..60_u64 {
        let conv = if rng.below(2) == 0 { &bob } else { &team };
        let name = format!("m{}", rng.below(12));
        match rng.below(6) {
            0 | 1 => drop(
                store
                    .put_messages(conv, &[text(&name, rng.below(50), step + 1)])
                    .unwrap(),
            ),
            2 => drop(
                store
                    .update_message(&Message {
                        cloud_custom_str: format!("v{step}"),
                        ..text(&name, rng.below(50), 0)
                    })
                    .unwrap(),
            ),
            3 => drop(store.delete_messages(&[id(&name)]).unwrap()),
            4 => drop(
                store
                    .set_local_custom_data(&id(&name), step as u32, "c")
                    .unwrap(),
            ),
            _ if rng.below(4) == 0 => drop(store.clear_conversation(conv).unwrap()),
            _ => {}
        }
        if rng.below(5) == 0 {
            // The index catches up part of the way, as after a crash.
            let entries = store.index_journal(1 + rng.below(4) as usize).unwrap();
            apply(&mut index, &entries);
            if let Some(last) = entries.last() {
                store.ack_index_journal(last.id).unwrap();
            }
        }
    }
    let rest = store.index_journal(usize::MAX).unwrap();
    apply(&mut index, &rest);
    assert_eq!(index, stored(&store));
}
