//! `tim serve` as a child process that can be SIGKILLed and started again on the same data
//! directory and address. Its standard output is read line by line for the address, the
//! certificate fingerprint and `ready`; its log (standard error) is appended to a file.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::{Duration, Instant};

const TIM: &str = env!("CARGO_BIN_EXE_tim");
/// The longest a start may take before the test gives up.
const START_WAIT: Duration = Duration::from_secs(60);

/// How to start the server.
#[derive(Debug, Clone)]
pub struct ServeSpec {
    pub data_dir: PathBuf,
    /// Port 0 on the first start; the address it got on every later one.
    pub listen: SocketAddr,
    /// Where the server's log goes (appended).
    pub log: PathBuf,
    pub app: u64,
    pub key: String,
    /// More flags (`--storage`, `--bus`, ...).
    pub extra: Vec<String>,
}

/// A running `tim serve`.
pub struct ServeProcess {
    child: Child,
    pub addr: SocketAddr,
    pub fingerprint: String,
    /// From spawning the process to its `ready` line.
    pub start_time: Duration,
}

impl ServeProcess {
    /// Spawns `tim serve` and waits for `ready` (blocking: run it off the async workers).
    pub fn start(spec: &ServeSpec) -> Result<Self, String> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&spec.log)
            .map_err(|err| format!("{}: {err}", spec.log.display()))?;
        let began = Instant::now();
        let mut child = Command::new(TIM)
            .arg("serve")
            .arg("--listen")
            .arg(spec.listen.to_string())
            .arg("--data-dir")
            .arg(&spec.data_dir)
            .arg("--app")
            .arg(format!("{}:{}", spec.app, spec.key))
            .args(&spec.extra)
            .env("TIM_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .map_err(|err| format!("spawning {TIM}: {err}"))?;
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            let _ = child.wait();
            return Err("no stdout".into());
        };
        let (tx, lines) = channel();
        // Drains stdout until the process ends, so it never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = began + START_WAIT;
        let (mut addr, mut fingerprint, mut seen) = (None, None, Vec::new());
        let outcome = loop {
            let line = match lines.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(line) => line,
                Err(RecvTimeoutError::Timeout) => {
                    break Err(format!("not ready in {START_WAIT:?}"));
                }
                Err(RecvTimeoutError::Disconnected) => break Err("exited before ready".into()),
            };
            if let Some(rest) = line.strip_prefix("tim-server listening on ") {
                addr = rest.split_whitespace().next().and_then(|a| a.parse().ok());
            } else if let Some(rest) = line.strip_prefix("SHA-256 fingerprint: ") {
                fingerprint = Some(rest.trim().to_owned());
            }
            let ready = line == "ready";
            seen.push(line);
            if ready {
                break match (addr, fingerprint.take()) {
                    (Some(addr), Some(fingerprint)) => Ok((addr, fingerprint)),
                    _ => Err("ready without an address or fingerprint".into()),
                };
            }
        };
        match outcome {
            Ok((addr, fingerprint)) => Ok(Self {
                child,
                addr,
                fingerprint,
                start_time: began.elapsed(),
            }),
            Err(why) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!(
                    "tim serve {why}; printed {seen:?}; log in {}",
                    spec.log.display()
                ))
            }
        }
    }

    /// SIGKILL, then waits for the process to be gone (so its port is free).
    pub fn kill(mut self) -> Result<(), String> {
        self.child.kill().map_err(|err| format!("kill: {err}"))?;
        self.child
            .wait()
            .map(|_| ())
            .map_err(|err| format!("wait: {err}"))
    }
}

impl ServeProcess {
    /// [`ServeProcess::start`] off the async workers; a start that fails fails the test.
    pub async fn started(spec: &ServeSpec) -> Self {
        let spec = spec.clone();
        tokio::task::spawn_blocking(move || Self::start(&spec))
            .await
            .unwrap_or_else(|why| panic!("{why}"))
            .unwrap_or_else(|why| panic!("{why}"))
    }

    /// [`ServeProcess::kill`] off the async workers; a kill that fails fails the test.
    pub async fn killed(self) {
        tokio::task::spawn_blocking(move || self.kill())
            .await
            .unwrap_or_else(|why| panic!("{why}"))
            .unwrap_or_else(|why| panic!("{why}"));
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        // A failing test must not leave a server behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
