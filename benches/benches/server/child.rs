//! The server under test runs in a child process (this same benchmark executable, started with
//! [`SERVER_DIR_ENV`] set), so its memory can be read apart from the clients' and the clients'
//! work does not share its async runtime.

use crate::wire::{APP, KEY};
use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use tim_server::{AppConfig, Server, ServerConfig};

/// Set to a data directory, the executable runs the server there instead of the benchmark.
pub const SERVER_DIR_ENV: &str = "TIM_BENCH_SERVER_DIR";
/// Set to a PostgreSQL address, the child server keeps its state there (not in redb).
pub const STORAGE_ENV: &str = "TIM_BENCH_STORAGE";
/// Set to a NATS address, the child server joins that cluster bus.
pub const BUS_ENV: &str = "TIM_BENCH_BUS";

/// The server child: its address, certificate and process.
pub struct ServerProcess {
    /// Where it listens.
    pub address: SocketAddr,
    /// Its certificate, DER.
    pub der: Vec<u8>,
    child: Child,
    stdin: Option<ChildStdin>,
}

impl ServerProcess {
    /// Starts the server in `data_dir` and waits until it listens.
    #[allow(dead_code)] // used by one of the two benchmarks sharing this file
    pub fn start(data_dir: &Path) -> Result<Self, String> {
        Self::start_with(data_dir, &[])
    }

    /// Starts the server in `data_dir` with more environment (see [`STORAGE_ENV`],
    /// [`BUS_ENV`]) and waits until it listens.
    pub fn start_with(data_dir: &Path, env: &[(&str, String)]) -> Result<Self, String> {
        let exe = std::env::current_exe().map_err(|err| format!("current exe: {err}"))?;
        let mut child = Command::new(exe)
            .env(SERVER_DIR_ENV, data_dir)
            .envs(env.iter().map(|(k, v)| (*k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|err| format!("starting the server process: {err}"))?;
        let stdin = child.stdin.take();
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| "the server process has no stdout".to_owned())?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|err| format!("reading the server's address: {err}"))?;
        let mut words = line.split_whitespace();
        let (Some("listening"), Some(address), Some(der_hex)) =
            (words.next(), words.next(), words.next())
        else {
            return Err(format!("the server process said {line:?}"));
        };
        let address = address
            .parse()
            .map_err(|err| format!("server address {address:?}: {err}"))?;
        let der = (0..der_hex.len())
            .step_by(2)
            .map(|at| u8::from_str_radix(der_hex.get(at..at + 2).unwrap_or("zz"), 16))
            .collect::<Result<Vec<u8>, _>>()
            .map_err(|err| format!("server certificate: {err}"))?;
        Ok(Self {
            address,
            der,
            child,
            stdin,
        })
    }

    /// The server's resident memory, bytes (Linux; 0 where /proc is missing).
    #[allow(dead_code)] // used by one of the two benchmarks sharing this file
    pub fn rss_bytes(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .map_or(0, |kib| kib * 1024)
    }

    /// Asks the server to shut down (closing its stdin) and waits for it.
    pub fn stop(mut self) -> Result<(), String> {
        drop(self.stdin.take());
        self.child
            .wait()
            .map_err(|err| format!("waiting for the server: {err}"))
            .map(drop)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if self.stdin.is_some() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The `main` of a benchmark that runs its servers as children of itself: the child's side
/// when [`SERVER_DIR_ENV`] is set, else `run` (told whether `--bench` was given, or it is a
/// `cargo test --benches` smoke run); `what` names the benchmark in a failure.
pub fn main(what: &str, run: impl FnOnce(bool) -> Result<(), String>) -> std::process::ExitCode {
    use std::process::ExitCode;
    if let Some(dir) = std::env::var_os(SERVER_DIR_ENV) {
        return match serve(Path::new(&dir)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("bench server: {err}");
                ExitCode::FAILURE
            }
        };
    }
    let benchmarking = std::env::args().any(|arg| arg == "--bench");
    match run(benchmarking) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{what} benchmark failed: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The child's side: runs a server in `data_dir` on 127.0.0.1, prints
/// `listening <address> <certificate DER in hex>`, and stops when its stdin closes.
pub fn serve(data_dir: &Path) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| format!("runtime: {err}"))?;
    runtime.block_on(async {
        let mut config = ServerConfig::new(
            SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir.to_owned(),
            vec![AppConfig {
                sdk_app_id: APP,
                secret_key: KEY.to_owned(),
            }],
        );
        // Idle connections are measured for minutes; keep them from timing out meanwhile.
        config.heartbeat_interval = std::time::Duration::from_secs(600);
        // Thousands of devices on one address and one group, flat out: measure the server's
        // paths, not its abuse limits.
        config.connection.max_connections_per_address = usize::MAX;
        config.connection.max_handshakes = 100_000;
        config.rate = tim_server::RateLimits::off();
        config.groups.public = u64::MAX;
        config.groups.work = u64::MAX;
        config.groups.max_users_per_add = 500;
        if let Ok(url) = std::env::var(STORAGE_ENV) {
            config.storage = tim_server::StorageBackend::Postgres { url };
        }
        if let Ok(url) = std::env::var(BUS_ENV) {
            config.bus = Some(tim_server::BusConfig::new(url));
            config.blob_dir_shared = true;
        }
        let server = Server::start(config)
            .await
            .map_err(|err| format!("server: {err}"))?;
        let der_hex: String = server
            .certificate()
            .der
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        println!("listening {} {der_hex}", server.local_addr());
        // Blocks one runtime thread until the parent closes stdin.
        let stop = tokio::task::spawn_blocking(|| {
            let mut sink = Vec::new();
            let _ = std::io::stdin().read_to_end(&mut sink);
        });
        let _ = stop.await;
        server.shutdown().await;
        Ok(())
    })
}
