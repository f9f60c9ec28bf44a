//! The thread test of the C ABI (`tests/c/threads.c`): alice's and bob's C programs, both
//! against a real tim-server, each call the API from seven threads at once (four sending
//! numbered messages to the other, three calling the history, find, search, read-report, login
//! state and callback-registration functions) while their receive and read-receipt callbacks
//! fire and the receive callback itself calls TIM functions. Each program checks one callback
//! per call, every peer message exactly once and in order per sending thread, and one callback
//! thread; this driver only starts them together.

mod common;

use common::{PROGRAM_TIMEOUT, command, compile, finish, server, sig};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Instant;

/// Starts `user`'s program and returns it once it printed "READY" (logged in), with the
/// reader of the rest of its output.
fn start(
    exe: &std::path::Path,
    dir: &std::path::Path,
    env: &[(&str, String)],
    user: &str,
    peer: &str,
) -> (Child, thread::JoinHandle<Vec<String>>) {
    let mut child = command(exe, dir, env)
        .args([&format!("{user}-data"), user, &sig(user), peer])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("spawn {user}: {err}"));
    let stdout = child
        .stdout
        .take()
        .unwrap_or_else(|| panic!("{user} stdout"));
    let (ready_tx, ready) = mpsc::channel();
    let reader = thread::spawn(move || {
        let mut lines = BufReader::new(stdout);
        let mut line = String::new();
        let mut all = Vec::new();
        while lines.read_line(&mut line).unwrap_or(0) > 0 {
            if line.trim() == "READY" {
                let _ = ready_tx.send(());
            }
            all.push(line.clone());
            line.clear();
        }
        all
    });
    if ready.recv_timeout(PROGRAM_TIMEOUT).is_err() {
        let output = finish(&format!("{user} (before READY)"), child);
        panic!("{user} never got ready: {output:?}");
    }
    (child, reader)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seven_threads_per_user_call_the_api_while_callbacks_fire() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (_server, env) = server(dir.path()).await;
    let exe = compile("threads", dir.path());
    let started = Instant::now();
    let (mut alice, alice_out) = start(&exe, dir.path(), &env, "alice", "bob");
    let (mut bob, bob_out) = start(&exe, dir.path(), &env, "bob", "alice");
    for (user, child) in [("alice", &mut alice), ("bob", &mut bob)] {
        let stdin = child
            .stdin
            .as_mut()
            .unwrap_or_else(|| panic!("{user} stdin"));
        stdin
            .write_all(b"GO\n")
            .and_then(|()| stdin.flush())
            .unwrap_or_else(|err| panic!("GO to {user}: {err}"));
    }
    for (user, child, out) in [("alice", alice, alice_out), ("bob", bob, bob_out)] {
        let output = finish(user, child);
        let lines = out.join().unwrap_or_default();
        assert!(
            lines.iter().any(|line| line.starts_with("OK threads")),
            "{user}: {lines:?} {output:?}"
        );
        eprintln!("{}", lines.join("").trim());
    }
    eprintln!("both programs done in {:?}", started.elapsed());
}
