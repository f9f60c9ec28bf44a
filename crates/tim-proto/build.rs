//! Generates the prost types of `proto/tim/v1/*.proto` into `OUT_DIR/tim.v1.rs`.
//!
//! The .proto files are compiled by protox (pure Rust), so building needs no system `protoc`.

use std::error::Error;
use std::path::{Path, PathBuf};

/// The include root: imports are written `tim/v1/<file>.proto` relative to it.
const PROTO_ROOT: &str = "../../proto";
/// The package directory whose every .proto file is compiled.
const PACKAGE_DIR: &str = "../../proto/tim/v1";

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed={PACKAGE_DIR}");
    let mut files: Vec<PathBuf> = std::fs::read_dir(PACKAGE_DIR)?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|path| path.extension().is_some_and(|ext| ext == "proto"));
    // A stable order keeps the generated file identical from build to build.
    files.sort();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
    }

    let relative: Vec<PathBuf> = files
        .iter()
        .map(|file| file.strip_prefix(PROTO_ROOT).map(Path::to_path_buf))
        .collect::<Result<_, _>>()?;
    let descriptors = protox::compile(&relative, [PROTO_ROOT])?;
    prost_build::Config::new().compile_fds(descriptors)?;
    Ok(())
}
