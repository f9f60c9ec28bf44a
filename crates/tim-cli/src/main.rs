//! The `tim` binary: see the `tim_cli` library for the commands.

use clap::{Parser, Subcommand};
use std::process::ExitCode;
use tim_cli::CliError;
use tim_cli::chat::ChatArgs;
use tim_cli::group::GroupArgs;
use tim_cli::profile::ProfileArgs;
use tim_cli::serve::ServeArgs;
use tim_cli::usersig::UserSigArgs;

/// tim: a self-hostable instant-messaging engine compatible with the Tencent IM C SDK.
#[derive(Debug, Parser)]
#[command(name = "tim", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a tim server (QUIC, embedded storage) until Ctrl-C.
    Serve(Box<ServeArgs>),
    /// Mint a UserSig (TLSSigAPIv2) for a user from the app's secret key.
    Usersig(UserSigArgs),
    /// Manage groups as a user: create, add, remove, join, quit, dismiss, members.
    Group(GroupArgs),
    /// Show users' profiles, or set your own.
    Profile(ProfileArgs),
    /// Chat from the terminal with a user or in a group.
    Chat(ChatArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_env("TIM_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    // TIM_LOG_FORMAT=json: one JSON object per log line (for log collectors).
    let json = std::env::var("TIM_LOG_FORMAT").is_ok_and(|format| format == "json");
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        logs.json().init();
    } else {
        logs.init();
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("tim: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Usersig(args) => {
            println!("{}", tim_cli::usersig::mint(&args)?);
            Ok(())
        }
        Command::Serve(args) => runtime()?.block_on(tim_cli::serve::run(&args)),
        Command::Group(args) => {
            for line in runtime()?.block_on(tim_cli::group::run(&args))? {
                println!("{line}");
            }
            Ok(())
        }
        Command::Profile(args) => {
            for line in runtime()?.block_on(tim_cli::profile::run(&args))? {
                println!("{line}");
            }
            Ok(())
        }
        Command::Chat(args) => runtime()?.block_on(tim_cli::chat::run(&args)),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| CliError::failed(format!("cannot start the async runtime: {err}")))
}
