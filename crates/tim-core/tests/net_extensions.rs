//! Message extensions on a real server: changes and deletions reaching every device of every
//! party (events and extension caches), a device that was offline catching up through sync,
//! two users racing on one key (then get answering the cache with the server gone), and the
//! refusals.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is a failed test

mod net_support;

use net_support::*;
use tim_core::{CreateGroupParam, Event};
use tim_model::enums::{GroupAddOption, GroupType};
use tim_model::{ConvId, GroupId, Message, MessageExtension, codes};

fn ext(key: &str, value: &str) -> MessageExtension {
    MessageExtension {
        key: key.into(),
        value: value.into(),
    }
}

/// Sends a text that supports extensions (or not) and waits for the ack.
async fn send(device: &Device, conv: &ConvId, content: &str, extensible: bool) -> Message {
    let mut message = text(content);
    message.support_message_extension = extensible;
    let (_, handle) = device.client.send_message(conv, message).unwrap();
    tokio::time::timeout(WAIT, handle)
        .await
        .expect("no ack in time")
        .unwrap()
}

async fn changed(device: &mut Device, message: &Message) -> Vec<MessageExtension> {
    let id = message.msg_id.as_ref().unwrap().as_str().to_owned();
    device
        .wait_for(|event| match event {
            Event::ExtensionsChanged { msg_id, extensions } if *msg_id == id => {
                Some(extensions.clone())
            }
            _ => None,
        })
        .await
}

async fn deleted(device: &mut Device, message: &Message) -> Vec<String> {
    let id = message.msg_id.as_ref().unwrap().as_str().to_owned();
    device
        .wait_for(|event| match event {
            Event::ExtensionsDeleted { msg_id, keys } if *msg_id == id => Some(keys.clone()),
            _ => None,
        })
        .await
}

async fn cache(device: &Device, message: &Message) -> Vec<(String, String)> {
    device
        .client
        .cached_message_extensions(message)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.key, e.value))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_and_deletions_reach_every_device_and_an_offline_one_catches_up() {
    let server = TestServer::start().await;
    let mut alice1 = device(&server, "alice").await;
    let mut alice2 = device(&server, "alice").await;
    let mut bob1 = device(&server, "bob").await;
    let bob2_dir = tempfile::tempdir().unwrap();
    let mut bob2 = device_at(&server, "bob", bob2_dir.path()).await;

    let sent = send(&alice1, &c2c("bob"), "vote here", true).await;
    for device in [&mut alice2, &mut bob1, &mut bob2] {
        device.receive(1).await;
    }
    bob2.client.close().await;
    drop(bob2);

    let results = alice1
        .client
        .set_message_extensions(&c2c("bob"), &sent, vec![ext("like", "1"), ext("star", "a")])
        .await
        .unwrap();
    assert!(results.iter().all(|r| r.code == 0), "{results:?}");
    // The caller's cache holds the answer when the call returns.
    assert_eq!(
        cache(&alice1, &sent).await,
        pairs(&[("like", "1"), ("star", "a")])
    );
    for device in [&mut alice1, &mut alice2, &mut bob1] {
        assert_eq!(
            changed(device, &sent).await,
            vec![ext("like", "1"), ext("star", "a")]
        );
        assert_eq!(
            cache(device, &sent).await,
            pairs(&[("like", "1"), ("star", "a")])
        );
    }

    // Bob changes one key from his cache (no conflict) and deletes another.
    let results = bob1
        .client
        .set_message_extensions(&c2c("alice"), &sent, vec![ext("star", "b")])
        .await
        .unwrap();
    assert_eq!(results[0].code, 0);
    let results = bob1
        .client
        .delete_message_extensions(&c2c("alice"), &sent, vec!["like".into()])
        .await
        .unwrap();
    assert_eq!(results[0].code, 0);
    for device in [&mut alice1, &mut alice2, &mut bob1] {
        assert_eq!(changed(device, &sent).await, vec![ext("star", "b")]);
        assert_eq!(deleted(device, &sent).await, vec!["like".to_owned()]);
        assert_eq!(cache(device, &sent).await, pairs(&[("star", "b")]));
    }
    // Deleting it again: 23004 in its result.
    let results = alice2
        .client
        .delete_message_extensions(&c2c("bob"), &sent, vec!["like".into()])
        .await
        .unwrap();
    assert_eq!(
        results[0].code,
        codes::ERR_SVR_MSG_EXTENSION_NOT_EXIST as u32
    );

    // The offline device catches up through sync, in order.
    let mut bob2 = device_at(&server, "bob", bob2_dir.path()).await;
    assert_eq!(
        changed(&mut bob2, &sent).await,
        vec![ext("like", "1"), ext("star", "a")]
    );
    assert_eq!(changed(&mut bob2, &sent).await, vec![ext("star", "b")]);
    assert_eq!(deleted(&mut bob2, &sent).await, vec!["like".to_owned()]);
    assert_eq!(cache(&bob2, &sent).await, pairs(&[("star", "b")]));
    let from_server = bob2
        .client
        .get_message_extensions(&c2c("alice"), &sent)
        .await
        .unwrap();
    assert_eq!(from_server, vec![ext("star", "b")]);
    // bob2 changes from its synced cache without a conflict; delete with no keys clears all.
    let results = bob2
        .client
        .set_message_extensions(&c2c("alice"), &sent, vec![ext("star", "c")])
        .await
        .unwrap();
    assert_eq!(results[0].code, 0);
    let results = alice1
        .client
        .delete_message_extensions(&c2c("bob"), &sent, vec![])
        .await
        .unwrap();
    assert_eq!(results.len(), 1);
    for device in [&mut alice1, &mut alice2, &mut bob1, &mut bob2] {
        assert_eq!(deleted(device, &sent).await, vec!["star".to_owned()]);
        assert!(cache(device, &sent).await.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_users_racing_on_one_key_have_one_winner_and_the_loser_learns_its_value() {
    let mut server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let mut bob = device(&server, "bob").await;
    let sent = send(&alice, &c2c("bob"), "poll", true).await;
    bob.receive(1).await;
    let conflict = codes::ERR_SVR_MSG_EXTENSION_CONFLICT as u32;
    let mut last = (String::new(), 0);
    let (to_bob, to_alice) = (c2c("bob"), c2c("alice"));
    for round in 0..20 {
        // Both caches hold the same version of the key (none in round 0).
        let a_value = format!("alice {round}");
        let b_value = format!("bob {round}");
        let (a, b) = tokio::join!(
            alice
                .client
                .set_message_extensions(&to_bob, &sent, vec![ext("choice", &a_value)]),
            bob.client
                .set_message_extensions(&to_alice, &sent, vec![ext("choice", &b_value)]),
        );
        let (a, b) = (&a.unwrap()[0], &b.unwrap()[0]);
        let (winner, loser, loser_device) = match (a.code, b.code) {
            (0, code) if code == conflict => (a, b, &alice),
            (code, 0) if code == conflict => (b, a, &bob),
            other => panic!("round {round}: expected one winner, got {other:?}"),
        };
        let won = winner.item.clone().unwrap();
        assert_eq!(loser.item.clone().unwrap(), won, "round {round}");
        // The loser's cache took the winner's value.
        assert_eq!(
            cache(loser_device, &sent).await,
            vec![(won.key.clone(), won.value.clone())]
        );
        last = (won.value, round);
    }
    // Both caches hold the last winner's version: a change from either wins.
    let retry = alice
        .client
        .set_message_extensions(&c2c("bob"), &sent, vec![ext("choice", "final")])
        .await
        .unwrap();
    assert_eq!(retry[0].code, 0, "after {last:?}");
    // With the server gone, get answers this device's cache.
    server.stop().await;
    let offline = alice
        .client
        .get_message_extensions(&c2c("bob"), &sent)
        .await
        .unwrap();
    assert_eq!(offline, vec![ext("choice", "final")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extending_is_refused_outside_the_conversation_without_support_and_when_revoked() {
    let server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let mut bob = device(&server, "bob").await;
    let carol = device(&server, "carol").await;
    let open = send(&alice, &c2c("bob"), "open", true).await;
    let closed = send(&alice, &c2c("bob"), "closed", false).await;
    let revoked = send(&alice, &c2c("bob"), "revoked", true).await;
    bob.receive(3).await;
    alice.client.revoke(&c2c("bob"), &revoked).await.unwrap();

    let code = |result: tim_core::Result<Vec<tim_model::MessageExtensionResult>>| {
        result.expect_err("should be refused").code()
    };
    let one = || vec![ext("k", "v")];
    // Not a party: carol names her conversation with alice, or alice's with bob.
    assert_eq!(
        code(
            carol
                .client
                .set_message_extensions(&c2c("alice"), &open, one())
                .await
        ),
        codes::ERR_SDK_COMM_DATABASE_NOTFOUND
    );
    assert_eq!(
        code(
            carol
                .client
                .set_message_extensions(&c2c("bob"), &open, one())
                .await
        ),
        codes::ERR_SDK_COMM_DATABASE_NOTFOUND
    );
    assert_eq!(
        carol
            .client
            .get_message_extensions(&c2c("alice"), &open)
            .await
            .unwrap_err()
            .code(),
        codes::ERR_SDK_COMM_DATABASE_NOTFOUND
    );
    // Sent without support_message_extension; revoked.
    assert_eq!(
        code(
            bob.client
                .set_message_extensions(&c2c("alice"), &closed, one())
                .await
        ),
        codes::ERR_SDK_INVALID_OPERATION
    );
    assert_eq!(
        code(
            bob.client
                .set_message_extensions(&c2c("alice"), &revoked, one())
                .await
        ),
        codes::ERR_SDK_INVALID_OPERATION
    );
    // Limits are checked before anything is sent.
    let long_key = "k".repeat(101);
    assert_eq!(
        code(
            bob.client
                .set_message_extensions(&c2c("alice"), &open, vec![ext(&long_key, "v")])
                .await
        ),
        codes::ERR_INVALID_PARAMETERS
    );
    let too_many = (0..21).map(|i| ext(&format!("k{i}"), "v")).collect();
    assert_eq!(
        code(
            bob.client
                .set_message_extensions(&c2c("alice"), &open, too_many)
                .await
        ),
        codes::ERR_INVALID_PARAMETERS
    );
    assert!(
        bob.client
            .get_message_extensions(&c2c("alice"), &open)
            .await
            .unwrap()
            .is_empty()
    );

    // Group: a non-member is refused with 10007; a member's change reaches the others.
    alice
        .client
        .create_group(CreateGroupParam {
            group_id: Some(GroupId::new("ext-group").unwrap()),
            group_type: GroupType::Private,
            name: "g".into(),
            add_option: GroupAddOption::Any,
            member_ids: vec![user("bob")],
            ..Default::default()
        })
        .await
        .unwrap();
    let g = group("ext-group");
    let in_group = send(&alice, &g, "group vote", true).await;
    bob.wait_for(|event| match event {
        Event::NewMessages(messages) if messages.iter().any(|m| m.msg_id == in_group.msg_id) => {
            Some(())
        }
        _ => None,
    })
    .await;
    assert_eq!(
        code(
            carol
                .client
                .set_message_extensions(&g, &in_group, one())
                .await
        ),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    let results = bob
        .client
        .set_message_extensions(&g, &in_group, one())
        .await
        .unwrap();
    assert_eq!(results[0].code, 0);
    assert_eq!(changed(&mut bob, &in_group).await, one());
}
