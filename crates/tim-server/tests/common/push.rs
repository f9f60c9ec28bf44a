//! Offline push from a client's side: logging in with a platform, registering a token,
//! reporting the app state, sending with a push configuration.

use super::*;

pub const IOS: i32 = 3;
pub const ANDROID: i32 = 2;

pub async fn login(server: &TestServer, user: &str, device: &str, platform: i32) -> TestClient {
    let client = TestClient::connect(server).await;
    let response = client
        .request(Request::Login(v1::LoginRequest {
            user_id: user.into(),
            user_sig: server.sig(user),
            sdk_app_id: APP,
            device_id: device.into(),
            platform,
            sdk_version: "test".into(),
        }))
        .await;
    assert!(matches!(response, Response::Login(_)), "{response:?}");
    client
}

pub async fn set_token(client: &TestClient, token: Option<&str>) {
    let token = token.map(|t| v1::OfflinePushToken {
        token: t.into(),
        business_id: 1,
        token_type: 0,
        is_tpns_token: false,
    });
    let response = client
        .request(Request::SetOfflinePushToken(
            v1::SetOfflinePushTokenRequest { token },
        ))
        .await;
    assert!(
        matches!(response, Response::SetOfflinePushToken(_)),
        "{response:?}"
    );
}

pub async fn app_state(client: &TestClient, background: bool, unread_count: u32) {
    let response = client
        .request(Request::SetAppState(v1::SetAppStateRequest {
            background,
            unread_count,
        }))
        .await;
    assert!(matches!(response, Response::SetAppState(_)), "{response:?}");
}

/// A registered device in the background.
pub async fn background_device(server: &TestServer, user: &str, token: &str) -> TestClient {
    let client = login(server, user, &format!("{user}-phone"), IOS).await;
    set_token(&client, Some(token)).await;
    app_state(&client, true, 0).await;
    client
}

pub async fn send_with(
    client: &TestClient,
    conv_type: i32,
    to: &str,
    msg_id: &str,
    text: &str,
    config: Option<v1::OfflinePushConfig>,
) {
    let mut message = text_message(msg_id, text);
    message.offline_push_config = config;
    let response = client
        .request(Request::SendMessage(v1::SendMessageRequest {
            conversation: Some(conv(conv_type, to)),
            message: Some(message),
        }))
        .await;
    assert!(matches!(response, Response::SendMessage(_)), "{response:?}");
}
