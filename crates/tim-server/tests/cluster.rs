//! Two tim-server nodes in one process on one PostgreSQL database and one nats-server, both
//! real and started by the test: what one node commits reaches the devices of the other
//! (C2C and group messages, group tips, revokes, read receipts), a device that logs in on one
//! node kicks the same device on the other, and a node that loses the bus closes its
//! connections so that devices reconnect and sync, and again when the bus is back. The node
//! that commits a message decides its offline pushes knowing the other node's devices and
//! their foreground state. Media uploaded through one node is downloaded through the other
//! (the nodes share a blob directory).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;
mod http_endpoint;

use common::push::{IOS, app_state, background_device, send_with};
use common::{C2C, GROUP, TestClient, TestServer, conv, text_of};
use http_endpoint::{Endpoint, gorush_ok, msg_id, next_push};
use std::sync::Arc;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;
use tim_server::testing::nats::TestNats;
use tim_server::testing::postgres::TestDatabase;
use tim_server::{BusConfig, StorageBackend};

struct Cluster {
    a: TestServer,
    b: TestServer,
    nats: Arc<TestNats>,
    _database: TestDatabase,
    /// The blob directory both nodes share (each node's `<data_dir>/blobs` links to it, as a
    /// network file system mounted there would).
    _blobs: tempfile::TempDir,
}

async fn cluster() -> Cluster {
    cluster_pushing_to(None).await
}

/// Two nodes that send offline pushes to the gateway at `push` (when given).
async fn cluster_pushing_to(push: Option<String>) -> Cluster {
    let database = TestDatabase::create();
    let nats = Arc::new(
        tokio::task::spawn_blocking(TestNats::start)
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("{e}")),
    );
    let blobs = tempfile::tempdir().unwrap();
    let node = |database: &TestDatabase, nats: &TestNats| {
        let url = database.url();
        let bus = nats.url();
        let push = push.clone();
        let blobs = blobs.path().to_owned();
        move |config: &mut tim_server::ServerConfig| {
            std::os::unix::fs::symlink(&blobs, config.data_dir.join("blobs")).unwrap();
            config.storage = StorageBackend::Postgres { url };
            config.bus = Some(BusConfig::new(bus));
            config.blob_dir_shared = true;
            config.rate = tim_server::RateLimits::off();
            config.push_gateway = push.map(tim_server::PushGateway::new);
        }
    };
    let a = TestServer::start_with(node(&database, &nats)).await;
    let b = TestServer::start_with(node(&database, &nats)).await;
    Cluster {
        a,
        b,
        nats,
        _database: database,
        _blobs: blobs,
    }
}

async fn next_body(client: &mut TestClient) -> Response {
    client.next_push().await.body.expect("a push with a body")
}

/// The next push that is not a new message (skipping the echoes of the user's own sends).
async fn next_notice(client: &mut TestClient) -> Response {
    for _ in 0..100 {
        match next_body(client).await {
            Response::NewMessage(_) => continue,
            other => return other,
        }
    }
    panic!("only new-message pushes came");
}

#[tokio::test]
async fn messages_revokes_and_receipts_cross_nodes() {
    let c = cluster().await;
    let alice = c.a.client("alice", "a-phone").await;
    let mut bob = c.b.client("bob", "b-phone").await;

    let mut first = common::text_message("m1", "hello from node a");
    first.need_read_receipt = true;
    let ack = match alice
        .request(Request::SendMessage(v1::SendMessageRequest {
            conversation: Some(conv(C2C, "bob")),
            message: Some(first),
        }))
        .await
    {
        Response::SendMessage(ack) => ack,
        other => panic!("{other:?}"),
    };
    let push = bob.next_message().await;
    let message = push.message.unwrap();
    assert_eq!(text_of(&message), "hello from node a");
    assert_eq!(message.seq, ack.seq);
    // The push is a hint; the log on the other node says the same.
    let (events, _) = bob.sync_all(0).await;
    assert_eq!(events.len(), 1);

    // A group with members on both nodes: the creation tip and a message reach node b.
    let created = alice
        .request(Request::CreateGroup(v1::CreateGroupRequest {
            group_id: Some("both".into()),
            name: "both".into(),
            add_option: 2,
            member_ids: vec!["bob".into()],
            ..Default::default()
        }))
        .await;
    assert!(matches!(created, Response::CreateGroup(_)), "{created:?}");
    let tip = bob.next_message().await.message.unwrap();
    assert_eq!(tip.conv_id, "both");
    alice.send_ok(GROUP, "both", "g1", "to everyone").await;
    assert_eq!(
        text_of(&bob.next_message().await.message.unwrap()),
        "to everyone"
    );

    // Receipts and a revoke made on node b reach alice on node a.
    let mut alice = alice;
    let receipts = bob
        .request(Request::SendReadReceipts(v1::SendReadReceiptsRequest {
            conversation: Some(conv(C2C, "alice")),
            msg_ids: vec!["m1".into()],
        }))
        .await;
    assert!(
        matches!(receipts, Response::SendReadReceipts(_)),
        "{receipts:?}"
    );
    match next_notice(&mut alice).await {
        Response::ReadReceipts(push) => assert_eq!(push.receipts[0].msg_id, "m1"),
        other => panic!("expected receipts, got {other:?}"),
    }
    let revoked = alice
        .request(Request::RevokeMessage(v1::RevokeMessageRequest {
            conversation: Some(conv(C2C, "bob")),
            msg_id: "m1".into(),
            reason: "oops".into(),
        }))
        .await;
    assert!(matches!(revoked, Response::RevokeMessage(_)), "{revoked:?}");
    match next_notice(&mut bob).await {
        Response::MessageRevoked(push) => {
            assert_eq!(push.info.unwrap().revoke_reason, "oops");
        }
        other => panic!("expected a revoke, got {other:?}"),
    }
    c.a.stop().await;
    c.b.stop().await;
    drop(c.nats);
}

/// Waits until `to` (on one node) has a message `from` sent on the other node: the bus
/// carries one node's events in order, so every event that node published before (a login,
/// an app state) has been applied by the receiving node too.
async fn bus_barrier(from: &TestClient, to: &mut TestClient, to_user: &str, msg_id: &str) {
    send_with(from, C2C, to_user, msg_id, "barrier", None).await;
    for _ in 0..100 {
        if let Response::NewMessage(push) = next_body(to).await
            && push.message.as_ref().and_then(|m| m.msg_id.as_deref()) == Some(msg_id)
        {
            return;
        }
    }
    panic!("{msg_id} never reached {to_user}");
}

#[tokio::test]
async fn offline_pushes_are_decided_with_the_other_nodes_foreground_devices() {
    let mut gateway = Endpoint::start(gorush_ok).await;
    let c = cluster_pushing_to(Some(gateway.url.clone())).await;
    let mut alice = c.a.client("alice", "a-desktop").await;
    // Bob's phone, in the background with a token, on node a; his desktop, in the
    // foreground, on node b.
    let _bob_phone = background_device(&c.a, "bob", "b0b0").await;
    let bob_desktop = common::push::login(&c.b, "bob", "bob-desktop", IOS).await;
    bus_barrier(&bob_desktop, &mut alice, "alice", "barrier-1").await;

    // Node a commits m1: bob's desktop on node b is in the foreground, so no push.
    send_with(&alice, C2C, "bob", "m1", "seen on the desktop", None).await;
    // The desktop goes to the background: node a learns it and pushes m2 to the phone.
    app_state(&bob_desktop, true, 0).await;
    bus_barrier(&bob_desktop, &mut alice, "alice", "barrier-2").await;
    send_with(&alice, C2C, "bob", "m2", "nobody looking", None).await;
    let push = next_push(&mut gateway).await;
    assert_eq!(
        msg_id(&push),
        "m2",
        "pushed although a device on the other node was in the foreground"
    );
    assert_eq!(push["tokens"], serde_json::json!(["b0b0"]));
    assert!(gateway.try_next().is_none());
}

#[tokio::test]
async fn media_uploaded_on_one_node_is_downloaded_on_the_other_by_those_who_may() {
    use common::media::{FILE, ID_A, download, pattern, upload};
    let c = cluster().await;
    let alice = c.a.client("alice", "a").await;
    let bob = c.b.client("bob", "b").await;
    let carol = c.b.client("carol", "c").await;
    let bytes = pattern(256 * 1024 + 5);
    let done = upload(&alice, ID_A, FILE, conv(C2C, "bob"), &bytes)
        .await
        .unwrap();
    let file_id = done.file.unwrap().file_id;
    let (total, got) = download(&bob, &file_id, 0).await.unwrap();
    assert_eq!(total, bytes.len() as u64);
    assert!(
        got == bytes,
        "the bytes downloaded on the other node differ"
    );
    assert_eq!(
        download(&carol, &file_id, 0).await.unwrap_err(),
        tim_model::codes::ERR_SVR_RES_ACCESS_DENY
    );
    c.a.stop().await;
    c.b.stop().await;
}

#[tokio::test]
async fn the_same_device_on_another_node_kicks_the_first() {
    let c = cluster().await;
    let mut first = c.a.client("carol", "tablet").await;
    let _second = c.b.client("carol", "tablet").await;
    match next_body(&mut first).await {
        Response::KickedOffline(kick) => assert_eq!(kick.device_id, "tablet"),
        other => panic!("expected a kick, got {other:?}"),
    }
    first.closed().await;
    // Another device of the same user stays.
    let mut phone = c.a.client("carol", "phone").await;
    let _other = c.b.client("carol", "laptop").await;
    let sender = c.b.client("dave", "d").await;
    sender.send_ok(C2C, "carol", "hi", "hi carol").await;
    assert_eq!(
        text_of(&phone.next_message().await.message.unwrap()),
        "hi carol"
    );
    c.a.stop().await;
    c.b.stop().await;
}

#[tokio::test]
async fn a_node_that_loses_the_bus_closes_its_connections_and_again_when_it_is_back() {
    let c = cluster().await;
    let on_a = c.a.client("erin", "e").await;
    let nats = c.nats.clone();
    tokio::task::spawn_blocking(move || nats.stop())
        .await
        .unwrap();
    on_a.closed().await;

    // Connected while the bus is down: closed again when it is back, to sync.
    let during = c.a.client("erin", "e2").await;
    let nats = c.nats.clone();
    tokio::task::spawn_blocking(move || nats.restart())
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("{e}"));
    during.closed().await;

    // Traffic crosses nodes again once both are back on the bus.
    let mut fresh = c.a.client("erin", "e3").await;
    let sender = c.b.client("frank", "f").await;
    let mut delivered = false;
    for attempt in 0..50 {
        sender
            .send_ok(C2C, "erin", &format!("after-{attempt}"), "back")
            .await;
        if let Ok(push) =
            tokio::time::timeout(std::time::Duration::from_millis(200), fresh.next_push()).await
        {
            assert!(matches!(push.body, Some(Response::NewMessage(_))));
            delivered = true;
            break;
        }
    }
    assert!(
        delivered,
        "no push crossed the nodes after the bus came back"
    );
    c.a.stop().await;
    c.b.stop().await;
}

#[tokio::test]
async fn a_bus_needs_a_shared_database_and_a_shared_blob_store() {
    let dir = tempfile::tempdir().unwrap();
    let config = |tune: &dyn Fn(&mut tim_server::ServerConfig)| {
        let mut config = tim_server::ServerConfig::new(
            "127.0.0.1:0".parse().unwrap(),
            dir.path().to_owned(),
            vec![tim_server::AppConfig {
                sdk_app_id: common::APP,
                secret_key: common::KEY.into(),
            }],
        );
        config.bus = Some(BusConfig::new("nats://127.0.0.1:1"));
        tune(&mut config);
        config
    };
    let refusal = |config| async move {
        match tim_server::Server::start(config).await {
            Err(error) => error.to_string(),
            Ok(_) => panic!("a server started with a bus it cannot use"),
        }
    };
    let on_redb = refusal(config(&|_| {})).await;
    assert!(on_redb.contains("PostgreSQL"), "{on_redb}");
    let database = TestDatabase::create();
    let url = database.url();
    let local_blobs = refusal(config(&|c| {
        c.storage = StorageBackend::Postgres { url: url.clone() };
    }))
    .await;
    assert!(local_blobs.contains("--blob-dir-shared"), "{local_blobs}");
}
