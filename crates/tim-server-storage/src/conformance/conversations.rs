//! Conformance: conversation attributes and profiles.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use super::*;
use crate::conversations::{ConvApplied, ConvTarget, ConvWrite, group_kind};
use crate::profiles::ProfileWrite;
use v1::update_conversations_request::Change;

fn target(id: &str) -> ConvTarget {
    let (conv_type, conv_id) = match id.strip_prefix("c2c_") {
        Some(user) => (1, user),
        None => (2, id.strip_prefix("group_").unwrap()),
    };
    ConvTarget {
        id: id.to_owned(),
        wire: v1::ConversationId {
            conv_type,
            conv_id: conv_id.to_owned(),
        },
    }
}

fn change(storage: &dyn Storage, who: &str, ids: &[&str], change: Change) -> WriteOutcome {
    apply_one(
        storage,
        WriteOp::Conversations(Box::new(ConvWrite {
            app: APP,
            user: user(who),
            targets: ids.iter().map(|id| target(id)).collect(),
            change,
            now_ms: 1_000,
        })),
    )
}

fn applied(outcome: &WriteOutcome) -> &ConvApplied {
    match &outcome.result {
        Ok(Applied::Conversations(applied)) => applied,
        other => panic!("{other:?}"),
    }
}

fn group_op(kind: i32, name: &str, new_name: &str) -> Change {
    Change::Group(v1::ConversationGroupOp {
        kind,
        name: name.into(),
        new_name: new_name.into(),
    })
}

fn attrs_of(storage: &dyn Storage, who: &str, id: &str) -> v1::ConversationAttrs {
    let state = storage.conversation_state(APP, &user(who)).unwrap();
    state
        .attrs
        .into_iter()
        .find(|a| {
            a.conversation.as_ref().is_some_and(|c| {
                let prefix = if c.conv_type == 1 { "c2c_" } else { "group_" };
                format!("{prefix}{}", c.conv_id) == id
            })
        })
        .unwrap_or_default()
}

/// Pins, marks, custom data and deletions are per user, read back with versions, logged
/// for the user alone, and refused per conversation beyond their limits.
pub fn conversation_attributes_are_per_user_versioned_and_logged(storage: &dyn Storage) {
    apply_one(storage, c2c_send("alice", "bob", "m1"));
    let pinned = change(storage, "alice", &["c2c_bob"], Change::Pin(true));
    let push = applied(&pinned).change.clone().unwrap();
    assert_eq!(push.attrs.len(), 1);
    assert!(push.attrs[0].pinned && push.attrs[0].version == push.version);
    assert_eq!(pinned.notices.len(), 1);
    assert_eq!(pinned.notices[0].recipients.len(), 1);
    assert_eq!(pinned.notices[0].recipients[0].0, "alice");
    // Logged: alice's sync carries it after the message.
    let page = storage.sync(APP, &user("alice"), 0, 100, 1 << 20).unwrap();
    assert!(page.events.iter().any(|e| matches!(
        &e.event,
        SyncBody::Notice(event) if matches!(*event, v1::sync_event::Event::ConversationsChanged(_))
    )));
    // Bob's attributes are his own.
    assert!(!attrs_of(storage, "bob", "c2c_alice").pinned);
    assert!(attrs_of(storage, "alice", "c2c_bob").pinned);
    // Marks set and clear bits; a bad mark is refused for that conversation only.
    let marks = |marks, enable| Change::Mark(v1::MarkChange { marks, enable });
    change(
        storage,
        "alice",
        &["c2c_bob", "group_g"],
        marks(0x1 | 0x4, true),
    );
    let mixed = change(storage, "alice", &["c2c_bob"], marks(0x1, false));
    assert_eq!(applied(&mixed).results[0].code, 0);
    assert_eq!(attrs_of(storage, "alice", "c2c_bob").marks, 0x4);
    assert_eq!(attrs_of(storage, "alice", "group_g").marks, 0x5);
    let bad = change(storage, "alice", &["c2c_bob"], marks(1 << 60, true));
    assert_eq!(applied(&bad).results[0].code, codes::ERR_INVALID_PARAMETERS);
    assert!(
        applied(&bad).change.is_none(),
        "nothing changed, nothing logged"
    );
    // Custom data, and its size limit.
    let data = |text: &str| Change::CustomData(v1::CustomData { data: text.into() });
    change(storage, "alice", &["c2c_bob"], data("hello"));
    assert_eq!(attrs_of(storage, "alice", "c2c_bob").custom_data, "hello");
    let long = change(storage, "alice", &["c2c_bob"], data(&"x".repeat(257)));
    assert_eq!(
        applied(&long).results[0].code,
        codes::ERR_INVALID_PARAMETERS
    );
    // Deletion records the newest seq and unpins.
    apply_one(storage, c2c_send("bob", "alice", "m2"));
    change(
        storage,
        "alice",
        &["c2c_bob"],
        Change::Delete(v1::DeleteConversations {}),
    );
    let deleted = attrs_of(storage, "alice", "c2c_bob");
    assert_eq!(deleted.deleted_seq, 2);
    assert!(!deleted.pinned);
    // Versions only grow.
    let state = storage.conversation_state(APP, &user("alice")).unwrap();
    assert!(state.attrs.iter().all(|a| a.version <= state.version));
    assert!(deleted.version == state.version);
    // A conversation with no message can be deleted too (one made on a device).
    let empty = change(
        storage,
        "alice",
        &["c2c_nobody"],
        Change::Delete(v1::DeleteConversations {}),
    );
    assert_eq!(applied(&empty).results[0].code, 0);
    assert_eq!(attrs_of(storage, "alice", "c2c_nobody").deleted_seq, 1);
}

/// Deleting conversations that have no message records them up to 1,000 records; beyond,
/// 51008, so made-up conversations cannot grow a user's records without bound. A conversation
/// with messages is still deleted.
pub fn deletions_of_made_up_conversations_stop_at_the_record_limit(storage: &dyn Storage) {
    let delete = || Change::Delete(v1::DeleteConversations {});
    for batch in 0..10 {
        let ids: Vec<String> = (0..100).map(|i| format!("c2c_ghost{batch}x{i}")).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let outcome = change(storage, "alice", &refs, delete());
        assert!(applied(&outcome).results.iter().all(|r| r.code == 0));
    }
    let over = change(storage, "alice", &["c2c_oneghostmore"], delete());
    assert_eq!(
        applied(&over).results[0].code,
        codes::ERR_SVR_CONV_CONV_MARK_TOTAL_COUNT_EXCEED_LIMIT
    );
    apply_one(storage, c2c_send("bob", "alice", "real"));
    let real = change(storage, "alice", &["c2c_bob"], delete());
    assert_eq!(applied(&real).results[0].code, 0);
    assert_eq!(
        storage
            .conversation_state(APP, &user("alice"))
            .unwrap()
            .attrs
            .len(),
        1001
    );
}

/// At most 50 pinned conversations: the 51st is refused with 51008, unpinning frees a slot.
pub fn at_most_fifty_conversations_are_pinned(storage: &dyn Storage) {
    let ids: Vec<String> = (0..51).map(|i| format!("c2c_peer{i}")).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let outcome = change(storage, "alice", &refs, Change::Pin(true));
    let results = &applied(&outcome).results;
    assert!(results[..50].iter().all(|r| r.code == 0));
    assert_eq!(
        results[50].code,
        codes::ERR_SVR_CONV_CONV_MARK_TOTAL_COUNT_EXCEED_LIMIT
    );
    change(storage, "alice", &["c2c_peer0"], Change::Pin(false));
    let again = change(storage, "alice", &["c2c_peer50"], Change::Pin(true));
    assert_eq!(applied(&again).results[0].code, 0);
}

/// Conversation groups: create, add, remove, rename and delete with their codes.
pub fn conversation_groups_follow_their_rules(storage: &dyn Storage) {
    let create = change(
        storage,
        "alice",
        &["c2c_bob", "group_g"],
        group_op(group_kind::CREATE, "work", ""),
    );
    let push = applied(&create).change.clone().unwrap();
    assert_eq!(push.group_names, ["work"]);
    assert_eq!(
        push.group_change.as_ref().unwrap().conversation_ids.len(),
        2
    );
    assert_eq!(attrs_of(storage, "alice", "c2c_bob").groups, ["work"]);
    let again = change(
        storage,
        "alice",
        &["c2c_bob"],
        group_op(group_kind::CREATE, "work", ""),
    );
    assert_eq!(
        again.result.unwrap_err().code,
        codes::ERR_SVR_CONV_CONV_MARK_OPERATE_FAILED
    );
    let missing = change(
        storage,
        "alice",
        &["c2c_bob"],
        group_op(group_kind::ADD, "none", ""),
    );
    assert_eq!(
        missing.result.unwrap_err().code,
        codes::ERR_SVR_CONV_CONV_GROUP_NOT_EXIST
    );
    let long = change(
        storage,
        "alice",
        &["c2c_bob"],
        group_op(group_kind::CREATE, &"n".repeat(33), ""),
    );
    assert_eq!(
        long.result.unwrap_err().code,
        codes::ERR_SVR_CONV_CONV_GROUP_NAME_EXCEED_LENGTH
    );
    change(
        storage,
        "alice",
        &["c2c_bob"],
        group_op(group_kind::REMOVE, "work", ""),
    );
    assert!(attrs_of(storage, "alice", "c2c_bob").groups.is_empty());
    change(
        storage,
        "alice",
        &[],
        group_op(group_kind::RENAME, "work", "jobs"),
    );
    assert_eq!(attrs_of(storage, "alice", "group_g").groups, ["jobs"]);
    change(
        storage,
        "alice",
        &[],
        group_op(group_kind::DELETE, "jobs", ""),
    );
    assert!(attrs_of(storage, "alice", "group_g").groups.is_empty());
    assert!(
        storage
            .conversation_state(APP, &user("alice"))
            .unwrap()
            .group_names
            .is_empty()
    );
    for i in 0..20 {
        let made = change(
            storage,
            "alice",
            &["c2c_bob"],
            group_op(group_kind::CREATE, &format!("g{i}"), ""),
        );
        assert!(made.result.is_ok());
    }
    let over = change(
        storage,
        "alice",
        &["c2c_bob"],
        group_op(group_kind::CREATE, "g20", ""),
    );
    assert_eq!(
        over.result.unwrap_err().code,
        codes::ERR_SVR_CONV_CONV_GROUP_TOTAL_COUNT_EXCEED_LIMIT
    );
    // Bob has none of it.
    assert!(
        storage
            .conversation_state(APP, &user("bob"))
            .unwrap()
            .group_names
            .is_empty()
    );
}

/// Profiles: set by their owner, merged, read by anyone of the app, logged for the owner's
/// devices, carried by later messages as their sender profile and by revokes as the revoker's
/// nickname.
pub fn profiles_merge_read_back_and_reach_messages(storage: &dyn Storage) {
    let read = |who: &str| storage.profiles(APP, &[user(who)]).unwrap().remove(0);
    assert_eq!(read("alice").identifier, "alice");
    assert!(read("alice").nick_name.is_empty());
    let set = |item: v1::UserProfileItem| {
        apply_one(
            storage,
            WriteOp::Profile(Box::new(ProfileWrite {
                app: APP,
                user: user("alice"),
                item,
            })),
        )
    };
    let outcome = set(v1::UserProfileItem {
        nick_name: Some("Alice".into()),
        level: Some(3),
        ..Default::default()
    });
    assert!(matches!(outcome.result, Ok(Applied::Profile(_))));
    assert_eq!(outcome.notices.len(), 1);
    set(v1::UserProfileItem {
        face_url: Some("https://x/a.png".into()),
        ..Default::default()
    });
    let profile = read("alice");
    assert_eq!(
        (
            profile.nick_name.as_str(),
            profile.level,
            profile.face_url.as_str()
        ),
        ("Alice", 3, "https://x/a.png")
    );
    // Another app's alice is someone else.
    assert!(
        storage.profiles(APP + 1, &[user("alice")]).unwrap()[0]
            .nick_name
            .is_empty()
    );
    // Messages carry it.
    apply_one(storage, c2c_send("alice", "bob", "p1"));
    let page = storage.sync(APP, &user("bob"), 0, 100, 1 << 20).unwrap();
    let sent = page.events.iter().find_map(|e| e.message()).unwrap();
    assert_eq!(sent.sender_profile.as_ref().unwrap().nick_name, "Alice");
    // A revoke carries the revoker's nickname and avatar.
    let outcome = super::lifecycle::revoke(storage, "alice", Target::C2c(user("bob")), "p1", 1_010);
    match &outcome.result {
        Ok(Applied::Revoked(message)) => {
            assert_eq!(message.revoker_nick_name, "Alice");
            assert_eq!(message.revoker_face_url, "https://x/a.png");
        }
        other => panic!("{other:?}"),
    }
}
