//! The Python ctypes smoke test (`tests/python/smoke.py`, standard library only): Python loads
//! `libImSDK.so`, logs in as bob against a real tim-server, receives the message this driver
//! sends as alice (a `tim-rs` client), answers it, and alice must receive the answer. Proof that
//! non-C hosts work. `python3` is required (CI has it): its absence fails the test.

mod common;

use common::{
    APP, PROGRAM_TIMEOUT, command, finish, im_sdk_dir, rs_client, rs_login, server, sig,
    stdout_lines,
};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tim_rs::{Event, text_of};

/// Longest wait for one step of alice.
const STEP: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_ctypes_logs_in_receives_and_sends_one_message() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (server, env) = server(dir.path()).await;
    let started = Instant::now();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/smoke.py");
    let mut python = command(Path::new("python3"), dir.path(), &env)
        .arg(&script)
        .arg(im_sdk_dir())
        .args(["bob-data", "bob", &sig("bob"), "alice", &APP.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("cannot run python3 (required for this test): {err}"));
    let stdout = python
        .stdout
        .take()
        .unwrap_or_else(|| panic!("python stdout"));
    let (lines, reader) = stdout_lines(stdout);
    // The next line python prints; `None` when it ended (or went silent) first.
    let next_line = || lines.recv_timeout(PROGRAM_TIMEOUT).ok();

    let alice = rs_client(&server, &dir.path().join("alice-data"));
    let mut events = alice.events();
    rs_login(&alice, "alice").await;

    let ready = next_line();
    if ready.as_deref() != Some("READY") {
        let output = finish("python (before READY)", python);
        panic!("python printed {ready:?} instead of READY: {output:?}");
    }
    let bob = alice.c2c("bob").unwrap_or_else(|err| panic!("conv: {err}"));
    tokio::time::timeout(STEP, bob.send_text("hello from Rust 你好"))
        .await
        .unwrap_or_else(|_| panic!("alice's send took too long"))
        .unwrap_or_else(|err| panic!("alice's send: {err:?}"));

    let sent = next_line().unwrap_or_default();
    let Some(msg_id) = sent.strip_prefix("PYTHON SENT ") else {
        let output = finish("python", python);
        panic!("python printed {sent:?}: {output:?}");
    };
    let received = tokio::time::timeout(STEP, async {
        loop {
            match events.next().await {
                Some(Event::NewMessages(messages)) => {
                    if let Some(m) = messages
                        .into_iter()
                        .find(|m| m.msg_id.as_ref().is_some_and(|id| id.as_str() == msg_id))
                    {
                        return m;
                    }
                }
                Some(_) => {}
                None => panic!("alice's events ended"),
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("alice did not receive python's message {msg_id}"));
    assert_eq!(text_of(&received), "hello from Python 🐍");
    assert_eq!(received.sender, "bob");

    let output = finish("python", python);
    let all = reader.join().unwrap_or_default();
    assert!(
        all.iter().any(|line| line.trim() == "OK python"),
        "{all:?} {output:?}"
    );
    eprintln!("python smoke test done in {:?}", started.elapsed());
}
