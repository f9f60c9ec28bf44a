//! Address lists and failover: a client given several servers connects to one that answers,
//! and when its node stops it moves to another node of the cluster (PostgreSQL and
//! nats-server started by the test), logs in again, syncs, and its messages are neither lost
//! nor doubled.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod net_support;

use net_support::*;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tim_core::{Client, NetworkStatus};
use tim_server::testing::nats::TestNats;
use tim_server::testing::postgres::TestDatabase;
use tim_server::{BusConfig, StorageBackend};

/// A loopback UDP port nobody listens on (bound, then released).
fn dead_port() -> SocketAddr {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.local_addr().unwrap()
}

#[tokio::test]
async fn a_client_given_several_addresses_skips_one_that_is_down() {
    let server = TestServer::start().await;
    let dead = dead_port();
    for list in [
        format!("{dead},{}", server.addr()),
        format!("{} , {dead}", server.addr()),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut config = server.config(dir.path());
        config.server_address = list.clone();
        // Far longer than the stagger: a client that waited for the dead one would still
        // connect, so success alone proves nothing; the bound below does (the live one is
        // tried 500 ms after the dead one, not after the 20 s timeout).
        config.request_timeout = Duration::from_secs(20);
        let client = Client::new(config).unwrap();
        let started = std::time::Instant::now();
        client.login("ann", &sig("ann")).await.unwrap();
        let took = started.elapsed();
        assert_eq!(client.network_status(), NetworkStatus::Connected);
        assert!(
            took < Duration::from_secs(10),
            "{list}: login took {took:?}, as if the dead server were waited for"
        );
        println!("address list {list:?}: logged in after {took:?}");
        client.logout().await.unwrap();
    }
}

#[tokio::test]
async fn a_client_moves_to_another_node_when_its_node_stops() {
    let database = TestDatabase::create();
    let nats = Arc::new(
        tokio::task::spawn_blocking(TestNats::start)
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("{e}")),
    );
    let cluster = |listen: Option<SocketAddr>| {
        let url = database.url();
        let bus = nats.url();
        move |config: &mut tim_server::ServerConfig| {
            config.storage = StorageBackend::Postgres { url };
            config.bus = Some(BusConfig::new(bus));
            // No media in this test: the flag only passes the start check (tim-server's
            // cluster tests give their nodes one real blob directory).
            config.blob_dir_shared = true;
            if let Some(listen) = listen {
                config.listen = listen;
            }
        }
    };
    let mut a = TestServer::start_with(cluster(None)).await;
    // Node b serves with node a's certificate (the clients trust one fingerprint), on a port
    // chosen now so that the client's list can name it before it starts.
    let b_dir = tempfile::tempdir().unwrap();
    for file in [tim_server::cert::CERT_FILE, tim_server::cert::KEY_FILE] {
        std::fs::copy(a.data_dir().join(file), b_dir.path().join(file)).unwrap();
    }
    let b_addr = dead_port();

    // Alice lists both nodes; only a is up, so she is on a.
    let alice_dir = tempfile::tempdir().unwrap();
    let mut config = a.config(alice_dir.path());
    config.server_address = format!("{},{b_addr}", a.addr());
    let alice = Client::new(config).unwrap();
    let mut alice_events = alice.subscribe();
    alice.login("alice", &sig("alice")).await.unwrap();

    let b = TestServer::start_in(b_dir, cluster(Some(b_addr))).await;
    assert_eq!(b.addr(), b_addr);
    let mut bob = device(&b, "bob").await;

    let to_bob = c2c("bob");
    let send = |content: &str| {
        let (_, ack) = alice.send_message(&to_bob, text(content)).unwrap();
        async move {
            tokio::time::timeout(WAIT, ack)
                .await
                .expect("no ack")
                .unwrap()
        }
    };
    let first = send("before").await;
    let got = bob.receive(1).await;
    assert_eq!(contents(&got), vec!["before"]);

    // Node a goes away: alice reconnects to b, and what she sends reaches bob once.
    a.stop().await;
    wait_for(&mut alice_events, |event| match event {
        tim_core::Event::NetworkStatus {
            status: NetworkStatus::Connected,
            ..
        } => Some(()),
        _ => None,
    })
    .await;
    let second = send("after").await;
    let got = bob.receive(1).await;
    assert_eq!(contents(&got), vec!["after"]);
    assert_eq!(
        second.seq.0,
        first.seq.0 + 1,
        "one gap-free seq run across the nodes"
    );

    // Bob's store holds both, once each, at contiguous seqs.
    let history = bob.local(&c2c("alice"));
    assert_eq!(contents(&history), vec!["before", "after"]);
    assert_contiguous(&seqs(&history));
    drop(nats);
}
