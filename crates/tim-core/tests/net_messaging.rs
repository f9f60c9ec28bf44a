//! Sending and receiving through a real server: C2C between two and three users, groups,
//! several devices per user, offline catch-up, online-only messages and batch send.

mod net_support;

use net_support::*;
use tim_core::{CreateGroupParam, Event};
use tim_model::enums::{GroupAddOption, GroupType, MsgStatus};
use tim_model::{GroupId, Message};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_users_talk_c2c_in_order() {
    let server = TestServer::start().await;
    let mut alice = device(&server, "alice").await;
    let mut bob = device(&server, "bob").await;

    let mut acked = Vec::new();
    for i in 1..=3 {
        let message = alice.send(&c2c("bob"), &format!("hi {i}")).await;
        assert_eq!(message.status, Some(MsgStatus::SendSucc));
        assert!(message.server_time > 0);
        acked.push(message);
    }
    assert_eq!(seqs(&acked), [1, 2, 3]);
    let received = bob.receive(3).await;
    assert_eq!(contents(&received), ["hi 1", "hi 2", "hi 3"]);
    assert_eq!(seqs(&received), [1, 2, 3]);
    for (got, sent) in received.iter().zip(&acked) {
        assert_eq!(got.msg_id, sent.msg_id);
        assert_eq!(
            (got.conv_id.as_str(), got.sender.as_str()),
            ("alice", "alice")
        );
        assert!(!got.is_from_self);
    }
    // Bob answers; the pair shares one seq line.
    let reply = bob.send(&c2c("alice"), "hello alice").await;
    assert_eq!(reply.seq.0, 4);
    let got = alice.receive(1).await;
    assert_eq!(contents(&got), ["hello alice"]);
    // Alice never heard of her own messages as new ones: the first event with messages was
    // Bob's reply (checked by `receive` failing on extra messages).
    let history = alice.local(&c2c("bob"));
    assert_eq!(contents(&history), ["hi 1", "hi 2", "hi 3", "hello alice"]);
    assert_contiguous(&seqs(&history));
    assert!(
        history
            .iter()
            .all(|m| m.status == Some(MsgStatus::SendSucc))
    );
    let bob_history = bob.local(&c2c("alice"));
    assert_contiguous(&seqs(&bob_history));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_users_in_c2c_and_a_group() {
    let server = TestServer::start().await;
    let mut alice = device(&server, "alice").await;
    let mut bob = device(&server, "bob").await;
    let mut carol = device(&server, "carol").await;

    carol.send(&c2c("alice"), "from carol").await;
    bob.send(&c2c("alice"), "from bob").await;
    let got = alice.receive(2).await;
    assert_eq!(contents(&got), ["from carol", "from bob"]);
    // Each pair has its own seq line.
    assert_eq!(seqs(&got), [1, 1]);

    let group_id = alice
        .client
        .create_group(CreateGroupParam {
            group_id: Some(GroupId::new("team").unwrap()),
            group_type: GroupType::Private,
            name: "Team".into(),
            add_option: GroupAddOption::Any,
            member_ids: vec![user("bob"), user("carol")],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(group_id.as_str(), "team");
    let team = group("team");
    let members = alice
        .client
        .list_group_members(&group_id, 0, 0)
        .await
        .unwrap();
    let mut ids: Vec<String> = members
        .members
        .iter()
        .map(|m| m.identifier.clone())
        .collect();
    ids.sort();
    assert_eq!(ids, ["alice", "bob", "carol"]);

    let first = alice.send(&team, "team 1").await;
    let second = bob.send(&team, "team 2").await;
    assert!(second.seq > first.seq);
    // Everyone hears of the others' messages, never of their own.
    assert_eq!(group_texts(&mut carol, 2).await, ["team 1", "team 2"]);
    assert_eq!(group_texts(&mut bob, 1).await, ["team 1"]);
    assert_eq!(group_texts(&mut alice, 1).await, ["team 2"]);
    let history = carol.local(&team);
    assert_contiguous(&seqs(&history));

    // Carol leaves: she is no longer allowed to send.
    carol.client.quit_group(&group_id).await.unwrap();
    let (_, handle) = carol
        .client
        .send_message(&team, text("still here?"))
        .unwrap();
    let refused = tokio::time::timeout(WAIT, handle)
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(
        refused.code,
        tim_model::codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    let stored = refused.message.unwrap();
    assert_eq!(stored.status, Some(MsgStatus::SendFail));
}

/// The texts of the next `count` group text messages a device gets (group tips and other
/// system messages skipped).
async fn group_texts(device: &mut Device, count: usize) -> Vec<String> {
    let mut texts = Vec::new();
    for _ in 0..1000 {
        if texts.len() >= count {
            break;
        }
        let batch = device
            .wait_for(|event| match event {
                Event::NewMessages(messages) => Some(messages.clone()),
                _ => None,
            })
            .await;
        texts.extend(
            batch
                .iter()
                .filter(|m| m.conv_id == "team" && !content(m).is_empty())
                .map(|m| content(m).to_owned()),
        );
    }
    assert_eq!(texts.len(), count, "{texts:?}");
    texts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_device_of_a_user_gets_the_message_and_the_senders_other_device_too() {
    let server = TestServer::start().await;
    let mut phone = device(&server, "alice").await;
    let mut laptop = device(&server, "alice").await;
    assert_ne!(phone.client.device_id(), laptop.client.device_id());
    let mut bob = device(&server, "bob").await;

    bob.send(&c2c("alice"), "to both").await;
    for device in [&mut phone, &mut laptop] {
        let got = device.receive(1).await;
        assert_eq!(contents(&got), ["to both"]);
    }
    let sent = phone.send(&c2c("bob"), "from the phone").await;
    let on_laptop = laptop.receive(1).await;
    assert_eq!(on_laptop[0].msg_id, sent.msg_id);
    assert!(on_laptop[0].is_from_self);
    assert_eq!(on_laptop[0].conv_id, "bob");
    assert_eq!(on_laptop[0].seq, sent.seq);
    assert_eq!(contents(&bob.receive(1).await), ["from the phone"]);
    // The phone itself announced nothing new: the next message it hears of is this one.
    bob.send(&c2c("alice"), "sentinel").await;
    assert_eq!(contents(&phone.receive(1).await), ["sentinel"]);
    assert_eq!(contents(&laptop.receive(1).await), ["sentinel"]);
    assert_eq!(
        contents(&phone.local(&c2c("bob"))),
        contents(&laptop.local(&c2c("bob")))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_device_catches_up_in_order_without_gaps_or_duplicates() {
    let server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let bob_dir = tempfile::tempdir().unwrap();
    let mut bob = device_at(&server, "bob", bob_dir.path()).await;
    alice.send(&c2c("bob"), "m0").await;
    assert_eq!(contents(&bob.receive(1).await), ["m0"]);
    bob.client.close().await;
    drop(bob);

    for i in 1..=25 {
        alice.send(&c2c("bob"), &format!("m{i}")).await;
    }
    let mut bob = device_at(&server, "bob", bob_dir.path()).await;
    let caught_up = bob.receive(25).await;
    let expected: Vec<String> = (1..=25).map(|i| format!("m{i}")).collect();
    assert_eq!(contents(&caught_up), expected);
    let all = bob.local(&c2c("alice"));
    assert_eq!(all.len(), 26);
    assert_contiguous(&seqs(&all));

    // The cursor was kept: logging in again brings nothing old back.
    bob.client.close().await;
    drop(bob);
    let mut bob = device_at(&server, "bob", bob_dir.path()).await;
    alice.send(&c2c("bob"), "after").await;
    assert_eq!(contents(&bob.receive(1).await), ["after"]);
    assert_eq!(bob.local(&c2c("alice")).len(), 27);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_only_messages_reach_online_devices_and_are_never_stored() {
    let server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let mut bob = device(&server, "bob").await;
    let carol_dir = tempfile::tempdir().unwrap();
    let carol = device_at(&server, "carol", carol_dir.path()).await;
    carol.client.close().await;
    drop(carol);

    let online = Message {
        is_online_msg: true,
        ..text("typing...")
    };
    let (_, handle) = alice
        .client
        .send_message(&c2c("bob"), online.clone())
        .unwrap();
    let acked = tokio::time::timeout(WAIT, handle).await.unwrap().unwrap();
    assert_eq!(acked.seq.0, 0);
    let got = bob.receive(1).await;
    assert_eq!(contents(&got), ["typing..."]);
    assert!(got[0].is_online_msg);
    assert!(bob.stored(got[0].msg_id.as_ref().unwrap()).is_none());
    let (_, handle) = alice.client.send_message(&c2c("carol"), online).unwrap();
    tokio::time::timeout(WAIT, handle).await.unwrap().unwrap();

    // Carol was offline: she never gets it; the first thing she hears of is a stored message.
    alice.send(&c2c("carol"), "stored").await;
    let mut carol = device_at(&server, "carol", carol_dir.path()).await;
    let got = carol.receive(1).await;
    assert_eq!(contents(&got), ["stored"]);
    assert_eq!(got[0].seq.0, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_send_gives_one_result_per_recipient() {
    let server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let mut bob = device(&server, "bob").await;
    let mut carol = device(&server, "carol").await;

    let results = alice
        .client
        .batch_send(&[user("bob"), user("carol"), user("dave")], text("news"))
        .await
        .unwrap();
    let recipients: Vec<&str> = results.iter().map(|r| r.identifier.as_str()).collect();
    assert_eq!(recipients, ["bob", "carol", "dave"]);
    for result in &results {
        assert_eq!(result.code, 0, "{result:?}");
        let copy = result.msg.as_ref().unwrap();
        assert_eq!(copy.conv_id, result.identifier);
        assert_eq!(copy.seq.0, 1);
    }
    let ids: std::collections::HashSet<_> = results
        .iter()
        .map(|r| r.msg.as_ref().unwrap().msg_id.clone())
        .collect();
    assert_eq!(ids.len(), 3, "each copy has its own message ID");
    for device in [&mut bob, &mut carol] {
        let got = device.receive(1).await;
        assert_eq!(contents(&got), ["news"]);
        assert_eq!(got[0].conv_id, "alice");
    }
    assert_eq!(contents(&alice.local(&c2c("carol"))), ["news"]);

    let too_many: Vec<_> = (0..501).map(|i| user(&format!("u{i}"))).collect();
    let err = alice
        .client
        .batch_send(&too_many, text("x"))
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        tim_model::codes::ERR_SVR_MSG_TO_ACCOUNT_COUNT_LIMIT
    );
}
