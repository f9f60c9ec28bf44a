//! The message lifecycle on a real server: revoke and modify reaching every device of every
//! party, their refusals, a revoke racing delivery to an offline device, and two devices
//! modifying one message at once.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is a failed test

mod net_support;

use net_support::*;
use tim_core::{CoreError, CreateGroupParam, Event};
use tim_model::enums::{GroupAddOption, GroupType, MsgStatus};
use tim_model::{GetMsgListParam, GroupId, Message, RevokeInfo, SearchParam, codes};

/// The number of conversations holding `keyword` on `device`.
fn found(device: &Device, keyword: &str) -> u32 {
    let engine = device.client.engine().unwrap();
    engine
        .search_local(&SearchParam {
            keyword_array: vec![keyword.to_owned()],
            ..Default::default()
        })
        .unwrap()
        .total_count
}

/// Waits for the revoke notice of the message with seq `seq`.
async fn revoke_event(device: &mut Device, seq: u64) -> RevokeInfo {
    device
        .wait_for(|event| match event {
            Event::MessageRevoked(info) if info.locator.seq.0 == seq => Some(info.clone()),
            _ => None,
        })
        .await
}

fn status(device: &Device, message: &Message) -> Option<MsgStatus> {
    device
        .stored(message.msg_id.as_ref().unwrap())
        .and_then(|m| m.status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoke_reaches_every_device_of_both_parties() {
    let server = TestServer::start().await;
    let mut alice1 = device(&server, "alice").await;
    let mut alice2 = device(&server, "alice").await;
    let mut bob1 = device(&server, "bob").await;
    let mut bob2 = device(&server, "bob").await;

    let sent = alice1.send(&c2c("bob"), "the zebra plan").await;
    for device in [&mut alice2, &mut bob1, &mut bob2] {
        assert_eq!(contents(&device.receive(1).await), ["the zebra plan"]);
    }
    for device in [&alice1, &alice2, &bob1, &bob2] {
        assert_eq!(found(device, "zebra"), 1);
    }

    let mut to_revoke = sent.clone();
    to_revoke.revoke_reason = "typo".into();
    let info = alice1.client.revoke(&c2c("bob"), &to_revoke).await.unwrap();
    assert_eq!(info.revoker_user_id, "alice");
    assert_eq!(info.revoke_reason, "typo");
    assert_eq!(info.locator.seq, sent.seq);
    assert!(info.locator.is_self && info.locator.is_revoked);
    // The revoker's store is updated when the call returns.
    assert_eq!(status(&alice1, &sent), Some(MsgStatus::Revoked));

    for device in [&mut alice1, &mut alice2, &mut bob1, &mut bob2] {
        let got = revoke_event(device, sent.seq.0).await;
        assert_eq!(got.revoker_user_id, "alice");
        assert_eq!(got.revoke_reason, "typo");
        let peer = if device.user == "alice" {
            "bob"
        } else {
            "alice"
        };
        assert_eq!(got.locator.conv_id, peer);
        assert_eq!(got.locator.is_self, device.user == "alice");
        let stored = device.stored(sent.msg_id.as_ref().unwrap()).unwrap();
        assert_eq!(stored.status, Some(MsgStatus::Revoked), "{}", device.user);
        assert_eq!(stored.revoker_user_id, "alice");
        assert_eq!(found(device, "zebra"), 0, "{}", device.user);
    }

    // Revoking again succeeds without a new notice.
    alice2.client.revoke(&c2c("bob"), &sent).await.unwrap();

    // History from the server still has it, flagged (a new device pulls it).
    let bob3 = device(&server, "bob").await;
    let page = bob3
        .client
        .get_message_list(
            &c2c("alice"),
            &GetMsgListParam {
                count: 20,
                is_ramble: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let pulled = page
        .iter()
        .find(|m| m.msg_id == sent.msg_id)
        .unwrap_or_else(|| {
            let seqs: Vec<(u64, Option<MsgStatus>)> =
                page.iter().map(|m| (m.seq.0, m.status)).collect();
            panic!("the revoked message is not in the history page {seqs:?}")
        });
    assert_eq!(pulled.status, Some(MsgStatus::Revoked));
    assert_eq!(pulled.revoker_user_id, "alice");
    assert_eq!(found(&bob3, "zebra"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c2c_revokes_are_refused_for_others_messages_online_only_and_outsiders() {
    let server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let mut bob = device(&server, "bob").await;
    let carol = device(&server, "carol").await;

    let sent = alice.send(&c2c("bob"), "mine").await;
    let received = bob.receive(1).await.remove(0);
    // Bob may not revoke Alice's message.
    let refused = bob
        .client
        .revoke(&c2c("alice"), &received)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), codes::ERR_SVR_GROUP_REVOKE_MSG_DENY);
    // Carol is not a party: from her side the message does not exist, whichever peer.
    for peer in ["alice", "bob"] {
        let refused = carol.client.revoke(&c2c(peer), &sent).await.unwrap_err();
        assert_eq!(refused.code(), codes::ERR_SDK_COMM_DATABASE_NOTFOUND);
    }
    // Online-only messages cannot be revoked.
    let online = Message {
        is_online_msg: true,
        ..text("typing")
    };
    let (_, handle) = alice.client.send_message(&c2c("bob"), online).unwrap();
    let online = tokio::time::timeout(WAIT, handle).await.unwrap().unwrap();
    let refused = alice.client.revoke(&c2c("bob"), &online).await.unwrap_err();
    assert_eq!(refused.code(), codes::ERR_SVR_GROUP_REVOKE_MSG_DENY);
    // Even when the flag is cleared, the server has nothing stored under its ID.
    let unflagged = Message {
        is_online_msg: false,
        ..online
    };
    let refused = alice
        .client
        .revoke(&c2c("bob"), &unflagged)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), codes::ERR_SDK_COMM_DATABASE_NOTFOUND);
    // Nothing was changed anywhere.
    assert_eq!(status(&alice, &sent), Some(MsgStatus::SendSucc));
    assert_eq!(status(&bob, &sent), Some(MsgStatus::SendSucc));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_revoke_window_is_enforced() {
    let server = TestServer::start_with(|config| {
        config.revoke_window = std::time::Duration::ZERO;
    })
    .await;
    let alice = device(&server, "alice").await;
    let mut bob = device(&server, "bob").await;
    alice
        .client
        .create_group(CreateGroupParam {
            group_id: Some(GroupId::new("late").unwrap()),
            group_type: GroupType::Private,
            name: "Late".into(),
            add_option: GroupAddOption::Any,
            member_ids: vec![user("bob")],
            ..Default::default()
        })
        .await
        .unwrap();
    let c2c_sent = alice.send(&c2c("bob"), "c2c").await;
    let group_sent = alice.send(&group("late"), "group").await;
    // A window of 0 s ends with the second of the server time; wait until the server clock
    // has passed it (bounded: the clock moves within a second).
    let newest = c2c_sent.server_time.max(group_sent.server_time);
    let started = std::time::Instant::now();
    while tim_server::usersig::now_secs() <= newest {
        assert!(started.elapsed() < WAIT, "the server clock did not move");
        tokio::task::yield_now().await;
    }
    let refused = alice
        .client
        .revoke(&c2c("bob"), &c2c_sent)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), codes::ERR_SVR_MSG_REVOKE_TIME_LIMIT);
    let refused = alice
        .client
        .revoke(&group("late"), &group_sent)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), codes::ERR_SVR_GROUP_REVOKE_MSG_TIME_LIMIT);
    assert_eq!(status(&alice, &c2c_sent), Some(MsgStatus::SendSucc));
    let got = bob.receive(1).await;
    assert_eq!(status(&bob, &got[0]), Some(MsgStatus::SendSucc));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_owners_revoke_members_messages_and_members_only_their_own() {
    let server = TestServer::start().await;
    let mut owner = device(&server, "owner").await;
    let mut member1 = device(&server, "member1").await;
    let mut member1b = device(&server, "member1").await;
    let mut member2 = device(&server, "member2").await;
    let outsider = device(&server, "outsider").await;
    owner
        .client
        .create_group(CreateGroupParam {
            group_id: Some(GroupId::new("crew").unwrap()),
            group_type: GroupType::Private,
            name: "Crew".into(),
            add_option: GroupAddOption::Any,
            member_ids: vec![user("member1"), user("member2")],
            ..Default::default()
        })
        .await
        .unwrap();
    let crew = group("crew");
    let first = member1.send(&crew, "first walrus").await;
    let second = member1.send(&crew, "second walrus").await;
    for device in [&mut owner, &mut member2] {
        device
            .wait_for(|event| match event {
                Event::NewMessages(m) if m.iter().any(|m| m.msg_id == second.msg_id) => Some(()),
                _ => None,
            })
            .await;
    }

    // Another ordinary member and an outsider are refused.
    for who in [&member2, &outsider] {
        let refused = who.client.revoke(&crew, &first).await.unwrap_err();
        assert_eq!(refused.code(), codes::ERR_SVR_GROUP_PERMISSION_DENY);
    }
    // The owner revokes a member's message; the member their own.
    let by_owner = owner.client.revoke(&crew, &first).await.unwrap();
    assert_eq!(by_owner.revoker_user_id, "owner");
    assert!(!by_owner.locator.is_self);
    member1.client.revoke(&crew, &second).await.unwrap();
    for device in [&mut owner, &mut member1, &mut member1b, &mut member2] {
        assert_eq!(
            revoke_event(device, first.seq.0).await.revoker_user_id,
            "owner"
        );
        assert_eq!(
            revoke_event(device, second.seq.0).await.revoker_user_id,
            "member1"
        );
        for message in [&first, &second] {
            assert_eq!(status(device, message), Some(MsgStatus::Revoked));
        }
        assert_eq!(found(device, "walrus"), 0, "{}", device.user);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_admin_revokes_a_members_message() {
    let server = TestServer::start().await;
    let owner = device(&server, "owner").await;
    let mut admin = device(&server, "admin").await;
    let mut member = device(&server, "member").await;
    owner
        .client
        .create_group(CreateGroupParam {
            group_id: Some(GroupId::new("ops").unwrap()),
            group_type: GroupType::Private,
            name: "Ops".into(),
            add_option: GroupAddOption::Any,
            member_ids: vec![user("member")],
            admin_ids: vec![user("admin")],
            ..Default::default()
        })
        .await
        .unwrap();
    let ops = group("ops");
    let page = owner
        .client
        .list_group_members(&GroupId::new("ops").unwrap(), 0, 10)
        .await
        .unwrap();
    let admin_role = page
        .members
        .iter()
        .find(|m| m.identifier == "admin")
        .map(|m| m.member_role);
    assert_eq!(admin_role, Some(tim_model::enums::GroupMemberRole::Admin));

    let sent = member.send(&ops, "stray walrus").await;
    let by_admin = admin.client.revoke(&ops, &sent).await.unwrap();
    assert_eq!(by_admin.revoker_user_id, "admin");
    for device in [&mut admin, &mut member] {
        assert_eq!(
            revoke_event(device, sent.seq.0).await.revoker_user_id,
            "admin"
        );
        assert_eq!(status(device, &sent), Some(MsgStatus::Revoked));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_offline_during_send_and_revoke_ends_with_the_message_revoked() {
    let server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let bob_dir = tempfile::tempdir().unwrap();
    let mut bob = device_at(&server, "bob", bob_dir.path()).await;
    alice.send(&c2c("bob"), "before").await;
    bob.receive(1).await;
    bob.client.close().await;
    drop(bob);

    let sent = alice.send(&c2c("bob"), "gone quokka").await;
    let kept = alice.send(&c2c("bob"), "kept").await;
    alice.client.revoke(&c2c("bob"), &sent).await.unwrap();

    // Back online: the sync replays the new message (already revoked) and then the revoke.
    let mut bob = device_at(&server, "bob", bob_dir.path()).await;
    let mut announced = Vec::new();
    while announced.len() < 2 {
        let batch = bob
            .wait_for(|event| match event {
                Event::NewMessages(messages) => Some(messages.clone()),
                _ => None,
            })
            .await;
        announced.extend(batch);
    }
    for message in &announced {
        if message.msg_id == sent.msg_id {
            assert_eq!(message.status, Some(MsgStatus::Revoked));
        } else {
            assert_eq!(message.msg_id, kept.msg_id);
            assert_eq!(message.status, Some(MsgStatus::SendSucc));
        }
    }
    let info = revoke_event(&mut bob, sent.seq.0).await;
    assert_eq!(info.revoker_user_id, "alice");
    assert_eq!(status(&bob, &sent), Some(MsgStatus::Revoked));
    assert_eq!(status(&bob, &kept), Some(MsgStatus::SendSucc));
    assert_eq!(found(&bob, "quokka"), 0);
    assert_eq!(found(&bob, "kept"), 1);
}

/// Waits for the modification of `message` to version `version`.
async fn modified_event(device: &mut Device, message: &Message, version: u64) -> Message {
    device
        .wait_for(|event| match event {
            Event::MessageModified(m) if m.msg_id == message.msg_id && m.version == version => {
                Some(m.clone())
            }
            _ => None,
        })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_modification_reaches_every_party_and_an_old_version_conflicts() {
    let server = TestServer::start().await;
    let mut alice1 = device(&server, "alice").await;
    let mut alice2 = device(&server, "alice").await;
    let mut bob1 = device(&server, "bob").await;
    let mut bob2 = device(&server, "bob").await;

    let sent = alice1.send(&c2c("bob"), "meet at the aardvark").await;
    for device in [&mut alice2, &mut bob1, &mut bob2] {
        device.receive(1).await;
    }
    assert_eq!(sent.version, 0);
    let mut edit = sent.clone();
    edit.elems = text("meet at the pangolin").elems;
    edit.cloud_custom_str = "edited".into();
    let modified = alice1.client.modify_message(edit.clone()).await.unwrap();
    assert_eq!(modified.version, 1);
    assert_eq!(content(&modified), "meet at the pangolin");
    assert_eq!(modified.cloud_custom_str, "edited");

    for device in [&mut alice1, &mut alice2, &mut bob1, &mut bob2] {
        let got = modified_event(device, &sent, 1).await;
        assert_eq!(content(&got), "meet at the pangolin");
        let stored = device.stored(sent.msg_id.as_ref().unwrap()).unwrap();
        assert_eq!(
            (stored.version, content(&stored)),
            (1, "meet at the pangolin")
        );
        assert_eq!(stored.cloud_custom_str, "edited");
        assert_eq!(found(device, "pangolin"), 1, "{}", device.user);
        assert_eq!(found(device, "aardvark"), 0, "{}", device.user);
    }

    // An edit of version 0 again: 8006 with the current message; nothing changes.
    let mut stale = sent.clone();
    stale.elems = text("stale").elems;
    match alice2.client.modify_message(stale).await.unwrap_err() {
        CoreError::ModifyConflict { current, .. } => {
            assert_eq!(
                (current.version, content(&current)),
                (1, "meet at the pangolin")
            );
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        bob1.stored(sent.msg_id.as_ref().unwrap()).unwrap().version,
        1
    );

    // Someone else's message, a conversation one is not in, an unmodifiable change.
    let received = bob1.stored(sent.msg_id.as_ref().unwrap()).unwrap();
    let refused = bob1.client.modify_message(received).await.unwrap_err();
    assert_eq!(refused.code(), codes::ERR_SDK_INVALID_OPERATION);
    let carol = device(&server, "carol").await;
    let mut foreign = modified.clone();
    foreign.conv_id = "alice".into();
    let refused = carol.client.modify_message(foreign).await.unwrap_err();
    assert_eq!(refused.code(), codes::ERR_SDK_COMM_DATABASE_NOTFOUND);
    let mut two = modified.clone();
    two.elems.extend(text("more").elems);
    let refused = alice1.client.modify_message(two).await.unwrap_err();
    assert_eq!(refused.code(), codes::ERR_INVALID_MSG_ELEM);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_devices_modifying_one_message_at_once_one_wins_per_version() {
    let server = TestServer::start().await;
    let mut alice1 = device(&server, "alice").await;
    let mut alice2 = device(&server, "alice").await;
    let mut bob = device(&server, "bob").await;
    let team = group("pair");
    alice1
        .client
        .create_group(CreateGroupParam {
            group_id: Some(GroupId::new("pair").unwrap()),
            group_type: GroupType::Private,
            name: "Pair".into(),
            add_option: GroupAddOption::Any,
            member_ids: vec![user("bob")],
            ..Default::default()
        })
        .await
        .unwrap();
    let sent = alice1.send(&team, "draft").await;
    let mut base = sent.clone();
    for round in 0..10u64 {
        let mut one = base.clone();
        one.elems = text(&format!("one {round}")).elems;
        let mut two = base.clone();
        two.elems = text(&format!("two {round}")).elems;
        let (first, second) = tokio::join!(
            alice1.client.modify_message(one),
            alice2.client.modify_message(two)
        );
        let winner = match (first, second) {
            (Ok(won), Err(CoreError::ModifyConflict { current, .. }))
            | (Err(CoreError::ModifyConflict { current, .. }), Ok(won)) => {
                assert_eq!(current.version, won.version);
                assert_eq!(content(&current), content(&won));
                won
            }
            other => panic!("round {round}: expected exactly one winner, got {other:?}"),
        };
        assert_eq!(winner.version, round + 1);
        for device in [&mut alice1, &mut alice2, &mut bob] {
            let got = modified_event(device, &sent, round + 1).await;
            assert_eq!(content(&got), content(&winner));
        }
        base = winner;
    }
    // Every store ends with the last winner.
    for device in [&alice1, &alice2, &bob] {
        let stored = device.stored(sent.msg_id.as_ref().unwrap()).unwrap();
        assert_eq!((stored.version, content(&stored)), (10, content(&base)));
    }
}
