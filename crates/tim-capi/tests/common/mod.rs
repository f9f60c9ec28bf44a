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
