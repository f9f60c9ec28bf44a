//! Every local TIMMsg* operation on a real redb store and tantivy index in a temp dir,
//! including its bad-input cases with their exact TIM codes.

mod common;

use common::*;
use tim_model::enums::{ElemType, MsgStatus};
use tim_model::{
    Elem, FaceElem, GetMsgListParam, Message, MessageId, MsgDeleteParam, MsgLocator, Seq,
};

fn page(count: u32, is_forward: bool, anchor: Option<&Message>) -> GetMsgListParam {
    GetMsgListParam {
        count,
        is_forward,
        last_msg: anchor.cloned(),
        ..Default::default()
    }
}

#[test]
fn a_saved_message_gets_an_identity_and_is_found_by_id() {
    let (engine, _dir) = engine();
    let saved = engine
        .save_message(&c2c("peer"), text("", 0, "hello"))
        .unwrap();
    let id = saved.msg_id.clone().unwrap();
    assert!(id.as_str().len() <= 127);
    assert_eq!(saved.status, Some(MsgStatus::LocalImported));
    assert_eq!((saved.sender.as_str(), saved.is_from_self), (ME, true));
    assert!(saved.client_time > 0 && saved.rand != 0);
    assert_eq!(
        (saved.conv_id.as_str(), saved.conv_type),
        ("peer", tim_model::enums::ConvType::C2c)
    );
    let found = engine
        .find_messages(&[id.clone(), MessageId::new("unknown").unwrap()])
        .unwrap();
    assert_eq!(found, vec![saved]);
}

#[test]
fn saving_refuses_what_cannot_be_sent() {
    let (engine, _dir) = engine();
    let empty = Message::default();
    assert_eq!(
        engine.save_message(&c2c("peer"), empty).unwrap_err().code(),
        6016
    );
    let tips = Message {
        elems: vec![Elem::GroupTips(Default::default())],
        ..Default::default()
    };
    assert_eq!(
        engine.save_message(&group("g"), tips).unwrap_err().code(),
        6016
    );
    let huge = text("", 0, &"x".repeat(13_000));
    assert_eq!(
        engine.save_message(&c2c("peer"), huge).unwrap_err().code(),
        8001
    );
}

#[test]
fn import_keeps_ids_and_marks_messages_local_imported() {
    let (engine, _dir) = engine();
    let mut old = text("peer", 100, "from the backup");
    old.msg_id = Some(MessageId::new("backup-1").unwrap());
    let imported = engine
        .import_messages(&c2c("peer"), vec![old, text("peer", 101, "new")])
        .unwrap();
    assert_eq!(imported.len(), 2);
    assert_eq!(
        imported[0].msg_id.as_ref().map(MessageId::as_str),
        Some("backup-1")
    );
    assert!(
        imported
            .iter()
            .all(|m| m.status == Some(MsgStatus::LocalImported) && !m.is_from_self)
    );
    let err = engine
        .import_messages(
            &c2c("peer"),
            vec![text("peer", 1, "ok"), Message::default()],
        )
        .unwrap_err();
    assert_eq!(err.code(), 6017);
    assert!(err.to_string().contains("json_msg_array[1]"), "{err}");
    assert_eq!(
        engine
            .import_messages(&c2c("peer"), vec![])
            .unwrap_err()
            .code(),
        6017
    );
}

fn conversation_of(engine: &tim_core::Engine, count: u64) -> Vec<Message> {
    let messages: Vec<Message> = (1..=count)
        .map(|t| text("peer", 1000 + t, &format!("m{t}")))
        .collect();
    engine
        .import_messages(&c2c("peer"), messages)
        .unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn history_pages_walk_older_and_newer_from_an_excluded_anchor() {
    let (engine, _dir) = engine();
    let all = conversation_of(&engine, 10);
    let conv = c2c("peer");
    // No anchor, older: the newest first.
    assert_eq!(
        contents(
            &engine
                .get_message_list(&conv, &page(3, false, None))
                .unwrap()
        ),
        ["m10", "m9", "m8"]
    );
    // The anchor is excluded.
    let older = engine
        .get_message_list(&conv, &page(3, false, Some(&all[4])))
        .unwrap();
    assert_eq!(contents(&older), ["m4", "m3", "m2"]);
    let newer = engine
        .get_message_list(&conv, &page(3, true, Some(&all[4])))
        .unwrap();
    assert_eq!(contents(&newer), ["m6", "m7", "m8"]);
    // No anchor, newer: from the oldest (the seed sample's `{}` with is_forward true).
    let from_start = GetMsgListParam {
        last_msg: Some(Message::default()),
        ..page(2, true, None)
    };
    assert_eq!(
        contents(&engine.get_message_list(&conv, &from_start).unwrap()),
        ["m1", "m2"]
    );
    // Count 0 is the default page; past the end the page is short.
    assert_eq!(
        engine
            .get_message_list(&conv, &page(0, false, None))
            .unwrap()
            .len(),
        10
    );
    assert!(
        engine
            .get_message_list(&conv, &page(5, true, Some(&all[9])))
            .unwrap()
            .is_empty()
    );
    // Another conversation's history is empty, not an error.
    assert!(
        engine
            .get_message_list(&c2c("stranger"), &page(5, false, None))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn history_filters_by_time_and_element_type() {
    let (engine, _dir) = engine();
    conversation_of(&engine, 10);
    let conv = c2c("peer");
    let range = GetMsgListParam {
        time_begin: 1005,
        time_period: 2,
        count: 20,
        ..Default::default()
    };
    assert_eq!(
        contents(&engine.get_message_list(&conv, &range).unwrap()),
        ["m5", "m4", "m3"]
    );
    let forward = GetMsgListParam {
        is_forward: true,
        ..range
    };
    assert_eq!(
        contents(&engine.get_message_list(&conv, &forward).unwrap()),
        ["m5", "m6", "m7"]
    );
    let face = Message {
        elems: vec![Elem::Face(FaceElem {
            index: 3,
            buf: String::new(),
        })],
        sender: "peer".into(),
        client_time: 2000,
        ..Default::default()
    };
    engine.import_messages(&conv, vec![face]).unwrap();
    let faces = GetMsgListParam {
        message_type_array: vec![ElemType::Face],
        count: 20,
        ..Default::default()
    };
    let found = engine.get_message_list(&conv, &faces).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].elems[0].elem_type(), ElemType::Face);
}

#[test]
fn group_history_anchors_on_a_seq_inclusively_and_fetches_exact_seqs() {
    let (engine, _dir) = engine();
    let conv = group("team");
    let messages: Vec<Message> = (1..=6u64)
        .map(|s| Message {
            seq: Seq(s),
            ..text("peer", 500 + s, &format!("s{s}"))
        })
        .collect();
    engine.import_messages(&conv, messages).unwrap();
    let at_seq = GetMsgListParam {
        last_msg_seq: Seq(4),
        count: 2,
        ..Default::default()
    };
    assert_eq!(
        contents(&engine.get_message_list(&conv, &at_seq).unwrap()),
        ["s4", "s3"]
    );
    let exact = GetMsgListParam {
        message_seq_array: vec![Seq(2), Seq(5)],
        count: 20,
        ..Default::default()
    };
    let mut got = contents(&engine.get_message_list(&conv, &exact).unwrap())
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    got.sort();
    assert_eq!(got, ["s2", "s5"]);
}

#[test]
fn history_refuses_oversize_pages_and_unknown_anchors() {
    let (engine, _dir) = engine();
    conversation_of(&engine, 3);
    let conv = c2c("peer");
    assert_eq!(
        engine
            .get_message_list(&conv, &page(1001, false, None))
            .unwrap_err()
            .code(),
        6017
    );
    let stranger = Message {
        msg_id: MessageId::new("not-here").ok(),
        ..Default::default()
    };
    assert_eq!(
        engine
            .get_message_list(&conv, &page(5, false, Some(&stranger)))
            .unwrap_err()
            .code(),
        7011
    );
}

#[test]
fn locators_find_their_messages() {
    let (engine, _dir) = engine();
    let all = conversation_of(&engine, 5);
    let conv = c2c("peer");
    let mut wanted: Vec<MsgLocator> = vec![all[3].locator(), all[1].locator()];
    wanted.push(MsgLocator {
        rand: 42,
        time: 1,
        ..Default::default()
    });
    // The seed sample's locator has no conversation: the function's conversation is used.
    wanted[0].conv_id.clear();
    let found = engine.find_by_locators(&conv, &wanted).unwrap();
    assert_eq!(contents(&found), ["m4", "m2"]);
    assert!(
        engine
            .find_by_locators(&c2c("other"), &wanted)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn delete_removes_one_message_or_the_whole_local_history() {
    let (engine, _dir) = engine();
    let all = conversation_of(&engine, 4);
    let conv = c2c("peer");
    engine
        .delete_local(
            &conv,
            &MsgDeleteParam {
                msg: Some(all[1].clone()),
                is_ramble: false,
            },
        )
        .unwrap();
    assert_eq!(
        contents(
            &engine
                .get_message_list(&conv, &page(10, false, None))
                .unwrap()
        ),
        ["m4", "m3", "m1"]
    );
    assert!(
        engine
            .find_messages(&[all[1].msg_id.clone().unwrap()])
            .unwrap()
            .is_empty()
    );
    // A message of another conversation is not deleted through this one.
    let other = engine
        .save_message(&c2c("other"), text("", 0, "keep"))
        .unwrap();
    let err = engine
        .delete_local(
            &conv,
            &MsgDeleteParam {
                msg: Some(other.clone()),
                is_ramble: false,
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), 7011);
    // The samples' `{}`: every local message of the conversation.
    engine
        .delete_local(
            &conv,
            &MsgDeleteParam {
                msg: Some(Message::default()),
                is_ramble: false,
            },
        )
        .unwrap();
    assert!(
        engine
            .get_message_list(&conv, &page(10, false, None))
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        engine
            .find_messages(&[other.msg_id.clone().unwrap()])
            .unwrap()
            .len(),
        1
    );
    engine.clear_local_history(&c2c("other")).unwrap();
    assert!(
        engine
            .find_messages(&[other.msg_id.unwrap()])
            .unwrap()
            .is_empty()
    );
}

#[test]
fn local_custom_data_is_kept_and_survives_a_reopen() {
    let (engine, dir) = engine();
    let mut saved = engine
        .save_message(&c2c("peer"), text("", 0, "note"))
        .unwrap();
    saved.custom_int = 7;
    saved.custom_str = "pinned".into();
    engine.set_local_custom_data(&saved).unwrap();
    let id = saved.msg_id.clone().unwrap();
    drop(engine);
    let engine = reopen(&dir);
    let found = engine.find_messages(&[id]).unwrap();
    assert_eq!(
        (found[0].custom_int, found[0].custom_str.as_str()),
        (7, "pinned")
    );
    let no_id = Message {
        msg_id: None,
        ..saved.clone()
    };
    assert_eq!(
        engine.set_local_custom_data(&no_id).unwrap_err().code(),
        6017
    );
    let unknown = Message {
        msg_id: MessageId::new("nope").ok(),
        ..saved
    };
    assert_eq!(
        engine.set_local_custom_data(&unknown).unwrap_err().code(),
        7011
    );
}

#[test]
fn unread_counts_follow_received_messages_and_the_read_mark() {
    let (engine, dir) = engine();
    let conv = c2c("peer");
    let received = engine
        .import_messages(
            &conv,
            vec![
                text("peer", 10, "a"),
                text("peer", 20, "b"),
                text("peer", 30, "c"),
            ],
        )
        .unwrap();
    engine.save_message(&conv, text("", 40, "mine")).unwrap();
    assert_eq!(engine.conversation_state(&conv).unwrap().unread_count, 3);
    let state = engine.mark_read(&conv, Some(&received[1])).unwrap();
    assert_eq!((state.unread_count, state.read_time), (1, 20));
    let excluded = Message {
        is_excluded_from_unread_count: true,
        ..text("peer", 50, "quiet")
    };
    engine
        .import_messages(&conv, vec![excluded, text("peer", 60, "d")])
        .unwrap();
    assert_eq!(engine.conversation_state(&conv).unwrap().unread_count, 2);
    engine.mark_read(&conv, None).unwrap();
    assert_eq!(engine.conversation_state(&conv).unwrap().unread_count, 0);
    drop(engine);
    assert_eq!(
        reopen(&dir).conversation_state(&conv).unwrap().unread_count,
        0
    );
    assert_eq!(
        reopen(&dir)
            .conversation_state(&c2c("nobody"))
            .unwrap()
            .unread_count,
        0
    );
}
