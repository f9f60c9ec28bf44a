//! Bad input and slow clients: malformed and oversize frames, unknown requests, a client that
//! stops reading, idle connections. The server keeps serving everyone else.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use std::time::{Duration, Instant};
use tim_model::codes;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;

#[tokio::test]
async fn a_malformed_frame_gets_an_error_and_the_connection_goes_on() {
    let server = TestServer::start().await;
    let mut alice = server.client("alice", "a").await;
    alice.write_raw(&[0, 0, 0, 3, 0xff, 0xff, 0xff]).await;
    match alice.next_push().await {
        v1::ServerFrame {
            request_id: 0,
            body: Some(Response::Error(error)),
        } => {
            assert_eq!(error.code, codes::ERR_PARSE_RESPONSE_FAILED)
        }
        other => panic!("{other:?}"),
    }
    // An empty frame decodes as a request without a body: 7014.
    alice.write_raw(&[0, 0, 0, 0]).await;
    match alice.next_push().await.body {
        Some(Response::Error(error)) => assert_eq!(error.code, codes::ERR_SDK_INVALID_OPERATION),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        alice.request(Request::Ping(v1::PingRequest {})).await,
        Response::Pong(_)
    ));
    let logout = alice.request(Request::Logout(v1::LogoutRequest {})).await;
    assert!(matches!(logout, Response::Logout(_)));
    alice.closed().await;
    server.stop().await;
}

#[tokio::test]
async fn an_unsupported_request_is_answered_7013() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let response = alice
        .request(Request::TranslateText(v1::TranslateTextRequest::default()))
        .await;
    assert_eq!(error_code(&response), codes::ERR_SDK_INTERFACE_NOT_SUPPORT);
    server.stop().await;
}

#[tokio::test]
async fn an_oversize_frame_closes_only_that_connection() {
    let server = TestServer::start().await;
    let mut bad = server.client("mallory", "m").await;
    let alice = server.client("alice", "a").await;
    let mut bob = server.client("bob", "b").await;
    bad.write_raw(&((2u32 << 20).to_be_bytes())).await;
    match bad.next_push().await.body {
        Some(Response::Error(error)) => assert_eq!(error.code, codes::ERR_SDK_NET_PKG_SIZE_LIMIT),
        other => panic!("{other:?}"),
    }
    bad.closed().await;
    alice.send_ok(C2C, "bob", "still-works", "hi").await;
    assert_eq!(
        bob.next_message().await.message.unwrap().msg_id.as_deref(),
        Some("still-works")
    );
    server.stop().await;
}

#[tokio::test]
async fn a_client_that_stops_reading_does_not_stall_others() {
    let server = TestServer::start_with(|config| {
        config.outbound_queue_frames = 16;
        // 600 sends as fast as they go: this test is about the slow reader, not rates.
        config.rate.sends = tim_server::Rate::new(0, 0);
    })
    .await;
    // Log in, then never read again.
    let (_endpoint, connection, mut send, mut recv) = connect_raw(&server).await;
    send.write_all(&encode(
        1,
        Request::Login(v1::LoginRequest {
            user_id: "sloth".into(),
            user_sig: server.sig("sloth"),
            sdk_app_id: APP,
            device_id: "s".into(),
            ..Default::default()
        }),
    ))
    .await
    .unwrap();
    let mut header = [0u8; 4];
    tokio::time::timeout(WAIT, recv.read_exact(&mut header))
        .await
        .unwrap()
        .unwrap();
    let alice = server.client("alice", "a").await;
    let mut bob = server.client("bob", "b").await;
    let text = "z".repeat(8 * 1024);
    let started = Instant::now();
    for i in 0..300 {
        // One message to the sloth, one to bob, in flight together.
        let mut pending = Vec::new();
        for j in 0..2 {
            let to = if j == 0 { "sloth" } else { "bob" };
            pending.push(
                alice
                    .start_request(send_request(C2C, to, &format!("s{i}-{j}"), &text, false))
                    .await,
            );
        }
        for answer in pending {
            let response = tokio::time::timeout(WAIT, answer).await.unwrap().unwrap();
            assert!(matches!(response, Response::SendMessage(_)), "{response:?}");
        }
        let push = bob.next_message().await;
        assert_eq!(push.message.unwrap().msg_id, Some(format!("s{i}-1")));
    }
    assert!(started.elapsed() < Duration::from_secs(30));
    // The server gave up on the sloth's connection.
    tokio::time::timeout(WAIT, connection.closed())
        .await
        .expect("the slow connection was not closed");
    server.stop().await;
}

#[tokio::test]
async fn a_silent_connection_is_dropped_after_three_heartbeats() {
    let server =
        TestServer::start_with(|config| config.heartbeat_interval = Duration::from_millis(200))
            .await;
    let alice = server.client("alice", "a").await;
    let started = Instant::now();
    alice.closed().await;
    assert!(
        started.elapsed() >= Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    server.stop().await;
}
