//! Cloud delete and receive options on a real server, two users with two devices each: list
//! delete, TIMMsgDelete with is_ramble, clear history (the caller's copy only, on all their
//! devices, in store, history and search), their limits and permissions; receive options
//! enforced on delivery.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is a failed test

mod net_support;

use net_support::*;
use std::time::Duration;
use tim_core::{CoreError, CreateGroupParam, Event};
use tim_model::enums::{GroupAddOption, GroupType, ReceiveMessageOpt};
use tim_model::{
    ConvId, GetMsgListParam, GroupId, Message, MsgDeleteParam, SearchParam, UserId, codes,
};

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

/// The conversation's history as the server gives it to `device` (is_ramble).
async fn cloud(device: &Device, conv: &ConvId) -> Vec<String> {
    let page = device
        .client
        .get_message_list(
            conv,
            &GetMsgListParam {
                count: 50,
                is_ramble: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut texts: Vec<String> = page
        .iter()
        .map(|m| content(m).to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    texts.sort();
    texts
}

/// The local contents of `conv` on `device`, sorted.
fn local(device: &Device, conv: &ConvId) -> Vec<String> {
    let mut texts: Vec<String> = device
        .local(conv)
        .iter()
        .map(|m| content(m).to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    texts.sort();
    texts
}

/// Waits until `count` text messages arrived on `device` (group tips are skipped), sorted.
async fn texts(device: &mut Device, count: usize) -> Vec<String> {
    let mut received = Vec::new();
    for _ in 0..100 {
        if received.len() >= count {
            break;
        }
        let batch = device
            .wait_for(|event| match event {
                Event::NewMessages(messages) => Some(messages.clone()),
                _ => None,
            })
            .await;
        received.extend(
            batch
                .iter()
                .map(|m| content(m).to_owned())
                .filter(|t| !t.is_empty()),
        );
    }
    assert_eq!(received.len(), count, "unexpected messages: {received:?}");
    received.sort();
    received
}

fn code(error: &CoreError) -> i32 {
    error.code()
}

async fn no_limit() -> TestServer {
    TestServer::start_with(|config| config.list_delete_interval = Duration::ZERO).await
}

async fn make_group(owner: &Device, id: &str, members: &[&str]) -> ConvId {
    owner
        .client
        .create_group(CreateGroupParam {
            group_id: Some(GroupId::new(id).unwrap()),
            group_type: GroupType::Private,
            name: id.into(),
            add_option: GroupAddOption::Any,
            member_ids: members.iter().map(|m| user(m)).collect(),
            ..Default::default()
        })
        .await
        .unwrap();
    group(id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_delete_removes_messages_for_every_device_of_the_caller_only() {
    let server = no_limit().await;
    let alice1 = device(&server, "alice").await;
    let mut alice2 = device(&server, "alice").await;
    let mut bob1 = device(&server, "bob").await;
    let mut bob2 = device(&server, "bob").await;
    let (to_bob, to_alice) = (c2c("bob"), c2c("alice"));

    let kiwi1 = alice1.send(&to_bob, "kiwi one").await;
    let kiwi2 = alice1.send(&to_bob, "kiwi two").await;
    alice1.send(&to_bob, "plain three").await;
    alice2.receive(3).await;
    bob1.receive(3).await;
    bob2.receive(3).await;

    alice1
        .client
        .delete_messages(&to_bob, &[kiwi1.clone(), kiwi2.clone()])
        .await
        .unwrap();
    // The caller's device is done when the call returns; the other device follows.
    assert_eq!(local(&alice1, &to_bob), ["plain three"]);
    let (conv, ids) = alice2
        .wait_for(|event| match event {
            Event::MessagesDeleted { conv, msg_ids } => Some((conv.clone(), msg_ids.clone())),
            _ => None,
        })
        .await;
    assert_eq!(conv, to_bob);
    assert_eq!(ids.len(), 2);
    for alice in [&alice1, &alice2] {
        assert_eq!(local(alice, &to_bob), ["plain three"]);
        assert_eq!(found(alice, "kiwi"), 0);
        assert!(alice.stored(kiwi1.msg_id.as_ref().unwrap()).is_none());
    }
    // The peer keeps them, in store and search.
    for bob in [&bob1, &bob2] {
        assert_eq!(local(bob, &to_alice).len(), 3);
        assert_eq!(found(bob, "kiwi"), 1);
    }
    // Cloud history: gone for alice (also on the devices that held the range), not for bob.
    assert_eq!(cloud(&alice1, &to_bob).await, ["plain three"]);
    assert_eq!(cloud(&alice2, &to_bob).await, ["plain three"]);
    let alice3 = device(&server, "alice").await;
    assert_eq!(cloud(&alice3, &to_bob).await, ["plain three"]);
    assert_eq!(local(&alice3, &to_bob), ["plain three"]);
    let bob3 = device(&server, "bob").await;
    assert_eq!(
        cloud(&bob3, &to_alice).await,
        ["kiwi one", "kiwi two", "plain three"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_with_is_ramble_is_cloud_and_without_is_local_only() {
    let server = no_limit().await;
    let alice1 = device(&server, "alice").await;
    let mut alice2 = device(&server, "alice").await;
    let mut bob1 = device(&server, "bob").await;
    let to_bob = c2c("bob");
    let local_only = alice1.send(&to_bob, "mango local").await;
    let cloud_too = alice1.send(&to_bob, "papaya cloud").await;
    alice2.receive(2).await;
    bob1.receive(2).await;

    let param = |message: &Message, is_ramble| MsgDeleteParam {
        msg: Some(message.clone()),
        is_ramble,
    };
    alice1
        .client
        .delete_message(&to_bob, &param(&local_only, false))
        .await
        .unwrap();
    alice1
        .client
        .delete_message(&to_bob, &param(&cloud_too, true))
        .await
        .unwrap();
    alice2
        .wait_for(|event| match event {
            Event::MessagesDeleted { msg_ids, .. } => Some(msg_ids.clone()),
            _ => None,
        })
        .await;
    assert!(local(&alice1, &to_bob).is_empty());
    assert_eq!(found(&alice1, "mango"), 0);
    // The other device only lost the cloud-deleted one.
    assert_eq!(local(&alice2, &to_bob), ["mango local"]);
    assert_eq!(found(&alice2, "papaya"), 0);
    // The cloud still has the locally deleted one (is_ramble pulls do not bring back the
    // cloud-deleted one).
    let alice3 = device(&server, "alice").await;
    assert_eq!(cloud(&alice3, &to_bob).await, ["mango local"]);
    assert_eq!(local(&bob1, &c2c("alice")).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clear_history_clears_the_callers_copy_and_later_messages_come_back() {
    let server = no_limit().await;
    let alice1 = device(&server, "alice").await;
    let mut alice2 = device(&server, "alice").await;
    let bob1 = device(&server, "bob").await;
    let mut bob2 = device(&server, "bob").await;
    let crew = make_group(&alice1, "crew", &["bob"]).await;
    bob1.send(&crew, "lemon first").await;
    bob1.send(&crew, "lemon second").await;
    texts(&mut alice2, 2).await;
    texts(&mut bob2, 2).await;

    alice1.client.clear_history(&crew).await.unwrap();
    let cleared = alice2
        .wait_for(|event| match event {
            Event::HistoryCleared(conv) => Some(conv.clone()),
            _ => None,
        })
        .await;
    assert_eq!(cleared, crew);
    for alice in [&alice1, &alice2] {
        assert!(alice.local(&crew).is_empty());
        assert_eq!(found(alice, "lemon"), 0);
        assert!(cloud(alice, &crew).await.is_empty());
    }
    for bob in [&bob1, &bob2] {
        assert_eq!(local(bob, &crew).len(), 2);
        assert_eq!(found(bob, "lemon"), 1);
    }
    assert_eq!(cloud(&bob1, &crew).await, ["lemon first", "lemon second"]);

    // A message sent after the clear is visible again, on every device and in the cloud.
    bob1.send(&crew, "lemon third").await;
    texts(&mut alice2, 1).await;
    let alice3 = device(&server, "alice").await;
    assert_eq!(cloud(&alice3, &crew).await, ["lemon third"]);
    assert_eq!(local(&alice2, &crew), ["lemon third"]);
    assert_eq!(found(&alice2, "lemon"), 1);
    assert_eq!(cloud(&bob2, &crew).await.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_delete_limits_rate_and_permissions_refuse_the_whole_call() {
    // A long interval: the second call comes well within it, without any sleep.
    let server =
        TestServer::start_with(|config| config.list_delete_interval = Duration::from_secs(3600))
            .await;
    let alice1 = device(&server, "alice").await;
    let mut bob1 = device(&server, "bob").await;
    let carol = device(&server, "carol").await;
    let to_bob = c2c("bob");
    let first = alice1.send(&to_bob, "grape first").await;
    let second = alice1.send(&to_bob, "grape second").await;
    bob1.receive(2).await;

    // 51 messages: refused before anything happens.
    let many = vec![first.clone(); 51];
    let error = alice1
        .client
        .delete_messages(&to_bob, &many)
        .await
        .unwrap_err();
    assert_eq!(code(&error), codes::ERR_INVALID_PARAMETERS);

    // Someone else's conversation: not found; a group one is not a member of: 10007.
    let error = carol
        .client
        .delete_messages(&to_bob, std::slice::from_ref(&first))
        .await
        .unwrap_err();
    assert_eq!(code(&error), codes::ERR_SDK_COMM_DATABASE_NOTFOUND);
    let crew = make_group(&alice1, "crew", &["bob"]).await;
    let in_group = alice1.send(&crew, "grape group").await;
    texts(&mut bob1, 1).await;
    let error = carol
        .client
        .delete_messages(&crew, std::slice::from_ref(&in_group))
        .await
        .unwrap_err();
    assert_eq!(code(&error), codes::ERR_SVR_GROUP_PERMISSION_DENY);
    let error = carol.client.clear_history(&crew).await.unwrap_err();
    assert_eq!(code(&error), codes::ERR_SVR_GROUP_PERMISSION_DENY);

    // One bad ID among good ones: nothing deleted.
    let error = alice1
        .client
        .delete_messages(&to_bob, &[first.clone(), in_group.clone()])
        .await
        .unwrap_err();
    assert_eq!(code(&error), codes::ERR_SDK_COMM_DATABASE_NOTFOUND);
    assert_eq!(local(&alice1, &to_bob).len(), 2);

    // The first delete passes; a second within the interval gets 7008 and deletes nothing.
    alice1
        .client
        .delete_messages(&to_bob, std::slice::from_ref(&first))
        .await
        .unwrap();
    let error = alice1
        .client
        .delete_messages(&to_bob, std::slice::from_ref(&second))
        .await
        .unwrap_err();
    assert_eq!(code(&error), codes::ERR_SDK_COMM_API_CALL_FREQUENCY_LIMIT);
    assert_eq!(local(&alice1, &to_bob), ["grape second"]);
    assert_eq!(cloud(&alice1, &to_bob).await, ["grape second"]);
    // Others' refused calls changed nothing for bob.
    assert_eq!(local(&bob1, &c2c("alice")).len(), 2);
    assert_eq!(local(&bob1, &crew).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_receive_stops_delivery_to_that_user_only_and_reads_back() {
    let server = TestServer::start().await;
    let alice1 = device(&server, "alice").await;
    let mut alice2 = device(&server, "alice").await;
    let mut bob1 = device(&server, "bob").await;
    let mut bob2 = device(&server, "bob").await;
    let mut carol = device(&server, "carol").await;

    bob1.client
        .set_c2c_receive_message_opt(&[user("alice")], ReceiveMessageOpt::NotReceive)
        .await
        .unwrap();
    let read = bob2
        .client
        .get_c2c_receive_message_opt(&[user("alice"), user("carol")])
        .await
        .unwrap();
    assert_eq!(read[0].identifier, "alice");
    assert_eq!(read[0].opt, ReceiveMessageOpt::NotReceive);
    assert_eq!(read[1].opt, ReceiveMessageOpt::Receive);

    alice1.send(&c2c("bob"), "muted hello").await;
    carol.send(&c2c("bob"), "carol hello").await;
    // bob's devices get carol's message only (alice's was sent first).
    for bob in [&mut bob1, &mut bob2] {
        assert_eq!(contents(&bob.receive(1).await), ["carol hello"]);
        assert!(local(bob, &c2c("alice")).is_empty());
    }
    // The sender's other device still gets it; history keeps it for bob.
    assert_eq!(contents(&alice2.receive(1).await), ["muted hello"]);
    assert_eq!(cloud(&bob1, &c2c("alice")).await, ["muted hello"]);

    // Group: Not_Receive_Except_At delivers only @-mentions; other members get everything.
    let crew = make_group(&alice1, "crew", &["bob", "carol"]).await;
    let crew_id = GroupId::new("crew").unwrap();
    bob1.client
        .set_group_receive_message_opt(&crew_id, ReceiveMessageOpt::NotReceiveExceptAt)
        .await
        .unwrap();
    alice1.send(&crew, "group plain").await;
    let mut at_bob = text("group at bob");
    at_bob.group_at_user_array = vec!["bob".into()];
    let (_, handle) = alice1.client.send_message(&crew, at_bob).unwrap();
    handle.await.unwrap();
    for bob in [&mut bob1, &mut bob2] {
        assert_eq!(texts(bob, 1).await, ["group at bob"]);
    }
    assert_eq!(texts(&mut carol, 2).await, ["group at bob", "group plain"]);

    // Limits and permissions.
    let many: Vec<UserId> = (0..31).map(|i| user(&format!("u{i}"))).collect();
    let error = bob1
        .client
        .set_c2c_receive_message_opt(&many, ReceiveMessageOpt::NotNotify)
        .await
        .unwrap_err();
    assert_eq!(code(&error), codes::ERR_INVALID_PARAMETERS);
    let outsider = device(&server, "dave").await;
    let error = outsider
        .client
        .set_group_receive_message_opt(&crew_id, ReceiveMessageOpt::NotReceive)
        .await
        .unwrap_err();
    assert_eq!(code(&error), codes::ERR_SVR_GROUP_PERMISSION_DENY);
}
