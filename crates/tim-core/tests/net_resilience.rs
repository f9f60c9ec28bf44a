//! Failures: a server restart in the middle of a conversation, a send queue that outlives its
//! client, and the network status a client reports meanwhile.

mod net_support;

use net_support::*;
use tim_core::{Event, NetworkStatus};
use tim_model::enums::MsgStatus;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_restart_mid_conversation_loses_and_duplicates_nothing() {
    let mut server = TestServer::start().await;
    let mut alice = device(&server, "alice").await;
    let mut bob = device(&server, "bob").await;

    for i in 1..=3 {
        alice.send(&c2c("bob"), &format!("before {i}")).await;
    }
    assert_eq!(bob.receive(3).await.len(), 3);

    server.stop().await;
    alice.wait_status(NetworkStatus::Disconnected).await;
    // While the server is down, sends are queued.
    let mut handles = Vec::new();
    for i in 1..=3 {
        let (queued, handle) = alice
            .client
            .send_message(&c2c("bob"), text(&format!("during {i}")))
            .unwrap();
        assert_eq!(queued.status, Some(MsgStatus::Sending));
        handles.push(handle);
    }
    // The client keeps trying (Connecting, ConnectFailed, ...).
    alice.wait_status(NetworkStatus::Connecting).await;

    server.restart().await;
    alice.wait_status(NetworkStatus::Connected).await;
    let mut acked = Vec::new();
    for handle in handles {
        acked.push(tokio::time::timeout(WAIT, handle).await.unwrap().unwrap());
    }
    assert_eq!(seqs(&acked), [4, 5, 6]);
    for i in 1..=2 {
        bob.send(&c2c("alice"), &format!("after {i}")).await;
    }

    let got = bob.receive(3).await;
    assert_eq!(contents(&got), ["during 1", "during 2", "during 3"]);
    assert_eq!(contents(&alice.receive(2).await), ["after 1", "after 2"]);
    for device in [&alice, &bob] {
        let peer = if device.user == "alice" {
            "bob"
        } else {
            "alice"
        };
        let history = device.local(&c2c(peer));
        assert_eq!(
            contents(&history),
            [
                "before 1", "before 2", "before 3", "during 1", "during 2", "during 3", "after 1",
                "after 2"
            ]
        );
        assert_contiguous(&seqs(&history));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_send_queue_survives_a_client_restart_and_delivers_exactly_once() {
    let mut server = TestServer::start().await;
    let mut bob = device(&server, "bob").await;
    let alice_dir = tempfile::tempdir().unwrap();
    let mut alice = device_at(&server, "alice", alice_dir.path()).await;
    alice.send(&c2c("bob"), "first").await;
    assert_eq!(contents(&bob.receive(1).await), ["first"]);

    server.stop().await;
    alice.wait_status(NetworkStatus::Disconnected).await;
    let mut queued_ids = Vec::new();
    for content in ["queued 1", "queued 2"] {
        let (queued, handle) = alice
            .client
            .send_message(&c2c("bob"), text(content))
            .unwrap();
        queued_ids.push(queued.msg_id.clone().unwrap());
        drop(handle);
    }
    // The process "ends": the client goes away with its queue in the store.
    alice.client.close().await;
    drop(alice);

    server.restart().await;
    bob.wait_status(NetworkStatus::Connected).await;
    let mut alice = device_at(&server, "alice", alice_dir.path()).await;
    // No handle exists any more: the outcomes arrive as events, in queue order.
    for id in &queued_ids {
        let (message, code) = alice
            .wait_for(|event| match event {
                Event::SendCompleted { message, code, .. } => Some((message.clone(), *code)),
                _ => None,
            })
            .await;
        assert_eq!((message.msg_id.as_ref(), code), (Some(id), 0));
        assert_eq!(message.status, Some(MsgStatus::SendSucc));
    }
    let got = bob.receive(2).await;
    assert_eq!(contents(&got), ["queued 1", "queued 2"]);
    // Exactly once: a sentinel is the next thing Bob hears of.
    alice.send(&c2c("bob"), "sentinel").await;
    assert_eq!(contents(&bob.receive(1).await), ["sentinel"]);
    let history = bob.local(&c2c("alice"));
    assert_eq!(
        contents(&history),
        ["first", "queued 1", "queued 2", "sentinel"]
    );
    assert_contiguous(&seqs(&history));
    let stored = alice.stored(&queued_ids[1]).unwrap();
    assert_eq!(stored.status, Some(MsgStatus::SendSucc));
    assert_eq!(stored.seq.0, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn network_status_follows_the_server() {
    let mut server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let client = tim_core::Client::new(server.config(dir.path())).unwrap();
    let mut events = client.subscribe();
    assert_eq!(client.network_status(), NetworkStatus::Disconnected);
    client.login("alice", &sig("alice")).await.unwrap();
    let mut statuses = Vec::new();
    let mut record = |event: &Event| match event {
        Event::NetworkStatus { status, .. } => Some(*status),
        _ => None,
    };
    statuses.push(wait_for(&mut events, &mut record).await);
    statuses.push(wait_for(&mut events, &mut record).await);
    assert_eq!(
        statuses,
        [NetworkStatus::Connecting, NetworkStatus::Connected]
    );

    server.stop().await;
    let lost = wait_for(&mut events, &mut record).await;
    assert_eq!(lost, NetworkStatus::Disconnected);
    assert_eq!(
        wait_for(&mut events, &mut record).await,
        NetworkStatus::Connecting
    );
    assert_eq!(
        wait_for(&mut events, &mut record).await,
        NetworkStatus::ConnectFailed
    );
    server.restart().await;
    // Connecting / ConnectFailed repeat until the server is back.
    for _ in 0..10_000 {
        let status = wait_for(&mut events, &mut record).await;
        if status == NetworkStatus::Connected {
            break;
        }
        assert!(
            matches!(
                status,
                NetworkStatus::Connecting | NetworkStatus::ConnectFailed
            ),
            "{status:?}"
        );
    }
    assert_eq!(client.network_status(), NetworkStatus::Connected);
    client.logout().await.unwrap();
    assert_eq!(client.network_status(), NetworkStatus::Disconnected);
    assert!(client.user().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_behind_a_trimmed_event_log_refreshes_from_history() {
    let server = TestServer::start_with(|config| {
        config.event_log.keep_per_user = 5;
        config.event_log.trim_interval = std::time::Duration::ZERO;
    })
    .await;
    let alice = device(&server, "alice").await;
    let bob_dir = tempfile::tempdir().unwrap();
    let mut bob = device_at(&server, "bob", bob_dir.path()).await;
    alice.send(&c2c("bob"), "first").await;
    assert_eq!(contents(&bob.receive(1).await), ["first"]);
    bob.client.close().await;
    drop(bob);
    for i in 1..=25 {
        alice.send(&c2c("bob"), &format!("missed {i}")).await;
    }
    // Bob's log keeps its newest 5 events: his cursor is now before its start.
    assert!(server.trim_event_logs().await >= 20);

    let mut bob = device_at(&server, "bob", bob_dir.path()).await;
    // The 5 kept events, then the newest page of the conversation from history: 20 new
    // messages in all (without the refresh only the 5 would come).
    let got = bob.receive(20).await;
    let mut texts: Vec<String> = contents(&got).into_iter().map(str::to_owned).collect();
    texts.sort_by_key(|t| t.trim_start_matches("missed ").parse::<u32>().unwrap_or(0));
    let expected: Vec<String> = (6..=25).map(|i| format!("missed {i}")).collect();
    assert_eq!(texts, expected);
    let local = bob.local(&c2c("alice"));
    assert_eq!(contents(&local).first(), Some(&"first"));
    assert_eq!(contents(&local).last(), Some(&"missed 25"));
}
