//! The media, merged-message, translation and offline-push exports as a C program sees them:
//! `tests/c/media.c` (compiled with `cc` against `libImSDK.so`) logs in to a real tim-server
//! on 127.0.0.1, checks every refusal, calls each of the six as the seed page does and checks
//! its one callback (see `EXPECT_*` in the C file: translation without a backend 7013, an
//! unknown merged message 7011, push token and app state accepted), and the element download
//! leaves no file behind.

mod common;

use common::{command, compile, finish, server, sig};
use std::process::Stdio;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_six_calls_check_their_input_and_call_back_once_with_the_answer() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (_server, env) = server(dir.path()).await;
    let exe = compile("media", dir.path());
    let target = dir.path().join("downloads").join("file-id-1.bin");
    std::fs::create_dir_all(dir.path().join("downloads")).unwrap_or_else(|err| panic!("{err}"));
    let program = command(&exe, dir.path(), &env)
        .arg("alice-data")
        .arg("alice")
        .arg(sig("alice"))
        .arg(&target)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("spawn: {err}"));
    let output = finish("media", program);
    assert!(String::from_utf8_lossy(&output.stdout).contains("OK media"));
    assert!(
        !target.exists(),
        "a failed download left {}",
        target.display()
    );
}
