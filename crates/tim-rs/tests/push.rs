//! Translation and offline push settings through the facade (the server side is tested in
//! tim-server's tests/translate.rs and tests/push.rs, with endpoints).

use tim_rs::OfflinePushToken;
use tim_rs::model::codes;

mod support;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_settings_are_accepted_and_translation_needs_a_backend() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let server = server(dir.path()).await;
    let (alice, _events) = logged_in(&server, dir.path(), "alice").await;
    let token = OfflinePushToken {
        token: "0a1b2c".into(),
        ..Default::default()
    };
    alice
        .set_offline_push_token(Some(&token))
        .await
        .unwrap_or_else(|err| panic!("token: {err}"));
    alice
        .do_background(3)
        .await
        .unwrap_or_else(|err| panic!("background: {err}"));
    alice
        .do_foreground()
        .await
        .unwrap_or_else(|err| panic!("foreground: {err}"));
    alice
        .set_offline_push_token(None)
        .await
        .unwrap_or_else(|err| panic!("no token: {err}"));
    let bad = OfflinePushToken {
        token: "not a token".into(),
        ..Default::default()
    };
    let err = alice.set_offline_push_token(Some(&bad)).await.err();
    assert_eq!(err.map(|e| e.code()), Some(codes::ERR_INVALID_PARAMETERS));
    let err = alice
        .translate_text(&["hello".into()], "", "fr")
        .await
        .err();
    assert_eq!(
        err.map(|e| e.code()),
        Some(codes::ERR_SDK_INTERFACE_NOT_SUPPORT)
    );
    server.shutdown().await;
}
