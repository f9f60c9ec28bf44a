//! The session side of the C ABI as a C program sees it (`tests/c/session.c`, compiled with
//! `cc` against `libImSDK.so`, against a real tim-server on 127.0.0.1): `TIMSetConfig`, log
//! lines through `TIMSetLogCallback`, `TIMGetServerTime`, an expiring UserSig, the order of the
//! login callback and the session's events, and calls racing `TIMUninit`.

mod common;

use common::{APP, KEY, command, compile, finish, rs_client, rs_login, server, sig};
use std::path::Path;
use std::time::Duration;
use tim_rs::model::ConvId;
use tim_rs::model::enums::ConvType;

/// Longest wait for one step of the Rust side.
const STEP: Duration = Duration::from_secs(20);

/// Runs `session <args>` in `dir` and returns its stdout.
async fn run(dir: &Path, env: &[(&'static str, String)], args: &[&str]) -> String {
    let exe = compile("session", dir);
    run_both(&exe, dir, env, args).await.0
}

/// Runs the compiled `exe` with `args` in `dir` and returns its stdout and stderr.
async fn run_both(
    exe: &Path,
    dir: &Path,
    env: &[(&'static str, String)],
    args: &[&str],
) -> (String, String) {
    let child = command(exe, dir, env)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("spawn session: {err}"));
    let what = format!("session {}", args.first().copied().unwrap_or_default());
    let output = tokio::task::spawn_blocking(move || finish(&what, child))
        .await
        .unwrap_or_else(|err| panic!("join: {err}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    eprintln!("{stdout}");
    (stdout, stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_config_log_callback_and_server_time_work_from_c() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (_server, env) = server(dir.path()).await;
    let exe = compile("session", dir.path());
    let (out, err) = run_both(
        &exe,
        dir.path(),
        &env,
        &["config", "bob-data", "bob", &sig("bob")],
    )
    .await;
    assert!(out.contains("config ok"), "{out}");
    // set_config_is_log_output_console was on for the second session only.
    let console = err.matches("[INFO] tim_capi::session: TIMLogin").count();
    assert_eq!(console, 2, "console lines of one login expected:\n{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_user_sig_reaches_the_callback_and_a_fresh_login_works() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (_server, env) = server(dir.path()).await;
    let exe = compile("session", dir.path());
    // Valid at login (made after compiling), expired five seconds later: the server pushes
    // UserSigExpired then.
    let short = tim_server::usersig::gen_user_sig(APP, KEY, "bob", 5);
    let (out, _) = run_both(
        &exe,
        dir.path(),
        &env,
        &["expire", "bob-data", "bob", &short, &sig("bob")],
    )
    .await;
    assert!(out.contains("expire ok"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_callback_comes_before_the_events_of_its_session() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (server, env) = server(dir.path()).await;
    let alice = rs_client(&server, &dir.path().join("alice-data"));
    rs_login(&alice, "alice").await;
    let bob = alice.conversation(
        ConvId::new(ConvType::C2c, "bob").unwrap_or_else(|err| panic!("conv: {err}")),
    );
    const COUNT: usize = 5;
    for n in 0..COUNT {
        tokio::time::timeout(STEP, bob.send_text(&format!("offline {n}")))
            .await
            .unwrap_or_else(|_| panic!("send took too long"))
            .unwrap_or_else(|err| panic!("send: {err:?}"));
    }
    let count = COUNT.to_string();
    let out = run(
        dir.path(),
        &env,
        &["order", "bob-data", "bob", &sig("bob"), &count],
    )
    .await;
    assert!(out.contains("order: L"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_call_that_returned_success_gets_one_callback_across_uninit() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (_server, env) = server(dir.path()).await;
    let out = run(dir.path(), &env, &["race", "bob-data", "bob", &sig("bob")]).await;
    assert!(out.contains("race:"), "{out}");
}
