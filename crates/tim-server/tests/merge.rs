//! Merged (forwarded) messages against a real server: the bundle is stored apart and the
//! carrying message holds its relay key everywhere (ack, push, history); downloads for the
//! parties and current group members only; the documented limits; nesting beyond 100 layers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::*;
use tim_model::codes;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::elem::Body;
use tim_proto::v1::server_frame::Body as Response;

const SEND_SUCC: i32 = 2;

fn text_elem(text: &str) -> v1::Elem {
    v1::Elem {
        body: Some(Body::Text(v1::TextElem {
            content: text.into(),
        })),
    }
}

/// A message as a client has it after a successful send: what a forward bundles.
fn sent(sender: &str, msg_id: &str, elems: Vec<v1::Elem>) -> v1::Message {
    v1::Message {
        elems,
        msg_id: Some(msg_id.into()),
        sender: sender.into(),
        status: Some(SEND_SUCC),
        seq: 1,
        server_time: 1_700_000_000,
        ..Default::default()
    }
}

fn merge_elem(messages: Vec<v1::Message>, relay_pb_key: &str) -> v1::Elem {
    v1::Elem {
        body: Some(Body::Merge(v1::MergeElem {
            title: "Chat history".into(),
            abstract_array: vec!["alice: hi".into(), "bob: 你好".into()],
            compatible_text: "[Chat history]".into(),
            message_array: messages,
            relay_pb_key: relay_pb_key.into(),
            ..Default::default()
        })),
    }
}

fn merge_request(conv_type: i32, to: &str, msg_id: &str, elem: v1::Elem) -> Request {
    let mut message = text_message(msg_id, "");
    message.elems = vec![elem];
    Request::SendMessage(v1::SendMessageRequest {
        conversation: Some(conv(conv_type, to)),
        message: Some(message),
    })
}

fn merge_of(message: &v1::Message) -> &v1::MergeElem {
    match message.elems.first().and_then(|e| e.body.as_ref()) {
        Some(Body::Merge(merge)) => merge,
        other => panic!("not a merged message: {other:?}"),
    }
}

async fn download(client: &TestClient, key: &str) -> Result<Vec<v1::Message>, i32> {
    match client
        .request(Request::DownloadMerged(v1::DownloadMergedRequest {
            relay_pb_key: key.into(),
        }))
        .await
    {
        Response::DownloadMerged(response) => Ok(response.messages),
        Response::Error(error) => Err(error.code),
        other => panic!("unexpected answer {other:?}"),
    }
}

fn the_key(response: &Response) -> String {
    match response {
        Response::SendMessage(ack) => {
            assert_eq!(ack.merge_relay_pb_keys.len(), 1, "{ack:?}");
            ack.merge_relay_pb_keys[0].clone()
        }
        other => panic!("send failed: {other:?}"),
    }
}

const NOT_FOUND: i32 = codes::ERR_SDK_COMM_DATABASE_NOTFOUND;

#[tokio::test]
async fn a_merged_message_carries_its_key_and_the_parties_download_it_in_order() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a1").await;
    let mut alice2 = server.client("alice", "a2").await;
    let mut bob = server.client("bob", "b1").await;
    let carol = server.client("carol", "c1").await;
    let custom = v1::Elem {
        body: Some(Body::Custom(v1::CustomElem {
            data: "{\"k\":1}".into(),
            desc: "card".into(),
            ..Default::default()
        })),
    };
    let inner = vec![
        sent("alice", "i1", vec![text_elem("hi")]),
        sent("bob", "i2", vec![text_elem("你好，世界")]),
        sent("alice", "i3", vec![custom.clone()]),
    ];
    let response = alice
        .request(merge_request(C2C, "bob", "fw1", merge_elem(inner, "")))
        .await;
    let key = the_key(&response);
    assert_eq!(key.len(), 32);
    assert!(key.bytes().all(|b| b.is_ascii_hexdigit()));

    let push = bob.next_message().await.message.unwrap();
    let merge = merge_of(&push);
    assert_eq!(merge.title, "Chat history");
    assert_eq!(merge.abstract_array, vec!["alice: hi", "bob: 你好"]);
    assert_eq!(merge.compatible_text, "[Chat history]");
    assert_eq!(merge.relay_pb_key, key);
    assert!(merge.message_array.is_empty());
    let own = alice2.next_message().await.message.unwrap();
    assert_eq!(merge_of(&own).relay_pb_key, key);
    assert!(merge_of(&own).message_array.is_empty());
    let Response::PullHistory(history) = alice.pull(C2C, "bob", 0, 0, 10, true).await else {
        panic!("history failed");
    };
    assert_eq!(merge_of(&history.messages[0]).relay_pb_key, key);
    assert!(merge_of(&history.messages[0]).message_array.is_empty());

    for client in [&alice, &bob] {
        let messages = download(client, &key).await.unwrap();
        let ids: Vec<_> = messages.iter().map(|m| m.msg_id.clone().unwrap()).collect();
        assert_eq!(ids, vec!["i1", "i2", "i3"]);
        assert_eq!(text_of(&messages[1]), "你好，世界");
        assert_eq!(messages[2].elems, vec![custom.clone()]);
        assert_eq!(messages[1].sender, "bob");
    }
    assert_eq!(download(&carol, &key).await, Err(NOT_FOUND));
    assert_eq!(download(&bob, &"0".repeat(32)).await, Err(NOT_FOUND));
    assert_eq!(download(&bob, "not a key").await, Err(NOT_FOUND));

    // Bob forwards the received merged message as it is to carol: she downloads it too.
    let forward = merge_request(C2C, "carol", "fw2", push.elems[0].clone());
    assert_eq!(the_key(&bob.request(forward).await), key);
    assert_eq!(download(&carol, &key).await.unwrap().len(), 3);
    server.stop().await;
}

#[tokio::test]
async fn merge_limits_are_checked_and_a_refused_merge_stores_nothing() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a1").await;
    let one = || sent("alice", "i", vec![text_elem("x")]);
    let cases = [
        (vec![one(); 301], codes::ERR_INVALID_PARAMETERS),
        (
            vec![
                one(),
                v1::Message {
                    status: Some(3),
                    ..one()
                },
            ],
            codes::ERR_INVALID_PARAMETERS,
        ),
        (
            vec![sent(
                "alice",
                "tips",
                vec![v1::Elem {
                    body: Some(Body::GroupTips(Default::default())),
                }],
            )],
            codes::ERR_INVALID_MSG_ELEM,
        ),
        (Vec::new(), codes::ERR_INVALID_PARAMETERS),
    ];
    for (index, (messages, code)) in cases.into_iter().enumerate() {
        let request = merge_request(C2C, "bob", &format!("bad{index}"), merge_elem(messages, ""));
        assert_eq!(
            error_code(&alice.request(request).await),
            code,
            "case {index}"
        );
    }
    // 300 is fine.
    let request = merge_request(C2C, "bob", "ok300", merge_elem(vec![one(); 300], ""));
    let key = the_key(&alice.request(request).await);
    assert_eq!(download(&alice, &key).await.unwrap().len(), 300);
    // A key nobody stored, and online-only merges.
    let unknown = merge_request(C2C, "bob", "bad-key", merge_elem(vec![], &"a".repeat(32)));
    assert_eq!(error_code(&alice.request(unknown).await), NOT_FOUND);
    let Request::SendMessage(mut online) =
        merge_request(C2C, "bob", "online", merge_elem(vec![one()], ""))
    else {
        unreachable!()
    };
    online.message.as_mut().unwrap().is_online_msg = true;
    assert_eq!(
        error_code(&alice.request(Request::SendMessage(online)).await),
        codes::ERR_INVALID_PARAMETERS
    );
    let Response::PullHistory(history) = alice.pull(C2C, "bob", 0, 0, 100, true).await else {
        panic!("history failed");
    };
    let stored: Vec<_> = history
        .messages
        .iter()
        .map(|m| m.msg_id.clone().unwrap())
        .collect();
    assert_eq!(stored, vec!["ok300"]);
    server.stop().await;
}

#[tokio::test]
async fn forwarding_a_merge_of_a_merge_101_layers_deep_is_refused_with_8005() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a1").await;
    let bob = server.client("bob", "b1").await;
    // Layer 1 bundles a text; layer n bundles the carrying message of layer n - 1 (which
    // holds only its key), as a client forwarding a received merged message does.
    let mut previous = sent("alice", "t", vec![text_elem("bottom")]);
    let mut keys = Vec::new();
    for layer in 1..=100 {
        let request = merge_request(
            C2C,
            "bob",
            &format!("layer{layer}"),
            merge_elem(vec![previous.clone()], ""),
        );
        let key = the_key(&alice.request(request).await);
        previous = sent(
            "alice",
            &format!("layer{layer}"),
            vec![merge_elem(vec![], &key)],
        );
        keys.push(key);
    }
    let over = merge_request(
        C2C,
        "bob",
        "layer101",
        merge_elem(vec![previous.clone()], ""),
    );
    assert_eq!(
        error_code(&alice.request(over).await),
        codes::ERR_MERGER_MSG_LAYERS_OVER_LIMIT
    );
    let Response::PullHistory(history) = bob.pull(C2C, "alice", 0, 0, 1, true).await else {
        panic!("history failed");
    };
    assert_eq!(history.messages[0].msg_id.as_deref(), Some("layer100"));
    // Every level downloads, down to the bottom.
    let top = download(&bob, &keys[99]).await.unwrap();
    assert_eq!(merge_of(&top[0]).relay_pb_key, keys[98]);
    assert_eq!(
        text_of(&download(&bob, &keys[0]).await.unwrap()[0]),
        "bottom"
    );
    server.stop().await;
}

async fn create_group(client: &TestClient, id: &str, members: &[&str]) {
    let response = client
        .request(Request::CreateGroup(v1::CreateGroupRequest {
            group_id: Some(id.into()),
            name: "team".into(),
            add_option: 2,
            member_ids: members.iter().map(|m| m.to_string()).collect(),
            ..Default::default()
        }))
        .await;
    assert!(matches!(response, Response::CreateGroup(_)), "{response:?}");
}

#[tokio::test]
async fn current_group_members_download_and_outsiders_get_the_unknown_key_code() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a1").await;
    let bob = server.client("bob", "b1").await;
    let carol = server.client("carol", "c1").await;
    create_group(&alice, "team", &["bob"]).await;
    let inner = vec![sent("alice", "g-i1", vec![text_elem("plan")])];
    let request = merge_request(GROUP, "team", "gfw1", merge_elem(inner, ""));
    let key = the_key(&alice.request(request).await);
    assert_eq!(download(&bob, &key).await.unwrap().len(), 1);
    assert_eq!(download(&carol, &key).await, Err(NOT_FOUND));
    // Carol cannot launder the key by forwarding it to herself.
    let launder = merge_request(C2C, "carol", "launder", merge_elem(vec![], &key));
    assert_eq!(error_code(&carol.request(launder).await), NOT_FOUND);
    let removed = alice
        .request(Request::RemoveGroupMembers(v1::RemoveGroupMembersRequest {
            group_id: "team".into(),
            user_ids: vec!["bob".into()],
            reason: String::new(),
        }))
        .await;
    assert!(
        matches!(removed, Response::RemoveGroupMembers(_)),
        "{removed:?}"
    );
    assert_eq!(download(&bob, &key).await, Err(NOT_FOUND));
    assert_eq!(download(&alice, &key).await.unwrap().len(), 1);
    server.stop().await;
}

#[tokio::test]
async fn a_batch_send_stores_one_bundle_every_recipient_downloads() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a1").await;
    let bob = server.client("bob", "b1").await;
    let carol = server.client("carol", "c1").await;
    let mut msg = text_message("batch-fw", "");
    msg.elems = vec![merge_elem(
        vec![sent("alice", "b-i1", vec![text_elem("to all")])],
        "",
    )];
    let response = alice
        .request(Request::BatchSend(v1::BatchSendRequest {
            identifier_array: vec!["bob".into(), "carol".into()],
            msg: Some(msg),
        }))
        .await;
    let Response::BatchSend(batch) = response else {
        panic!("batch failed: {response:?}");
    };
    let keys: Vec<String> = batch
        .results
        .iter()
        .map(|r| merge_of(r.msg.as_ref().unwrap()).relay_pb_key.clone())
        .collect();
    assert_eq!(keys[0], keys[1]);
    for client in [&bob, &carol] {
        assert_eq!(download(client, &keys[0]).await.unwrap().len(), 1);
    }
    server.stop().await;
}

#[tokio::test]
async fn a_bundle_survives_a_server_restart_and_a_retry_answers_its_key() {
    let mut server = TestServer::start().await;
    let alice = server.client("alice", "a1").await;
    let request = || {
        merge_request(
            C2C,
            "bob",
            "durable",
            merge_elem(vec![sent("alice", "d-i1", vec![text_elem("kept")])], ""),
        )
    };
    let key = the_key(&alice.request(request()).await);
    drop(alice);
    server.restart().await;
    let alice = server.client("alice", "a1").await;
    let bob = server.client("bob", "b1").await;
    assert_eq!(text_of(&download(&bob, &key).await.unwrap()[0]), "kept");
    // The retry of the same send is a duplicate and answers the key the first store gave.
    let retry = alice.request(request()).await;
    let Response::SendMessage(ack) = &retry else {
        panic!("retry failed: {retry:?}");
    };
    assert!(ack.duplicate);
    assert_eq!(the_key(&retry), key);
    server.stop().await;
}
