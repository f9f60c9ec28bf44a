//! Merged (forwarded) messages on a real server: a forward of three messages as one merged
//! message (the receiver sees title, abstracts, compatible text and the relay key, then
//! downloads the three in order), nesting (a merge inside a merge, inline and by forwarding a
//! received one), a non-party refused, and the limits checked before anything is queued.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers: a failure is a failed test

mod net_support;

use net_support::*;
use tim_core::Event;
use tim_model::enums::MsgStatus;
use tim_model::{ConvId, CustomElem, Elem, MergeElem, Message, codes};

fn merge_of(message: &Message) -> &MergeElem {
    match message.elems.first() {
        Some(Elem::Merge(merge)) => merge,
        other => panic!("not a merged message: {other:?}"),
    }
}

fn merged(title: &str, messages: Vec<Message>) -> Message {
    Message {
        elems: vec![Elem::Merge(MergeElem {
            title: title.into(),
            abstract_array: vec!["alice: 你好".into(), "carol: lunch?".into()],
            compatible_text: format!("[{title}]"),
            message_array: messages,
            ..Default::default()
        })],
        ..Default::default()
    }
}

async fn send(device: &Device, conv: &ConvId, message: Message) -> Message {
    let (_, handle) = device.client.send_message(conv, message).unwrap();
    tokio::time::timeout(WAIT, handle)
        .await
        .expect("no ack in time")
        .unwrap()
}

/// Waits for the next received message whose first element is a merge.
async fn receive_merged(device: &mut Device) -> Message {
    device
        .wait_for(|event| match event {
            Event::NewMessages(messages) => messages
                .iter()
                .find(|m| matches!(m.elems.first(), Some(Elem::Merge(_))))
                .cloned(),
            _ => None,
        })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forward_of_three_messages_downloads_in_order_and_only_for_the_parties() {
    let server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let mut bob = device(&server, "bob").await;
    let carol = device(&server, "carol").await;
    let dave = device(&server, "dave").await;

    let hello = alice.send(&c2c("bob"), "你好，鲍勃").await;
    let mut card = text("");
    card.elems = vec![Elem::Custom(CustomElem {
        data: "{\"order\":42}".into(),
        desc: "order card".into(),
        ..Default::default()
    })];
    let card = send(&alice, &c2c("bob"), card).await;
    let from_carol = carol.send(&c2c("alice"), "lunch?").await;
    assert_eq!(hello.status, Some(MsgStatus::SendSucc));

    let forward = merged("Chat history", vec![hello, card.clone(), from_carol]);
    let sent = send(&alice, &c2c("bob"), forward).await;
    let key = merge_of(&sent).relay_pb_key.clone();
    assert_eq!(key.len(), 32, "{sent:?}");
    assert!(merge_of(&sent).message_array.is_empty());
    // The sender's stored copy is what the server stored: the key, no inner messages.
    let stored = alice.stored(sent.msg_id.as_ref().unwrap()).unwrap();
    assert_eq!(merge_of(&stored).relay_pb_key, key);
    assert!(merge_of(&stored).message_array.is_empty());

    let received = receive_merged(&mut bob).await;
    let merge = merge_of(&received);
    assert_eq!(merge.title, "Chat history");
    assert_eq!(merge.abstract_array, vec!["alice: 你好", "carol: lunch?"]);
    assert_eq!(merge.compatible_text, "[Chat history]");
    assert_eq!(merge.relay_pb_key, key);
    assert!(merge.message_array.is_empty());

    let inner = bob.client.download_merged_message(&received).await.unwrap();
    assert_eq!(contents(&inner), vec!["你好，鲍勃", "", "lunch?"]);
    assert_eq!(inner[1].elems, card.elems);
    let senders: Vec<&str> = inner.iter().map(|m| m.sender.as_str()).collect();
    assert_eq!(senders, vec!["alice", "alice", "carol"]);
    // Downloads are not stored as conversation messages.
    assert_eq!(bob.local(&c2c("alice")).len(), 3);
    assert_eq!(alice.client.download_merged(&key).await.unwrap().len(), 3);

    let refused = dave.client.download_merged(&key).await.unwrap_err();
    assert_eq!(refused.code(), codes::ERR_SDK_COMM_DATABASE_NOTFOUND);
    let unknown = bob
        .client
        .download_merged(&"0".repeat(32))
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), codes::ERR_SDK_COMM_DATABASE_NOTFOUND);
    let not_merged = bob
        .client
        .download_merged_message(&inner[0])
        .await
        .unwrap_err();
    assert_eq!(not_merged.code(), codes::ERR_INVALID_PARAMETERS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nested_merges_download_level_by_level() {
    let server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let mut bob = device(&server, "bob").await;
    let mut carol = device(&server, "carol").await;

    let first = alice.send(&c2c("bob"), "first").await;
    let second = alice.send(&c2c("bob"), "second").await;
    // Inline: a merge inside a merge, sent at once.
    let inside = Message {
        status: Some(MsgStatus::SendSucc),
        ..merged("Inner", vec![first.clone(), second])
    };
    let outer = send(
        &alice,
        &c2c("bob"),
        merged("Outer", vec![inside, first.clone()]),
    )
    .await;
    let received = receive_merged(&mut bob).await;
    assert_eq!(
        merge_of(&received).relay_pb_key,
        merge_of(&outer).relay_pb_key
    );
    let level1 = bob.client.download_merged_message(&received).await.unwrap();
    assert_eq!(level1.len(), 2);
    assert_eq!(merge_of(&level1[0]).title, "Inner");
    assert!(merge_of(&level1[0]).message_array.is_empty());
    let level2 = bob
        .client
        .download_merged_message(&level1[0])
        .await
        .unwrap();
    assert_eq!(contents(&level2), vec!["first", "second"]);

    // Bob forwards the merged message he received, inside a new one, to carol.
    let again = send(&bob, &c2c("carol"), merged("Fwd", vec![received])).await;
    let at_carol = receive_merged(&mut carol).await;
    assert_eq!(
        merge_of(&at_carol).relay_pb_key,
        merge_of(&again).relay_pb_key
    );
    let c1 = carol
        .client
        .download_merged_message(&at_carol)
        .await
        .unwrap();
    let c2 = carol.client.download_merged_message(&c1[0]).await.unwrap();
    let c3 = carol.client.download_merged_message(&c2[0]).await.unwrap();
    assert_eq!(merge_of(&c2[0]).title, "Inner");
    assert_eq!(contents(&c3), vec!["first", "second"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merge_limits_are_checked_before_anything_is_queued() {
    let server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let one = alice.send(&c2c("bob"), "x").await;

    let too_many = merged("Many", vec![one.clone(); 301]);
    let err = alice
        .client
        .send_message(&c2c("bob"), too_many)
        .unwrap_err();
    assert_eq!(err.code(), codes::ERR_INVALID_PARAMETERS);

    let mut unsent = one.clone();
    unsent.status = Some(MsgStatus::SendFail);
    let err = alice
        .client
        .send_message(&c2c("bob"), merged("Unsent", vec![unsent]))
        .unwrap_err();
    assert_eq!(err.code(), codes::ERR_INVALID_PARAMETERS);

    // 300 texts of 4 KB make a request over 1 MiB: refused with 9522 before sending.
    let mut big = one.clone();
    big.elems = text(&"y".repeat(4 * 1024)).elems;
    let err = alice
        .client
        .send_message(&c2c("bob"), merged("Big", vec![big; 300]))
        .unwrap_err();
    assert_eq!(err.code(), codes::ERR_SDK_NET_PKG_SIZE_LIMIT);
    assert_eq!(alice.local(&c2c("bob")).len(), 1);
}
