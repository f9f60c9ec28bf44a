//! A C program that starts and stops the way Tencent's Electron and Unity wrappers do
//! (`tests/c/wrapper_start.c`: callExperimentalAPI before TIMInit, every setter set and then
//! cleared with NULL around a login, TIMUninit) runs clean against a real server, and it links
//! against every export of Tencent's library that the conversation, profile and
//! session-extras work covers.

mod common;

use common::{command, compile, finish, server, sig};
use std::process::Stdio;

/// The exports of Tencent's Linux library the program must name: `callExperimentalAPI`, the
/// 71 setters, the 22 `TIMConv*` and the 2 `TIMProfile*` functions.
fn covered() -> Vec<String> {
    let list = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/spec/tencent-exports.txt"),
    )
    .unwrap_or_else(|err| panic!("tencent-exports.txt: {err}"));
    list.lines()
        .map(str::trim)
        .filter(|name| {
            *name == "callExperimentalAPI"
                || name.ends_with("Callback")
                || name.starts_with("TIMConv")
                || name.starts_with("TIMProfile")
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_program_names_every_covered_export() {
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c/wrapper_start.c"),
    )
    .unwrap_or_else(|err| panic!("wrapper_start.c: {err}"));
    let names = covered();
    assert_eq!(names.len(), 96);
    for name in names {
        assert!(
            source.contains(&format!("(void*){name},")),
            "wrapper_start.c does not take the address of {name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrapper_style_start_and_stop_runs_clean() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (_server, env) = server(dir.path()).await;
    let exe = compile("wrapper_start", dir.path());
    let program = command(&exe, dir.path(), &env)
        .args(["data", "wanda", &sig("wanda")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("spawn: {err}"));
    let output = finish("wrapper_start", program);
    assert!(String::from_utf8_lossy(&output.stdout).contains("OK wrapper"));
}
