//! The C ABI as a C program sees it: plain C (`tests/c/*.c`) compiled with `cc` against
//! `libImSDK.so` (copied from the cdylib, as shipping does), run against a real tim-server on
//! 127.0.0.1 found through `TIM_SERVER_ADDRESS` / `TIM_SERVER_CERT`.
//!
//! A missing `cc` fails these tests: CI has gcc, and a skipped ABI test proves nothing.

mod common;

use common::{PROGRAM_TIMEOUT, command, compile, finish, server, sig};
use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;
use std::sync::mpsc;
use std::thread;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_c_programs_log_in_and_one_message_goes_from_alice_to_bob() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (_server, env) = server(dir.path()).await;
    let peer = compile("peer", dir.path());
    let text = "hello from C, 你好";

    let mut bob = command(&peer, dir.path(), &env)
        .args(["recv", "bob-data", "bob", &sig("bob"), "alice", text])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("spawn bob: {err}"));
    let mut bob_stdout = bob.stdout.take().unwrap_or_else(|| panic!("bob stdout"));
    let (ready_tx, ready) = mpsc::channel();
    let reader = thread::spawn(move || {
        let mut lines = BufReader::new(&mut bob_stdout);
        let mut line = String::new();
        while lines.read_line(&mut line).unwrap_or(0) > 0 {
            if line.trim() == "READY" {
                let _ = ready_tx.send(());
            }
            line.clear();
        }
        let mut rest = String::new();
        let _ = bob_stdout.read_to_string(&mut rest);
    });
    if ready.recv_timeout(PROGRAM_TIMEOUT).is_err() {
        let output = finish("bob (before READY)", bob);
        panic!("bob never got ready: {output:?}");
    }

    let alice = command(&peer, dir.path(), &env)
        .args(["send", "alice-data", "alice", &sig("alice"), "bob", text])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("spawn alice: {err}"));
    let sent = finish("alice", alice);
    assert!(String::from_utf8_lossy(&sent.stdout).contains("OK send"));
    finish("bob", bob);
    let _ = reader.join();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_returns_codes_and_never_calls_back() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (_server, env) = server(dir.path()).await;
    let exe = compile("bad_input", dir.path());
    let program = command(&exe, dir.path(), &env)
        .arg("data")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("spawn: {err}"));
    let output = finish("bad_input", program);
    assert!(String::from_utf8_lossy(&output.stdout).contains("OK bad_input"));
}
