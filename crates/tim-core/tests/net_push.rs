//! Translation and offline push through tim-core on a real server: `Client::translate_text`
//! against a LibreTranslate-API endpoint run by the test, and `set_offline_push_token` /
//! `set_app_state` deciding what reaches a Gorush-API endpoint run by the test. "No push" is
//! asserted by a later message whose push arrives first (the server pushes in order).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is a failed test

#[path = "../../tim-server/tests/http_endpoint/mod.rs"]
mod http_endpoint;
mod net_support;

use http_endpoint::Endpoint;
use net_support::*;
use tim_model::enums::OfflinePushTokenType;
use tim_model::{OfflinePushToken, codes};
use tim_server::{PushGateway, TranslateBackend};

#[tokio::test]
async fn translate_text_goes_through_the_servers_backend() {
    let mut endpoint = Endpoint::start(|request| {
        let texts: Vec<String> = request.body["q"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| format!("{}!", q.as_str().unwrap()))
            .collect();
        Some((
            200,
            serde_json::json!({ "translatedText": texts }).to_string(),
        ))
    })
    .await;
    let url = endpoint.url.clone();
    let mut server = TestServer::start_with(move |config| {
        config.translate = Some(TranslateBackend::new(url));
    })
    .await;
    let alice = device(&server, "alice").await;
    let results = alice
        .client
        .translate_text(&["one".into(), "二".into()], "", "en")
        .await
        .unwrap();
    let pairs: Vec<(&str, &str)> = results
        .iter()
        .map(|r| (r.source_text.as_str(), r.target_text.as_str()))
        .collect();
    assert_eq!(pairs, vec![("one", "one!"), ("二", "二!")]);
    let recorded = endpoint.next(WAIT).await;
    assert_eq!(recorded.body["source"], "auto");
    assert_eq!(recorded.body["target"], "en");

    let error = alice
        .client
        .translate_text(&["x".into()], "auto", "")
        .await
        .unwrap_err();
    assert_eq!(error.code(), codes::ERR_INVALID_PARAMETERS);
    server.stop().await;
}

#[tokio::test]
async fn translate_text_without_a_backend_fails_with_7013() {
    let mut server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let error = alice
        .client
        .translate_text(&["x".into()], "", "en")
        .await
        .unwrap_err();
    assert_eq!(error.code(), codes::ERR_SDK_INTERFACE_NOT_SUPPORT);
    assert!(error.to_string().contains("not configured"), "{error}");
    server.stop().await;
}

fn token(text: &str) -> OfflinePushToken {
    OfflinePushToken {
        token: text.into(),
        business_id: 1,
        token_type: OfflinePushTokenType::Default,
        is_tpns_token: false,
    }
}

#[tokio::test]
async fn push_token_and_app_state_decide_the_pushes() {
    let mut gateway =
        Endpoint::start(|_| Some((200, r#"{"counts":1,"success":"ok"}"#.into()))).await;
    let url = gateway.url.clone();
    let mut server = TestServer::start_with(move |config| {
        config.push_gateway = Some(PushGateway::new(url));
    })
    .await;
    let alice = device(&server, "alice").await;
    let bob = device(&server, "bob").await;
    let carol = device(&server, "carol").await;
    carol
        .client
        .set_offline_push_token(Some(&token("ca01")))
        .await
        .unwrap();
    carol.client.set_app_state(true, 0).await.unwrap();
    let to_bob = c2c("bob");
    let msg_id = |push: &http_endpoint::Recorded| {
        push.body["notifications"][0]["data"]["msg_id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let id_of = |message: &tim_model::Message| message.msg_id.clone().unwrap().as_str().to_owned();

    bob.client
        .set_offline_push_token(Some(&token("b0b0")))
        .await
        .unwrap();
    bob.client.set_app_state(true, 3).await.unwrap();
    let m1 = alice.send(&to_bob, "first").await;
    let push = gateway.next(WAIT).await;
    assert_eq!(msg_id(&push), id_of(&m1));
    let notification = &push.body["notifications"][0];
    assert_eq!(notification["tokens"], serde_json::json!(["b0b0"]));
    assert_eq!(notification["message"], "first");
    assert_eq!(notification["title"], "alice");
    assert_eq!(notification["badge"], 4);

    // Foreground: nothing. Token removed: nothing. Token back, background: pushed, the badge
    // counting from the new unread count.
    bob.client.set_app_state(false, 0).await.unwrap();
    alice.send(&to_bob, "seen").await;
    bob.client.set_offline_push_token(None).await.unwrap();
    bob.client.set_app_state(true, 0).await.unwrap();
    alice.send(&to_bob, "no token").await;
    // The server pushes in order: once carol's push is in, the messages before it are
    // decided (so the token set below cannot catch them).
    let to_carol = alice.send(&c2c("carol"), "checkpoint").await;
    let push = gateway.next(WAIT).await;
    assert_eq!(
        msg_id(&push),
        id_of(&to_carol),
        "a suppressed message was pushed"
    );
    bob.client
        .set_offline_push_token(Some(&token("b0b1")))
        .await
        .unwrap();
    let m4 = alice.send(&to_bob, "token again").await;
    let push = gateway.next(WAIT).await;
    assert_eq!(msg_id(&push), id_of(&m4), "a suppressed message was pushed");
    assert_eq!(
        push.body["notifications"][0]["tokens"],
        serde_json::json!(["b0b1"])
    );
    assert_eq!(push.body["notifications"][0]["badge"], 1);

    // Logout forgets the token.
    bob.client.logout().await.unwrap();
    alice.send(&to_bob, "after logout").await;
    let m6 = alice.send(&c2c("carol"), "to carol").await;
    let push = gateway.next(WAIT).await;
    assert_eq!(
        msg_id(&push),
        id_of(&m6),
        "a logged-out device was pushed to"
    );
    assert!(gateway.try_next().is_none());
    server.stop().await;
}
