//! Group read receipts through the C ABI (`tests/c/group_receipts.c`): a `tim-rs` device of
//! alice creates group "team" with bob, carol and dave (who never logs in); then three C
//! programs against a real tim-server: bob and carol wait for alice's group message, bob
//! reports the group read and sends its read receipt; alice's program sends the message with
//! `message_need_read_receipt`, gets the read-receipt callback (read 1 / unread 2), reads the
//! same counts with `TIMMsgGetMessageReadReceipts`, the read member list (bob) and the unread
//! one (carol, dave; paged one per page from inside the callback, as the seed sample pages),
//! then reports the group read and sets its receive option.

mod common;

use common::{PROGRAM_TIMEOUT, command, compile, finish, rs_client, rs_login, server, sig};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};
use tim_rs::model::enums::{GroupAddOption, GroupType};
use tim_rs::{CreateGroupParam, GroupId, UserId};

/// Starts one program and, when `ready`, returns once it printed "READY"; the handle yields
/// every line it printed.
fn start(
    exe: &Path,
    dir: &Path,
    env: &[(&str, String)],
    args: &[&str],
    ready: bool,
) -> (Child, thread::JoinHandle<Vec<String>>) {
    let mut child = command(exe, dir, env)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("spawn {args:?}: {err}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("stdout"));
    let (line_tx, line_rx) = mpsc::channel();
    let reader = thread::spawn(move || {
        let mut lines = BufReader::new(stdout);
        let mut line = String::new();
        let mut all = Vec::new();
        while lines.read_line(&mut line).unwrap_or(0) > 0 {
            let _ = line_tx.send(line.trim().to_owned());
            all.push(line.trim().to_owned());
            line.clear();
        }
        all
    });
    if ready && line_rx.recv_timeout(PROGRAM_TIMEOUT).as_deref() != Ok("READY") {
        let output = finish(&format!("{args:?} (before READY)"), child);
        panic!("{args:?} never got ready: {output:?}");
    }
    (child, reader)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_read_counts_and_member_lists_through_c() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (server, env) = server(dir.path()).await;
    let exe = compile("group_receipts", dir.path());
    let started = Instant::now();

    // No TIMGroupCreate in this C ABI: a tim-rs device of alice creates the group.
    let creator = rs_client(&server, &dir.path().join("alice-rs"));
    let step = Duration::from_secs(20);
    rs_login(&creator, "alice").await;
    let user = |id: &str| UserId::new(id).unwrap_or_else(|err| panic!("user: {err}"));
    let param = CreateGroupParam {
        group_id: Some(GroupId::new("team").unwrap_or_else(|err| panic!("group: {err}"))),
        group_type: GroupType::Private,
        name: "Team".into(),
        add_option: GroupAddOption::Any,
        member_ids: vec![user("bob"), user("carol"), user("dave")],
        ..CreateGroupParam::default()
    };
    tokio::time::timeout(step, creator.create_group(param))
        .await
        .unwrap_or_else(|_| panic!("create_group took too long"))
        .unwrap_or_else(|err| panic!("create_group: {err}"));

    let (bob_sig, carol_sig, alice_sig) = (sig("bob"), sig("carol"), sig("alice"));
    let bob_args = ["reader", "bob-data", "bob", &bob_sig, "team", "alice", "1"];
    let carol_args = [
        "reader",
        "carol-data",
        "carol",
        &carol_sig,
        "team",
        "alice",
        "0",
    ];
    let alice_args = [
        "sender",
        "alice-data",
        "alice",
        &alice_sig,
        "team",
        "bob",
        "carol",
    ];
    let bob = start(&exe, dir.path(), &env, &bob_args, true);
    let carol = start(&exe, dir.path(), &env, &carol_args, true);
    let alice = start(&exe, dir.path(), &env, &alice_args, false);
    for (who, (child, reader)) in [("alice", alice), ("bob", bob), ("carol", carol)] {
        let output = finish(who, child);
        let lines = reader.join().unwrap_or_default();
        assert!(
            lines
                .iter()
                .any(|line| line.starts_with("OK ") && line.ends_with(who)),
            "{who}: {lines:?} {output:?}"
        );
    }
    eprintln!("group receipts through C done in {:?}", started.elapsed());
}
