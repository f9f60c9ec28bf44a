//! The push-token, app-state, translation, merged-message and element-download calls against
//! a real server without a translation backend or push gateway: each wire call reaches the
//! server and its answer (code and description) comes back to the caller unchanged, the
//! client's own checks refuse before anything is sent, and the session stays usable. (The
//! features themselves are tested in `net_push.rs` and `net_merge.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is a failed test

mod net_support;

use net_support::*;
use tim_core::{Client, CoreError};
use tim_model::{DownloadElemParam, Elem, MergeElem, Message, OfflinePushToken, TextElem, codes};

/// Asserts `result` is the server's refusal with `code` and a description containing `words`.
fn server_refused<T: std::fmt::Debug>(result: Result<T, CoreError>, code: i32, words: &str) {
    match result {
        Err(CoreError::Server { code: got, desc }) => {
            assert_eq!(got, code, "{desc}");
            assert!(desc.contains(words), "{desc:?} lacks {words:?}");
        }
        other => panic!("expected the server's refusal {code}, got {other:?}"),
    }
}

/// Asserts `result` is the client's own refusal with `code` (so nothing reached the server).
fn client_refused<T: std::fmt::Debug>(result: Result<T, CoreError>, code: i32) {
    match result {
        Err(err @ CoreError::Refused { .. }) => assert_eq!(err.code(), code, "{err}"),
        other => panic!("expected the client's refusal {code}, got {other:?}"),
    }
}

fn token(hex: &str) -> OfflinePushToken {
    OfflinePushToken {
        token: hex.to_owned(),
        business_id: 1_234_578,
        ..Default::default()
    }
}

fn merged(relay_pb_key: &str, layer_over_limit: bool) -> Message {
    Message {
        elems: vec![Elem::Merge(MergeElem {
            title: "chat history".into(),
            compatible_text: "chat history".into(),
            relay_pb_key: relay_pb_key.into(),
            layer_over_limit,
            ..Default::default()
        })],
        conv_id: "bob".into(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_request_reaches_the_server_and_its_answer_comes_back() {
    let server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let client = &alice.client;

    client
        .set_offline_push_token(Some(&token("00ffab19")))
        .await
        .unwrap();
    client.set_offline_push_token(None).await.unwrap();
    client.set_app_state(true, 100).await.unwrap();
    client.set_app_state(false, 0).await.unwrap();
    let texts = vec!["send text".to_owned(), "translate text test".to_owned()];
    server_refused(
        client.translate_text(&texts, "", "de").await,
        codes::ERR_SDK_INTERFACE_NOT_SUPPORT,
        "translation is not configured",
    );
    server_refused(
        client
            .download_merged_message(&merged("relay-key-1", false))
            .await,
        codes::ERR_SDK_COMM_DATABASE_NOTFOUND,
        "was not found",
    );

    // A refused request leaves the session as it was.
    let sent = alice.send(&c2c("bob"), "still connected").await;
    assert!(sent.seq.0 > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clients_own_checks_refuse_before_sending() {
    let server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let client = &alice.client;
    let invalid = codes::ERR_INVALID_PARAMETERS;

    client_refused(
        client.set_offline_push_token(Some(&token("not hex"))).await,
        invalid,
    );
    client_refused(
        client.set_offline_push_token(Some(&token(""))).await,
        invalid,
    );
    let texts = vec!["hello".to_owned()];
    client_refused(client.translate_text(&[], "", "de").await, invalid);
    client_refused(client.translate_text(&texts, "", "").await, invalid);
    client_refused(client.translate_text(&texts, "a\"b", "de").await, invalid);
    let text = Message {
        elems: vec![Elem::Text(TextElem {
            content: "hi".into(),
        })],
        ..Default::default()
    };
    client_refused(client.download_merged_message(&text).await, invalid);
    client_refused(
        client.download_merged_message(&merged("", false)).await,
        invalid,
    );
    client_refused(
        client
            .download_merged_message(&merged("relay-key-1", true))
            .await,
        codes::ERR_MERGER_MSG_LAYERS_OVER_LIMIT,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_element_download_fails_cleanly() {
    let server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let target = alice.dir.join("download.bin");
    let param = DownloadElemParam {
        id: "0123456789abcdef0123456789abcdef".into(),
        business_id: 1,
        ..Default::default()
    };
    let err = alice
        .client
        .download_elem_to_path(&param, &target, |_, _| {})
        .await
        .unwrap_err();
    assert_eq!(err.code(), codes::ERR_SVR_RES_NOT_FOUND, "{err}");
    assert!(
        !target.exists(),
        "a failed download left {}",
        target.display()
    );
    client_refused(
        alice
            .client
            .download_elem_to_path(&DownloadElemParam::default(), &target, |_, _| {})
            .await,
        codes::ERR_INVALID_PARAMETERS,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn before_login_the_calls_fail_with_not_logged_in() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let client = Client::new(server.config(dir.path())).unwrap();
    let not_logged_in = codes::ERR_SDK_NOT_LOGGED_IN;
    assert_eq!(
        client
            .set_offline_push_token(None)
            .await
            .unwrap_err()
            .code(),
        not_logged_in
    );
    assert_eq!(
        client.set_app_state(true, 1).await.unwrap_err().code(),
        not_logged_in
    );
    let texts = vec!["hello".to_owned()];
    assert_eq!(
        client
            .translate_text(&texts, "auto", "en")
            .await
            .unwrap_err()
            .code(),
        not_logged_in
    );
    assert_eq!(
        client
            .download_merged_message(&merged("relay-key-1", false))
            .await
            .unwrap_err()
            .code(),
        not_logged_in
    );
}
