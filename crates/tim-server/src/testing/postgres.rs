//! A real PostgreSQL server for tests: `initdb` into a temporary directory, `postgres`
//! listening on a Unix socket in it only (no TCP port), run as the unprivileged `postgres`
//! user when the tests run as root (PostgreSQL refuses to run as root).
//!
//! One server per test process ([`shared`]), one fresh database per test
//! ([`TestDatabase::create`]). The server is started by a small shell that stops it when the
//! test process's end of its standard input closes, so it never outlives the tests, even when
//! they are killed.
//!
//! The binaries are looked up in `$TIM_PG_BIN`, then `pg_config --bindir`, then
//! `/usr/lib/postgresql/<newest>/bin`. Without them, [`shared`] fails with how to install them:
//! a test never skips silently.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use super::{lock, spawn_logged, spawn_shell};

/// How to get PostgreSQL, for the failure message.
pub const INSTALL_HINT: &str = "PostgreSQL's server binaries (initdb, postgres, pg_isready) \
     were not found: install them (Debian/Ubuntu: `apt-get install postgresql`) or set \
     TIM_PG_BIN to the directory that holds them";

/// A running PostgreSQL server.
pub struct TestPostgres {
    /// The data directory and socket directory live here.
    root: tempfile::TempDir,
    bin: PathBuf,
    /// The running server's shell and its standard input (closing it stops the server).
    server: Mutex<Option<(Child, ChildStdin)>>,
    /// A shell that removes `root` when its standard input closes (the test process ended or
    /// the server was dropped): the data never outlives the tests.
    janitor: Mutex<Option<(Child, ChildStdin)>>,
    user: String,
    /// TCP on 127.0.0.1 with TLS (`start_with_tls`): the port and the CA certificate's path.
    tls: Option<(u16, PathBuf)>,
}

impl std::fmt::Debug for TestPostgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TestPostgres({})", self.socket_dir().display())
    }
}

/// The port in the socket's name (`.s.PGSQL.<port>`); no TCP port is opened.
const PORT: u16 = 5432;

fn find_bin() -> Result<PathBuf, String> {
    let has_initdb = |dir: &Path| dir.join("initdb").is_file() && dir.join("postgres").is_file();
    if let Some(dir) = std::env::var_os("TIM_PG_BIN") {
        let dir = PathBuf::from(dir);
        if has_initdb(&dir) {
            return Ok(dir);
        }
        return Err(format!(
            "TIM_PG_BIN={} holds no initdb/postgres; {INSTALL_HINT}",
            dir.display()
        ));
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_initdb(&dir) {
            return Ok(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| INSTALL_HINT.to_owned())?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, dir)| has_initdb(dir))
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, dir)| dir)
        .ok_or_else(|| INSTALL_HINT.to_owned())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

/// `program args` as `user` (plain when `user` is empty).
fn command_as(user: &str, program: &Path) -> Command {
    if user.is_empty() {
        Command::new(program)
    } else {
        let mut command = Command::new("runuser");
        command.arg("-u").arg(user).arg("--").arg(program);
        command
    }
}

fn chown_tree(path: &Path, user: &str) -> Result<(), String> {
    let status = Command::new("chown")
        .arg("-R")
        .arg(format!("{user}:{user}"))
        .arg(path)
        .status()
        .map_err(|e| format!("chown: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("chown -R {user} {} failed", path.display()))
}

impl TestPostgres {
    /// Starts a new server, waiting (at most 60 s) until it accepts connections.
    pub fn start() -> Result<Self, String> {
        let bin = find_bin()?;
        let user = if is_root() {
            "postgres".to_owned()
        } else {
            String::new()
        };
        let root = tempfile::Builder::new()
            .prefix("tim-pg-")
            .tempdir()
            .map_err(|e| format!("temp dir: {e}"))?;
        let data = root.path().join("data");
        let sockets = root.path().join("run");
        std::fs::create_dir_all(&sockets).map_err(|e| format!("{e}"))?;
        if !user.is_empty() {
            // The unprivileged user must reach its directories under a root-owned temp dir.
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o755))
                .map_err(|e| format!("{e}"))?;
            chown_tree(&sockets, &user)?;
            std::fs::create_dir_all(&data).map_err(|e| format!("{e}"))?;
            chown_tree(&data, &user)?;
        }
        let out = command_as(&user, &bin.join("initdb"))
            .args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
                "-D",
            ])
            .arg(&data)
            .output()
            .map_err(|e| format!("initdb: {e}; {INSTALL_HINT}"))?;
        if !out.status.success() {
            return Err(format!(
                "initdb failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let janitor = spawn_shell(&format!("read _; rm -rf '{}'", root.path().display()))?;
        let server = Self {
            root,
            bin,
            server: Mutex::new(None),
            janitor: Mutex::new(Some(janitor)),
            user,
            tls: None,
        };
        server.spawn_server()?;
        Ok(server)
    }

    /// Starts a new server that also listens on 127.0.0.1 (a free port) with TLS required
    /// there, its certificate (for "localhost") self-signed: [`TestPostgres::tls_url`].
    pub fn start_with_tls() -> Result<Self, String> {
        let mut server = Self::start()?;
        server.stop();
        let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])
            .map_err(|e| format!("certificate: {e}"))?;
        let data = server.root.path().join("data");
        let (cert, key) = (data.join("server.crt"), data.join("server.key"));
        std::fs::write(&cert, certified.cert.pem()).map_err(|e| format!("{e}"))?;
        std::fs::write(&key, certified.signing_key.serialize_pem()).map_err(|e| format!("{e}"))?;
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("{e}"))?;
        if !server.user.is_empty() {
            chown_tree(&cert, &server.user)?;
            chown_tree(&key, &server.user)?;
        }
        // The CA file clients trust: the same self-signed certificate, outside the data.
        let ca = server.root.path().join("ca.pem");
        std::fs::write(&ca, certified.cert.pem()).map_err(|e| format!("{e}"))?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|e| format!("free port: {e}"))?
            .port();
        server.tls = Some((port, ca));
        server.spawn_server()?;
        Ok(server)
    }

    /// The port of the server (its Unix socket's name, and its TCP port with TLS).
    fn port(&self) -> u16 {
        self.tls.as_ref().map_or(PORT, |(port, _)| *port)
    }

    /// The `postgres://` URL of database `name` over TCP with TLS required, trusting the test
    /// CA (`start_with_tls` only).
    pub fn tls_url(&self, name: &str) -> Option<String> {
        let (port, ca) = self.tls.as_ref()?;
        Some(format!(
            "postgres://postgres@localhost:{port}/{name}?sslmode=require&sslrootcert={}",
            ca.display()
        ))
    }

    /// Starts postgres under a shell that stops it (fast shutdown) when the shell's standard
    /// input closes, and waits (at most 60 s) for its log to say it accepts connections. The shell runs as the test's user; postgres as the unprivileged user
    /// (setpriv execs it, so `$pid` is postgres's own).
    fn spawn_server(&self) -> Result<(), String> {
        let as_user = if self.user.is_empty() {
            String::new()
        } else {
            format!("setpriv --reuid={0} --regid={0} --init-groups ", self.user)
        };
        // The Unix socket is named after the port; with TLS the server listens on that
        // port on 127.0.0.1 too.
        let (port, network) = match &self.tls {
            Some((port, _)) => (
                *port,
                "-c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file=server.crt \
                 -c ssl_key_file=server.key"
                    .to_owned(),
            ),
            None => (PORT, "-c listen_addresses=''".to_owned()),
        };
        let script = format!(
            "{as_user}'{}' -D '{}' -k '{}' -p {port} {network} \
             -c max_connections=200 2>&1 & pid=$!; read _; kill -INT $pid; wait $pid",
            self.bin.join("postgres").display(),
            self.root.path().join("data").display(),
            self.socket_dir().display(),
        );
        let (child, stdin, _) = spawn_logged(
            &script,
            &self.socket_dir().join("postgres.log"),
            "database system is ready to accept connections",
            Duration::from_secs(60),
        )?;
        *lock(&self.server) = Some((child, stdin));
        Ok(())
    }

    /// Starts the server again on the same data after [`TestPostgres::stop`], waiting (at most
    /// 60 s) until it accepts connections.
    pub fn start_again(&self) -> Result<(), String> {
        self.stop();
        self.spawn_server()
    }

    /// The directory of the server's socket.
    pub fn socket_dir(&self) -> PathBuf {
        self.root.path().join("run")
    }

    /// The path of the server's Unix socket.
    pub fn socket_path(&self) -> PathBuf {
        self.socket_dir().join(format!(".s.PGSQL.{}", self.port()))
    }

    /// The `postgres://` URL of database `name` (as `tim serve --storage` takes it).
    pub fn postgres_url(&self, name: &str) -> String {
        format!(
            "postgres://postgres@/{name}?host={}&port={}",
            self.socket_dir().display(),
            self.port()
        )
    }

    /// The address of database `name` (a `key=value` connection string).
    pub fn url(&self, name: &str) -> String {
        format!(
            "host={} port={} user=postgres dbname={name}",
            self.socket_dir().display(),
            self.port()
        )
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.root.path().join("run").join("postgres.log"))
            .unwrap_or_default()
    }

    /// Runs `sql` on database `postgres` with psql.
    pub fn psql(&self, database: &str, sql: &str) -> Result<String, String> {
        let out = command_as(&self.user, &self.bin.join("psql"))
            .arg("-h")
            .arg(self.socket_dir())
            .args([
                "-p",
                &self.port().to_string(),
                "-U",
                "postgres",
                "-d",
                database,
            ])
            .args(["-v", "ON_ERROR_STOP=1", "-Atc", sql])
            .output()
            .map_err(|e| format!("psql: {e}"))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(format!(
                "psql {sql:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// Stops the server (fast shutdown) and waits for it; its data stays for
    /// [`TestPostgres::start_again`].
    pub fn stop(&self) {
        if let Some((mut child, stdin)) = lock(&self.server).take() {
            drop(stdin);
            let _ = child.wait();
        }
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        self.stop();
        if let Some((mut child, stdin)) = lock(&self.janitor).take() {
            drop(stdin);
            let _ = child.wait();
        }
    }
}

/// The server shared by the tests of this process, started on first use.
pub fn shared() -> Arc<TestPostgres> {
    static SERVER: OnceLock<Result<Arc<TestPostgres>, String>> = OnceLock::new();
    match SERVER.get_or_init(|| TestPostgres::start().map(Arc::new)) {
        Ok(server) => Arc::clone(server),
        Err(error) => panic!("cannot start PostgreSQL for this test: {error}"),
    }
}

/// A fresh, empty database on the [`shared`] server.
#[derive(Debug)]
pub struct TestDatabase {
    /// The server.
    pub server: Arc<TestPostgres>,
    /// The database's name.
    pub name: String,
}

impl TestDatabase {
    /// Creates a database with a name unique in this process.
    pub fn create() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let server = shared();
        let name = format!("tim_test_{}", NEXT.fetch_add(1, Ordering::Relaxed));
        server
            .psql("postgres", &format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("{e}"));
        Self { server, name }
    }

    /// Its address, for [`connect`](crate::storage::postgres::connect).
    pub fn url(&self) -> String {
        self.server.url(&self.name)
    }

    /// Its `postgres://` URL, for `tim serve --storage`.
    pub fn postgres_url(&self) -> String {
        self.server.postgres_url(&self.name)
    }
}
