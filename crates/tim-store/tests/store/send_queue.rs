//! The durable send queue: order, completion, and what survives a reopen.

use crate::common::*;
use tim_model::enums::MsgStatus;
use tim_model::{Message, Seq};

fn sending(msg_id: &str, client_time: u64) -> Message {
    Message {
        is_from_self: true,
        server_time: 0,
        seq: Seq(0),
        status: Some(MsgStatus::Sending),
        ..text(msg_id, client_time, 0)
    }
}

#[test]
fn queued_messages_come_back_in_enqueue_order_and_show_in_their_conversation() {
    let (dir, store) = open_temp();
    let bob = c2c("bob");
    let team = group("team");
    // Enqueue order differs from time order and from conversation order.
    store.enqueue_send(&bob, &sending("s1", 30)).unwrap();
    store.enqueue_send(&team, &sending("s2", 10)).unwrap();
    store.enqueue_send(&bob, &sending("s3", 20)).unwrap();
    assert_eq!(ids(&store.pending_sends().unwrap()), ["s1", "s2", "s3"]);
    assert_eq!(ids(&all_messages(&store, &bob)), ["s3", "s1"]);
    // Enqueueing again (a retry) replaces the message and keeps its place.
    store
        .enqueue_send(
            &bob,
            &Message {
                cloud_custom_str: "again".into(),
                ..sending("s1", 30)
            },
        )
        .unwrap();
    let pending = store.pending_sends().unwrap();
    assert_eq!(ids(&pending), ["s1", "s2", "s3"]);
    assert_eq!(pending[0].cloud_custom_str, "again");
    drop(store);
    let store = reopen(&dir);
    assert_eq!(ids(&store.pending_sends().unwrap()), ["s1", "s2", "s3"]);
    // Numbers keep growing after a reopen.
    store.enqueue_send(&bob, &sending("s4", 5)).unwrap();
    assert_eq!(
        ids(&store.pending_sends().unwrap()),
        ["s1", "s2", "s3", "s4"]
    );
}

#[test]
fn completing_a_send_dequeues_it_and_stores_the_result() {
    let (_dir, store) = open_temp();
    let bob = c2c("bob");
    store.enqueue_send(&bob, &sending("s1", 30)).unwrap();
    store.enqueue_send(&bob, &sending("s2", 31)).unwrap();
    let sent = Message {
        server_time: 32,
        seq: Seq(9),
        status: Some(MsgStatus::SendSucc),
        ..sending("s1", 30)
    };
    assert!(store.complete_send(&sent).unwrap());
    assert_eq!(ids(&store.pending_sends().unwrap()), ["s2"]);
    let stored = store.get_messages(&[id("s1")]).unwrap();
    assert_eq!(
        (stored[0].status, stored[0].seq, stored[0].server_time),
        (Some(MsgStatus::SendSucc), Seq(9), 32)
    );
    assert_eq!(store.held_ranges(&bob).unwrap(), [(Seq(9), Seq(9))]);
    assert!(!store.complete_send(&sent).unwrap(), "no longer queued");
    let failed = Message {
        status: Some(MsgStatus::SendFail),
        ..sending("s2", 31)
    };
    assert!(store.complete_send(&failed).unwrap());
    assert!(store.pending_sends().unwrap().is_empty());
    assert_eq!(
        store.get_messages(&[id("s2")]).unwrap()[0].status,
        Some(MsgStatus::SendFail)
    );
    // A message that was never queued is not stored by completing it.
    assert!(!store.complete_send(&sending("never", 1)).unwrap());
    assert!(store.get_messages(&[id("never")]).unwrap().is_empty());
    // Own messages never count as unread.
    assert_eq!(store.conversation(&bob).unwrap().unwrap().unread_count, 0);
}

#[test]
fn deleting_a_queued_message_dequeues_it() {
    let (_dir, store) = open_temp();
    let bob = c2c("bob");
    store.enqueue_send(&bob, &sending("s1", 30)).unwrap();
    store.enqueue_send(&bob, &sending("s2", 31)).unwrap();
    store.delete_messages(&[id("s1")]).unwrap();
    assert_eq!(ids(&store.pending_sends().unwrap()), ["s2"]);
    assert!(!store.complete_send(&sending("s1", 30)).unwrap());
}
