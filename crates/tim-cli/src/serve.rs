//! `tim serve`: one command starts a working server. The app list and the other settings come
//! from flags, from a TOML file (`--config`), or both (flags win).
//!
//! ```toml
//! listen = "127.0.0.1:9000"
//! data_dir = "tim-data"
//! heartbeat_secs = 30
//! revoke_window_secs = 120
//! list_delete_interval_ms = 1000
//! # Optional backends (see docs/operations.md):
//! translate_url = "http://127.0.0.1:5000"   # LibreTranslate API, for TIMMsgTranslateText
//! translate_api_key = "..."
//! push_gateway = "http://127.0.0.1:8088"    # Gorush API, for offline push
//! max_transfers_per_connection = 4
//! # storage, bus, blob_dir_shared: several nodes, see `serve_cluster`
//! # [limits]: resource bounds, see `serve_limits`
//!
//! [[apps]]
//! sdk_app_id = 1400000001
//! secret_key = "a long random secret"
//! ```

use crate::CliError;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tim_server::{AppConfig, PushGateway, Server, ServerConfig, TranslateBackend};

/// Where the server listens unless told otherwise: loopback only.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:9000";
/// Where the server keeps its data unless told otherwise.
pub const DEFAULT_DATA_DIR: &str = "tim-data";

/// The flags of `tim serve`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ServeArgs {
    /// Address of the QUIC listener [default: 127.0.0.1:9000].
    #[arg(long)]
    pub listen: Option<SocketAddr>,
    /// Directory of the database and certificate [default: tim-data].
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// An app served, as SDKAPPID:SECRET_KEY (repeat for several apps).
    #[arg(long = "app", value_name = "SDKAPPID:KEY")]
    pub apps: Vec<String>,
    /// A TOML file with `listen`, `data_dir`, `heartbeat_secs` and `[[apps]]`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Seconds between client heartbeats [default: 30].
    #[arg(long)]
    pub heartbeat_secs: Option<u64>,
    /// Seconds after sending during which a sender may revoke a message [default: 120].
    #[arg(long)]
    pub revoke_window_secs: Option<u64>,
    /// Milliseconds a user waits between two cloud deletes of messages (TIMMsgListDelete;
    /// sooner: 7008) [default: 1000].
    #[arg(long)]
    pub list_delete_interval_ms: Option<u64>,
    /// Base URL of a LibreTranslate-API server for TIMMsgTranslateText (without it,
    /// translation fails with 7013).
    #[arg(long, value_name = "URL")]
    pub translate_url: Option<String>,
    /// API key sent to the translation server.
    #[arg(long, value_name = "KEY")]
    pub translate_api_key: Option<String>,
    /// Base URL of a Gorush-API push gateway for offline push (without it, nothing is
    /// pushed).
    #[arg(long, value_name = "URL")]
    pub push_gateway: Option<String>,
    /// Media uploads and downloads one connection may run at once (further ones wait)
    /// [default: 4]. Media bytes live in `<data_dir>/blobs`, unfinished uploads in
    /// `<data_dir>/uploads`.
    #[arg(long)]
    pub max_transfers_per_connection: Option<u32>,
    /// Media bytes in an S3-compatible object store instead of `<data_dir>/blobs` (keys from
    /// the environment: TIM_S3_ACCESS_KEY, TIM_S3_SECRET_KEY).
    #[command(flatten)]
    pub blob_s3: crate::serve_s3::BlobS3Args,
    /// Resource bounds (image decoding, staged uploads, media sweep, push).
    #[command(flatten)]
    pub limits: Box<crate::serve_limits::LimitArgs>,
    /// Several nodes: the shared storage and the bus between nodes.
    #[command(flatten)]
    pub cluster: crate::serve_cluster::ClusterArgs,
}

/// The configuration file of `tim serve --config`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    heartbeat_secs: Option<u64>,
    revoke_window_secs: Option<u64>,
    list_delete_interval_ms: Option<u64>,
    translate_url: Option<String>,
    translate_api_key: Option<String>,
    push_gateway: Option<String>,
    max_transfers_per_connection: Option<u32>,
    limits: Option<crate::serve_limits::LimitArgs>,
    #[serde(flatten)]
    cluster: crate::serve_cluster::FileCluster,
    #[serde(default)]
    apps: Vec<FileApp>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileApp {
    sdk_app_id: u64,
    secret_key: String,
}

/// Turns flags and the optional file into a server configuration, refusing what cannot work
/// (no app, an empty key, the same SDKAppID twice, a heartbeat of zero).
pub fn server_config(args: &ServeArgs) -> Result<ServerConfig, CliError> {
    let file = match &args.config {
        Some(path) => read_config_file(path)?,
        None => FileConfig::default(),
    };
    let listen = match args.listen.or(file.listen) {
        Some(listen) => listen,
        None => DEFAULT_LISTEN
            .parse()
            .map_err(|err| CliError::usage(format!("default listen address: {err}")))?,
    };
    let data_dir = args
        .data_dir
        .clone()
        .or(file.data_dir)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
    let mut apps: Vec<AppConfig> = file
        .apps
        .into_iter()
        .map(|app| AppConfig {
            sdk_app_id: app.sdk_app_id,
            secret_key: app.secret_key,
        })
        .collect();
    for flag in &args.apps {
        apps.push(parse_app(flag)?);
    }
    check_apps(&apps)?;
    let mut config = ServerConfig::new(listen, data_dir, apps);
    if let Some(secs) = args.heartbeat_secs.or(file.heartbeat_secs) {
        if secs == 0 {
            return Err(CliError::usage("heartbeat_secs must be at least 1"));
        }
        config.heartbeat_interval = Duration::from_secs(secs);
    }
    if let Some(secs) = args.revoke_window_secs.or(file.revoke_window_secs) {
        config.revoke_window = Duration::from_secs(secs);
    }
    if let Some(ms) = args
        .list_delete_interval_ms
        .or(file.list_delete_interval_ms)
    {
        config.list_delete_interval = Duration::from_millis(ms);
    }
    let translate_key = args.translate_api_key.clone().or(file.translate_api_key);
    match args.translate_url.clone().or(file.translate_url) {
        Some(url) => {
            let mut backend = TranslateBackend::new(check_url("translate_url", &url)?);
            backend.api_key = translate_key.filter(|key| !key.is_empty());
            config.translate = Some(backend);
        }
        None if translate_key.is_some() => {
            return Err(CliError::usage(
                "translate_api_key is set but translate_url is not",
            ));
        }
        None => {}
    }
    if let Some(url) = args.push_gateway.clone().or(file.push_gateway) {
        config.push_gateway = Some(PushGateway::new(check_url("push_gateway", &url)?));
    }
    if let Some(transfers) = args
        .max_transfers_per_connection
        .or(file.max_transfers_per_connection)
    {
        if transfers == 0 {
            return Err(CliError::usage(
                "max_transfers_per_connection must be at least 1",
            ));
        }
        config.media.max_transfers_per_connection = transfers;
    }
    args.limits.apply(file.limits, &mut config)?;
    args.cluster.apply(file.cluster, &mut config)?;
    if let Some(s3) = args.blob_s3.s3_config()? {
        config.blob = tim_server::blob::BlobConfig::S3(s3);
    }
    Ok(config)
}

/// An `http://` or `https://` URL with a host.
fn check_url(what: &str, url: &str) -> Result<String, CliError> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') => Ok(url.to_owned()),
        _ => Err(CliError::usage(format!(
            "{what} {url:?}: expected an http:// or https:// URL"
        ))),
    }
}

fn read_config_file(path: &Path) -> Result<FileConfig, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| CliError::usage(format!("{}: {err}", path.display())))?;
    toml::from_str(&text).map_err(|err| CliError::usage(format!("{}: {err}", path.display())))
}

/// Parses `SDKAPPID:KEY`.
fn parse_app(flag: &str) -> Result<AppConfig, CliError> {
    let (id, key) = flag
        .split_once(':')
        .ok_or_else(|| CliError::usage(format!("--app {flag:?}: expected SDKAPPID:SECRET_KEY")))?;
    let sdk_app_id = id
        .trim()
        .parse::<u64>()
        .map_err(|_| CliError::usage(format!("--app {flag:?}: {id:?} is not an SDKAppID")))?;
    Ok(AppConfig {
        sdk_app_id,
        secret_key: key.to_owned(),
    })
}

fn check_apps(apps: &[AppConfig]) -> Result<(), CliError> {
    if apps.is_empty() {
        return Err(CliError::usage(
            "no app configured: pass --app SDKAPPID:SECRET_KEY or a --config file with [[apps]]",
        ));
    }
    for (n, app) in apps.iter().enumerate() {
        if app.secret_key.is_empty() {
            return Err(CliError::usage(format!(
                "app {}: the secret key is empty",
                app.sdk_app_id
            )));
        }
        if apps[..n]
            .iter()
            .any(|other| other.sdk_app_id == app.sdk_app_id)
        {
            return Err(CliError::usage(format!(
                "app {} is configured twice",
                app.sdk_app_id
            )));
        }
    }
    Ok(())
}

/// Starts the server, prints where it listens and how clients trust it, and runs until
/// Ctrl-C (or SIGTERM), then shuts down cleanly.
pub async fn run(args: &ServeArgs) -> Result<(), CliError> {
    let config = server_config(args)?;
    let apps: Vec<String> = config
        .apps
        .iter()
        .map(|app| app.sdk_app_id.to_string())
        .collect();
    let data_dir = config.data_dir.clone();
    let server = Server::start(config)
        .await
        .map_err(|err| CliError::failed(format!("cannot start the server: {err}")))?;
    println!("tim-server listening on {} (QUIC)", server.local_addr());
    println!("data directory: {}", data_dir.display());
    println!("apps: {}", apps.join(", "));
    println!("{}", server.certificate().trust_instructions());
    println!("ready");
    wait_for_stop().await;
    println!("shutting down");
    server.shutdown().await;
    Ok(())
}

/// Resolves on Ctrl-C, or on SIGTERM where there is one.
async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(apps: &[&str]) -> ServeArgs {
        ServeArgs {
            apps: apps.iter().map(|s| (*s).to_owned()).collect(),
            ..ServeArgs::default()
        }
    }

    #[test]
    fn flags_make_a_loopback_server_with_their_apps() {
        let config = server_config(&args(&["1400000001:k1", "1400000002:k:with:colons"]))
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(config.listen.to_string(), DEFAULT_LISTEN);
        assert_eq!(config.apps.len(), 2);
        assert_eq!(config.apps[1].secret_key, "k:with:colons");
        assert_eq!(config.revoke_window, Duration::from_secs(120));
        assert_eq!(config.list_delete_interval, Duration::from_secs(1));
        assert_eq!(config.media, tim_server::MediaLimits::default());
    }

    #[test]
    fn a_file_gives_settings_and_flags_win() {
        let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
        let path = dir.path().join("tim.toml");
        std::fs::write(
            &path,
            "listen = \"127.0.0.1:9100\"\ndata_dir = \"d\"\nheartbeat_secs = 5\n\
             revoke_window_secs = 30\nlist_delete_interval_ms = 250\n\
             max_transfers_per_connection = 2\n\
             [[apps]]\nsdk_app_id = 7\nsecret_key = \"s\"\n",
        )
        .unwrap_or_else(|err| panic!("{err}"));
        let mut with_file = args(&["8:t"]);
        with_file.config = Some(path);
        with_file.listen = Some(SocketAddr::from(([127, 0, 0, 1], 9200)));
        let config = server_config(&with_file).unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(config.listen.port(), 9200);
        assert_eq!(config.data_dir, PathBuf::from("d"));
        assert_eq!(config.heartbeat_interval, Duration::from_secs(5));
        assert_eq!(config.revoke_window, Duration::from_secs(30));
        assert_eq!(config.list_delete_interval, Duration::from_millis(250));
        assert_eq!(config.media.max_transfers_per_connection, 2);
        let ids: Vec<u64> = config.apps.iter().map(|app| app.sdk_app_id).collect();
        assert_eq!(ids, vec![7, 8]);
    }

    #[derive(Debug, clap::Parser)]
    struct Serve {
        #[command(flatten)]
        args: ServeArgs,
    }

    fn parse(flags: &[&str]) -> Result<ServerConfig, String> {
        use clap::Parser as _;
        let parsed = Serve::try_parse_from(std::iter::once("serve").chain(flags.iter().copied()))
            .map_err(|err| err.to_string())?;
        server_config(&parsed.args).map_err(|err| err.to_string())
    }

    #[test]
    fn backend_flags_configure_translation_and_push() {
        let config = parse(&[
            "--app",
            "1:k",
            "--translate-url",
            "http://127.0.0.1:5000",
            "--translate-api-key",
            "secret",
            "--push-gateway",
            "https://push.example:8088/",
        ])
        .unwrap_or_else(|err| panic!("{err}"));
        let translate = config.translate.unwrap_or_else(|| panic!("no translate"));
        assert_eq!(translate.url, "http://127.0.0.1:5000");
        assert_eq!(translate.api_key.as_deref(), Some("secret"));
        let push = config.push_gateway.unwrap_or_else(|| panic!("no push"));
        assert_eq!(push.url, "https://push.example:8088/");

        let none = parse(&["--app", "1:k"]).unwrap_or_else(|err| panic!("{err}"));
        assert!(none.translate.is_none() && none.push_gateway.is_none());

        for (flags, needle) in [
            (vec!["--translate-url", "ftp://x"], "translate_url"),
            (vec!["--push-gateway", "localhost:8088"], "push_gateway"),
            (vec!["--translate-api-key", "k"], "translate_url is not"),
        ] {
            let mut all = vec!["--app", "1:k"];
            all.extend(flags);
            let err = parse(&all).err().unwrap_or_default();
            assert!(err.contains(needle), "{all:?}: {err}");
        }

        let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
        let path = dir.path().join("tim.toml");
        std::fs::write(
            &path,
            "translate_url = \"http://lt:5000\"\npush_gateway = \"http://gorush:8088\"\n",
        )
        .unwrap_or_else(|err| panic!("{err}"));
        let from_file = parse(&["--app", "1:k", "--config", &path.to_string_lossy()])
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(
            from_file.translate.map(|t| t.url).as_deref(),
            Some("http://lt:5000")
        );
        assert_eq!(
            from_file.push_gateway.map(|p| p.url).as_deref(),
            Some("http://gorush:8088")
        );
    }

    #[test]
    fn unusable_settings_are_refused_with_a_reason() {
        for (apps, needle) in [
            (vec![], "no app configured"),
            (vec!["nocolon"], "expected SDKAPPID:SECRET_KEY"),
            (vec!["abc:key"], "is not an SDKAppID"),
            (vec!["1:"], "secret key is empty"),
            (vec!["1:a", "1:b"], "configured twice"),
        ] {
            let err = server_config(&args(&apps)).err().map(|err| err.to_string());
            assert!(
                err.as_deref().is_some_and(|err| err.contains(needle)),
                "{apps:?}: {err:?}"
            );
        }
        let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, "listen = 5\n").unwrap_or_else(|err| panic!("{err}"));
        let mut bad = args(&["1:k"]);
        bad.config = Some(path);
        assert!(server_config(&bad).is_err());
        let mut zero = args(&["1:k"]);
        zero.heartbeat_secs = Some(0);
        assert!(server_config(&zero).is_err());
    }
}
