//! Message extensions through the facade: set, conflict, get, delete, events.

use tim_rs::Event;
use tim_rs::model::{MessageExtension, codes};

mod support;

use support::*;

fn ext(key: &str, value: &str) -> MessageExtension {
    MessageExtension {
        key: key.into(),
        value: value.into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extensions_are_set_read_and_deleted_through_their_conversation() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let server = server(dir.path()).await;
    let (alice, _alice_events) = logged_in(&server, dir.path(), "alice").await;
    let (bob, mut bob_events) = logged_in(&server, dir.path(), "bob").await;
    let to_bob = alice.c2c("bob").unwrap_or_else(|err| panic!("{err}"));
    let mut message = tim_rs::text_message("poll");
    message.support_message_extension = true;
    let (_, handle) = to_bob.send(message).unwrap_or_else(|err| panic!("{err}"));
    let sent = handle.await.unwrap_or_else(|err| panic!("send: {err:?}"));
    next_text(&mut bob_events).await;
    let to_alice = bob.c2c("alice").unwrap_or_else(|err| panic!("{err}"));

    let set = to_bob
        .set_message_extensions(&sent, vec![ext("choice", "a")])
        .await
        .unwrap_or_else(|err| panic!("set: {err}"));
    assert_eq!(set[0].code, 0);
    // Bob has not seen the key yet (his push may not have come): he either wins on top of it
    // after the push, or gets 23001 with alice's value and wins on the retry.
    let mut won = false;
    for _ in 0..3 {
        let results = to_alice
            .set_message_extensions(&sent, vec![ext("choice", "b")])
            .await
            .unwrap_or_else(|err| panic!("set: {err}"));
        if results[0].code == 0 {
            won = true;
            break;
        }
        assert_eq!(
            results[0].code,
            codes::ERR_SVR_MSG_EXTENSION_CONFLICT as u32
        );
    }
    assert!(won);
    let all = to_bob
        .message_extensions(&sent)
        .await
        .unwrap_or_else(|err| panic!("get: {err}"));
    assert_eq!(all, vec![ext("choice", "b")]);
    let deleted = to_bob
        .delete_message_extensions(&sent, vec![])
        .await
        .unwrap_or_else(|err| panic!("delete: {err}"));
    assert_eq!(deleted.len(), 1);
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        match tokio::time::timeout_at(deadline, bob_events.next())
            .await
            .unwrap_or_else(|_| panic!("no deletion event within {WAIT:?}"))
        {
            Some(Event::ExtensionsDeleted { keys, .. }) => {
                assert_eq!(keys, vec!["choice".to_owned()]);
                break;
            }
            Some(_) => {}
            None => panic!("the event stream ended"),
        }
    }
    server.shutdown().await;
}
