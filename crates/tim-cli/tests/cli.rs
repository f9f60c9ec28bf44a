//! The `tim` binary end to end: `tim serve` in a child process, UserSigs from `tim usersig`,
//! two `tim chat` processes talking through the server, and `tim group` managing a group.
//! Every wait has a deadline; output is read line by line as the processes print it.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

const TIM: &str = env!("CARGO_BIN_EXE_tim");
const APP: &str = "1400000001";
const KEY: &str = "cli-test-secret";
const WAIT: Duration = Duration::from_secs(30);

/// A running `tim` process whose standard output is read as it comes.
struct Running {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    fn start(args: &[&str]) -> Self {
        let mut child = Command::new(TIM)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|err| panic!("tim {args:?}: {err}"));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Self {
            child,
            stdin,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a line containing `needle` and returns it.
    fn expect(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no line with {needle:?} in {WAIT:?}; saw {:?}", self.seen)
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("output ended without {needle:?}; saw {:?}", self.seen)
                }
            }
        }
    }

    fn type_line(&mut self, line: &str) {
        let stdin = self
            .stdin
            .as_mut()
            .unwrap_or_else(|| panic!("stdin closed"));
        writeln!(stdin, "{line}").unwrap_or_else(|err| panic!("typing: {err}"));
        stdin.flush().unwrap_or_else(|err| panic!("typing: {err}"));
    }

    /// Closes standard input and waits (bounded) for a successful exit.
    fn finish(mut self) {
        drop(self.stdin.take());
        let (tx, done) = channel();
        std::thread::spawn(move || {
            let _ = tx.send(self.child.wait());
        });
        let status = done
            .recv_timeout(WAIT)
            .unwrap_or_else(|_| panic!("the process did not exit in {WAIT:?}"))
            .unwrap_or_else(|err| panic!("wait: {err}"));
        assert!(status.success(), "exit status {status}");
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run(args: &[&str]) -> Output {
    Command::new(TIM)
        .args(args)
        .output()
        .unwrap_or_else(|err| panic!("tim {args:?}: {err}"))
}

fn stdout_of(output: &Output) -> String {
    assert!(
        output.status.success(),
        "status {}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `tim serve` on a free loopback port: (process, address, fingerprint).
fn serve(data_dir: &Path) -> (Running, String, String) {
    let dir = data_dir.to_str().unwrap_or_else(|| panic!("path"));
    let app = format!("{APP}:{KEY}");
    let mut server = Running::start(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        dir,
        "--app",
        &app,
    ]);
    let listening = server.expect("listening on");
    let address = listening
        .split_whitespace()
        .nth(3)
        .unwrap_or_else(|| panic!("{listening}"))
        .to_owned();
    let fingerprint = server.expect("SHA-256 fingerprint:");
    let fingerprint = fingerprint
        .rsplit(' ')
        .next()
        .unwrap_or_else(|| panic!("{fingerprint}"))
        .to_owned();
    server.expect("ready");
    (server, address, fingerprint)
}

#[test]
fn two_users_chat_through_tim_serve() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (_server, address, fingerprint) = serve(&dir.path().join("server"));
    let chat = |user: &str, peer: &str, history: &str| {
        let sig = stdout_of(&run(&["usersig", APP, KEY, user]));
        let data = dir.path().join(user);
        let data = data.to_str().unwrap_or_else(|| panic!("path")).to_owned();
        Running::start(&[
            "chat",
            "--server",
            &address,
            "--cert",
            &fingerprint,
            "--app",
            APP,
            "--user",
            user,
            "--sig",
            sig.trim(),
            "--peer",
            peer,
            "--data-dir",
            &data,
            "--history",
            history,
        ])
    };
    let mut bob = chat("bob", "alice", "0");
    bob.expect("chatting with");
    let mut alice = chat("alice", "bob", "0");
    alice.expect("chatting with");

    alice.type_line("hello bob, 你好");
    alice.expect("(sent, seq 1)");
    bob.expect("alice: hello bob, 你好");
    bob.type_line("hi alice");
    bob.expect("(sent, seq 2)");
    alice.expect("bob: hi alice");
    alice.finish();
    bob.finish();

    // Alice comes back and sees the conversation so far, oldest first.
    let mut again = chat("alice", "bob", "10");
    again.expect("alice: hello bob, 你好");
    again.expect("bob: hi alice");
    again.finish();
}

/// Runs `tim <command> --server … --user <user> --key … --data-dir <dir>/<user> <action…>`
/// against the server at `server` (address, certificate fingerprint).
fn client_command(
    command: &str,
    server: (&str, &str),
    dir: &std::path::Path,
    user: &str,
    action: &[&str],
) -> std::process::Output {
    let data = dir.join(user);
    let data = data.to_str().unwrap_or_else(|| panic!("path")).to_owned();
    let mut args = vec![
        command,
        "--server",
        server.0,
        "--cert",
        server.1,
        "--app",
        APP,
        "--user",
        user,
        "--key",
        KEY,
        "--data-dir",
        &data,
    ];
    args.extend_from_slice(action);
    run(&args)
}

#[test]
fn groups_are_managed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (_server, address, fingerprint) = serve(&dir.path().join("server"));
    let group = |user: &str, action: &[&str]| {
        client_command("group", (&address, &fingerprint), dir.path(), user, action)
    };
    let created = stdout_of(&group(
        "alice",
        &["create", "--id", "book-club", "--open", "bob"],
    ));
    assert_eq!(created.trim(), "book-club");
    assert!(stdout_of(&group("carol", &["join", "book-club"])).contains("joined book-club"));
    let members = stdout_of(&group("bob", &["members", "book-club"]));
    let mut lines: Vec<&str> = members.lines().collect();
    lines.sort_unstable();
    assert_eq!(lines, vec!["alice\towner", "bob\tmember", "carol\tmember"]);

    // Only the owner dismisses; an outsider cannot read the member list afterwards either.
    let refused = group("bob", &["dismiss", "book-club"]);
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");
    assert!(stdout_of(&group("alice", &["dismiss", "book-club"])).contains("dismissed"));
    let gone = group("alice", &["members", "book-club"]);
    assert_eq!(gone.status.code(), Some(1), "{gone:?}");
    assert!(
        String::from_utf8_lossy(&gone.stderr).contains("10010"),
        "{gone:?}"
    );
}

#[test]
fn profiles_are_set_and_shown_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (_server, address, fingerprint) = serve(&dir.path().join("server"));
    let profile = |user: &str, action: &[&str]| {
        client_command(
            "profile",
            (&address, &fingerprint),
            dir.path(),
            user,
            action,
        )
    };
    let set = stdout_of(&profile(
        "alice",
        &[
            "set",
            "--nick",
            "Alice 爱丽丝",
            "--gender",
            "female",
            "--custom",
            "Hobby=chess",
        ],
    ));
    assert!(set.contains("alice\tnick\tAlice 爱丽丝"), "{set}");
    // Another user reads it (and an unknown user's empty profile).
    let shown = stdout_of(&profile("bob", &["show", "alice", "nobody"]));
    assert!(shown.contains("alice\tnick\tAlice 爱丽丝"), "{shown}");
    assert!(shown.contains("alice\tgender\tfemale"), "{shown}");
    assert!(
        shown.contains("alice\tTag_Profile_Custom_Hobby\tchess"),
        "{shown}"
    );
    assert!(shown.contains("nobody\tidentifier\tnobody"), "{shown}");
    // Over the limits: refused with the server's code.
    let long = "n".repeat(501);
    let refused = profile("alice", &["set", "--nick", &long]);
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("40601"),
        "{refused:?}"
    );
    let bad = profile("alice", &["set", "--gender", "robot"]);
    assert_eq!(bad.status.code(), Some(2), "{bad:?}");
}

#[test]
fn bad_command_lines_fail_with_a_reason() {
    let no_app = run(&["serve", "--listen", "127.0.0.1:0"]);
    assert_eq!(no_app.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_app.stderr).contains("no app configured"));

    let too_long = "u".repeat(33);
    let bad_user = run(&["usersig", APP, KEY, &too_long]);
    assert_eq!(bad_user.status.code(), Some(2), "{bad_user:?}");

    let not_a_number = run(&["usersig", "app", KEY, "alice"]);
    assert_eq!(not_a_number.status.code(), Some(2));

    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (_server, address, fingerprint) = serve(&dir.path().join("server"));
    let data = dir.path().join("mallory");
    let forged = run(&[
        "group",
        "--server",
        &address,
        "--cert",
        &fingerprint,
        "--app",
        APP,
        "--user",
        "mallory",
        "--key",
        "not-the-key",
        "--data-dir",
        data.to_str().unwrap_or_else(|| panic!("path")),
        "members",
        "any",
    ]);
    assert_eq!(forged.status.code(), Some(1), "{forged:?}");
    assert!(
        String::from_utf8_lossy(&forged.stderr).contains("70009"),
        "{forged:?}"
    );
}
