//! Translation and offline push as a C program sees them: `tests/c/backends.c` logs in to a
//! real tim-server on 127.0.0.1 whose translation backend (LibreTranslate API) and push
//! gateway (Gorush API) are HTTP endpoints run by this test. The program translates two texts;
//! then, with a push token set and the app in the background, a message sent to it by a
//! tim-rs client makes the server push to its token with the badge it gave plus one.

mod common;
#[path = "../../tim-server/tests/http_endpoint/mod.rs"]
mod http_endpoint;

use common::{
    PROGRAM_TIMEOUT, command, compile, finish, rs_client, rs_login, server_with, sig, stdout_lines,
};
use http_endpoint::Endpoint;
use std::io::Write;
use std::process::Stdio;
use std::time::Duration;
use tim_server::{PushGateway, TranslateBackend};

const STEP: Duration = Duration::from_secs(20);

/// A LibreTranslate-API answer: each text with " [<target>]" appended.
fn translate(request: &http_endpoint::Recorded) -> Option<(u16, String)> {
    let target = request.body["target"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let texts: Vec<String> = request.body["q"]
        .as_array()
        .map(|texts| {
            texts
                .iter()
                .map(|text| format!("{} [{target}]", text.as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    Some((
        200,
        serde_json::json!({ "translatedText": texts }).to_string(),
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn translation_and_offline_push_work_through_the_c_abi() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let translator = Endpoint::start(translate).await;
    let mut gateway =
        Endpoint::start(|_| Some((200, r#"{"counts":1,"success":"ok"}"#.into()))).await;
    let (server, env) = server_with(dir.path(), |config| {
        config.translate = Some(TranslateBackend::new(translator.url.clone()));
        config.push_gateway = Some(PushGateway::new(gateway.url.clone()));
    })
    .await;
    let exe = compile("backends", dir.path());
    let mut program = command(&exe, dir.path(), &env)
        .args(["bob-data", "bob", &sig("bob")])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("spawn: {err}"));
    let stdout = program
        .stdout
        .take()
        .unwrap_or_else(|| panic!("program stdout"));
    let (lines, reader) = stdout_lines(stdout);
    let ready = lines.recv_timeout(PROGRAM_TIMEOUT).ok();
    if ready.as_deref() != Some("READY") {
        let output = finish("backends (before READY)", program);
        panic!("the program printed {ready:?} instead of READY: {output:?}");
    }

    let alice = rs_client(&server, &dir.path().join("alice-data"));
    rs_login(&alice, "alice").await;
    let to_bob = alice.c2c("bob").unwrap_or_else(|err| panic!("conv: {err}"));
    tokio::time::timeout(STEP, to_bob.send_text("are you there? 在吗"))
        .await
        .unwrap_or_else(|_| panic!("alice's send took too long"))
        .unwrap_or_else(|err| panic!("alice's send: {err:?}"));

    let push = gateway.next(STEP).await;
    assert_eq!(push.path, "/api/push");
    let notification = &push.body["notifications"][0];
    assert_eq!(notification["tokens"], serde_json::json!(["0a1b2c3d"]));
    assert_eq!(
        notification["badge"], 6,
        "the background badge 5 plus this message"
    );
    assert!(
        notification["message"]
            .as_str()
            .is_some_and(|text| text.contains("在吗")),
        "{notification}"
    );

    let mut stdin = program.stdin.take().unwrap_or_else(|| panic!("stdin"));
    writeln!(stdin, "DONE").unwrap_or_else(|err| panic!("write: {err}"));
    drop(stdin);
    let output = finish("backends", program);
    let printed = reader.join().unwrap_or_default().concat();
    assert!(printed.contains("OK backends"), "{printed}\n{output:?}");
    assert!(
        gateway.try_next().is_none(),
        "one message, one token: exactly one push"
    );
}
