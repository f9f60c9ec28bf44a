//! TIMMsgTranslateText on a real server, through a LibreTranslate-API endpoint run by the test.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;
mod http_endpoint;

use common::*;
use http_endpoint::{Endpoint, Recorded};
use std::time::Duration;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;
use tim_server::TranslateBackend;

fn translate(texts: &[&str], source: &str, target: &str) -> Request {
    Request::TranslateText(v1::TranslateTextRequest {
        source_texts: texts.iter().map(|t| (*t).to_owned()).collect(),
        source_language: source.into(),
        target_language: target.into(),
    })
}

/// A LibreTranslate stand-in: "[target] text" for each text, an array for an array `q`.
fn libre(request: &Recorded) -> Option<(u16, String)> {
    let target = request.body["target"].as_str().unwrap_or("?").to_owned();
    let translated = match &request.body["q"] {
        serde_json::Value::Array(items) => serde_json::Value::Array(
            items
                .iter()
                .map(|q| format!("[{target}] {}", q.as_str().unwrap_or("")).into())
                .collect(),
        ),
        q => format!("[{target}] {}", q.as_str().unwrap_or("")).into(),
    };
    Some((
        200,
        serde_json::json!({ "translatedText": translated }).to_string(),
    ))
}

async fn server_with(endpoint_url: &str, key: Option<&str>, timeout: Duration) -> TestServer {
    let mut backend = TranslateBackend::new(endpoint_url);
    backend.api_key = key.map(str::to_owned);
    backend.timeout = timeout;
    TestServer::start_with(move |config| config.translate = Some(backend)).await
}

fn error(response: &Response) -> (i32, String) {
    match response {
        Response::Error(error) => (error.code, error.desc.clone()),
        other => panic!("expected an error, got {other:?}"),
    }
}

#[tokio::test]
async fn texts_are_translated_in_order_with_detection_and_the_api_key() {
    let mut endpoint = Endpoint::start(libre).await;
    let server = server_with(&format!("{}/", endpoint.url), Some("k-123"), WAIT).await;
    let alice = server.client("alice", "d1").await;

    let response = alice
        .request(translate(&["Hello, world", "你好，世界"], "", "fr"))
        .await;
    let Response::TranslateText(response) = response else {
        panic!("translate failed: {response:?}");
    };
    let pairs: Vec<(String, String)> = response
        .results
        .into_iter()
        .map(|r| (r.source_text, r.target_text))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("Hello, world".to_owned(), "[fr] Hello, world".to_owned()),
            ("你好，世界".to_owned(), "[fr] 你好，世界".to_owned()),
        ]
    );
    let recorded = endpoint.next(WAIT).await;
    assert_eq!(recorded.method, "POST");
    assert_eq!(recorded.path, "/translate");
    assert_eq!(
        recorded.body,
        serde_json::json!({
            "q": ["Hello, world", "你好，世界"],
            "source": "auto",
            "target": "fr",
            "format": "text",
            "api_key": "k-123",
        })
    );

    // An explicit source goes through; "auto" in any case means detect.
    let Response::TranslateText(one) = alice.request(translate(&["Hallo"], "de", "en")).await
    else {
        panic!("translate with a source failed");
    };
    assert_eq!(one.results[0].target_text, "[en] Hallo");
    assert_eq!(endpoint.next(WAIT).await.body["source"], "de");
    alice.request(translate(&["x"], "AUTO", "en")).await;
    assert_eq!(endpoint.next(WAIT).await.body["source"], "auto");
    server.stop().await;
}

#[tokio::test]
async fn a_single_text_answer_is_accepted_and_no_key_is_sent_without_one() {
    let mut endpoint = Endpoint::start(|request| {
        Some((
            200,
            serde_json::json!({
                "translatedText": format!("<{}>", request.body["q"][0].as_str().unwrap_or("")),
                "detectedLanguage": {"confidence": 90.0, "language": "en"},
            })
            .to_string(),
        ))
    })
    .await;
    let server = server_with(&endpoint.url, None, WAIT).await;
    let alice = server.client("alice", "d1").await;
    let Response::TranslateText(response) = alice.request(translate(&["hi"], "auto", "zh")).await
    else {
        panic!("translate failed");
    };
    assert_eq!(response.results.len(), 1);
    assert_eq!(response.results[0].source_text, "hi");
    assert_eq!(response.results[0].target_text, "<hi>");
    let recorded = endpoint.next(WAIT).await;
    assert!(
        recorded.body.get("api_key").is_none(),
        "{:?}",
        recorded.body
    );

    // Two texts answered with one string is a bad answer, not a silent truncation.
    let (code, _) = error(&alice.request(translate(&["a", "b"], "", "zh")).await);
    assert_eq!(code, 60013);
    server.stop().await;
}

#[tokio::test]
async fn without_a_backend_translation_is_refused_with_7013() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "d1").await;
    let (code, desc) = error(&alice.request(translate(&["hi"], "", "en")).await);
    assert_eq!(code, 7013);
    assert_eq!(desc, "translation is not configured on this server");
    server.stop().await;
}

#[tokio::test]
async fn bad_requests_are_refused_before_the_backend() {
    let mut endpoint = Endpoint::start(libre).await;
    let server = server_with(&endpoint.url, None, WAIT).await;
    let alice = server.client("alice", "d1").await;
    let long = "x".repeat(5_001);
    let many = vec!["a"; 101];
    for (request, field) in [
        (translate(&[], "", "en"), "source_texts"),
        (translate(&many, "", "en"), "source_texts"),
        (translate(&["a", &long], "", "en"), "source_texts[1]"),
        (translate(&["a"], "", ""), "target_language"),
        (translate(&["a"], "", "e n"), "target_language"),
        (translate(&["a"], "x/y", "en"), "source_language"),
    ] {
        let (code, desc) = error(&alice.request(request).await);
        assert_eq!(code, 6017, "{desc}");
        assert!(desc.starts_with(field), "{desc}");
    }
    // 100 texts of 5,000 bytes are fine.
    let texts = vec!["y".repeat(5_000); 100];
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    assert!(matches!(
        alice.request(translate(&texts, "", "en")).await,
        Response::TranslateText(r) if r.results.len() == 100
    ));
    assert_eq!(
        endpoint.next(WAIT).await.body["q"].as_array().map(Vec::len),
        Some(100)
    );
    assert!(
        endpoint.try_next().is_none(),
        "refused requests reached the backend"
    );
    server.stop().await;
}

#[tokio::test]
async fn backend_failures_give_codes_not_hangs() {
    // HTTP 500.
    let failing = Endpoint::start(|_| Some((500, "{\"error\":\"boom\"}".into()))).await;
    let server = server_with(&failing.url, None, WAIT).await;
    let alice = server.client("alice", "d1").await;
    let (code, desc) = error(&alice.request(translate(&["hi"], "", "en")).await);
    assert_eq!(code, 6010);
    assert!(desc.contains("500"), "{desc}");
    server.stop().await;

    // Not JSON.
    let garbage = Endpoint::start(|_| Some((200, "<html>nope</html>".into()))).await;
    let server = server_with(&garbage.url, None, WAIT).await;
    let alice = server.client("alice", "d1").await;
    let (code, _) = error(&alice.request(translate(&["hi"], "", "en")).await);
    assert_eq!(code, 60013);
    server.stop().await;

    // Nobody listening.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let server = server_with(&closed, None, WAIT).await;
    let alice = server.client("alice", "d1").await;
    let (code, _) = error(&alice.request(translate(&["hi"], "", "en")).await);
    assert_eq!(code, 6010);
    server.stop().await;

    // Never answers: the timeout ends the call, and the connection serves other requests
    // meanwhile.
    let mut hanging = Endpoint::start(|_| None).await;
    let server = server_with(&hanging.url, None, Duration::from_secs(2)).await;
    let alice = server.client("alice", "d1").await;
    let mut pending = alice.start_request(translate(&["hi"], "", "en")).await;
    hanging.next(WAIT).await;
    assert!(matches!(
        alice.request(Request::Ping(v1::PingRequest {})).await,
        Response::Pong(_)
    ));
    assert!(
        pending.try_recv().is_err(),
        "the translation ended before the ping was answered"
    );
    let response = tokio::time::timeout(WAIT, pending).await.unwrap().unwrap();
    let (code, desc) = error(&response);
    assert_eq!(code, 60008, "{desc}");
    server.stop().await;
}
