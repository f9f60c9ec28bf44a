//! Offline push on a real server: tokens, app states and the pushes sent to a Gorush-API
//! endpoint run by the test. "No push" is asserted deterministically: the push task handles
//! messages in order, so a later message whose push arrives first proves the earlier one
//! pushed nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;
mod http_endpoint;

use common::push::*;
use common::*;
use http_endpoint::{Endpoint, gorush_ok, msg_id, next_push};
use std::time::Duration;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;
use tim_server::PushGateway;

async fn setup() -> (TestServer, Endpoint) {
    let gateway = Endpoint::start(gorush_ok).await;
    let url = gateway.url.clone();
    let server =
        TestServer::start_with(move |config| config.push_gateway = Some(PushGateway::new(url)))
            .await;
    (server, gateway)
}

#[tokio::test]
async fn a_background_device_gets_one_push_with_title_desc_and_a_counting_badge() {
    let (server, mut gateway) = setup().await;
    let alice = login(&server, "alice", "a1", ANDROID).await;
    let bob = login(&server, "bob", "bob-phone", IOS).await;
    set_token(&bob, Some("b0b0")).await;
    app_state(&bob, true, 5).await;

    let config = v1::OfflinePushConfig {
        title: "New mail".into(),
        desc: "You have a message".into(),
        ext: r#"{"route":"chat"}"#.into(),
        ..Default::default()
    };
    send_with(&alice, C2C, "bob", "m1", "hello", Some(config)).await;
    let push = next_push(&mut gateway).await;
    assert_eq!(push["tokens"], serde_json::json!(["b0b0"]));
    assert_eq!(push["platform"], 1);
    assert_eq!(push["title"], "New mail");
    assert_eq!(push["message"], "You have a message");
    assert_eq!(push["badge"], 6);
    assert_eq!(push["data"]["ext"], r#"{"route":"chat"}"#);
    assert_eq!(push["data"]["conv_id"], "alice");
    assert_eq!(push["data"]["sender"], "alice");
    assert_eq!(msg_id(&push), "m1");

    // Defaults: the sender and the text; the badge counts on.
    send_with(&alice, C2C, "bob", "m2", "second", None).await;
    let push = next_push(&mut gateway).await;
    assert_eq!(msg_id(&push), "m2");
    assert_eq!(push["title"], "alice");
    assert_eq!(push["message"], "second");
    assert_eq!(push["badge"], 7);

    // In the foreground: nothing; back in the background the badge starts again.
    app_state(&bob, false, 0).await;
    send_with(&alice, C2C, "bob", "m3", "while looking", None).await;
    app_state(&bob, true, 0).await;
    send_with(&alice, C2C, "bob", "m4", "after", None).await;
    let push = next_push(&mut gateway).await;
    assert_eq!(msg_id(&push), "m4", "the foreground message was pushed");
    assert_eq!(push["badge"], 1);
    assert!(gateway.try_next().is_none());
    server.stop().await;
}

#[tokio::test]
async fn an_offline_device_gets_pushes_and_its_token_survives_a_restart() {
    let (mut server, mut gateway) = setup().await;
    {
        let bob = login(&server, "bob", "bob-phone", ANDROID).await;
        set_token(&bob, Some("fcm:token-1")).await;
    }
    // The restart drops every connection and keeps only what is stored.
    server.restart().await;
    let alice = login(&server, "alice", "a1", IOS).await;
    send_with(&alice, C2C, "bob", "m1", "are you there?", None).await;
    let push = next_push(&mut gateway).await;
    assert_eq!(push["tokens"], serde_json::json!(["fcm:token-1"]));
    assert_eq!(push["platform"], 2);
    assert_eq!(push["message"], "are you there?");
    assert_eq!(push["badge"], 1);
    assert_eq!(msg_id(&push), "m1");
    server.stop().await;
}

#[tokio::test]
async fn a_foreground_device_blocks_pushes_to_every_device_of_its_user() {
    let (server, mut gateway) = setup().await;
    let alice = login(&server, "alice", "a1", IOS).await;
    let _bob_phone = background_device(&server, "bob", "aa01").await;
    let bob_desktop = login(&server, "bob", "bob-desktop", 1).await;
    send_with(&alice, C2C, "bob", "m1", "seen on the desktop", None).await;
    // The desktop goes away: the phone in the background gets the next one.
    app_state(&bob_desktop, true, 0).await;
    send_with(&alice, C2C, "bob", "m2", "nobody looking", None).await;
    let push = next_push(&mut gateway).await;
    assert_eq!(
        msg_id(&push),
        "m2",
        "pushed although a device was in the foreground"
    );
    assert_eq!(push["tokens"], serde_json::json!(["aa01"]));
    server.stop().await;
}

#[tokio::test]
async fn receive_options_and_the_no_push_flag_suppress_pushes() {
    let (server, mut gateway) = setup().await;
    let alice = login(&server, "alice", "a1", IOS).await;
    let carol = login(&server, "carol", "c1", IOS).await;
    let dave = login(&server, "dave", "d1", IOS).await;
    let bob = background_device(&server, "bob", "b0b0").await;
    for (peer, opt) in [("alice", 1), ("dave", 2)] {
        let response = bob
            .request(Request::SetC2cRecvOpt(v1::SetC2cRecvOptRequest {
                user_ids: vec![peer.into()],
                opt,
            }))
            .await;
        assert!(
            matches!(response, Response::SetC2cRecvOpt(_)),
            "{response:?}"
        );
    }
    send_with(&alice, C2C, "bob", "m1", "not received", None).await;
    send_with(&dave, C2C, "bob", "m2", "not notified", None).await;
    let no_push = v1::OfflinePushConfig {
        flag: 1,
        ..Default::default()
    };
    send_with(&carol, C2C, "bob", "m3", "quiet", Some(no_push)).await;
    send_with(&carol, C2C, "bob", "m4", "loud", None).await;
    let push = next_push(&mut gateway).await;
    assert_eq!(msg_id(&push), "m4", "a suppressed message was pushed");
    assert_eq!(push["badge"], 1);
    assert!(gateway.try_next().is_none());
    server.stop().await;
}

#[tokio::test]
async fn a_removed_token_and_a_logout_stop_pushes() {
    let (server, mut gateway) = setup().await;
    let alice = login(&server, "alice", "a1", IOS).await;
    let bob = background_device(&server, "bob", "b0b0").await;
    let carol = background_device(&server, "carol", "ca01").await;
    let erin = background_device(&server, "erin", "e001").await;

    set_token(&bob, None).await;
    send_with(&alice, C2C, "bob", "m1", "to a removed token", None).await;
    let response = carol.request(Request::Logout(v1::LogoutRequest {})).await;
    assert!(matches!(response, Response::Logout(_)), "{response:?}");
    send_with(&alice, C2C, "carol", "m2", "to a logged-out device", None).await;
    send_with(&alice, C2C, "erin", "m3", "to erin", None).await;
    let push = next_push(&mut gateway).await;
    assert_eq!(msg_id(&push), "m3", "a removed token was pushed to");
    assert_eq!(push["tokens"], serde_json::json!(["e001"]));
    assert!(gateway.try_next().is_none());
    drop(erin);
    server.stop().await;
}

#[tokio::test]
async fn group_messages_push_to_background_members_but_never_to_the_sender() {
    let (server, mut gateway) = setup().await;
    let alice = background_device(&server, "alice", "a11c").await;
    let bob = background_device(&server, "bob", "b0b0").await;
    let carol = login(&server, "carol", "c1", IOS).await;
    set_token(&carol, Some("ca01")).await;
    let response = alice
        .request(Request::CreateGroup(v1::CreateGroupRequest {
            group_id: Some("g-push".into()),
            group_type: 0,
            name: "push".into(),
            member_ids: vec!["bob".into(), "carol".into()],
            ..Default::default()
        }))
        .await;
    assert!(matches!(response, Response::CreateGroup(_)), "{response:?}");
    send_with(&alice, GROUP, "g-push", "g1", "hi all", None).await;
    let push = next_push(&mut gateway).await;
    assert_eq!(msg_id(&push), "g1");
    assert_eq!(push["tokens"], serde_json::json!(["b0b0"]));
    assert_eq!(push["title"], "g-push");
    assert_eq!(push["message"], "alice: hi all");
    assert_eq!(push["data"]["conv_id"], "g-push");
    // Nothing for alice (the sender) or carol (foreground): the next push is the next message.
    send_with(&carol, C2C, "bob", "m2", "after the group", None).await;
    assert_eq!(msg_id(&next_push(&mut gateway).await), "m2");
    assert!(gateway.try_next().is_none());
    drop(bob);
    server.stop().await;
}

#[tokio::test]
async fn bad_tokens_are_refused() {
    let (server, _gateway) = setup().await;
    let bob = login(&server, "bob", "bob-phone", IOS).await;
    for token in ["", "has space", &"a".repeat(1025)] {
        let response = bob
            .request(Request::SetOfflinePushToken(
                v1::SetOfflinePushTokenRequest {
                    token: Some(v1::OfflinePushToken {
                        token: token.into(),
                        ..Default::default()
                    }),
                },
            ))
            .await;
        assert_eq!(error_code(&response), 6017, "{token:?}");
    }
    server.stop().await;
}

#[tokio::test]
async fn a_hanging_gateway_and_a_full_queue_do_not_block_sends() {
    let mut gateway = Endpoint::start(|_| None).await;
    let url = gateway.url.clone();
    let server = TestServer::start_with(move |config| {
        let mut push = PushGateway::new(url);
        push.timeout = Duration::from_secs(30);
        config.push_gateway = Some(push);
        config.push_queue = 1;
    })
    .await;
    let alice = login(&server, "alice", "a1", IOS).await;
    let _bob = background_device(&server, "bob", "b0b0").await;
    send_with(&alice, C2C, "bob", "first", "first", None).await;
    gateway.next(WAIT).await;
    // Bob's pushes hang at the gateway; beyond his share of the requests in flight they are
    // dropped: every send is still acknowledged (each within the client's timeout), and no
    // more than his share ever reaches the gateway.
    for index in 0..40 {
        send_with(&alice, C2C, "bob", &format!("m{index}"), "more", None).await;
    }
    let share = PushGateway::new("").max_in_flight_per_user();
    let mut reached = 1;
    while gateway.try_next().is_some() {
        reached += 1;
    }
    assert!(reached <= share, "{reached} pushes reached the gateway");
    server.stop().await;
}

#[tokio::test]
async fn a_user_whose_tokens_hang_never_delays_another_users_push() {
    const DEVICES: usize = 1024;
    // The gateway never answers for X's tokens and answers everybody else at once.
    let mut gateway = Endpoint::start(|request| {
        let token = request.body["notifications"][0]["tokens"][0].as_str();
        if token.is_some_and(|token| token.starts_with("x-")) {
            None
        } else {
            gorush_ok(request)
        }
    })
    .await;
    let url = gateway.url.clone();
    let push = PushGateway::new(url);
    let (cap, y_timeout) = (push.max_tokens_per_user, Duration::from_secs(5));
    let server = TestServer::start_with(move |config| {
        let mut push = push;
        push.timeout = y_timeout;
        config.push_gateway = Some(push);
        // 1,024 token registrations in a few seconds: this test is about pushes, not rates.
        config.rate = tim_server::RateLimits::off();
    })
    .await;

    // X logs in from 1,024 devices, each registering its token, then going offline.
    let started = std::time::Instant::now();
    for index in 0..DEVICES {
        let device = login(&server, "x", &format!("x-device-{index}"), ANDROID).await;
        set_token(&device, Some(&format!("x-{index}"))).await;
    }
    eprintln!("{DEVICES} devices registered in {:?}", started.elapsed());
    {
        let y = login(&server, "y", "y-phone", ANDROID).await;
        set_token(&y, Some("y-token")).await;
    }
    let alice = login(&server, "alice", "a1", IOS).await;

    send_with(&alice, C2C, "x", "m-x", "to x", None).await;
    let sent = std::time::Instant::now();
    send_with(&alice, C2C, "y", "m-y", "to y", None).await;
    // Y's push arrives within Y's own timeout, whatever X's tokens do.
    let mut x_tokens = std::collections::BTreeSet::new();
    let (y_latency, x_before_y) = loop {
        let left = y_timeout.saturating_sub(sent.elapsed());
        let push = next_push_within(&mut gateway, left).await;
        let token = push["tokens"][0].as_str().unwrap().to_owned();
        if token == "y-token" {
            break (sent.elapsed(), x_tokens.len());
        }
        assert!(x_tokens.insert(token), "a token was pushed twice");
        assert!(x_tokens.len() <= cap, "more than {cap} tokens of x pushed");
    };
    // X keeps only the newest `cap` tokens, and each of them got the push.
    while x_tokens.len() < cap {
        let push = next_push_within(&mut gateway, WAIT).await;
        assert!(x_tokens.insert(push["tokens"][0].as_str().unwrap().to_owned()));
    }
    let newest: std::collections::BTreeSet<String> = (DEVICES - cap..DEVICES)
        .map(|index| format!("x-{index}"))
        .collect();
    assert_eq!(x_tokens, newest);
    eprintln!(
        "y's push reached the gateway {y_latency:?} after its send ({x_before_y} of x's {cap} hanging pushes before it)"
    );
    server.stop().await;
}

/// The one notification of the next push request, waiting at most `wait`.
async fn next_push_within(gateway: &mut Endpoint, wait: Duration) -> serde_json::Value {
    let recorded = gateway.next(wait).await;
    recorded.body["notifications"][0].clone()
}
