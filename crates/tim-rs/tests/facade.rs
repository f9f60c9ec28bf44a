//! The facade over a real server: what a Rust user does first (log in, talk one-to-one and in
//! a group, read history back), and what they get wrong (bad IDs, calls before login, a forged
//! UserSig, a group they are not in).

use tim_rs::model::codes;
use tim_rs::model::enums::{GroupAddOption, MsgStatus};
use tim_rs::{CreateGroupParam, Event, GroupId, UserId, text_of};

mod support;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_talk_one_to_one_and_in_a_group_and_read_history_back() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let server = server(dir.path()).await;
    let (alice, _alice_events) = logged_in(&server, dir.path(), "alice").await;
    let (bob, mut bob_events) = logged_in(&server, dir.path(), "bob").await;

    let sent = alice
        .c2c("bob")
        .unwrap_or_else(|err| panic!("{err}"))
        .send_text("早上好, Bob")
        .await
        .unwrap_or_else(|err| panic!("send: {err}"));
    assert_eq!(sent.status, Some(MsgStatus::SendSucc));
    assert_eq!(sent.seq.0, 1);
    let got = next_text(&mut bob_events).await;
    assert_eq!(
        (got.sender.as_str(), text_of(&got).as_str()),
        ("alice", "早上好, Bob")
    );
    assert_eq!(got.msg_id, sent.msg_id);

    let group = alice
        .create_group(CreateGroupParam {
            group_id: GroupId::new("facade-team").ok(),
            add_option: GroupAddOption::Any,
            member_ids: vec![UserId::new("bob").unwrap_or_else(|err| panic!("{err}"))],
            ..CreateGroupParam::default()
        })
        .await
        .unwrap_or_else(|err| panic!("create: {err}"));
    let mut members: Vec<String> = group
        .members()
        .await
        .unwrap_or_else(|err| panic!("members: {err}"))
        .into_iter()
        .map(|member| member.identifier)
        .collect();
    members.sort();
    assert_eq!(members, ["alice", "bob"]);
    group
        .conversation()
        .send_text("team, hello")
        .await
        .unwrap_or_else(|err| panic!("group send: {err}"));
    let got = next_text(&mut bob_events).await;
    assert_eq!(got.conv_id, "facade-team");
    assert_eq!(text_of(&got), "team, hello");

    let history = bob
        .c2c("alice")
        .unwrap_or_else(|err| panic!("{err}"))
        .history(10)
        .await
        .unwrap_or_else(|err| panic!("history: {err}"));
    let texts: Vec<String> = history.iter().map(text_of).collect();
    assert_eq!(texts, ["早上好, Bob"]);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mistakes_get_their_tim_codes() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let server = server(dir.path()).await;
    let (mallory, _events) = client(&server, dir.path(), "mallory");

    let forged = tim_server::usersig::gen_user_sig(APP, "not-the-key", "mallory", 3600);
    let refused = mallory.login("mallory", &forged).await.err();
    assert_eq!(
        refused.map(|err| err.code()),
        Some(codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_PUBLICKEY)
    );

    let conversation = mallory.c2c("alice").unwrap_or_else(|err| panic!("{err}"));
    let not_logged_in = conversation.send(tim_rs::text_message("hi")).err();
    assert_eq!(
        not_logged_in.map(|err| err.code()),
        Some(codes::ERR_SDK_NOT_LOGGED_IN)
    );
    let too_long = "u".repeat(33);
    assert_eq!(
        mallory.c2c(&too_long).err().map(|err| err.code()),
        Some(codes::ERR_SDK_COMM_INVALID_IDENTIFIER)
    );
    assert_eq!(
        mallory.group("").err().map(|err| err.code()),
        Some(codes::ERR_SDK_GROUP_INVALID_ID)
    );

    let (alice, _alice_events) = logged_in(&server, dir.path(), "alice").await;
    let (carol, _carol_events) = logged_in(&server, dir.path(), "carol").await;
    alice
        .create_group(CreateGroupParam {
            group_id: GroupId::new("private-club").ok(),
            ..CreateGroupParam::default()
        })
        .await
        .unwrap_or_else(|err| panic!("create: {err}"));
    let outsider = carol
        .group_conversation("private-club")
        .unwrap_or_else(|err| panic!("{err}"))
        .send_text("let me in")
        .await
        .err();
    assert_eq!(
        outsider.map(|err| err.code),
        Some(codes::ERR_SVR_GROUP_PERMISSION_DENY)
    );
    let members = carol
        .group("private-club")
        .unwrap_or_else(|err| panic!("{err}"))
        .members()
        .await
        .err();
    assert_eq!(
        members.map(|err| err.code()),
        Some(codes::ERR_SVR_GROUP_PERMISSION_DENY)
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_are_modified_and_revoked_through_their_conversation() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let server = server(dir.path()).await;
    let (alice, _alice_events) = logged_in(&server, dir.path(), "alice").await;
    let (bob, mut bob_events) = logged_in(&server, dir.path(), "bob").await;
    let to_bob = alice.c2c("bob").unwrap_or_else(|err| panic!("{err}"));
    let sent = to_bob
        .send_text("first draft")
        .await
        .unwrap_or_else(|err| panic!("send: {err}"));
    next_text(&mut bob_events).await;

    let mut edit = sent.clone();
    edit.elems = tim_rs::text_message("final text").elems;
    let modified = to_bob
        .modify(edit)
        .await
        .unwrap_or_else(|err| panic!("modify: {err}"));
    assert_eq!(
        (modified.version, text_of(&modified).as_str()),
        (1, "final text")
    );
    let stale = to_bob.modify(sent.clone()).await.err();
    match stale {
        Some(tim_rs::Error::ModifyConflict { current, .. }) => assert_eq!(current.version, 1),
        other => panic!("expected a conflict, got {other:?}"),
    }

    let info = to_bob
        .revoke(&modified)
        .await
        .unwrap_or_else(|err| panic!("revoke: {err}"));
    assert_eq!(info.revoker_user_id, "alice");
    let deadline = tokio::time::Instant::now() + WAIT;
    let (mut saw_modified, mut saw_revoked) = (false, false);
    while !(saw_modified && saw_revoked) {
        match tokio::time::timeout_at(deadline, bob_events.next())
            .await
            .unwrap_or_else(|_| panic!("no lifecycle events within {WAIT:?}"))
        {
            Some(Event::MessageModified(message)) => {
                saw_modified = text_of(&message) == "final text";
            }
            Some(Event::MessageRevoked(revoked)) => {
                saw_revoked = revoked.locator.seq == sent.seq;
            }
            Some(_) => {}
            None => panic!("the event stream ended"),
        }
    }
    let history = bob
        .c2c("alice")
        .unwrap_or_else(|err| panic!("{err}"))
        .history(10)
        .await
        .unwrap_or_else(|err| panic!("history: {err}"));
    assert_eq!(history[0].status, Some(MsgStatus::Revoked));
    assert_eq!(text_of(&history[0]), "final text");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_a_conversation_tells_the_peer() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let server = server(dir.path()).await;
    let (alice, mut alice_events) = logged_in(&server, dir.path(), "alice").await;
    let (bob, mut bob_events) = logged_in(&server, dir.path(), "bob").await;
    let to_bob = alice.c2c("bob").unwrap_or_else(|err| panic!("{err}"));
    to_bob
        .send_text("did you read this?")
        .await
        .unwrap_or_else(|err| panic!("send: {err}"));
    next_text(&mut bob_events).await;
    let to_alice = bob.c2c("alice").unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(to_alice.state().map(|s| s.unread_count).ok(), Some(1));
    let state = to_alice
        .mark_read(None)
        .await
        .unwrap_or_else(|err| panic!("mark read: {err}"));
    assert_eq!(state.unread_count, 0);
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        match tokio::time::timeout_at(deadline, alice_events.next())
            .await
            .unwrap_or_else(|_| panic!("no receipt within {WAIT:?}"))
        {
            Some(Event::ReadReceipts(receipts)) => {
                assert_eq!(receipts[0].conv_id, "bob");
                break;
            }
            Some(_) => {}
            None => panic!("the event stream ended"),
        }
    }
    let history = to_bob
        .history(10)
        .await
        .unwrap_or_else(|err| panic!("history: {err}"));
    assert!(history[0].is_peer_read);
    server.shutdown().await;
}
