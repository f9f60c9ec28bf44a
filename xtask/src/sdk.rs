//! `cargo xtask sdk [--release]`: builds tim-capi and lays out the C SDK as Tencent ships it:
//!
//! ```text
//! <target>/<profile>/sdk/lib/libImSDK.so      (copy of libtim_capi.so)
//! <target>/<profile>/sdk/lib/libImSDK.a       (copy of libtim_capi.a)
//! <target>/<profile>/sdk/include/TIMCloud.h   (and Tencent's other header names)
//! ```
//!
//! An app compiles with `-I <sdk>/include` and links with `-L <sdk>/lib -lImSDK`. The headers
//! are copied from `crates/tim-capi/include` after checking they are up to date.

use crate::header;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the SDK's files go for one build profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// `<target>/<profile>`: where cargo leaves `libtim_capi.so` and `.a`.
    pub built: PathBuf,
    /// `<target>/<profile>/sdk`.
    pub sdk: PathBuf,
    /// `<sdk>/lib`.
    pub lib: PathBuf,
    /// `<sdk>/include`.
    pub include: PathBuf,
}

/// The library files: (cargo's name, the shipped name).
pub const LIBRARIES: &[(&str, &str)] = &[
    ("libtim_capi.so", "libImSDK.so"),
    ("libtim_capi.a", "libImSDK.a"),
];

impl Layout {
    /// The layout under `target_dir` for a release or a debug build.
    pub fn new(target_dir: &Path, release: bool) -> Self {
        let built = target_dir.join(if release { "release" } else { "debug" });
        let sdk = built.join("sdk");
        Self {
            lib: sdk.join("lib"),
            include: sdk.join("include"),
            sdk,
            built,
        }
    }
}

/// The target directory cargo uses: `CARGO_TARGET_DIR` or `<root>/target`.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        }
        _ => root.join("target"),
    }
}

/// Builds tim-capi and copies the libraries and headers into the layout; returns the SDK
/// directory.
pub fn build(root: &Path, release: bool) -> Result<PathBuf, String> {
    let stale = header::stale(root)?;
    if !stale.is_empty() {
        return Err(format!(
            "the C headers are out of date ({}); run `cargo xtask header` first",
            stale.join(", ")
        ));
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut args = vec!["build", "-p", "tim-capi", "--locked"];
    if release {
        args.push("--release");
    }
    let command = format!("cargo {}", args.join(" "));
    eprintln!("xtask: {command}");
    let status = Command::new(cargo)
        .args(&args)
        .current_dir(root)
        .status()
        .map_err(|err| format!("could not start `{command}`: {err}"))?;
    if !status.success() {
        return Err(format!("`{command}` failed ({status})"));
    }
    let layout = Layout::new(&target_dir(root), release);
    for dir in [&layout.lib, &layout.include] {
        std::fs::create_dir_all(dir)
            .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
    }
    for (built, shipped) in LIBRARIES {
        copy(&layout.built.join(built), &layout.lib.join(shipped))?;
    }
    let include = root.join(header::INCLUDE_DIR);
    let headers =
        std::iter::once(header::MAIN_HEADER).chain(header::FORWARDING_HEADERS.iter().copied());
    for name in headers {
        copy(&include.join(name), &layout.include.join(name))?;
    }
    Ok(layout.sdk)
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|err| format!("cannot copy {} to {}: {err}", from.display(), to.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sdk_lies_beside_the_build_it_comes_from() {
        let layout = Layout::new(Path::new("/t"), true);
        assert_eq!(layout.built, Path::new("/t/release"));
        assert_eq!(layout.lib, Path::new("/t/release/sdk/lib"));
        assert_eq!(layout.include, Path::new("/t/release/sdk/include"));
        let debug = Layout::new(Path::new("/t"), false);
        assert_eq!(debug.sdk, Path::new("/t/debug/sdk"));
        assert!(LIBRARIES.contains(&("libtim_capi.so", "libImSDK.so")));
        assert!(LIBRARIES.contains(&("libtim_capi.a", "libImSDK.a")));
    }
}
