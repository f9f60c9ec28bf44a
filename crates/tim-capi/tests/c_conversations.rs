//! The conversation list and profiles through the C ABI, two users on two processes against a
//! real server: `tests/c/conversations.c` is Alice (compiled with `cc` against
//! `libImSDK.so`), this driver is Bob (a `tim-rs` client with a profile). Alice's first device
//! follows Bob's messages, pins, drafts, reads, marks, groups and deletes, sees Bob's revoke,
//! and checks the order of her conversation events; then her second device (a fresh data
//! directory, the first one ended) must show the same list, unread counts, groups and
//! profiles after login. Bad input for the new functions is checked on the first device.

mod common;

use common::{
    PROGRAM_TIMEOUT, STEP, command, compile, finish, rs_client, rs_login, server, sig, step,
};
use std::process::Stdio;
use tim_rs::model::UserProfileItem;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_c_app_shows_the_same_conversations_and_profiles_on_two_devices() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (server, env) = server(dir.path()).await;
    let exe = compile("conversations", dir.path());
    let bob = rs_client(&server, &dir.path().join("bob-data"));
    rs_login(&bob, "bob").await;
    step(
        "bob's profile",
        bob.set_profile(UserProfileItem {
            nick_name: Some("Bob".into()),
            ..UserProfileItem::default()
        }),
    )
    .await;
    let to_alice = bob.c2c("alice").unwrap_or_else(|err| panic!("{err}"));

    let mut alice = command(&exe, dir.path(), &env)
        .args(["first", "alice-1", &sig("alice")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("spawn alice: {err}"));
    let stdout = alice.stdout.take().unwrap_or_else(|| panic!("stdout"));
    let (lines, reader) = common::stdout_lines(stdout);
    let wait_line = |want: &str| loop {
        match lines.recv_timeout(PROGRAM_TIMEOUT) {
            Ok(line) if line == want => break true,
            Ok(_) => {}
            Err(_) => break false,
        }
    };
    if !wait_line("READY") {
        panic!("alice never printed READY: {:?}", finish("alice", alice));
    }
    for text in ["one", "two"] {
        tokio::time::timeout(STEP, to_alice.send_text(text))
            .await
            .unwrap_or_else(|_| panic!("send {text}: timeout"))
            .unwrap_or_else(|err| panic!("send {text}: {err:?}"));
    }
    if !wait_line("STEP2") {
        panic!("alice never printed STEP2: {:?}", finish("alice", alice));
    }
    let three = tokio::time::timeout(STEP, to_alice.send_text("three"))
        .await
        .unwrap_or_else(|_| panic!("send three: timeout"))
        .unwrap_or_else(|err| panic!("send three: {err:?}"));
    step("revoke three", to_alice.revoke(&three)).await;
    let output = finish("alice's first device", alice);
    let all = reader.join().unwrap_or_default();
    assert!(
        all.iter().any(|line| line.trim() == "OK first"),
        "{output:?} {all:?}"
    );

    let second = command(&exe, dir.path(), &env)
        .args(["second", "alice-2", &sig("alice")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("spawn alice's second device: {err}"));
    let output = finish("alice's second device", second);
    assert!(String::from_utf8_lossy(&output.stdout).contains("OK second"));
}
