//! Shared set-up of the C tests: the shipped `libImSDK.so`, compiling `tests/c/*.c` with `cc`,
//! a tim-server on loopback, and running a C program with a bounded wait.
#![allow(dead_code)] // each test binary uses a different part

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::sync::{OnceLock, mpsc};
use std::thread;
use std::time::Duration;
use tim_server::{AppConfig, Server, ServerConfig};

/// The app the C programs use (`APP` in the C files).
pub const APP: u64 = 1_400_000_042;
pub const KEY: &str = "capi-secret";
/// Longest wait for one C program (its own waits are bounded by 20 s each).
pub const PROGRAM_TIMEOUT: Duration = Duration::from_secs(120);

/// The directory holding `libtim_capi.so` of this build: `cargo test` leaves it in
/// `<target>/<profile>/deps` beside the test binary (`cargo build` also copies it one level up).
pub fn lib_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_else(|err| panic!("current_exe: {err}"));
    let deps = exe
        .parent()
        .unwrap_or_else(|| panic!("no directory above {}", exe.display()));
    if deps.join("libtim_capi.so").exists() {
        return deps.to_path_buf();
    }
    deps.parent()
        .unwrap_or_else(|| panic!("no profile directory above {}", deps.display()))
        .to_path_buf()
}

/// `libImSDK.so` beside `libtim_capi.so`: the shipping step (see the crate docs), done once.
pub fn im_sdk_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = lib_dir();
        let built = dir.join("libtim_capi.so");
        assert!(built.exists(), "{} was not built", built.display());
        let staged = dir.join(format!("libImSDK.so.{}", std::process::id()));
        std::fs::copy(&built, &staged).unwrap_or_else(|err| panic!("copy: {err}"));
        std::fs::rename(&staged, dir.join("libImSDK.so"))
            .unwrap_or_else(|err| panic!("rename: {err}"));
        dir
    })
}

/// Compiles `tests/c/<name>.c` into `out` against the generated headers (`include/`) and
/// links it with `-lImSDK`.
pub fn compile(name: &str, out: &Path) -> PathBuf {
    let sources = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c");
    let include = Path::new(env!("CARGO_MANIFEST_DIR")).join("include");
    let lib = im_sdk_dir();
    let exe = out.join(name);
    let output = Command::new("cc")
        .args(["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-o"])
        .arg(&exe)
        .arg(sources.join(format!("{name}.c")))
        .arg("-I")
        .arg(&sources)
        .arg("-I")
        .arg(&include)
        .arg("-L")
        .arg(lib)
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .args(["-lImSDK", "-lpthread"])
        .output()
        .unwrap_or_else(|err| panic!("cannot run `cc` (a C compiler is required): {err}"));
    assert!(
        output.status.success(),
        "cc {name}.c failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    exe
}

/// A server on 127.0.0.1:0 and the environment pointing the C library at it.
pub async fn server(dir: &Path) -> (Server, Vec<(&'static str, String)>) {
    server_with(dir, |_| {}).await
}

/// As [`server`], with the configuration changed by `configure` before the server starts.
pub async fn server_with(
    dir: &Path,
    configure: impl FnOnce(&mut ServerConfig),
) -> (Server, Vec<(&'static str, String)>) {
    let apps = vec![AppConfig {
        sdk_app_id: APP,
        secret_key: KEY.to_owned(),
    }];
    let listen = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    let mut config = ServerConfig::new(listen, dir.join("server"), apps);
    configure(&mut config);
    let server = Server::start(config)
        .await
        .unwrap_or_else(|err| panic!("server: {err}"));
    let env = vec![
        ("TIM_SERVER_ADDRESS", server.local_addr().to_string()),
        ("TIM_SERVER_CERT", server.certificate().sha256_hex.clone()),
    ];
    (server, env)
}

pub fn sig(user: &str) -> String {
    tim_server::usersig::gen_user_sig(APP, KEY, user, 3600)
}

pub fn command(exe: &Path, cwd: &Path, env: &[(&str, String)]) -> Command {
    let mut command = Command::new(exe);
    // The rpath of a compiled C program names this build's libImSDK.so; cargo's
    // LD_LIBRARY_PATH (which wins over the rpath) may list a directory holding an older copy.
    command
        .current_dir(cwd)
        .env_remove("LD_LIBRARY_PATH")
        .envs(env.iter().map(|(k, v)| (*k, v)));
    command
}

/// Waits for `child` to end within [`PROGRAM_TIMEOUT`] and asserts it succeeded.
pub fn finish(what: &str, child: Child) -> Output {
    let (done, outcome) = mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    let output = outcome
        .recv_timeout(PROGRAM_TIMEOUT)
        .unwrap_or_else(|_| panic!("{what} did not end within {PROGRAM_TIMEOUT:?}"))
        .unwrap_or_else(|err| panic!("{what}: {err}"));
    assert!(
        output.status.success(),
        "{what} failed ({}):\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// A tim-rs client of the test app with its data in `data`, trusting `server` (not logged in,
/// so a caller can subscribe to its events first).
pub fn rs_client(server: &Server, data: &Path) -> tim_rs::Client {
    let trust = tim_rs::ServerTrust::parse(&server.certificate().sha256_hex)
        .unwrap_or_else(|err| panic!("trust: {err}"));
    let config = tim_rs::ClientConfig::new(
        server.local_addr().to_string(),
        trust,
        APP,
        data.to_path_buf(),
    );
    tim_rs::Client::new(config).unwrap_or_else(|err| panic!("client: {err}"))
}

/// Logs `client` in as `user`, within 20 s.
pub async fn rs_login(client: &tim_rs::Client, user: &str) {
    tokio::time::timeout(Duration::from_secs(20), client.login(user, &sig(user)))
        .await
        .unwrap_or_else(|_| panic!("{user}'s login took too long"))
        .unwrap_or_else(|err| panic!("{user}'s login: {err}"));
}

/// Reads `stdout` line by line on a thread: each trimmed line goes to the receiver as it
/// comes; the thread ends with every line read (untrimmed) when the program closes it.
pub fn stdout_lines(
    stdout: impl std::io::Read + Send + 'static,
) -> (mpsc::Receiver<String>, thread::JoinHandle<Vec<String>>) {
    use std::io::BufRead;
    let (line_tx, lines) = mpsc::channel();
    let reader = thread::spawn(move || {
        let mut input = std::io::BufReader::new(stdout);
        let mut line = String::new();
        let mut all = Vec::new();
        while input.read_line(&mut line).unwrap_or(0) > 0 {
            let _ = line_tx.send(line.trim().to_owned());
            all.push(line.clone());
            line.clear();
        }
        all
    });
    (lines, reader)
}

/// Starts `exe args` (stdout read by a thread) and returns once it printed "READY", with the
/// thread; a program that ends or stays silent first fails the test with its output.
pub fn spawn_ready(
    exe: &Path,
    dir: &Path,
    env: &[(&str, String)],
    args: &[&str],
) -> (Child, thread::JoinHandle<()>) {
    use std::io::{BufRead, BufReader};
    let mut child = command(exe, dir, env)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("spawn {args:?}: {err}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("stdout"));
    let (ready_tx, ready) = mpsc::channel();
    let reader = thread::spawn(move || {
        let mut lines = BufReader::new(stdout);
        let mut line = String::new();
        while lines.read_line(&mut line).unwrap_or(0) > 0 {
            if line.trim() == "READY" {
                let _ = ready_tx.send(());
            }
            line.clear();
        }
    });
    if ready.recv_timeout(PROGRAM_TIMEOUT).is_err() {
        let output = finish(&format!("{args:?} (before READY)"), child);
        panic!("{args:?} never got ready: {output:?}");
    }
    (child, reader)
}

/// Runs `peer send` as `user` to `to` with `text` against the server of `env` and asserts it
/// sent (the program prints "OK send").
pub fn peer_send(
    peer: &Path,
    dir: &Path,
    env: &[(&str, String)],
    data: &str,
    user: &str,
    to: &str,
    text: &str,
) {
    let program = command(peer, dir, env)
        .args(["send", data, user, &sig(user), to, text])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("spawn {user}: {err}"));
    let sent = finish(user, program);
    assert!(String::from_utf8_lossy(&sent.stdout).contains("OK send"));
}

/// Longest wait for one step of a Rust driver.
pub const STEP: Duration = Duration::from_secs(20);

/// `work` within [`STEP`], or the test fails naming `what`.
pub async fn step<T>(what: &str, work: impl Future<Output = tim_rs::Result<T>>) -> T {
    tokio::time::timeout(STEP, work)
        .await
        .unwrap_or_else(|_| panic!("{what} took longer than {STEP:?}"))
        .unwrap_or_else(|err| panic!("{what}: {err}"))
}
