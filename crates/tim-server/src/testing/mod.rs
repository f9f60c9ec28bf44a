//! Real components for tests (feature `testing`): a PostgreSQL server and a nats-server,
//! each started in a temporary directory by the test itself, and a UDP relay that impairs a
//! loopback link. Never used by the server itself.

pub mod nats;
pub mod postgres;
pub mod relay;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// `mutex`'s guard; a test that panicked while holding it leaves the data usable.
fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `sh -c script` with a piped standard input (the scripts stop what they started when it
/// closes, so a component never outlives the test process).
fn spawn_shell(script: &str) -> Result<(Child, ChildStdin), String> {
    shell(script, Stdio::null())
}

/// `sh -c script` with a piped standard input, `stdout` as its standard output and no
/// standard error.
fn shell(script: &str, stdout: Stdio) -> Result<(Child, ChildStdin), String> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("sh: {e}"))?;
    let stdin = child
        .stdin
        .take()
        .ok_or_else(|| "sh: no standard input".to_owned())?;
    Ok((child, stdin))
}

/// `sh -c script` as [`spawn_shell`] does, its standard output and error (where the script
/// sends the component's log) appended line by line to `log` by a thread. Waits (at most
/// `timeout`) for the first line containing `ready`, and returns it: the component said it is
/// ready, no probing needed. Fails with the log when the shell ends or stays silent first.
fn spawn_logged(
    script: &str,
    log: &Path,
    ready: &'static str,
    timeout: Duration,
) -> Result<(Child, ChildStdin, String), String> {
    let (mut child, stdin) = shell(script, Stdio::piped())?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| "sh: no standard output".to_owned())?;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|e| format!("{}: {e}", log.display()))?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        // Drained to the end, so the component never blocks on a full pipe.
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = writeln!(file, "{line}");
            if line.contains(ready)
                && let Some(tx) = tx.take()
            {
                let _ = tx.send(line);
            }
        }
    });
    match rx.recv_timeout(timeout) {
        Ok(line) => Ok((child, stdin, line)),
        Err(error) => {
            drop(stdin);
            let _ = child.wait();
            let text = std::fs::read_to_string(log).unwrap_or_default();
            Err(format!("not ready ({error}); its log:\n{text}"))
        }
    }
}
