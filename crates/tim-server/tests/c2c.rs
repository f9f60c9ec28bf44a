//! C2C messaging against a real server: login, send, ack, seq, dedup, push to every device,
//! sync after being offline, isolation of conversations, restart.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;

#[tokio::test]
async fn requests_before_login_are_refused_with_6014() {
    let server = TestServer::start().await;
    let client = TestClient::connect(&server).await;
    let response = client.request(Request::Ping(v1::PingRequest {})).await;
    assert_eq!(
        error_code(&response),
        tim_model::codes::ERR_SDK_NOT_LOGGED_IN
    );
    let response = client.send(C2C, "bob", "m1", "hi").await;
    assert_eq!(
        error_code(&response),
        tim_model::codes::ERR_SDK_NOT_LOGGED_IN
    );
    // Login still works afterwards on the same connection.
    let response = client.login("alice", &server.sig("alice"), "d1").await;
    let Response::Login(login) = response else {
        panic!("{response:?}")
    };
    assert_eq!(login.heartbeat_interval_secs, 30);
    assert!(login.tiny_id > 0);
    assert!(matches!(
        client.request(Request::Ping(v1::PingRequest {})).await,
        Response::Pong(_)
    ));
    server.stop().await;
}

#[tokio::test]
async fn a_bad_user_sig_fails_the_login_with_its_code() {
    let server = TestServer::start().await;
    let forged = tim_server::usersig::gen_user_sig(APP, "other key", "alice", 86400);
    let cases = [
        (APP, forged, 70009),
        (APP, server.sig("bob"), 70013),
        (APP, String::new(), 70002),
        (42, server.sig("alice"), 70016),
    ];
    for (sdk_app_id, user_sig, code) in cases {
        // A refused login is answered, then its connection closes: one connection per try.
        let client = TestClient::connect(&server).await;
        let response = client
            .request(Request::Login(v1::LoginRequest {
                user_id: "alice".into(),
                user_sig,
                sdk_app_id,
                ..Default::default()
            }))
            .await;
        assert_eq!(error_code(&response), code);
        client.closed().await;
    }
    server.stop().await;
}

#[tokio::test]
async fn a_send_is_acked_with_contiguous_seqs_and_pushed_to_every_device() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "alice-phone").await;
    let mut alice_pc = server.client("alice", "alice-pc").await;
    let mut bob_phone = server.client("bob", "bob-phone").await;
    let mut bob_pc = server.client("bob", "bob-pc").await;
    for i in 1..=3u64 {
        let ack = alice
            .send_ok(C2C, "bob", &format!("m{i}"), &format!("hello {i}"))
            .await;
        assert_eq!(ack.seq, i);
        assert!(!ack.duplicate);
        assert_eq!(ack.rand, 7);
        assert!(ack.server_time > 0);
    }
    for device in [&mut bob_phone, &mut bob_pc] {
        for i in 1..=3u64 {
            let push = device.next_message().await;
            let message = push.message.unwrap();
            assert_eq!(message.seq, i);
            assert_eq!(message.conv_id, "alice");
            assert_eq!(message.sender, "alice");
            assert!(!message.is_from_self);
            assert_eq!(message.status, Some(2));
            assert_eq!(text_of(&message), format!("hello {i}"));
            assert_eq!(push.cursor, i);
        }
    }
    for i in 1..=3u64 {
        let message = alice_pc.next_message().await.message.unwrap();
        assert_eq!(
            (message.seq, message.conv_id.as_str(), message.is_from_self),
            (i, "bob", true)
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn a_retried_send_is_a_duplicate_and_pushed_once() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let mut bob = server.client("bob", "b").await;
    let first = alice.send_ok(C2C, "bob", "same-id", "once").await;
    let retry = alice.send_ok(C2C, "bob", "same-id", "once again").await;
    assert!(retry.duplicate);
    assert_eq!(
        (retry.seq, retry.server_time, retry.rand),
        (first.seq, first.server_time, first.rand)
    );
    let next = alice.send_ok(C2C, "bob", "other-id", "next").await;
    assert_eq!(next.seq, first.seq + 1);
    assert_eq!(
        bob.next_message().await.message.unwrap().msg_id.as_deref(),
        Some("same-id")
    );
    assert_eq!(
        bob.next_message().await.message.unwrap().msg_id.as_deref(),
        Some("other-id")
    );
    server.stop().await;
}

#[tokio::test]
async fn an_offline_user_syncs_everything_in_order_from_their_cursor() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let carol = server.client("carol", "c").await;
    let bob = server.client("bob", "b").await;
    alice.send_ok(C2C, "bob", "a1", "1").await;
    let (events, cursor) = bob.sync_all(0).await;
    assert_eq!((events.len(), cursor), (1, 1));
    bob.connection.close(0u32.into(), b"offline");
    for i in 2..=60 {
        let (sender, id) = if i % 3 == 0 {
            (&carol, "c")
        } else {
            (&alice, "a")
        };
        sender
            .send_ok(C2C, "bob", &format!("{id}{i}"), &i.to_string())
            .await;
    }
    let bob = server.client("bob", "b").await;
    let (events, next) = bob.sync_all(cursor).await;
    assert_eq!(events.len(), 59);
    assert_eq!(next, 60);
    let cursors: Vec<u64> = events.iter().map(|e| e.cursor).collect();
    assert_eq!(cursors, (2..=60).collect::<Vec<_>>());
    let texts: Vec<String> = events
        .iter()
        .map(|e| text_of(e.message.as_ref().unwrap()))
        .collect();
    assert_eq!(texts, (2..=60).map(|i| i.to_string()).collect::<Vec<_>>());
    // Seqs per conversation are contiguous.
    let seqs = |peer: &str| -> Vec<u64> {
        events
            .iter()
            .map(|e| e.message.as_ref().unwrap())
            .filter(|m| m.conv_id == peer)
            .map(|m| m.seq)
            .collect()
    };
    assert_eq!(seqs("carol"), (1..=20).collect::<Vec<_>>());
    assert_eq!(seqs("alice"), (2..=40).collect::<Vec<_>>());
    // Syncing from the end gives nothing more.
    let (rest, end) = bob.sync_all(next).await;
    assert!(rest.is_empty());
    assert_eq!(end, 60);
    server.stop().await;
}

#[tokio::test]
async fn history_of_a_c2c_conversation_is_only_that_pair() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let bob = server.client("bob", "b").await;
    let carol = server.client("carol", "c").await;
    alice.send_ok(C2C, "bob", "ab1", "a to b").await;
    bob.send_ok(C2C, "alice", "ba1", "b to a").await;
    carol.send_ok(C2C, "alice", "ca1", "c to a").await;
    // Carol asking for her conversation with alice sees only C-A messages.
    let Response::PullHistory(page) = carol.pull(C2C, "alice", 0, 0, 0, true).await else {
        panic!()
    };
    assert_eq!(page.messages.len(), 1);
    assert_eq!(text_of(&page.messages[0]), "c to a");
    assert_eq!(
        (
            page.covered_begin_seq,
            page.covered_end_seq,
            page.newest_seq
        ),
        (1, 1, 1)
    );
    // Carol asking about bob sees nothing of A-B.
    let Response::PullHistory(page) = carol.pull(C2C, "bob", 0, 0, 0, true).await else {
        panic!()
    };
    assert!(page.messages.is_empty());
    assert_eq!(page.newest_seq, 0);
    let Response::PullHistory(page) = alice.pull(C2C, "bob", 0, 0, 0, false).await else {
        panic!()
    };
    let views: Vec<(u64, bool, String)> = page
        .messages
        .iter()
        .map(|m| (m.seq, m.is_from_self, m.conv_id.clone()))
        .collect();
    assert_eq!(
        views,
        vec![(1, true, "bob".into()), (2, false, "bob".into())]
    );
    server.stop().await;
}

#[tokio::test]
async fn history_pages_walk_both_ways_and_report_coverage() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    for i in 1..=25 {
        alice
            .send_ok(C2C, "bob", &format!("h{i}"), &i.to_string())
            .await;
    }
    let Response::PullHistory(page) = alice.pull(C2C, "bob", 0, 0, 10, true).await else {
        panic!()
    };
    let seqs: Vec<u64> = page.messages.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, (16..=25).rev().collect::<Vec<_>>());
    assert_eq!(
        (page.covered_begin_seq, page.covered_end_seq, page.has_more),
        (16, 25, true)
    );
    let Response::PullHistory(page) = alice.pull(C2C, "bob", 5, 9, 100, false).await else {
        panic!()
    };
    let seqs: Vec<u64> = page.messages.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, (5..=9).collect::<Vec<_>>());
    assert_eq!(
        (page.covered_begin_seq, page.covered_end_seq, page.has_more),
        (5, 9, false)
    );
    let Response::PullHistory(page) = alice.pull(C2C, "bob", 20, 0, 3, false).await else {
        panic!()
    };
    assert_eq!(
        (
            page.covered_begin_seq,
            page.covered_end_seq,
            page.has_more,
            page.newest_seq
        ),
        (20, 22, true, 25)
    );
    server.stop().await;
}

#[tokio::test]
async fn a_restart_mid_conversation_loses_nothing_and_seqs_continue() {
    let mut server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    for i in 1..=5 {
        alice
            .send_ok(C2C, "bob", &format!("r{i}"), &i.to_string())
            .await;
    }
    drop(alice);
    server.restart().await;
    let alice = server.client("alice", "a").await;
    // A retry of an acked send after the restart is still a duplicate.
    assert!(alice.send_ok(C2C, "bob", "r5", "5").await.duplicate);
    for i in 6..=8 {
        let ack = alice
            .send_ok(C2C, "bob", &format!("r{i}"), &i.to_string())
            .await;
        assert_eq!(ack.seq, i);
    }
    let bob = server.client("bob", "b").await;
    let (events, cursor) = bob.sync_all(0).await;
    assert_eq!(cursor, 8);
    let seqs: Vec<u64> = events
        .iter()
        .map(|e| e.message.as_ref().unwrap().seq)
        .collect();
    assert_eq!(seqs, (1..=8).collect::<Vec<_>>());
    server.stop().await;
}
