//! Batch send, cancel, online-only messages and kick-offline against a real server.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use tim_model::codes;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;

fn batch(msg_id: &str, recipients: Vec<String>) -> Request {
    Request::BatchSend(v1::BatchSendRequest {
        identifier_array: recipients,
        msg: Some(text_message(msg_id, "to many")),
    })
}

#[tokio::test]
async fn batch_send_answers_per_recipient_and_deduplicates_per_recipient() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let mut bob = server.client("bob", "b").await;
    let recipients = vec!["bob".to_owned(), "carol".to_owned(), "bad\tid".to_owned()];
    let Response::BatchSend(first) = alice.request(batch("batch-1", recipients.clone())).await
    else {
        panic!()
    };
    let summary: Vec<(String, i32)> = first
        .results
        .iter()
        .map(|r| (r.identifier.clone(), r.code))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("bob".into(), 0),
            ("carol".into(), 0),
            ("bad\tid".into(), codes::ERR_SDK_COMM_INVALID_IDENTIFIER)
        ]
    );
    let copy = first.results[0].msg.clone().unwrap();
    let copy_id = copy.msg_id.clone().unwrap();
    assert_eq!(copy_id, tim_server::batch_copy_msg_id("batch-1", "bob"));
    assert!(copy_id.len() <= 127);
    assert_eq!(
        (copy.seq, copy.conv_id.as_str(), copy.is_from_self),
        (1, "bob", true)
    );
    let pushed = bob.next_message().await.message.unwrap();
    assert_eq!(pushed.msg_id.as_deref(), Some(copy_id.as_str()));
    assert_eq!(pushed.conv_id, "alice");
    // A retried batch stores nothing new.
    let Response::BatchSend(again) = alice.request(batch("batch-1", recipients)).await else {
        panic!()
    };
    assert_eq!(again.results[0].msg.as_ref().unwrap().seq, 1);
    let ack = alice.send_ok(C2C, "bob", "after-batch", "x").await;
    assert_eq!(ack.seq, 2);
    assert_eq!(
        bob.next_message().await.message.unwrap().msg_id.as_deref(),
        Some("after-batch")
    );
    server.stop().await;
}

#[tokio::test]
async fn batch_send_limits_recipients_to_500() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let many: Vec<String> = (0..501).map(|i| format!("user{i}")).collect();
    assert_eq!(
        error_code(&alice.request(batch("too-many", many)).await),
        codes::ERR_SVR_MSG_TO_ACCOUNT_COUNT_LIMIT
    );
    let max: Vec<String> = (0..500).map(|i| format!("user{i}")).collect();
    let Response::BatchSend(done) = alice.request(batch("just-right", max)).await else {
        panic!()
    };
    assert_eq!(done.results.len(), 500);
    assert!(done.results.iter().all(|r| r.code == 0));
    server.stop().await;
}

#[tokio::test]
async fn cancel_before_send_blocks_the_send_and_cancel_after_send_fails() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let cancel = |id: &str| {
        Request::CancelSend(v1::CancelSendRequest {
            conversation: Some(conv(C2C, "bob")),
            msg_id: id.into(),
        })
    };
    assert!(matches!(
        alice.request(cancel("early")).await,
        Response::CancelSend(_)
    ));
    assert_eq!(
        error_code(&alice.send(C2C, "bob", "early", "x").await),
        codes::ERR_SDK_SEND_MESSAGE_FAILED_WITH_CANCEL
    );
    alice.send_ok(C2C, "bob", "sent", "x").await;
    assert_eq!(
        error_code(&alice.request(cancel("sent")).await),
        codes::ERR_SDK_INVALID_CANCEL_MESSAGE
    );
    server.stop().await;
}

#[tokio::test]
async fn online_only_messages_reach_online_devices_and_are_never_stored() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let mut bob = server.client("bob", "b").await;
    let response = alice
        .request(send_request(C2C, "bob", "typing-1", "typing...", true))
        .await;
    let Response::SendMessage(ack) = response else {
        panic!("{response:?}")
    };
    assert_eq!(ack.seq, 0);
    let push = bob.next_message().await;
    assert_eq!(push.cursor, 0);
    let message = push.message.unwrap();
    assert!(message.is_online_msg);
    assert_eq!((message.seq, message.conv_id.as_str()), (0, "alice"));
    // Not in sync, not in history, and an offline device never gets it.
    let (events, cursor) = bob.sync_all(0).await;
    assert!(events.is_empty());
    assert_eq!(cursor, 0);
    let Response::PullHistory(page) = bob.pull(C2C, "alice", 0, 0, 0, true).await else {
        panic!()
    };
    assert!(page.messages.is_empty());
    // The next stored message takes seq 1, and keeps the unread-exclusion flag.
    let mut stored = text_message("stored-1", "real");
    stored.is_excluded_from_unread_count = true;
    let request = Request::SendMessage(v1::SendMessageRequest {
        conversation: Some(conv(C2C, "bob")),
        message: Some(stored),
    });
    let Response::SendMessage(ack) = alice.request(request).await else {
        panic!()
    };
    assert_eq!(ack.seq, 1);
    let pushed = bob.next_message().await.message.unwrap();
    assert!(pushed.is_excluded_from_unread_count);
    assert!(!pushed.is_online_msg);
    server.stop().await;
}

#[tokio::test]
async fn a_second_login_of_the_same_device_kicks_the_first() {
    let server = TestServer::start().await;
    let mut first = server.client("alice", "phone").await;
    let _other_device = server.client("alice", "tablet").await;
    let _second = server.client("alice", "phone").await;
    match first.next_push().await.body {
        Some(Response::KickedOffline(kick)) => assert_eq!(kick.device_id, "phone"),
        other => panic!("expected a kick, got {other:?}"),
    }
    first.closed().await;
    server.stop().await;
}

#[tokio::test]
async fn invalid_messages_are_refused_with_their_codes() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let mut empty = text_message("empty", "");
    empty.elems.clear();
    let request = Request::SendMessage(v1::SendMessageRequest {
        conversation: Some(conv(C2C, "bob")),
        message: Some(empty),
    });
    assert_eq!(
        error_code(&alice.request(request).await),
        codes::ERR_INVALID_MSG_ELEM
    );
    let big = "x".repeat(13 * 1024);
    assert_eq!(
        error_code(&alice.send(C2C, "bob", "big", &big).await),
        codes::ERR_SDK_MSG_BODY_SIZE_LIMIT
    );
    let mut no_id = text_message("x", "no id");
    no_id.msg_id = None;
    let request = Request::SendMessage(v1::SendMessageRequest {
        conversation: Some(conv(C2C, "bob")),
        message: Some(no_id),
    });
    assert_eq!(
        error_code(&alice.request(request).await),
        codes::ERR_INVALID_PARAMETERS
    );
    assert_eq!(
        error_code(&alice.send(3, "x", "sys", "x").await),
        codes::ERR_INVALID_CONVERSATION
    );
    server.stop().await;
}
