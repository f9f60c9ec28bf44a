//! Conversation state: unread counts, read marks, receive options, last message, clearing.

use crate::common::*;
use tim_model::enums::{MsgStatus, ReceiveMessageOpt};
use tim_model::{Message, Seq};
use tim_store::{ConversationState, ReadMark};

fn unread(store: &tim_store::Store, conv: &tim_model::ConvId) -> u64 {
    store.conversation(conv).unwrap().unwrap().unread_count
}

#[test]
fn only_messages_from_others_that_count_and_are_after_the_mark_are_unread() {
    let (_dir, store) = open_temp();
    let conv = c2c("bob");
    let batch = [
        text("a", 10, 1),
        Message {
            is_from_self: true,
            ..text("b", 11, 2)
        },
        Message {
            is_excluded_from_unread_count: true,
            ..text("c", 12, 3)
        },
        Message {
            is_online_msg: true,
            ..text("d", 13, 4)
        },
        Message {
            status: Some(MsgStatus::Revoked),
            ..text("e", 14, 5)
        },
        Message {
            status: Some(MsgStatus::Deleted),
            ..text("f", 15, 6)
        },
        text("g", 16, 7),
    ];
    store.put_messages(&conv, &batch).unwrap();
    assert_eq!(unread(&store, &conv), 2);

    let state = store
        .mark_read(
            &conv,
            ReadMark {
                time: 10,
                seq: Seq(0),
            },
        )
        .unwrap();
    assert_eq!((state.unread_count, state.read_time), (1, 10));
    let state = store
        .mark_read(
            &conv,
            ReadMark {
                time: 5,
                seq: Seq(0),
            },
        )
        .unwrap();
    assert_eq!(
        (state.unread_count, state.read_time),
        (1, 10),
        "marks only move forward"
    );

    store.put_messages(&conv, &[text("h", 9, 8)]).unwrap();
    assert_eq!(unread(&store, &conv), 1, "before the mark");
    store.put_messages(&conv, &[text("i", 20, 9)]).unwrap();
    assert_eq!(unread(&store, &conv), 2);
    store
        .update_message(&Message {
            status: Some(MsgStatus::Revoked),
            ..text("g", 16, 7)
        })
        .unwrap();
    assert_eq!(unread(&store, &conv), 1, "revoked");
    store.delete_messages(&[id("i")]).unwrap();
    assert_eq!(unread(&store, &conv), 0);
    // A message moving from before the mark to after it (its server time changed).
    store.update_message(&text("h", 30, 8)).unwrap();
    assert_eq!(unread(&store, &conv), 1);
}

#[test]
fn groups_are_read_by_seq() {
    let (_dir, store) = open_temp();
    let conv = group("team");
    let batch: Vec<Message> = (1..=5)
        .map(|seq| text(&format!("s{seq}"), 100 - seq, seq))
        .collect();
    store.put_messages(&conv, &batch).unwrap();
    assert_eq!(unread(&store, &conv), 5);
    let state = store
        .mark_read(
            &conv,
            ReadMark {
                time: 0,
                seq: Seq(3),
            },
        )
        .unwrap();
    assert_eq!((state.unread_count, state.read_seq), (2, Seq(3)));
    let state = store
        .mark_read(
            &conv,
            ReadMark {
                time: u64::MAX,
                seq: Seq(3),
            },
        )
        .unwrap();
    assert_eq!(state.unread_count, 2, "the time mark does not read a group");
    let state = store
        .mark_read(
            &conv,
            ReadMark {
                time: 0,
                seq: Seq(u64::MAX),
            },
        )
        .unwrap();
    assert_eq!(state.unread_count, 0);
}

#[test]
fn mark_read_and_receive_options_create_the_conversation() {
    let (dir, store) = open_temp();
    let conv = c2c("carol");
    let state = store
        .mark_read(
            &conv,
            ReadMark {
                time: 50,
                seq: Seq(0),
            },
        )
        .unwrap();
    assert_eq!(
        state,
        ConversationState {
            read_time: 50,
            ..ConversationState::default()
        }
    );
    store
        .put_messages(&conv, &[text("old", 40, 1), text("new", 60, 2)])
        .unwrap();
    assert_eq!(unread(&store, &conv), 1);

    let other = group("quiet");
    store
        .set_recv_opt(&other, ReceiveMessageOpt::NotNotify)
        .unwrap();
    assert_eq!(
        store.conversation(&other).unwrap().unwrap().recv_opt,
        ReceiveMessageOpt::NotNotify
    );
    drop(store);
    let store = reopen(&dir);
    assert_eq!(
        store.conversation(&other).unwrap().unwrap().recv_opt,
        ReceiveMessageOpt::NotNotify
    );
    let listed: Vec<String> = store
        .conversations()
        .unwrap()
        .iter()
        .map(|(conv, _)| conv.to_string())
        .collect();
    assert_eq!(listed, ["c2c_carol", "group_quiet"]);
    let carol = store.conversation(&conv).unwrap().unwrap();
    assert_eq!(
        (carol.unread_count, carol.read_time, carol.message_count),
        (1, 50, 2)
    );
}

#[test]
fn the_last_message_is_the_newest_one_that_may_be_shown() {
    let (_dir, store) = open_temp();
    let conv = c2c("bob");
    store
        .put_messages(&conv, &[text("a", 10, 1), text("b", 20, 2)])
        .unwrap();
    assert_eq!(
        store.conversation(&conv).unwrap().unwrap().last_message,
        Some(id("b"))
    );
    let hidden = Message {
        excluded_from_last_message: true,
        ..text("c", 30, 3)
    };
    let deleted = Message {
        status: Some(MsgStatus::Deleted),
        ..text("d", 40, 4)
    };
    store.put_messages(&conv, &[hidden, deleted]).unwrap();
    assert_eq!(
        store.conversation(&conv).unwrap().unwrap().last_message,
        Some(id("b"))
    );
    store
        .put_messages(
            &conv,
            &[Message {
                status: Some(MsgStatus::Revoked),
                ..text("e", 50, 5)
            }],
        )
        .unwrap();
    assert_eq!(
        store.conversation(&conv).unwrap().unwrap().last_message,
        Some(id("e")),
        "revoked messages show"
    );
}

#[test]
fn clearing_removes_every_message_of_the_conversation_only() {
    let (_dir, store) = open_temp();
    let conv = c2c("bob");
    let other = group("team");
    store
        .put_messages(&conv, &[text("a", 10, 1), text("b", 20, 2)])
        .unwrap();
    store.put_messages(&other, &[text("x", 10, 1)]).unwrap();
    store
        .enqueue_send(
            &conv,
            &Message {
                is_from_self: true,
                ..text("sending", 30, 0)
            },
        )
        .unwrap();
    store
        .mark_read(
            &conv,
            ReadMark {
                time: 10,
                seq: Seq(0),
            },
        )
        .unwrap();

    assert_eq!(store.clear_conversation(&conv).unwrap(), 3);
    let state = store.conversation(&conv).unwrap().unwrap();
    assert_eq!(
        (
            state.unread_count,
            state.message_count,
            state.last_message,
            state.read_time
        ),
        (0, 0, None, 10)
    );
    assert!(all_messages(&store, &conv).is_empty());
    assert!(
        store
            .get_messages(&[id("a"), id("sending")])
            .unwrap()
            .is_empty()
    );
    assert!(store.pending_sends().unwrap().is_empty());
    assert_eq!(
        store
            .find_by_locator(&conv, &text("a", 10, 1).locator())
            .unwrap(),
        None
    );
    assert_eq!(ids(&all_messages(&store, &other)), ["x"]);
    assert_eq!(store.clear_conversation(&conv).unwrap(), 0);
    assert_eq!(store.clear_conversation(&c2c("nobody")).unwrap(), 0);
    // The conversation works as before.
    store.put_messages(&conv, &[text("a", 11, 3)]).unwrap();
    assert_eq!(ids(&all_messages(&store, &conv)), ["a"]);
    assert_eq!(unread(&store, &conv), 1);
}
