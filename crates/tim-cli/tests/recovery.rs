//! Recovery after a server crash, measured: `tim serve` is SIGKILLed and started again on the
//! same data directory and port while a tim-rs client stays logged in; the client's next send
//! must be acknowledged soon after the restart (the goal is 1 s: the restarted server answers
//! the client's stale connection with a stateless reset, since its reset key is derived from
//! its private key and survives the restart, and the client reconnects at once). The figures
//! are printed; the test fails only on a lost or doubled message or a recovery over five times
//! its goal, so a slow machine does not make it flaky.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

use std::time::{Duration, Instant};
use support::serve::{ServeProcess, ServeSpec};
use tim_rs::{Client, ClientConfig, ServerTrust};

const APP: u64 = 1_400_000_001;
const KEY: &str = "recovery-test-secret";
/// The goal: first ack within this long after the restart.
const GOAL: Duration = Duration::from_secs(1);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_is_acknowledged_soon_after_its_server_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = ServeSpec {
        data_dir: dir.path().join("data"),
        listen: "127.0.0.1:0".parse().unwrap(),
        log: dir.path().join("serve.log"),
        app: APP,
        key: KEY.to_owned(),
        extra: Vec::new(),
    };
    let mut server = Some(ServeProcess::started(&spec).await);
    let first = server.as_ref().unwrap();
    spec.listen = first.addr;
    let trust = ServerTrust::parse(&first.fingerprint).unwrap();
    let config = ClientConfig::new(
        first.addr.to_string(),
        trust,
        APP,
        dir.path().join("client"),
    );
    let client = Client::new(config).unwrap();
    let sig = tim_server::usersig::gen_user_sig(APP, KEY, "ann", 86_400);
    client.login("ann", &sig).await.unwrap();
    let to_bob = client.c2c("bob").unwrap();
    let mut last_seq = to_bob.send_text("before the crash").await.unwrap().seq.0;

    let mut worst = Duration::ZERO;
    for round in 0..3 {
        let process = server.take().unwrap();
        process.killed().await;
        let restarted = ServeProcess::started(&spec).await;
        let ready = Instant::now();
        let sent = to_bob
            .send_text(&format!("after restart {round}"))
            .await
            .unwrap_or_else(|e| panic!("round {round}: {e:?}"));
        let took = ready.elapsed();
        println!(
            "round {round}: server restarted in {:?}; first ack {took:?} after it (goal {GOAL:?})",
            restarted.start_time
        );
        assert_eq!(
            sent.seq.0,
            last_seq + 1,
            "round {round}: a message lost or doubled"
        );
        last_seq = sent.seq.0;
        worst = worst.max(took);
        server = Some(restarted);
    }
    assert!(
        worst <= GOAL * 5,
        "the slowest recovery took {worst:?}, over five times the {GOAL:?} goal"
    );
    let history = to_bob.history(20).await.unwrap();
    assert_eq!(history.len() as u64, last_seq, "every message once");
}
