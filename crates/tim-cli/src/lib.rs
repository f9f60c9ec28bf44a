//! `tim-cli` is the `tim` command line: `tim serve` (run a server), `tim usersig` (mint a
//! UserSig from an app's key), `tim group ...` (manage groups as a user), `tim profile ...`
//! (show and set profiles) and `tim chat` (talk from a terminal).
//!
//! It is a thin facade over `tim-server` and `tim-rs`. What it must never do: hold logic that a
//! library user would also need (that belongs in the library crates), or print a secret key.
//!
//! Modules: [`serve`] (flags and config file to a running server), [`serve_s3`] (the S3 blob
//! store flags of `tim serve`), [`serve_limits`] (its resource bounds), [`usersig`] (minting),
//! [`connect`] (the flags client commands share), [`group`], [`profile`] and [`chat`].

pub mod chat;
pub mod connect;
pub mod group;
pub mod profile;
pub mod serve;
pub mod serve_cluster;
pub mod serve_limits;
pub mod serve_s3;
pub mod usersig;

use std::fmt;

/// Why a command failed; `main` prints it and exits with [`CliError::exit_code`].
#[derive(Debug)]
pub struct CliError {
    message: String,
    exit_code: u8,
}

impl CliError {
    /// The command line or a configuration file is wrong (exit code 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            exit_code: 2,
        }
    }

    /// The command was understood but failed (exit code 1).
    pub fn failed(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            exit_code: 1,
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        self.exit_code
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}
