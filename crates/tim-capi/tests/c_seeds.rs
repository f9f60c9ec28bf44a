//! The seed pages' code samples from C (`tests/c/seeds.c`): every sample of the newest seed
//! pages (003 Chinese, 001 English) that no other C test does the same way, with its JSON built
//! as the sample builds it, against a real tim-server. Bob (a `tim-rs` client here) first sends
//! alice a message asking for a read receipt; alice's C program runs the samples (the receipt
//! samples on bob's message) and bob must then get alice's read receipt.

mod common;

use common::{command, compile, finish, rs_client, rs_login, server, sig};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tim_rs::{Event, text_message};

/// Longest wait for one step of bob.
const STEP: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_samples_work_as_written() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (server, env) = server(dir.path()).await;
    let exe = compile("seeds", dir.path());
    let started = Instant::now();

    let bob = rs_client(&server, &dir.path().join("bob-data"));
    let mut events = bob.events();
    rs_login(&bob, "bob").await;
    let mut message = text_message("please read");
    message.need_read_receipt = true;
    let alice = bob.c2c("alice").unwrap_or_else(|err| panic!("conv: {err}"));
    let (_, handle) = alice
        .send(message)
        .unwrap_or_else(|err| panic!("bob's send: {err}"));
    let asked = tokio::time::timeout(STEP, handle)
        .await
        .unwrap_or_else(|_| panic!("bob's send took too long"))
        .unwrap_or_else(|err| panic!("bob's send: {err:?}"));

    let program = command(&exe, dir.path(), &env)
        .args(["alice-data", "alice", &sig("alice"), "bob"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("spawn alice: {err}"));
    let output = finish("alice", program);
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("OK seeds"),
        "{output:?}"
    );
    eprintln!("{}", String::from_utf8_lossy(&output.stderr).trim());

    // The SendMessageReadReceipts sample reached bob.
    let receipt = tokio::time::timeout(STEP, async {
        loop {
            match events.next().await {
                Some(Event::ReadReceipts(receipts)) => {
                    if let Some(r) = receipts.into_iter().find(|r| {
                        asked
                            .msg_id
                            .as_ref()
                            .is_some_and(|id| r.msg_id == id.as_str())
                    }) {
                        return r;
                    }
                }
                Some(_) => {}
                None => panic!("bob's events ended"),
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("bob got no read receipt for {:?}", asked.msg_id));
    assert!(receipt.is_peer_read, "{receipt:?}");
    eprintln!("seed samples done in {:?}", started.elapsed());
}
