//! A PostgreSQL that vanishes from the network (connections cut, new ones never answered, as
//! when its host dies) fails each pending send with the storage failure's code within two
//! connection attempts, however many sends wait: the writer does not retry a batch's requests
//! one by one against a database it cannot reach. Once the database answers again, sends go
//! through. Real PostgreSQL, reached over TCP through a front the test can turn into a black
//! hole.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{C2C, TestServer, error_code};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tim_proto::v1::server_frame::Body as Response;
use tim_server::StorageBackend;
use tim_server::testing::postgres::TestDatabase;
use tokio::net::{TcpListener, UnixStream};
use tokio::sync::watch;

/// How long the PostgreSQL backend waits for a new connection (`CONNECT_TIMEOUT`).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// A TCP front for PostgreSQL's Unix socket. In black-hole mode it cuts the connections it
/// carries and accepts new ones without ever answering.
struct Front {
    port: u16,
    black_hole: watch::Sender<bool>,
}

impl Front {
    async fn start(socket: PathBuf) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (black_hole, mode) = watch::channel(false);
        tokio::spawn(async move {
            // Connections accepted in black-hole mode stay open, unanswered, until the test ends.
            let mut held = Vec::new();
            while let Ok((mut tcp, _)) = listener.accept().await {
                if *mode.borrow() {
                    held.push(tcp);
                    continue;
                }
                let mut cut = mode.clone();
                let socket = socket.clone();
                tokio::spawn(async move {
                    let Ok(mut unix) = UnixStream::connect(&socket).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut tcp, &mut unix) => {}
                        _ = cut.wait_for(|black| *black) => {}
                    }
                });
            }
        });
        Self { port, black_hole }
    }

    fn set_black_hole(&self, on: bool) {
        self.black_hole.send_replace(on);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sends_fail_within_two_connection_attempts_while_the_database_is_unreachable() {
    let database = TestDatabase::create();
    let front = Front::start(database.server.socket_path()).await;
    let url = format!(
        "host=127.0.0.1 port={} user=postgres dbname={}",
        front.port, database.name
    );
    let server = TestServer::start_with(move |config| {
        config.storage = StorageBackend::Postgres { url };
        config.rate = tim_server::RateLimits::off();
    })
    .await;
    const SENDERS: usize = 6;
    let mut clients = Vec::new();
    for index in 0..SENDERS {
        let client = server.client(&format!("u{index}"), "d").await;
        client
            .send_ok(C2C, "peer", &format!("warm-{index}"), "hi")
            .await;
        clients.push(client);
    }

    front.set_black_hole(true);
    let started = Instant::now();
    let answers = futures_util::future::join_all(clients.iter().enumerate().map(
        |(index, client)| async move {
            client
                .send(C2C, "peer", &format!("down-{index}"), "hi")
                .await
        },
    ))
    .await;
    let elapsed = started.elapsed();
    println!("{SENDERS} sends to an unreachable database all answered in {elapsed:?}");
    for answer in &answers {
        assert_eq!(
            error_code(answer),
            tim_model::codes::ERR_SVR_MSG_INTERNAL_ERROR1,
            "{answer:?}"
        );
    }
    // The first batch waits out one connection attempt, the requests queued behind it a
    // second one; retried one by one they would take one attempt each.
    let limit = CONNECT_TIMEOUT * 2 + Duration::from_secs(2);
    assert!(
        elapsed < limit,
        "the sends took {elapsed:?} to fail, over {limit:?}"
    );

    front.set_black_hole(false);
    for (index, client) in clients.iter().enumerate() {
        match client
            .send(C2C, "peer", &format!("back-{index}"), "hi")
            .await
        {
            Response::SendMessage(_) => {}
            other => panic!("send after the database came back: {other:?}"),
        }
    }
}
