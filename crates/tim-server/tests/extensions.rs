//! Message extensions against a real server: per-key compare-and-swap under a race, the
//! documented limits through the protocol, pushes to every device of every party.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::*;
use tim_model::codes;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;

/// Sends an extensible C2C message `msg_id` from `client` to `to`.
async fn send_extensible(client: &TestClient, to: &str, msg_id: &str) {
    let mut message = text_message(msg_id, "hello");
    message.support_message_extension = true;
    let response = client
        .request(Request::SendMessage(v1::SendMessageRequest {
            conversation: Some(conv(C2C, to)),
            message: Some(message),
        }))
        .await;
    assert!(matches!(response, Response::SendMessage(_)), "{response:?}");
}

fn set_request(peer: &str, msg_id: &str, items: Vec<(String, String, u64)>) -> Request {
    Request::SetExtensions(v1::SetExtensionsRequest {
        conversation: Some(conv(C2C, peer)),
        msg_id: msg_id.into(),
        extensions: items
            .into_iter()
            .map(|(key, value, version)| v1::MessageExtension {
                key,
                value,
                version,
            })
            .collect(),
    })
}

fn one(key: &str, value: &str, version: u64) -> Vec<(String, String, u64)> {
    vec![(key.into(), value.into(), version)]
}

async fn get(client: &TestClient, peer: &str, msg_id: &str) -> Vec<v1::MessageExtension> {
    match client
        .request(Request::GetExtensions(v1::GetExtensionsRequest {
            conversation: Some(conv(C2C, peer)),
            msg_id: msg_id.into(),
        }))
        .await
    {
        Response::GetExtensions(response) => response.extensions,
        other => panic!("get failed: {other:?}"),
    }
}

fn results(response: Response) -> Vec<v1::MessageExtensionResult> {
    match response {
        Response::SetExtensions(response) => response.results,
        Response::DeleteExtensions(response) => response.results,
        other => panic!("expected extension results, got {other:?}"),
    }
}

/// The next extension push, skipping new-message pushes.
async fn next_extension_push(client: &mut TestClient) -> Response {
    for _ in 0..20 {
        match client.next_push().await.body {
            Some(Response::NewMessage(_)) => continue,
            Some(push @ (Response::ExtensionsChanged(_) | Response::ExtensionsDeleted(_))) => {
                return push;
            }
            other => panic!("unexpected push {other:?}"),
        }
    }
    panic!("no extension push");
}

#[tokio::test]
async fn racing_sets_of_one_key_have_exactly_one_winner_every_round() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "d1").await;
    let bob = server.client("bob", "d1").await;
    send_extensible(&alice, "bob", "race").await;
    let conflict = codes::ERR_SVR_MSG_EXTENSION_CONFLICT as u32;
    let mut version = 0;
    for round in 0..25 {
        // Both base their change on the version they both see, and send at the same moment.
        let a_value = format!("alice-{round}");
        let b_value = format!("bob-{round}");
        let a = alice
            .start_request(set_request("bob", "race", one("k", &a_value, version)))
            .await;
        let b = bob
            .start_request(set_request("alice", "race", one("k", &b_value, version)))
            .await;
        let (a, b) = (results(a.await.unwrap()), results(b.await.unwrap()));
        let (a, b) = (&a[0], &b[0]);
        let (winner, loser) = match (a.code, b.code) {
            (0, code) if code == conflict => (a, b),
            (code, 0) if code == conflict => (b, a),
            other => panic!("round {round}: expected one winner, got {other:?}"),
        };
        let won = winner.item.clone().unwrap();
        assert!(won.version > version, "round {round}");
        // The loser gets the winner's state.
        assert_eq!(loser.item.clone().unwrap(), won, "round {round}");
        assert_eq!(get(&bob, "alice", "race").await, vec![won.clone()]);
        version = won.version;
    }
    server.stop().await;
}

#[tokio::test]
async fn limits_refuse_the_whole_call_and_apply_nothing() {
    let server = TestServer::start().await;
    let mut alice = server.client("alice", "d1").await;
    let bob = server.client("bob", "d1").await;
    send_extensible(&alice, "bob", "m").await;
    let long_key = "k".repeat(101);
    let long_value = "v".repeat(1025);
    let too_many: Vec<_> = (0..21)
        .map(|i| (format!("k{i}"), "v".to_owned(), 0))
        .collect();
    let mixed = |bad: (String, String, u64)| vec![("fine".to_owned(), "v".to_owned(), 0), bad];
    for items in [
        mixed((long_key.clone(), "v".into(), 0)),
        mixed(("k".into(), long_value.clone(), 0)),
        mixed((String::new(), "v".into(), 0)),
        mixed(("fine".into(), "twice".into(), 0)),
        too_many,
        vec![],
    ] {
        let response = alice.request(set_request("bob", "m", items)).await;
        assert_eq!(error_code(&response), codes::ERR_INVALID_PARAMETERS);
    }
    let delete = |keys: Vec<String>| {
        Request::DeleteExtensions(v1::DeleteExtensionsRequest {
            conversation: Some(conv(C2C, "bob")),
            msg_id: "m".into(),
            keys,
        })
    };
    let too_many_keys = (0..21).map(|i| format!("k{i}")).collect();
    for keys in [
        vec![long_key.clone()],
        too_many_keys,
        vec!["a".into(), "a".into()],
    ] {
        let response = alice.request(delete(keys)).await;
        assert_eq!(error_code(&response), codes::ERR_INVALID_PARAMETERS);
    }
    // Exactly at the limits: accepted.
    let at_limit = results(
        alice
            .request(set_request(
                "bob",
                "m",
                one(&"k".repeat(100), &"v".repeat(1024), 0),
            ))
            .await,
    );
    assert_eq!(at_limit[0].code, 0);
    // Nothing of the refused calls was applied or pushed: the first extension push is the
    // accepted change.
    assert_eq!(get(&bob, "alice", "m").await.len(), 1);
    match next_extension_push(&mut alice).await {
        Response::ExtensionsChanged(push) => {
            assert_eq!(push.extensions.len(), 1);
            assert_eq!(push.extensions[0].key, "k".repeat(100));
        }
        other => panic!("{other:?}"),
    }
    // Deleting a missing key: 23004 in its result.
    let deleted = results(alice.request(delete(vec!["missing".into()])).await);
    assert_eq!(
        deleted[0].code,
        codes::ERR_SVR_MSG_EXTENSION_NOT_EXIST as u32
    );
    // 300 keys per message: 299 more fill it; a call that would go beyond writes nothing.
    for call in 0..15 {
        let count = if call == 14 { 19 } else { 20 };
        let items = (0..count)
            .map(|i| (format!("n{call}-{i}"), "v".to_owned(), 0))
            .collect();
        let set = results(alice.request(set_request("bob", "m", items)).await);
        assert!(set.iter().all(|r| r.code == 0));
    }
    let all = get(&bob, "alice", "m").await;
    assert_eq!(all.len(), 300);
    let first = all.iter().find(|e| e.key == "n0-0").unwrap().version;
    let over = vec![
        ("n0-0".to_owned(), "changed".to_owned(), first),
        ("extra".to_owned(), "v".to_owned(), 0),
    ];
    let response = alice.request(set_request("bob", "m", over)).await;
    assert_eq!(error_code(&response), codes::ERR_INVALID_PARAMETERS);
    let all = get(&bob, "alice", "m").await;
    assert_eq!(all.len(), 300);
    assert!(all.iter().all(|e| e.key != "extra" && e.value != "changed"));
    // Changing a key of a full message is fine.
    let changed = results(
        alice
            .request(set_request("bob", "m", one("n0-0", "changed", first)))
            .await,
    );
    assert_eq!(changed[0].code, 0);
    server.stop().await;
}

#[tokio::test]
async fn changes_are_pushed_to_every_device_of_both_parties() {
    let server = TestServer::start().await;
    let mut a1 = server.client("alice", "d1").await;
    let mut a2 = server.client("alice", "d2").await;
    let mut b1 = server.client("bob", "d1").await;
    send_extensible(&a1, "bob", "m").await;
    let set = results(
        b1.request(set_request("alice", "m", one("like", "1", 0)))
            .await,
    );
    assert_eq!(set[0].code, 0);
    for (client, peer) in [(&mut a1, "bob"), (&mut a2, "bob"), (&mut b1, "alice")] {
        match next_extension_push(client).await {
            Response::ExtensionsChanged(push) => {
                assert_eq!(push.msg_id, "m");
                assert_eq!(push.conversation.unwrap().conv_id, peer);
                assert_eq!(push.extensions, vec![set[0].item.clone().unwrap()]);
                assert!(push.cursor > 0);
            }
            other => panic!("{other:?}"),
        }
    }
    // A stranger cannot read or change them.
    let carol = server.client("carol", "d1").await;
    let response = carol
        .request(set_request("alice", "m", one("x", "1", 0)))
        .await;
    assert_eq!(error_code(&response), codes::ERR_SDK_COMM_DATABASE_NOTFOUND);
    server.stop().await;
}
