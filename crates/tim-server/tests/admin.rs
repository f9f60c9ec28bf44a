//! The admin endpoints: `/metrics` shows the counters moving while clients work, `/livez`
//! answers, and `/readyz` goes false when PostgreSQL or NATS (real ones, started by the test)
//! stops and true again when it is back.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{C2C, TestServer};
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tim_server::testing::nats::TestNats;
use tim_server::testing::postgres::TestPostgres;
use tim_server::{BusConfig, StorageBackend};

/// `GET path` on the admin address: (status, body).
async fn get(admin: SocketAddr, path: &str) -> (u16, String) {
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(admin).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nhost: admin\r\n\r\n").unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        let body = text.split("\r\n\r\n").nth(1).unwrap_or("").to_owned();
        (status, body)
    })
    .await
    .unwrap()
}

/// The value of the sample `series` (name with labels) in a scrape, 0 when absent.
fn sample(scrape: &str, series: &str) -> f64 {
    scrape
        .lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or(0.0)
}

/// Waits (at most 20 s) until `/readyz` answers `status`. Readiness is a state a probe reads,
/// as a load balancer does, not an event: the loop is that probe, paced at 100 ms.
async fn ready_becomes(admin: SocketAddr, status: u16) -> Duration {
    let started = Instant::now();
    for _ in 0..200 {
        if get(admin, "/readyz").await.0 == status {
            return started.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("/readyz never answered {status}");
}

#[tokio::test]
async fn metrics_move_while_clients_work_and_liveness_answers() {
    let server = TestServer::start_with(|config| {
        config.admin_listen = Some("127.0.0.1:0".parse().unwrap());
    })
    .await;
    let admin = server.server.as_ref().unwrap().admin_addr().unwrap();
    let before = get(admin, "/metrics").await.1;
    let alice = server.client("alice", "a").await;
    for n in 0..5 {
        alice.send_ok(C2C, "bob", &format!("m{n}"), "hi").await;
    }
    let (status, after) = get(admin, "/metrics").await;
    assert_eq!(status, 200);
    assert!(
        sample(&after, "tim_acks_total") >= sample(&before, "tim_acks_total") + 5.0,
        "acks did not move:\n{after}"
    );
    assert!(
        sample(&after, "tim_logins_total{result=\"ok\"}")
            > sample(&before, "tim_logins_total{result=\"ok\"}")
    );
    assert!(
        sample(&after, "tim_commit_seconds_count") > sample(&before, "tim_commit_seconds_count")
    );
    assert!(sample(&after, "tim_send_to_ack_seconds_count") >= 5.0);
    assert!(sample(&after, "tim_connections") >= 1.0);
    assert_eq!(get(admin, "/livez").await.0, 200);
    assert_eq!(get(admin, "/readyz").await.0, 200, "redb, no bus: ready");
    assert_eq!(get(admin, "/nothing").await.0, 404);
    server.stop().await;
}

#[tokio::test]
async fn readiness_follows_the_database_and_the_bus() {
    let postgres = Arc::new(
        tokio::task::spawn_blocking(TestPostgres::start)
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("{e}")),
    );
    let nats = Arc::new(
        tokio::task::spawn_blocking(TestNats::start)
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("{e}")),
    );
    let url = postgres.url("postgres");
    let bus = nats.url();
    let server = TestServer::start_with(move |config| {
        config.storage = StorageBackend::Postgres { url };
        config.bus = Some(BusConfig::new(bus));
        config.blob_dir_shared = true;
        config.admin_listen = Some("127.0.0.1:0".parse().unwrap());
    })
    .await;
    let admin = server.server.as_ref().unwrap().admin_addr().unwrap();
    ready_becomes(admin, 200).await;

    let stopping = nats.clone();
    tokio::task::spawn_blocking(move || stopping.stop())
        .await
        .unwrap();
    let took = ready_becomes(admin, 503).await;
    println!("NATS stopped: not ready after {took:?}");
    assert!(get(admin, "/readyz").await.1.contains("bus"));
    let starting = nats.clone();
    tokio::task::spawn_blocking(move || starting.restart())
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("{e}"));
    let took = ready_becomes(admin, 200).await;
    println!("NATS back: ready after {took:?}");

    let stopping = postgres.clone();
    tokio::task::spawn_blocking(move || stopping.stop())
        .await
        .unwrap();
    let took = ready_becomes(admin, 503).await;
    println!("PostgreSQL stopped: not ready after {took:?}");
    assert!(get(admin, "/readyz").await.1.contains("storage"));
    let starting = postgres.clone();
    tokio::task::spawn_blocking(move || starting.start_again())
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("{e}"));
    let took = ready_becomes(admin, 200).await;
    println!("PostgreSQL back: ready after {took:?}");
    server.stop().await;
}
