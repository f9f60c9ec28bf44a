//! The message slice of the C ABI from C (`tests/c/messages.c`): alice's program calls every
//! exported message function against a real tim-server and checks the JSON it gets back, then
//! bad input for each (codes, no callback); bob's program then pulls what alice left him.

mod common;

use common::{command, compile, finish, server, sig};
use std::process::Stdio;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_function_works_from_c_and_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (_server, env) = server(dir.path()).await;
    let exe = compile("messages", dir.path());
    for (role, user, peer) in [("alice", "alice", "bob"), ("bob", "bob", "alice")] {
        let program = command(&exe, dir.path(), &env)
            .args([role, &format!("{role}-data"), user, &sig(user), peer])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("spawn {role}: {err}"));
        let output = finish(role, program);
        assert!(String::from_utf8_lossy(&output.stdout).contains(&format!("OK {role}")));
    }
}
