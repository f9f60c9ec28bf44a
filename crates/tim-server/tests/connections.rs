//! Connections a hostile client opens against a real server: a login trickled byte by byte,
//! failed logins, oversized frames before login, more connections than the caps allow.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use std::time::{Duration, Instant};
use tim_model::codes;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;

fn login_request(user: &str, sig: &str) -> Request {
    Request::Login(v1::LoginRequest {
        user_id: user.into(),
        user_sig: sig.into(),
        sdk_app_id: APP,
        device_id: "d".into(),
        platform: 0,
        sdk_version: "test".into(),
    })
}

#[tokio::test]
async fn a_login_trickled_byte_by_byte_is_closed_by_the_deadline() {
    let server = TestServer::start_with(|c| c.login_timeout = Duration::from_millis(1500)).await;
    let (_endpoint, connection, mut send, _recv) = connect_raw(&server).await;
    let started = Instant::now();
    // A valid login frame, one byte every 100 ms: each read comes well within any per-read
    // timeout, and the whole frame would take many seconds.
    let bytes = encode(1, login_request("alice", &server.sig("alice")));
    let mut closed_after = None;
    for byte in bytes.iter().take(100) {
        if send.write_all(&[*byte]).await.is_err() || connection.close_reason().is_some() {
            closed_after = Some(started.elapsed());
            break;
        }
        // The pace of the attack (its input), not a wait for an event.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let closed_after = closed_after.expect("the trickling connection was never closed");
    println!("trickled login closed after {closed_after:?} (deadline 1.5 s)");
    assert!(closed_after < Duration::from_secs(5), "{closed_after:?}");
}

#[tokio::test]
async fn a_failed_login_is_answered_and_the_connection_closed() {
    let server = TestServer::start().await;
    let client = TestClient::connect(&server).await;
    let response = client.login("alice", "not-a-user-sig", "d").await;
    assert_ne!(error_code(&response), 0);
    let reason = client.closed().await;
    println!("closed: {reason}");
}

#[tokio::test]
async fn a_large_frame_before_login_is_refused_and_closes() {
    let server = TestServer::start().await;
    let client = TestClient::connect(&server).await;
    let mut login = login_request("alice", &server.sig("alice"));
    if let Request::Login(login) = &mut login {
        login.sdk_version = "x".repeat(100 * 1024);
    }
    client.write_raw(&encode(1, login)).await;
    client.closed().await;
    // The same login in a normal size works on a new connection.
    server.client("alice", "d").await;
}

#[tokio::test]
async fn repeated_failed_logins_are_locked_out_for_a_while() {
    let server = TestServer::start_with(|c| {
        c.connection.failed_logins_max = 3;
        c.connection.failed_login_lockout = Duration::from_secs(3600);
    })
    .await;
    for _ in 0..3 {
        let client = TestClient::connect(&server).await;
        let response = client.login("alice", "wrong", "d").await;
        assert_ne!(error_code(&response), codes::ERR_SVR_ACCOUNT_FREQ_LIMIT);
    }
    let client = TestClient::connect(&server).await;
    let response = client.login("alice", &server.sig("alice"), "d").await;
    assert_eq!(error_code(&response), codes::ERR_SVR_ACCOUNT_FREQ_LIMIT);
    // Another user is not locked out.
    server.client("bob", "d").await;
}

#[tokio::test]
async fn connections_over_the_cap_get_302_while_logged_in_users_keep_working() {
    let server = TestServer::start_with(|c| {
        c.connection.max_connections_per_address = 2;
    })
    .await;
    let alice = server.client("alice", "a").await;
    let mut bob = server.client("bob", "b").await;
    for _ in 0..3 {
        let extra = TestClient::connect(&server).await;
        let response = extra.login("carol", &server.sig("carol"), "c").await;
        assert_eq!(error_code(&response), codes::ERR_SVR_SSO_CONNECT_LIMIT);
        extra.closed().await;
    }
    let ack = alice.send_ok(C2C, "bob", "m1", "still here").await;
    assert_eq!(ack.seq, 1);
    assert_eq!(
        text_of(&bob.next_message().await.message.unwrap()),
        "still here"
    );
}
