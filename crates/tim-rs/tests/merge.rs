//! Merged (forwarded) messages through the facade: forward two messages as one, the receiver
//! downloads them; an outsider is refused.

use tim_rs::model::{MergeElem, codes};
use tim_rs::{Elem, Event, Message};

mod support;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forwarded_chat_is_downloaded_by_its_receiver_only() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let server = server(dir.path()).await;
    let (alice, _alice_events) = logged_in(&server, dir.path(), "alice").await;
    let (bob, mut bob_events) = logged_in(&server, dir.path(), "bob").await;
    let (carol, _carol_events) = logged_in(&server, dir.path(), "carol").await;
    let to_bob = alice.c2c("bob").unwrap_or_else(|err| panic!("{err}"));
    let one = to_bob
        .send_text("one")
        .await
        .unwrap_or_else(|err| panic!("{err:?}"));
    let two = to_bob
        .send_text("二")
        .await
        .unwrap_or_else(|err| panic!("{err:?}"));
    next_text(&mut bob_events).await;
    next_text(&mut bob_events).await;

    let forward = Message {
        elems: vec![Elem::Merge(MergeElem {
            title: "Our chat".into(),
            abstract_array: vec!["alice: one".into()],
            compatible_text: "[Our chat]".into(),
            message_array: vec![one, two],
            ..Default::default()
        })],
        ..Default::default()
    };
    let (_, handle) = to_bob.send(forward).unwrap_or_else(|err| panic!("{err}"));
    handle.await.unwrap_or_else(|err| panic!("send: {err:?}"));
    let deadline = tokio::time::Instant::now() + WAIT;
    let received = loop {
        let event = tokio::time::timeout_at(deadline, bob_events.next())
            .await
            .unwrap_or_else(|_| panic!("no merged message within {WAIT:?}"));
        if let Some(Event::NewMessages(messages)) = event
            && let Some(found) = messages
                .into_iter()
                .find(|m| matches!(m.elems.first(), Some(Elem::Merge(_))))
        {
            break found;
        }
    };
    let inner = bob
        .download_merged_message(&received)
        .await
        .unwrap_or_else(|err| panic!("download: {err}"));
    let texts: Vec<String> = inner.iter().map(tim_rs::text_of).collect();
    assert_eq!(texts, vec!["one", "二"]);
    let Some(Elem::Merge(merge)) = received.elems.first() else {
        panic!("not a merge");
    };
    let refused = carol
        .download_merged(&merge.relay_pb_key)
        .await
        .err()
        .map(|err| err.code());
    assert_eq!(refused, Some(codes::ERR_SDK_COMM_DATABASE_NOTFOUND));
    server.shutdown().await;
}
