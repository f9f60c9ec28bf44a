//! `cargo xtask fuzz [--seconds N] [TARGET]`: builds the cargo-fuzz targets of `fuzz/` with
//! libFuzzer's coverage instrumentation on the stable toolchain, then runs each (or `TARGET`)
//! for N seconds (default 30) from its checked-in seeds (`fuzz/corpus/<target>/`). Any crash,
//! panic or timeout fails the task; the input is kept under `fuzz/artifacts/<target>/`.
//!
//! Why not `cargo fuzz run`: it builds in release with every crate instrumented, which takes
//! several minutes on CI's 2 cores, and cargo-fuzz itself is one more install. This task uses
//! the same libFuzzer (libfuzzer-sys, linked by the targets) and the same SanitizerCoverage
//! passes, stable rustc flags, but
//! - builds in the dev profile (`fuzz/Cargo.toml` optimizes libFuzzer itself, whose debug
//!   build would dominate the run time), and
//! - instruments only the crates whose input handling is under test ([`INSTRUMENTED`]): this
//!   program is also the build's `RUSTC_WRAPPER` and adds the coverage flags to those crates
//!   alone ([`rustc_wrapper`]). Uninstrumented dependencies (tokio, redb, ...) still run; the
//!   fuzzer only gets no coverage feedback from inside them, and their smaller counter tables
//!   keep the debug build's executions fast.
//!
//! No sanitizer: safe Rust needs none. The build goes to `<fuzz>/target/xtask` (or
//! `$CARGO_TARGET_DIR/tim-fuzz`), apart from `cargo fuzz`'s builds.

use crate::TaskError;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Set (to anything) in the environment of the fuzz build: this program then acts as
/// `RUSTC_WRAPPER` instead of a task runner.
pub const WRAPPER_ENV: &str = "TIM_XTASK_RUSTC_WRAPPER";

/// Crates (as rustc names them) that get coverage instrumentation: tim's own, the fuzz targets,
/// and the two decoders of outside bytes they hand input to.
const INSTRUMENTED: &[&str] = &["tim_", "serde_json", "prost"];

/// What `cargo fuzz` passes to rustc for libFuzzer's coverage, minus `--cfg fuzzing` (given to
/// every crate through `RUSTFLAGS`).
const COVERAGE_FLAGS: &[&str] = &[
    "-Cpasses=sancov-module",
    "-Cllvm-args=-sanitizer-coverage-level=4",
    "-Cllvm-args=-sanitizer-coverage-inline-8bit-counters",
    "-Cllvm-args=-sanitizer-coverage-pc-table",
    "-Cllvm-args=-sanitizer-coverage-trace-compares",
    "-Cllvm-args=-sanitizer-coverage-stack-depth",
    "-Cllvm-args=-simplifycfg-branch-fold-threshold=0",
];

/// Default run time of each target.
pub const DEFAULT_SECONDS: u64 = 30;

/// Longest time one input may take before libFuzzer reports it as a hang.
const INPUT_TIMEOUT_SECS: u64 = 20;

/// Runs rustc (`args[0]`) with `args[1..]`, adding [`COVERAGE_FLAGS`] when it compiles one of
/// the [`INSTRUMENTED`] crates for the target (not a build script or proc macro, which are
/// built for the host without `--target` and must not link against libFuzzer).
pub fn rustc_wrapper(args: &[OsString]) -> ExitCode {
    let Some((rustc, rest)) = args.split_first() else {
        eprintln!("xtask: as RUSTC_WRAPPER: no rustc to run");
        return ExitCode::FAILURE;
    };
    let mut command = Command::new(rustc);
    command.args(rest);
    if instrumented(rest) {
        command.args(COVERAGE_FLAGS);
    }
    match command.status() {
        Ok(status) => status
            .code()
            .and_then(|code| u8::try_from(code).ok())
            .map_or(ExitCode::FAILURE, ExitCode::from),
        Err(error) => {
            eprintln!("xtask: as RUSTC_WRAPPER: cannot run {rustc:?}: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Whether a rustc command line compiles an [`INSTRUMENTED`] crate for the target.
fn instrumented(args: &[OsString]) -> bool {
    let crate_name = args
        .windows(2)
        .find(|pair| pair[0] == "--crate-name")
        .map(|pair| pair[1].to_string_lossy().into_owned());
    let for_target = args.iter().any(|arg| arg == "--target");
    for_target
        && crate_name.is_some_and(|name| {
            INSTRUMENTED.iter().any(|prefix| {
                name == *prefix || (prefix.ends_with('_') && name.starts_with(prefix))
            })
        })
}

/// The `[[bin]]` names of the fuzz crate's manifest: its targets.
pub fn targets(manifest: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut in_bin = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if in_bin && let Some(value) = line.strip_prefix("name") {
            let name = value.trim_start().trim_start_matches('=').trim();
            targets.push(name.trim_matches('"').to_owned());
        }
    }
    targets
}

/// `cargo xtask fuzz`: builds, then runs `only` (or every target) for `seconds` each.
pub fn run(root: &Path, seconds: u64, only: Option<&str>) -> Result<(), TaskError> {
    let fuzz_dir = root.join("fuzz");
    let manifest = fuzz_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .map_err(|e| TaskError::Task(format!("{}: {e}", manifest.display())))?;
    let mut targets = targets(&text);
    if let Some(only) = only {
        if !targets.iter().any(|t| t == only) {
            return Err(TaskError::Task(format!(
                "no fuzz target `{only}`; the targets are {}",
                targets.join(", ")
            )));
        }
        targets.retain(|t| t == only);
    }
    let target_dir = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || fuzz_dir.join("target").join("xtask"),
        |dir| PathBuf::from(dir).join("tim-fuzz"),
    );
    let host = host_triple()?;
    let started = Instant::now();
    build(&manifest, &target_dir, &host)?;
    eprintln!("xtask: fuzz targets built in {:.0?}", started.elapsed());
    let bin_dir = target_dir.join(&host).join("debug");
    for target in &targets {
        run_target(&fuzz_dir, &bin_dir, &target_dir, target, seconds)?;
    }
    eprintln!(
        "xtask: {} fuzz targets ran {seconds} s each without a crash ({:.0?} in all)",
        targets.len(),
        started.elapsed()
    );
    Ok(())
}

/// The host's target triple, from `rustc -vV`.
fn host_triple() -> Result<String, TaskError> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| OsString::from("rustc"));
    let output = Command::new(&rustc)
        .arg("-vV")
        .output()
        .map_err(|source| TaskError::Spawn {
            command: "rustc -vV".into(),
            source,
        })?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| TaskError::Task("`rustc -vV` names no host".into()))
}

fn build(manifest: &Path, target_dir: &Path, host: &str) -> Result<(), TaskError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let me = std::env::current_exe().map_err(|e| TaskError::Task(format!("xtask's path: {e}")))?;
    // `--target` keeps RUSTFLAGS and the coverage flags off build scripts and proc macros.
    let args = [
        OsString::from("build"),
        "--manifest-path".into(),
        manifest.into(),
        "--locked".into(),
        "--bins".into(),
        "--target".into(),
        host.into(),
        "--target-dir".into(),
        target_dir.into(),
    ];
    let mut rustflags = OsString::from("--cfg fuzzing");
    if let Some(extra) = std::env::var_os("RUSTFLAGS") {
        rustflags.push(" ");
        rustflags.push(extra);
    }
    let command = format!(
        "cargo build --manifest-path {} --locked --bins --target {host} (instrumented)",
        manifest.display()
    );
    eprintln!("xtask: {command}");
    let status = Command::new(&cargo)
        .args(&args)
        .env("RUSTFLAGS", rustflags)
        .env("RUSTC_WRAPPER", &me)
        .env(WRAPPER_ENV, "1")
        .status()
        .map_err(|source| TaskError::Spawn {
            command: command.clone(),
            source,
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(TaskError::Failed {
            what: "fuzz targets build",
            command,
            code: status.code(),
        })
    }
}

/// Runs one target for `seconds` from its seeds; its new inputs go to a scratch corpus, its
/// output to `<target dir>/<target>.log` (the summary and, on failure, the end are printed).
fn run_target(
    fuzz_dir: &Path,
    bin_dir: &Path,
    target_dir: &Path,
    target: &str,
    seconds: u64,
) -> Result<(), TaskError> {
    let seeds = fuzz_dir.join("corpus").join(target);
    if !seeds.is_dir() {
        return Err(TaskError::Task(format!(
            "fuzz target `{target}` has no seeds: add a few inputs under {}",
            seeds.display()
        )));
    }
    let corpus = target_dir.join("corpus").join(target);
    let artifacts = fuzz_dir.join("artifacts").join(target);
    let scratch = scratch_dir(target);
    for dir in [&corpus, &scratch] {
        let _ = std::fs::remove_dir_all(dir);
    }
    for dir in [&corpus, &artifacts, &scratch] {
        std::fs::create_dir_all(dir)
            .map_err(|e| TaskError::Task(format!("{}: {e}", dir.display())))?;
    }
    let log_path = target_dir.join(format!("{target}.log"));
    let log = std::fs::File::create(&log_path)
        .map_err(|e| TaskError::Task(format!("{}: {e}", log_path.display())))?;
    let err_log = log
        .try_clone()
        .map_err(|e| TaskError::Task(format!("{}: {e}", log_path.display())))?;
    let binary = bin_dir.join(target);
    let mut prefix = artifacts.into_os_string();
    prefix.push("/");
    let mut artifact_arg = OsString::from("-artifact_prefix=");
    artifact_arg.push(&prefix);
    let command = format!(
        "{} {} {} -max_total_time={seconds}",
        binary.display(),
        corpus.display(),
        seeds.display()
    );
    eprintln!("xtask: fuzz {target} for {seconds} s: {command}");
    let status = Command::new(&binary)
        .arg(&corpus)
        .arg(&seeds)
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-timeout={INPUT_TIMEOUT_SECS}"))
        .arg(artifact_arg)
        .arg("-print_final_stats=1")
        .env("TIM_FUZZ_SCRATCH", &scratch)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(err_log)
        .status()
        .map_err(|source| TaskError::Spawn {
            command: command.clone(),
            source,
        })?;
    let _ = std::fs::remove_dir_all(&scratch);
    let output = std::fs::read_to_string(&log_path).unwrap_or_default();
    if status.success() {
        eprintln!("xtask: fuzz {target}: {}", summary(&output));
        return Ok(());
    }
    let lines: Vec<&str> = output.lines().collect();
    let tail = &lines[lines.len().saturating_sub(60)..];
    eprintln!("{}", tail.join("\n"));
    Err(TaskError::Task(format!(
        "fuzz target `{target}` failed (full output: {}); the input is under {}; \
         run it again with `{} <input>`",
        log_path.display(),
        prefix.to_string_lossy(),
        binary.display()
    )))
}

/// Where a target keeps its server's files: on tmpfs when there is one (commits then cost no
/// disk flush), emptied before and after the run.
fn scratch_dir(target: &str) -> PathBuf {
    let shm = Path::new("/dev/shm");
    let parent = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    parent.join(format!("tim-xtask-fuzz-{target}-{}", std::process::id()))
}

/// The end of libFuzzer's output in one line: runs, coverage and corpus size.
fn summary(output: &str) -> String {
    let done = output
        .lines()
        .rev()
        .map(|line| line.split_whitespace().collect::<Vec<_>>())
        .find(|fields| fields.get(1) == Some(&"DONE"));
    let stat = |name: &str| {
        output
            .lines()
            .find_map(|line| line.strip_prefix(&format!("stat::{name}:")))
            .map_or("?", str::trim)
            .to_owned()
    };
    let field = |fields: &[&str], key: &str| {
        fields
            .iter()
            .position(|f| *f == key)
            .and_then(|i| fields.get(i + 1))
            .map_or("?", |v| *v)
            .to_owned()
    };
    match done {
        Some(fields) => format!(
            "{} runs ({} per second), coverage {} edges, {} features, corpus {}",
            stat("number_of_executed_units"),
            stat("average_exec_per_sec"),
            field(&fields, "cov:"),
            field(&fields, "ft:"),
            field(&fields, "corp:"),
        ),
        None => "finished".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn only_tim_crates_and_the_decoders_are_instrumented_for_the_target() {
        let target = ["--target", "x86_64-unknown-linux-gnu"];
        let with = |name: &str, extra: &[&str]| {
            let mut list = vec!["--crate-name", name, "--edition=2024"];
            list.extend(extra);
            instrumented(&args(&list))
        };
        assert!(with("tim_server", &target));
        assert!(with("tim_fuzz", &target));
        assert!(with("serde_json", &target));
        assert!(with("prost", &target));
        assert!(!with("prost_derive", &target));
        assert!(!with("tokio", &target));
        assert!(!with("tim_server", &[]), "host builds stay plain");
        assert!(!with("build_script_build", &target));
        assert!(!instrumented(&args(&["-vV"])));
    }

    #[test]
    fn every_target_of_the_fuzz_manifest_has_seeds() {
        let root = crate::workspace_root();
        let manifest = std::fs::read_to_string(root.join("fuzz/Cargo.toml")).unwrap();
        let targets = targets(&manifest);
        assert!(targets.len() >= 3, "{targets:?}");
        for target in &targets {
            let seeds = root.join("fuzz/corpus").join(target);
            let count = std::fs::read_dir(&seeds).map_or(0, Iterator::count);
            assert!(count > 0, "{} holds no seed", seeds.display());
        }
    }

    #[test]
    fn the_summary_reads_libfuzzers_final_lines() {
        let output = "#10\tINITED cov: 3 ft: 4 corp: 9/1329b exec/s: 0 rss: 29Mb\n\
                      #1611\tDONE   cov: 2635 ft: 7496 corp: 104/18Kb lim: 780 exec/s: 100 rss: 30Mb\n\
                      Done 1611 runs in 16 second(s)\n\
                      stat::number_of_executed_units: 1611\n\
                      stat::average_exec_per_sec:     100\n";
        assert_eq!(
            summary(output),
            "1611 runs (100 per second), coverage 2635 edges, 7496 features, corpus 104/18Kb"
        );
    }
}
