//! The C ABI over impaired links: for each profile (round trip ~100 ms with 2% loss, ~300 ms
//! with 10% loss), bob's C program reaches a real server through a UDP relay on loopback
//! (`tim_server::testing::relay`) and alice's C program sends to him directly; the message
//! arrives and both programs end cleanly; and across a 5 s outage of a receiver's link, during
//! which another program sends, the message arrives once the link is back.

mod common;

use common::{compile, finish, peer_send, server, sig, spawn_ready};
use std::time::Duration;
use tim_server::testing::relay::{LinkProfile, Relay};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c_programs_talk_over_impaired_links() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (server, env) = server(dir.path()).await;
    let peer = compile("peer", dir.path());
    for (index, (rtt, loss)) in [
        (Duration::from_millis(100), 0.02),
        (Duration::from_millis(300), 0.10),
    ]
    .into_iter()
    .enumerate()
    {
        let relay = Relay::start(server.local_addr(), LinkProfile::impaired(rtt, loss))
            .await
            .unwrap_or_else(|err| panic!("relay: {err}"));
        let mut impaired = env.clone();
        for (key, value) in &mut impaired {
            if *key == "TIM_SERVER_ADDRESS" {
                *value = relay.address().to_string();
            }
        }
        let text = format!("hello from C over a slow link {index}");
        let bob_data = format!("bob-data-{index}");
        let (bob, reader) = spawn_ready(
            &peer,
            dir.path(),
            &impaired,
            &["recv", &bob_data, "bob", &sig("bob"), "alice", &text],
        );
        let alice_data = format!("alice-data-{index}");
        peer_send(&peer, dir.path(), &env, &alice_data, "alice", "bob", &text);
        finish(&format!("bob over RTT {rtt:?}, {loss} loss"), bob);
        let _ = reader.join();
        println!(
            "RTT {rtt:?}, loss {loss}: delivered through the relay ({} datagrams dropped)",
            relay.dropped()
        );
    }
    // An outage of a few seconds on bob's link while alice sends: bob gets the message once the
    // link is back.
    let relay = Relay::start(server.local_addr(), LinkProfile::CLEAN)
        .await
        .unwrap_or_else(|err| panic!("relay: {err}"));
    let mut impaired = env.clone();
    for (key, value) in &mut impaired {
        if *key == "TIM_SERVER_ADDRESS" {
            *value = relay.address().to_string();
        }
    }
    let text = "hello from C across an outage";
    let (erin, reader) = spawn_ready(
        &peer,
        dir.path(),
        &impaired,
        // Users of their own: a fresh device of bob would sync the messages above first.
        &[
            "recv",
            "erin-data-outage",
            "erin",
            &sig("erin"),
            "frank",
            text,
        ],
    );
    relay.cut(true);
    peer_send(
        &peer,
        dir.path(),
        &env,
        "frank-data-outage",
        "frank",
        "erin",
        text,
    );
    // The outage itself (the scenario, not a wait for an event).
    tokio::time::sleep(Duration::from_secs(5)).await;
    relay.cut(false);
    let back = std::time::Instant::now();
    finish("erin after a 5 s outage", erin);
    let _ = reader.join();
    println!(
        "5 s outage: erin's program had the message {:?} after the link came back",
        back.elapsed()
    );
    server.shutdown().await;
}
