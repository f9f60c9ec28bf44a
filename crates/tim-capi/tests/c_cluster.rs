//! The C ABI on a cluster: two tim-server nodes on one PostgreSQL database and one
//! nats-server (all real, started by the test), and two C programs (`tests/c/peer.c`) on
//! different nodes: bob's program on node a, alice's on node b through an address list whose
//! first entry is a dead node. The message crosses the nodes.

mod common;

use common::{compile, finish, peer_send, server_with, sig, spawn_ready};
use tim_server::testing::nats::TestNats;
use tim_server::testing::postgres::TestDatabase;
use tim_server::{BusConfig, ServerConfig, StorageBackend};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_c_programs_on_two_nodes_exchange_a_message() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let database = TestDatabase::create();
    let nats = tokio::task::spawn_blocking(TestNats::start)
        .await
        .unwrap_or_else(|err| panic!("{err}"))
        .unwrap_or_else(|err| panic!("{err}"));
    let node = |config: &mut ServerConfig| {
        config.storage = StorageBackend::Postgres {
            url: database.url(),
        };
        config.bus = Some(BusConfig::new(nats.url()));
        // No media in this test: the flag only passes the start check (tim-server's
        // cluster tests give their nodes one real blob directory).
        config.blob_dir_shared = true;
    };
    let a_dir = dir.path().join("a");
    let (a, a_env) = server_with(&a_dir, node).await;
    // Node b serves with node a's certificate: the programs trust one fingerprint.
    let b_dir = dir.path().join("b");
    std::fs::create_dir_all(b_dir.join("server")).unwrap_or_else(|err| panic!("{err}"));
    for file in [tim_server::cert::CERT_FILE, tim_server::cert::KEY_FILE] {
        std::fs::copy(
            a_dir.join("server").join(file),
            b_dir.join("server").join(file),
        )
        .unwrap_or_else(|err| panic!("{err}"));
    }
    let (b, _) = server_with(&b_dir, node).await;
    assert_ne!(a.local_addr(), b.local_addr());
    let dead = std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|socket| socket.local_addr())
        .unwrap_or_else(|err| panic!("{err}"));
    let b_env = vec![
        ("TIM_SERVER_ADDRESS", format!("{dead},{}", b.local_addr())),
        ("TIM_SERVER_CERT", a.certificate().sha256_hex.clone()),
    ];

    let peer = compile("peer", dir.path());
    let text = "hello from C across nodes";
    let (bob, reader) = spawn_ready(
        &peer,
        dir.path(),
        &a_env,
        &["recv", "bob-data", "bob", &sig("bob"), "alice", text],
    );
    peer_send(
        &peer,
        dir.path(),
        &b_env,
        "alice-data",
        "alice",
        "bob",
        text,
    );
    finish("bob", bob);
    let _ = reader.join();
    a.shutdown().await;
    b.shutdown().await;
    drop(nats);
}
