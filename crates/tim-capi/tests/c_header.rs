//! The generated header (`include/TIMCloud.h`) accepts code written against Tencent's headers:
//! `tests/c/tencent_style.c` (C, `cc`) and its C++ twin `tests/c/tencent_style.cpp` (`c++`),
//! both compiled with `-Wall -Wextra -Werror` against `include/` only, linked with `-lImSDK`
//! and run. They need no server: every call they make answers synchronously.
//!
//! That the checked-in header matches the code is checked by xtask's
//! `checked_in_headers_are_up_to_date` (and `cargo xtask header --check`).

mod common;

use common::{compile, finish, im_sdk_dir};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Compiles `tests/c/<name>.cpp` with `c++` like [`compile`] does C.
fn compile_cpp(name: &str, out: &Path) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = im_sdk_dir();
    let exe = out.join(format!("{name}_cpp"));
    let output = Command::new("c++")
        .args(["-std=c++17", "-Wall", "-Wextra", "-Werror", "-o"])
        .arg(&exe)
        .arg(manifest.join(format!("tests/c/{name}.cpp")))
        .arg("-I")
        .arg(manifest.join("tests/c"))
        .arg("-I")
        .arg(manifest.join("include"))
        .arg("-L")
        .arg(lib)
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .args(["-lImSDK", "-lpthread"])
        .output()
        .unwrap_or_else(|err| panic!("cannot run `c++` (a C++ compiler is required): {err}"));
    assert!(
        output.status.success(),
        "c++ {name}.cpp failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    exe
}

fn run(exe: &Path, dir: &Path, what: &str) -> String {
    let child = Command::new(exe)
        .arg(dir.join("data"))
        .current_dir(dir)
        .env_remove("TIM_SERVER_ADDRESS")
        .env_remove("TIM_SERVER_CERT")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("spawn {what}: {err}"));
    let output = finish(what, child);
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn tencent_style_c_compiles_against_the_generated_header_and_runs() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let exe = compile("tencent_style", dir.path());
    let stdout = run(&exe, dir.path(), "tencent_style (C)");
    assert!(
        stdout.lines().any(|line| line == "OK c"),
        "stdout: {stdout}"
    );
}

#[test]
fn tencent_style_cpp_compiles_against_the_generated_header_and_runs() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let exe = compile_cpp("tencent_style", dir.path());
    let stdout = run(&exe, dir.path(), "tencent_style (C++)");
    assert!(stdout.contains("OK c++"), "stdout: {stdout}");
}

#[test]
fn a_callback_of_the_wrong_type_does_not_compile() {
    // The typedefs carry real parameter types: a log callback whose level is a string is
    // refused under -Werror (so the positive tests above prove the exact signatures match).
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let source = dir.path().join("wrong.c");
    std::fs::write(
        &source,
        "#include \"TIMCloud.h\"\n\
         static void on_log(const char* level, const char* log, const void* user_data) {\n\
         (void)level; (void)log; (void)user_data; }\n\
         int main(void) { TIMSetLogCallback(on_log, 0); return 0; }\n",
    )
    .unwrap_or_else(|err| panic!("{err}"));
    let output = Command::new("cc")
        .args([
            "-std=gnu11",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-fsyntax-only",
            "-I",
        ])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("include"))
        .arg(&source)
        .output()
        .unwrap_or_else(|err| panic!("cannot run `cc`: {err}"));
    assert!(!output.status.success(), "a mistyped callback compiled");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("TIMSetLogCallback"), "{stderr}");
}
