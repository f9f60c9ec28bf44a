//! `cargo xtask`: project tasks that need more than one cargo command.
//!
//! `cargo xtask ci` runs, in the same order and with the same flags, exactly the checks that
//! `.ci/run` runs in CI, so a green local run means a green CI run (bar a missing install).
//! The steps are listed once, in [`CI_STEPS`]; `.ci/run` repeats them in bash because it must
//! also install tools before any cargo command can build this crate.
//!
//! `cargo xtask fuzz [--seconds N] [TARGET]` builds the fuzz targets with libFuzzer's
//! instrumentation on the stable toolchain and runs each for a bounded time ([`fuzz`]).
//!
//! `cargo xtask header [--check]` generates the C headers of tim-capi from the code
//! ([`header`]); `cargo xtask sdk [--release]` builds the C SDK layout (`libImSDK.so`,
//! `libImSDK.a`, the headers; [`sdk`]).
//!
//! Each task is a plain function that returns what went wrong instead of exiting, so `main`
//! alone decides the exit code. The dependencies are `syn` (parsing the tim-capi sources) and
//! tim-model (the enums, codes and keys the header lists); both build in seconds.

mod fuzz;
mod header;
mod sdk;

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Instant;

/// One check of the CI run: a cargo invocation and what it proves.
struct Step {
    /// What the step checks, as printed before it runs.
    what: &'static str,
    /// The arguments after `cargo`.
    args: &'static [&'static str],
}

/// The CI checks in the order `.ci/run` runs them; keep the two in step.
const CI_STEPS: &[Step] = &[
    Step {
        what: "formatting",
        args: &["fmt", "--all", "--", "--check"],
    },
    Step {
        what: "lints",
        args: &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    },
    Step {
        what: "fuzzing",
        args: &["xtask", "fuzz", "--seconds", "30"],
    },
    Step {
        what: "tests",
        args: &["test", "--workspace", "--locked"],
    },
];

/// The tasks `cargo xtask` knows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Task {
    /// Run every CI check, in CI's order.
    Ci,
    /// Write the C headers (`check`: only compare them with the checked-in files).
    Header {
        /// `--check`: fail when the checked-in headers differ from a fresh generation.
        check: bool,
    },
    /// Build tim-capi and lay out the C SDK.
    Sdk {
        /// `--release`: a release build.
        release: bool,
    },
    /// Build the fuzz targets and run each (or one) for a bounded time.
    Fuzz {
        /// `--seconds N`: how long each target runs.
        seconds: u64,
        /// A target's name: run only that one.
        target: Option<String>,
    },
    /// Print the usage.
    Help,
}

/// Why a task failed; printed by `main` as `xtask: error: ...`.
#[derive(Debug)]
enum TaskError {
    /// The command line named no known task.
    Usage(String),
    /// A command could not be started at all (cargo missing from `PATH`, ...).
    Spawn {
        /// The command as it would be typed.
        command: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A task failed with a message (the header is stale, a file cannot be written, ...).
    Task(String),
    /// A command ran and failed.
    Failed {
        /// What the step was checking.
        what: &'static str,
        /// The command as it would be typed.
        command: String,
        /// Its exit code (`None` when a signal ended it).
        code: Option<i32>,
    },
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage(detail) => write!(f, "{detail}\n\n{USAGE}"),
            Self::Task(detail) => write!(f, "{detail}"),
            Self::Spawn { command, source } => {
                write!(f, "could not start `{command}`: {source}")
            }
            Self::Failed {
                what,
                command,
                code,
            } => {
                let status = code.map_or_else(
                    || "was ended by a signal".to_owned(),
                    |code| format!("exited with code {code}"),
                );
                write!(
                    f,
                    "{what} check failed: `{command}` {status}; fix it and run `cargo xtask ci` again"
                )
            }
        }
    }
}

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  ci      run exactly what CI runs (.ci/run), in order, stopping at the first failure:
            cargo fmt --all -- --check
            cargo clippy --workspace --all-targets --locked -- -D warnings
            cargo xtask fuzz --seconds 30
            cargo test --workspace --locked
  fuzz    build the fuzz targets of fuzz/ with libFuzzer's coverage instrumentation (stable
          toolchain) and run each from its seeds in fuzz/corpus/<target>/; a crash fails
            --seconds N   run each target N seconds (default 30)
            TARGET        run only this target
  header  write the C headers (crates/tim-capi/include/*.h) generated from the code
            --check   only check that the checked-in headers are up to date
  sdk     build tim-capi and lay out target/<profile>/sdk/{lib/libImSDK.so,
          lib/libImSDK.a, include/*.h}
            --release a release build
  help    print this message";

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    if std::env::var_os(fuzz::WRAPPER_ENV).is_some() {
        return fuzz::rustc_wrapper(&args);
    }
    let result = parse(&args).and_then(|task| match task {
        Task::Ci => ci(),
        Task::Fuzz { seconds, target } => fuzz::run(&workspace_root(), seconds, target.as_deref()),
        Task::Header { check } => run_header(check),
        Task::Sdk { release } => {
            let dir = sdk::build(&workspace_root(), release).map_err(TaskError::Task)?;
            eprintln!("xtask: the C SDK is in {}", dir.display());
            Ok(())
        }
        Task::Help => {
            println!("{USAGE}");
            Ok(())
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Reads the task from the command line (without the program name). No task means `help`.
fn parse(args: &[OsString]) -> Result<Task, TaskError> {
    let Some(first) = args.first() else {
        return Ok(Task::Help);
    };
    let name = first.to_string_lossy();
    if name == "fuzz" {
        return parse_fuzz(&args[1..]);
    }
    // The one flag a task accepts, if any.
    let flag = match name.as_ref() {
        "header" => Some("--check"),
        "sdk" => Some("--release"),
        _ => None,
    };
    let rest = &args[1..];
    let flagged = match (rest, flag) {
        ([], _) => false,
        ([only], Some(flag)) if only == flag => true,
        ([extra, ..], _) => {
            let allowed = flag.map_or_else(String::new, |flag| format!(" (only `{flag}`)"));
            return Err(TaskError::Usage(format!(
                "task `{name}` takes no argument `{}`{allowed}",
                extra.to_string_lossy()
            )));
        }
    };
    match name.as_ref() {
        "ci" => Ok(Task::Ci),
        "header" => Ok(Task::Header { check: flagged }),
        "sdk" => Ok(Task::Sdk { release: flagged }),
        "help" | "--help" | "-h" => Ok(Task::Help),
        _ => Err(TaskError::Usage(format!("unknown task `{name}`"))),
    }
}

/// The arguments of `cargo xtask fuzz`: `[--seconds N] [TARGET]`, in any order.
fn parse_fuzz(args: &[OsString]) -> Result<Task, TaskError> {
    let mut seconds = fuzz::DEFAULT_SECONDS;
    let mut target = None;
    let mut rest = args.iter().map(|arg| arg.to_string_lossy());
    while let Some(arg) = rest.next() {
        if arg == "--seconds" {
            seconds = rest
                .next()
                .and_then(|value| value.parse().ok())
                .filter(|&value| value > 0)
                .ok_or_else(|| {
                    TaskError::Usage("`--seconds` takes a whole number of seconds above 0".into())
                })?;
        } else if arg.starts_with('-') || target.is_some() {
            return Err(TaskError::Usage(format!(
                "task `fuzz` takes no argument `{arg}` (only `--seconds N` and one target)"
            )));
        } else {
            target = Some(arg.into_owned());
        }
    }
    Ok(Task::Fuzz { seconds, target })
}

/// `cargo xtask header [--check]`.
fn run_header(check: bool) -> Result<(), TaskError> {
    let root = workspace_root();
    if check {
        let stale = header::stale(&root).map_err(TaskError::Task)?;
        if !stale.is_empty() {
            return Err(TaskError::Task(format!(
                "the C headers are out of date: {}; run `cargo xtask header` and commit the result",
                stale.join(", ")
            )));
        }
        eprintln!("xtask: the C headers are up to date");
        return Ok(());
    }
    for path in header::write(&root).map_err(TaskError::Task)? {
        eprintln!("xtask: wrote {}", path.display());
    }
    Ok(())
}

/// Runs every CI step from the workspace root, stopping at the first failure.
fn ci() -> Result<(), TaskError> {
    let root = workspace_root();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let started = Instant::now();
    for (index, step) in CI_STEPS.iter().enumerate() {
        let command = format!("cargo {}", step.args.join(" "));
        eprintln!(
            "xtask: [{}/{}] {}: {command}",
            index + 1,
            CI_STEPS.len(),
            step.what
        );
        let status = Command::new(&cargo)
            .args(step.args)
            .current_dir(&root)
            .status()
            .map_err(|source| TaskError::Spawn {
                command: command.clone(),
                source,
            })?;
        if !status.success() {
            return Err(TaskError::Failed {
                what: step.what,
                command,
                code: status.code(),
            });
        }
    }
    eprintln!(
        "xtask: all {} CI checks passed in {:.0?}",
        CI_STEPS.len(),
        started.elapsed()
    );
    Ok(())
}

/// The workspace root: the parent of this crate's directory, fixed at compile time so the
/// task works from any subdirectory.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.clone(), PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn no_task_means_help() {
        assert_eq!(parse(&[]).unwrap(), Task::Help);
        assert_eq!(parse(&args(&["--help"])).unwrap(), Task::Help);
    }

    #[test]
    fn ci_is_known_and_takes_no_arguments() {
        assert_eq!(parse(&args(&["ci"])).unwrap(), Task::Ci);
        let err = parse(&args(&["ci", "--fast"])).unwrap_err();
        assert!(
            err.to_string().contains("takes no argument `--fast`"),
            "{err}"
        );
    }

    #[test]
    fn header_and_sdk_take_their_one_flag() {
        assert_eq!(
            parse(&args(&["header"])).unwrap(),
            Task::Header { check: false }
        );
        assert_eq!(
            parse(&args(&["header", "--check"])).unwrap(),
            Task::Header { check: true }
        );
        assert_eq!(
            parse(&args(&["sdk", "--release"])).unwrap(),
            Task::Sdk { release: true }
        );
        let err = parse(&args(&["sdk", "--check"])).unwrap_err();
        assert!(err.to_string().contains("only `--release`"), "{err}");
    }

    #[test]
    fn fuzz_takes_seconds_and_one_target() {
        assert_eq!(
            parse(&args(&["fuzz"])).unwrap(),
            Task::Fuzz {
                seconds: fuzz::DEFAULT_SECONDS,
                target: None
            }
        );
        assert_eq!(
            parse(&args(&["fuzz", "json_decode", "--seconds", "5"])).unwrap(),
            Task::Fuzz {
                seconds: 5,
                target: Some("json_decode".into())
            }
        );
        for bad in [
            &["fuzz", "--seconds"][..],
            &["fuzz", "--seconds", "0"],
            &["fuzz", "--fast"],
            &["fuzz", "a", "b"],
        ] {
            assert!(parse(&args(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn an_unknown_task_is_named_in_the_error() {
        let err = parse(&args(&["bench"])).unwrap_err();
        assert!(err.to_string().contains("unknown task `bench`"), "{err}");
        assert!(err.to_string().contains("usage: cargo xtask"), "{err}");
    }

    #[test]
    fn ci_steps_match_the_ci_script() {
        let script = include_str!("../../.ci/run");
        for step in CI_STEPS {
            let command = format!("cargo {}", step.args.join(" "));
            assert!(
                script.contains(&command),
                ".ci/run does not run `{command}`"
            );
        }
    }

    /// TLS everywhere is rustls on ring: aws-lc (a C and assembly build, and a second crypto
    /// library) and OpenSSL must not enter the build through a new dependency or feature.
    #[test]
    fn the_lock_file_has_no_aws_lc_and_no_openssl() {
        let lock = std::fs::read_to_string(workspace_root().join("Cargo.lock")).unwrap();
        let packages: Vec<&str> = lock
            .lines()
            .filter_map(|line| line.strip_prefix("name = "))
            .map(|name| name.trim_matches('"'))
            .collect();
        assert!(
            packages.contains(&"ring"),
            "the lock file lists no ring: wrong file?"
        );
        for banned in [
            "aws-lc-rs",
            "aws-lc-sys",
            "openssl",
            "openssl-sys",
            "native-tls",
        ] {
            assert!(
                !packages.contains(&banned),
                "Cargo.lock pulls {banned}: find who with `cargo tree -i {banned}`"
            );
        }
    }

    #[test]
    fn the_workspace_root_holds_the_workspace_manifest() {
        assert!(workspace_root().join("Cargo.toml").is_file());
        assert!(workspace_root().join("xtask").is_dir());
    }
}
