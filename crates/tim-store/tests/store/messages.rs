//! Storing, finding, changing and deleting messages.

use crate::common::*;
use tim_model::enums::{ConvType, MsgStatus};
use tim_model::{Message, MsgLocator, Seq};
use tim_store::PutResult;

#[test]
fn put_then_get_returns_the_messages_in_the_order_asked() {
    let (_dir, store) = open_temp();
    let conv = c2c("bob");
    let results = store
        .put_messages(&conv, &[text("a", 10, 1), text("b", 11, 2)])
        .unwrap();
    assert_eq!(results, [PutResult::Inserted, PutResult::Inserted]);
    let found = store
        .get_messages(&[id("b"), id("nope"), id("a"), id("b")])
        .unwrap();
    assert_eq!(ids(&found), ["b", "a", "b"]);
    assert_eq!(found[1].conv_id, "bob");
    assert_eq!(found[1].conv_type, ConvType::C2c);
    assert_eq!(
        found[1],
        Message {
            conv_id: "bob".into(),
            conv_type: ConvType::C2c,
            ..text("a", 10, 1)
        }
    );
}

#[test]
fn putting_a_known_id_replaces_the_message_and_keeps_one_copy() {
    let (_dir, store) = open_temp();
    let conv = group("team");
    store.put_messages(&conv, &[text("a", 10, 1)]).unwrap();
    let mut changed = text("a", 10, 1);
    changed.cloud_custom_str = "edited".into();
    assert_eq!(
        store.put_messages(&conv, &[changed]).unwrap(),
        [PutResult::Replaced]
    );
    let all = all_messages(&store, &conv);
    assert_eq!(ids(&all), ["a"]);
    assert_eq!(all[0].cloud_custom_str, "edited");
    assert_eq!(store.conversation(&conv).unwrap().unwrap().message_count, 1);
}

#[test]
fn a_message_put_into_another_conversation_moves_there() {
    let (_dir, store) = open_temp();
    store
        .put_messages(&c2c("bob"), &[text("a", 10, 1)])
        .unwrap();
    store
        .put_messages(&group("team"), &[text("a", 10, 1)])
        .unwrap();
    assert!(all_messages(&store, &c2c("bob")).is_empty());
    assert_eq!(ids(&all_messages(&store, &group("team"))), ["a"]);
    assert_eq!(
        store
            .conversation(&c2c("bob"))
            .unwrap()
            .unwrap()
            .message_count,
        0
    );
    let moved = store.get_messages(&[id("a")]).unwrap();
    assert_eq!(
        (moved[0].conv_id.as_str(), moved[0].conv_type),
        ("team", ConvType::Group)
    );
}

#[test]
fn a_message_without_id_refuses_the_whole_batch() {
    let (_dir, store) = open_temp();
    let conv = c2c("bob");
    let nameless = Message {
        msg_id: None,
        ..text("x", 1, 1)
    };
    let error = store
        .put_messages(&conv, &[text("a", 10, 1), nameless.clone()])
        .unwrap_err();
    assert_eq!(error.code(), 6017);
    assert!(store.get_messages(&[id("a")]).unwrap().is_empty());
    assert_eq!(store.conversation(&conv).unwrap(), None);
    assert_eq!(store.update_message(&nameless).unwrap_err().code(), 6017);
    assert_eq!(
        store.enqueue_send(&conv, &nameless).unwrap_err().code(),
        6017
    );
    assert_eq!(store.complete_send(&nameless).unwrap_err().code(), 6017);
}

#[test]
fn empty_lists_do_nothing() {
    let (_dir, store) = open_temp();
    assert!(store.put_messages(&c2c("bob"), &[]).unwrap().is_empty());
    assert!(store.get_messages(&[]).unwrap().is_empty());
    assert!(store.delete_messages(&[]).unwrap().is_empty());
    assert_eq!(store.conversation(&c2c("bob")).unwrap(), None);
    assert!(store.conversations().unwrap().is_empty());
}

#[test]
fn a_modification_never_goes_back_a_version_and_keeps_local_fields() {
    let (_dir, store) = open_temp();
    let conv = c2c("bob");
    store.put_messages(&conv, &[text("a", 10, 1)]).unwrap();
    assert!(store.set_local_custom_data(&id("a"), 7, "mine").unwrap());
    let mut v2 = text("a", 10, 1);
    v2.version = 2;
    v2.cloud_custom_str = "second".into();
    let stored = store.apply_modification(&v2).unwrap().unwrap();
    assert_eq!((stored.version, stored.custom_int), (2, 7));
    assert_eq!(stored.custom_str, "mine");
    let mut v1 = v2.clone();
    v1.version = 1;
    v1.cloud_custom_str = "first".into();
    let kept = store.apply_modification(&v1).unwrap().unwrap();
    assert_eq!(
        (kept.version, kept.cloud_custom_str.as_str()),
        (2, "second")
    );
    let found = store.get_messages(&[id("a")]).unwrap();
    assert_eq!(
        (found[0].version, found[0].cloud_custom_str.as_str()),
        (2, "second")
    );
    assert_eq!(
        store.apply_modification(&text("unknown", 1, 1)).unwrap(),
        None
    );
}

#[test]
fn update_replaces_a_stored_message_in_its_conversation() {
    let (_dir, store) = open_temp();
    let conv = c2c("bob");
    store.put_messages(&conv, &[text("a", 10, 1)]).unwrap();
    let mut revoked = text("a", 10, 1);
    revoked.status = Some(MsgStatus::Revoked);
    revoked.revoke_reason = "oops".into();
    revoked.conv_id = "somebody else".into();
    assert!(store.update_message(&revoked).unwrap());
    let found = store.get_messages(&[id("a")]).unwrap();
    assert_eq!(found[0].status, Some(MsgStatus::Revoked));
    assert_eq!(found[0].revoke_reason, "oops");
    assert_eq!(found[0].conv_id, "bob", "the stored conversation wins");
    assert!(!store.update_message(&text("unknown", 1, 1)).unwrap());
    assert!(store.get_messages(&[id("unknown")]).unwrap().is_empty());
}

#[test]
fn local_custom_data_changes_only_the_custom_fields() {
    let (_dir, store) = open_temp();
    let conv = c2c("bob");
    store.put_messages(&conv, &[text("a", 10, 1)]).unwrap();
    assert!(store.set_local_custom_data(&id("a"), 42, "note").unwrap());
    let found = store.get_messages(&[id("a")]).unwrap();
    assert_eq!(
        (found[0].custom_int, found[0].custom_str.as_str()),
        (42, "note")
    );
    assert_eq!(found[0].elems, text("a", 10, 1).elems);
    assert!(!store.set_local_custom_data(&id("unknown"), 1, "x").unwrap());
}

#[test]
fn delete_returns_the_ids_that_existed() {
    let (_dir, store) = open_temp();
    let conv = c2c("bob");
    store
        .put_messages(&conv, &[text("a", 10, 1), text("b", 11, 2)])
        .unwrap();
    let deleted = store
        .delete_messages(&[id("a"), id("zzz"), id("a")])
        .unwrap();
    assert_eq!(deleted, [id("a")]);
    assert_eq!(ids(&all_messages(&store, &conv)), ["b"]);
    assert_eq!(store.conversation(&conv).unwrap().unwrap().message_count, 1);
    assert!(store.get_messages(&[id("a")]).unwrap().is_empty());
    let locator = text("a", 10, 1).locator();
    assert_eq!(store.find_by_locator(&conv, &locator).unwrap(), None);
}

fn locator(rand: u64, time: u64, seq: u64, is_self: bool) -> MsgLocator {
    MsgLocator {
        rand,
        time,
        seq: Seq(seq),
        is_self,
        ..MsgLocator::default()
    }
}

#[test]
fn locators_find_a_message_by_rand_time_seq_and_sender() {
    let (_dir, store) = open_temp();
    let conv = group("team");
    let [mine, theirs, unsent] = locator_messages();
    store
        .put_messages(&conv, &[mine, theirs, unsent, text("other", 22, 4)])
        .unwrap();
    let find = |locator: MsgLocator| {
        store
            .find_by_locator(&conv, &locator)
            .unwrap()
            .map(|found| ids(&[found])[0].clone())
    };
    assert_eq!(find(locator(7, 20, 2, true)).as_deref(), Some("mine"));
    assert_eq!(find(locator(7, 21, 3, false)).as_deref(), Some("theirs"));
    assert_eq!(
        find(locator(7, 0, 0, false)).as_deref(),
        Some("theirs"),
        "seq and time 0: any"
    );
    assert_eq!(find(locator(7, 0, 2, true)).as_deref(), Some("mine"));
    assert_eq!(find(locator(7, 20, 0, true)).as_deref(), Some("mine"));
    assert_eq!(find(locator(7, 21, 3, true)), None, "is_self must match");
    assert_eq!(find(locator(7, 99, 3, false)), None, "time must match");
    assert_eq!(find(locator(7, 21, 9, false)), None, "seq must match");
    assert_eq!(find(locator(9, 0, 0, false)), None, "rand must match");
    assert_eq!(
        find(locator(8, 25, 0, false)).as_deref(),
        Some("unsent"),
        "client time before server time"
    );
    let from_message = text("other", 22, 4).locator();
    assert_eq!(find(from_message).as_deref(), Some("other"));
    assert_eq!(
        store
            .find_by_locator(&c2c("nobody"), &locator(7, 0, 0, true))
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .find_by_locator(&group("team2"), &locator(7, 20, 2, true))
            .unwrap(),
        None
    );
}

#[test]
fn a_replaced_message_is_found_by_its_new_locator_only() {
    let (_dir, store) = open_temp();
    let conv = c2c("bob");
    let mut sending = Message {
        server_time: 0,
        seq: Seq(0),
        ..text("a", 10, 0)
    };
    sending.is_from_self = true;
    store.put_messages(&conv, &[sending.clone()]).unwrap();
    let sent = Message {
        server_time: 12,
        seq: Seq(5),
        ..sending.clone()
    };
    store.update_message(&sent).unwrap();
    let found = store
        .find_by_locator(&conv, &sent.locator())
        .unwrap()
        .unwrap();
    assert_eq!(found.seq, Seq(5));
    let old = locator(sending.rand, 10, 0, true);
    assert_eq!(
        store.find_by_locator(&conv, &old).unwrap(),
        None,
        "time moved to 12"
    );
}
