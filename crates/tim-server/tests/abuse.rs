//! A hostile user against a real server through raw wire clients: message IDs that belong to
//! someone else, cancels of other people's IDs, and what the answers give away.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use tim_model::codes;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;

fn cancel(conv_type: i32, conv_id: &str, msg_id: &str) -> Request {
    Request::CancelSend(v1::CancelSendRequest {
        conversation: Some(conv(conv_type, conv_id)),
        msg_id: msg_id.into(),
    })
}

async fn create_group(owner: &TestClient, id: &str, members: &[&str]) {
    let response = owner
        .request(Request::CreateGroup(v1::CreateGroupRequest {
            group_id: Some(id.into()),
            group_type: 0,
            name: "team".into(),
            add_option: 2,
            member_ids: members.iter().map(|m| m.to_string()).collect(),
            ..Default::default()
        }))
        .await;
    assert!(matches!(response, Response::CreateGroup(_)), "{response:?}");
}

/// Revokes `msg_id` in group `group` as `client`; the seq of the message revoked.
async fn revoked_seq(client: &TestClient, group: &str, msg_id: &str) -> u64 {
    let response = client
        .request(Request::RevokeMessage(v1::RevokeMessageRequest {
            conversation: Some(conv(GROUP, group)),
            msg_id: msg_id.into(),
            reason: String::new(),
        }))
        .await;
    let Response::RevokeMessage(revoked) = response else {
        panic!("{response:?}")
    };
    revoked.info.unwrap().locator.unwrap().seq
}

#[tokio::test]
async fn another_users_squatted_id_neither_blocks_nor_swallows_a_message() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let mut bob = server.client("bob", "b").await;
    let mallory = server.client("mallory", "m").await;

    // Mallory sends with the ID Alice's client will use next, and cancels the one after.
    mallory.send_ok(C2C, "bob", "alice-next-1", "squat").await;
    let squat = bob.next_message().await.message.unwrap();
    assert_eq!(text_of(&squat), "squat");
    assert!(matches!(
        mallory.request(cancel(C2C, "bob", "alice-next-2")).await,
        Response::CancelSend(_)
    ));

    // Alice's messages with those IDs are stored and reach Bob, and are not duplicates.
    let first = alice.send_ok(C2C, "bob", "alice-next-1", "hello").await;
    assert!(
        !first.duplicate,
        "Alice's first message taken as a duplicate"
    );
    let pushed = bob.next_message().await.message.unwrap();
    assert_eq!(
        (pushed.sender.as_str(), text_of(&pushed).as_str()),
        ("alice", "hello")
    );
    let second = alice.send_ok(C2C, "bob", "alice-next-2", "again").await;
    assert!(!second.duplicate);
    let pushed = bob.next_message().await.message.unwrap();
    assert_eq!(text_of(&pushed), "again");

    // Alice's own retry is still a duplicate, with the first ack.
    let retry = alice.send_ok(C2C, "bob", "alice-next-1", "hello").await;
    assert!(retry.duplicate);
    assert_eq!((retry.seq, retry.rand), (first.seq, first.rand));

    // Bob's history holds both copies of the ID, each under its own sender.
    let Response::PullHistory(page) = bob.pull(C2C, "alice", 0, 0, 20, false).await else {
        panic!()
    };
    let alices: Vec<String> = page.messages.iter().map(text_of).collect();
    assert_eq!(alices, vec!["hello", "again"]);
}

#[tokio::test]
async fn a_cancel_tells_nothing_about_other_peoples_ids_and_checks_its_conversation() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let _bob = server.client("bob", "b").await;
    let mallory = server.client("mallory", "m").await;
    alice.send_ok(C2C, "bob", "alice-sent", "x").await;

    // Mallory's cancel of Alice's stored ID answers as for any unused ID of Mallory's:
    // nothing tells whether the ID exists.
    let probe = mallory.request(cancel(C2C, "bob", "alice-sent")).await;
    let unused = mallory.request(cancel(C2C, "bob", "never-used")).await;
    assert!(matches!(probe, Response::CancelSend(_)), "{probe:?}");
    assert!(matches!(unused, Response::CancelSend(_)), "{unused:?}");

    // Alice's cancel of her own stored message: 8020 in its conversation; in another
    // conversation the ID is not a message of that conversation.
    let own = alice.request(cancel(C2C, "bob", "alice-sent")).await;
    assert_eq!(error_code(&own), codes::ERR_SDK_INVALID_CANCEL_MESSAGE);
    let elsewhere = alice.request(cancel(C2C, "carol", "alice-sent")).await;
    assert_eq!(
        error_code(&elsewhere),
        codes::ERR_SDK_INVALID_CANCEL_MESSAGE
    );

    // A cancelled ID of one's own is refused (8021) afterwards.
    assert!(matches!(
        alice.request(cancel(C2C, "bob", "alice-later")).await,
        Response::CancelSend(_)
    ));
    let refused = alice.send(C2C, "bob", "alice-later", "x").await;
    assert_eq!(
        error_code(&refused),
        codes::ERR_SDK_SEND_MESSAGE_FAILED_WITH_CANCEL
    );
}

#[tokio::test]
async fn a_squatted_id_in_a_group_leaves_revoke_and_history_to_the_first_sender() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let mut bob = server.client("bob", "b").await;
    let mallory = server.client("mallory", "m").await;
    create_group(&alice, "g1", &["bob", "mallory"]).await;
    let original = alice.send_ok(GROUP, "g1", "shared-id", "from alice").await;
    // Mallory copies the ID of Alice's message.
    let copy = mallory
        .send_ok(GROUP, "g1", "shared-id", "from mallory")
        .await;
    assert!(!copy.duplicate);
    let mut texts = Vec::new();
    for _ in 0..5 {
        let message = bob.next_message().await.message.unwrap();
        if let Some(v1::elem::Body::Text(text)) =
            message.elems.first().and_then(|e| e.body.as_ref())
        {
            texts.push(text.content.clone());
        }
        if texts.len() == 2 {
            break;
        }
    }
    assert_eq!(texts, vec!["from alice", "from mallory"]);
    // Alice revokes "her" message: hers is revoked, not Mallory's.
    assert_eq!(revoked_seq(&alice, "g1", "shared-id").await, original.seq);
    // Mallory cannot revoke Alice's message through the shared ID: her own is the one found.
    assert_eq!(revoked_seq(&mallory, "g1", "shared-id").await, copy.seq);
}

/// A message whose body (as `tim_model::limits::body_size` counts it) is `size` bytes, spread
/// over the text, the cloud custom data, the offline push strings and the @ list.
fn message_of_body_size(msg_id: &str, size: usize) -> v1::Message {
    let fixed = 1000 + 2000 + 2000 + "bob".len();
    let mut message = text_message(msg_id, &"t".repeat(size - fixed));
    message.cloud_custom_str = "c".repeat(1000);
    message.group_at_user_array = vec!["bob".into()];
    message.offline_push_config = Some(v1::OfflinePushConfig {
        desc: "d".repeat(2000),
        ext: "e".repeat(2000),
        ..Default::default()
    });
    message
}

#[tokio::test]
async fn messages_at_the_size_limit_sync_and_one_byte_more_is_refused() {
    use tim_model::limits::MESSAGE_BODY_MAX_BYTES;
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let mut bob = server.client("bob", "b").await;
    let over = alice
        .request(Request::SendMessage(v1::SendMessageRequest {
            conversation: Some(conv(C2C, "bob")),
            message: Some(message_of_body_size("over", MESSAGE_BODY_MAX_BYTES + 1)),
        }))
        .await;
    assert_eq!(error_code(&over), codes::ERR_SDK_MSG_BODY_SIZE_LIMIT);
    // 120 messages at the limit: more than one frame's worth together.
    let count = 120;
    for i in 0..count {
        let response = alice
            .request(Request::SendMessage(v1::SendMessageRequest {
                conversation: Some(conv(C2C, "bob")),
                message: Some(message_of_body_size(
                    &format!("max-{i}"),
                    MESSAGE_BODY_MAX_BYTES,
                )),
            }))
            .await;
        assert!(matches!(response, Response::SendMessage(_)), "{response:?}");
    }
    // Each reached Bob as a push, and sync and history give them all, page by page, each
    // page a frame the client's decoder takes.
    let first = bob.next_message().await.message.unwrap();
    assert_eq!(first.offline_push_config.unwrap().desc.len(), 2000);
    let (synced, _) = bob.sync_all(0).await;
    assert_eq!(synced.len(), count);
    let mut pulled = 0;
    let mut begin = 0;
    for _ in 0..count {
        let Response::PullHistory(page) = bob.pull(C2C, "alice", begin, 0, 100, false).await else {
            panic!("history page refused")
        };
        pulled += page.messages.len();
        if !page.has_more {
            break;
        }
        begin = page.covered_end_seq + 1;
    }
    assert_eq!(pulled, count);
}
