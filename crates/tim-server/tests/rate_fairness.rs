//! Rate limits against a real server: a user flooding sends gets its code, and another user's
//! send-to-ack stays within 2x of its unloaded value meanwhile. In a binary of its own, so no
//! other test shares the process's cores while it measures.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use tim_model::codes;
use tim_proto::v1::server_frame::Body as Response;

/// The median of `samples`.
fn median(mut samples: Vec<std::time::Duration>) -> std::time::Duration {
    samples.sort();
    samples[samples.len() / 2]
}

async fn timed_sends(client: &TestClient, prefix: &str, count: usize) -> Vec<std::time::Duration> {
    let mut samples = Vec::with_capacity(count);
    for i in 0..count {
        let started = std::time::Instant::now();
        client
            .send_ok(C2C, "bob", &format!("{prefix}-{i}"), "x")
            .await;
        samples.push(started.elapsed());
    }
    samples
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flooding_user_gets_its_code_and_others_keep_their_speed() {
    const ROUNDS: usize = 6;
    const FLOOD: usize = 600;
    let server = TestServer::start_with(|c| c.rate.sends = tim_server::Rate::new(100, 150)).await;
    let alice = server.client("alice", "a").await;
    let _bob = server.client("bob", "b").await;
    let mallory = std::sync::Arc::new(server.client("mallory", "m").await);
    timed_sends(&alice, "warm", 5).await;
    // Quiet and flooded phases alternate, so a change in the machine's load meanwhile falls
    // on both alike.
    let (mut quiet, mut busy, mut limited) = (Vec::new(), Vec::new(), 0);
    for round in 0..ROUNDS {
        quiet.extend(timed_sends(&alice, &format!("quiet-{round}"), 8).await);
        // Mallory pipelines sends as fast as the connection takes them.
        let flood = {
            let mallory = mallory.clone();
            tokio::spawn(async move {
                let mut answers = Vec::with_capacity(FLOOD);
                for i in 0..FLOOD {
                    let id = format!("flood-{round}-{i}");
                    let request = send_request(C2C, "bob", &id, "spam", false);
                    answers.push(mallory.start_request(request).await);
                }
                let mut limited = 0;
                for answer in answers {
                    let response = tokio::time::timeout(WAIT, answer).await.unwrap().unwrap();
                    if let Response::Error(error) = response {
                        assert_eq!(error.code, codes::ERR_SVR_SSO_FREQ_LIMIT);
                        limited += 1;
                    }
                }
                limited
            })
        };
        busy.extend(timed_sends(&alice, &format!("busy-{round}"), 8).await);
        limited += flood.await.unwrap();
    }
    let (unloaded, loaded) = (median(quiet), median(busy));
    let total = ROUNDS * FLOOD;
    println!(
        "send-to-ack median: unloaded {unloaded:?}, while another user floods {loaded:?} \
         ({:.2}x); {limited} of {total} flood sends refused with -10113",
        loaded.as_secs_f64() / unloaded.as_secs_f64()
    );
    assert!(
        limited >= total / 2,
        "only {limited} flood sends were limited"
    );
    // 2x, plus 3 ms for the scheduling noise of a 2-core machine running both ends.
    assert!(
        loaded <= unloaded * 2 + std::time::Duration::from_millis(3),
        "{loaded:?} vs {unloaded:?}"
    );
}
