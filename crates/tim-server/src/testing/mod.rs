//! Real components for tests (feature `testing`): a PostgreSQL server and a nats-server,
//! each started in a temporary directory by the test itself, and a UDP relay that impairs a
//! loopback link. Never used by the server itself.

pub mod nats;
pub mod postgres;
pub mod relay;

use std::process::{Child, ChildStdin, Command, Stdio};

/// `sh -c script` with a piped standard input (the scripts stop what they started when it
/// closes, so a component never outlives the test process).
fn spawn_shell(script: &str) -> Result<(Child, ChildStdin), String> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("sh: {e}"))?;
    let stdin = child
        .stdin
        .take()
        .ok_or_else(|| "sh: no standard input".to_owned())?;
    Ok((child, stdin))
}
