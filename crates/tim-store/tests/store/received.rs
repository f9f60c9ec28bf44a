//! Messages from the server: stored once by ID, with held ranges and the sync cursor.

use crate::common::*;
use tim_model::enums::MsgStatus;
use tim_model::{Message, Seq};
use tim_store::ReceivedBatch;

#[test]
fn received_messages_are_stored_once_and_the_cursor_moves_with_them() {
    let (dir, store) = open_temp();
    let bob = c2c("bob");
    assert_eq!(store.sync_cursor().unwrap(), 0);
    // The device's own copy of m2 is still being sent: it is kept as it is.
    let own = Message {
        status: Some(MsgStatus::Sending),
        custom_str: "local".into(),
        ..text("m2", 20, 0)
    };
    store.enqueue_send(&bob, &own).unwrap();
    let batch = [
        (bob.clone(), text("m1", 10, 1)),
        (bob.clone(), text("m2", 20, 2)),
    ];
    let inserted = store
        .store_received(ReceivedBatch {
            messages: &batch,
            held: &[],
            cursor: Some(7),
        })
        .unwrap();
    assert_eq!(inserted, [true, false]);
    assert_eq!(store.sync_cursor().unwrap(), 7);
    let stored = all_messages(&store, &bob);
    assert_eq!(ids(&stored), ["m1", "m2"]);
    assert_eq!(stored[1].custom_str, "local");
    // Both seqs are held, the own copy's too.
    assert_eq!(store.held_ranges(&bob).unwrap(), [(Seq(1), Seq(2))]);
    // Again (a sync after a push): nothing new, the cursor stays where it is set.
    let again = store
        .store_received(ReceivedBatch {
            messages: &batch,
            held: &[(bob.clone(), Seq(3), Seq(5))],
            cursor: None,
        })
        .unwrap();
    assert_eq!(again, [false, false]);
    assert_eq!(store.held_ranges(&bob).unwrap(), [(Seq(1), Seq(5))]);
    drop(store);
    let store = reopen(&dir);
    assert_eq!(store.sync_cursor().unwrap(), 7);
}

#[test]
fn a_bad_batch_writes_nothing() {
    let (_dir, store) = open_temp();
    let bob = c2c("bob");
    let err = store
        .store_received(ReceivedBatch {
            messages: &[(bob.clone(), text("m1", 10, 1))],
            held: &[(bob.clone(), Seq(0), Seq(3))],
            cursor: Some(1),
        })
        .unwrap_err();
    assert_eq!(err.code(), 6017);
    assert_eq!(store.sync_cursor().unwrap(), 0);
    assert!(all_messages(&store, &bob).is_empty());
}
