//! The `tim serve` settings of a cluster: where the state lives (`--storage`) and how nodes
//! tell each other what they committed (`--bus`). With neither, `tim serve` is one node on the
//! redb file of its data directory, as always.
//!
//! ```toml
//! storage = "postgres://tim:secret@db.internal/tim"  # or "redb" (the default)
//! bus = "nats://nats.internal:4222"
//! blob_dir_shared = false                            # true: <data_dir>/blobs is shared
//! admin_listen = "127.0.0.1:9100"                    # /metrics, /livez, /readyz
//! ```

use crate::CliError;
use serde::Deserialize;
use tim_server::{BusConfig, ServerConfig, StorageBackend};

/// The cluster flags of `tim serve`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ClusterArgs {
    /// Where messages, users and groups are kept: `redb` (a file in the data directory, one
    /// node) or a PostgreSQL URL, `postgres://user:password@host:port/db` (several nodes share
    /// one database; a Unix socket: `postgres://user@/db?host=/run/postgresql`)
    /// [default: redb].
    #[arg(long, value_name = "URL")]
    pub storage: Option<String>,
    /// The cluster bus between nodes, `nats://host:port` (comma-separated for several NATS
    /// servers); needs a PostgreSQL storage and a blob store every node sees.
    #[arg(long, value_name = "URL")]
    pub bus: Option<String>,
    /// The subject prefix on the bus: clusters sharing one NATS use different ones
    /// [default: tim].
    #[arg(long, value_name = "PREFIX")]
    pub bus_subject_prefix: Option<String>,
    /// The blob directory (<data_dir>/blobs) is shared by every node (a network file
    /// system): allows it together with --bus.
    #[arg(long)]
    pub blob_dir_shared: bool,
    /// Where the admin endpoints listen, plain HTTP for a private network: /metrics
    /// (Prometheus), /livez, /readyz (ready when the storage and the bus answer).
    #[arg(long, value_name = "ADDRESS")]
    pub admin_listen: Option<std::net::SocketAddr>,
}

/// The same settings in the configuration file.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileCluster {
    storage: Option<String>,
    bus: Option<String>,
    bus_subject_prefix: Option<String>,
    blob_dir_shared: Option<bool>,
    admin_listen: Option<std::net::SocketAddr>,
}

/// The storage backend `text` names.
pub fn parse_storage(text: &str) -> Result<StorageBackend, CliError> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("redb") {
        return Ok(StorageBackend::Redb);
    }
    if text.starts_with("postgres://") || text.starts_with("postgresql://") {
        return Ok(StorageBackend::Postgres {
            url: text.to_owned(),
        });
    }
    Err(CliError::usage(format!(
        "storage {text:?}: expected `redb` or a postgres:// URL"
    )))
}

/// The bus `text` names.
pub fn parse_bus(text: &str) -> Result<String, CliError> {
    let urls: Vec<&str> = text.split(',').map(str::trim).collect();
    let valid = urls.iter().all(|url| {
        ["nats://", "tls://"].iter().any(|scheme| {
            url.strip_prefix(scheme)
                .is_some_and(|rest| !rest.is_empty())
        })
    });
    if valid && !urls.is_empty() {
        Ok(urls.join(","))
    } else {
        Err(CliError::usage(format!(
            "bus {text:?}: expected nats://host:port (comma-separated for several)"
        )))
    }
}

impl ClusterArgs {
    /// Applies the flags over the file's settings to `config`.
    pub fn apply(&self, file: FileCluster, config: &mut ServerConfig) -> Result<(), CliError> {
        if let Some(storage) = self.storage.as_deref().or(file.storage.as_deref()) {
            config.storage = parse_storage(storage)?;
        }
        let prefix = self
            .bus_subject_prefix
            .clone()
            .or(file.bus_subject_prefix)
            .filter(|p| !p.is_empty());
        match self.bus.as_deref().or(file.bus.as_deref()) {
            Some(bus) => {
                let mut bus = BusConfig::new(parse_bus(bus)?);
                if let Some(prefix) = prefix {
                    if !prefix
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    {
                        return Err(CliError::usage(format!(
                            "bus_subject_prefix {prefix:?}: letters, digits, - and _ only"
                        )));
                    }
                    bus.subject_prefix = prefix;
                }
                config.bus = Some(bus);
            }
            None if prefix.is_some() => {
                return Err(CliError::usage("bus_subject_prefix is set but bus is not"));
            }
            None => {}
        }
        config.blob_dir_shared = self.blob_dir_shared || file.blob_dir_shared.unwrap_or(false);
        config.admin_listen = self.admin_listen.or(file.admin_listen);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> ServerConfig {
        ServerConfig::new(
            "127.0.0.1:0".parse().unwrap_or_else(|e| panic!("{e}")),
            "d".into(),
            Vec::new(),
        )
    }

    #[test]
    fn storage_and_bus_parse_and_bad_ones_are_refused() {
        assert_eq!(parse_storage("redb").ok(), Some(StorageBackend::Redb));
        assert!(matches!(
            parse_storage("postgres://u@/db?host=/run/pg"),
            Ok(StorageBackend::Postgres { .. })
        ));
        assert!(parse_storage("mysql://x").is_err());
        assert_eq!(
            parse_bus("nats://a:4222, nats://b:4222").ok().as_deref(),
            Some("nats://a:4222,nats://b:4222")
        );
        assert!(parse_bus("http://a").is_err());
        assert!(parse_bus("nats://").is_err());
    }

    #[test]
    fn flags_win_over_the_file_and_defaults_stay_one_node() {
        let mut plain = config();
        ClusterArgs::default()
            .apply(FileCluster::default(), &mut plain)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(plain.storage, StorageBackend::Redb);
        assert_eq!(plain.bus, None);
        assert!(!plain.blob_dir_shared);

        let file = FileCluster {
            storage: Some("postgres://file/db".into()),
            bus: Some("nats://file:4222".into()),
            bus_subject_prefix: Some("prod".into()),
            blob_dir_shared: Some(true),
            admin_listen: None,
        };
        let flags = ClusterArgs {
            storage: Some("postgres://flag/db".into()),
            ..ClusterArgs::default()
        };
        let mut clustered = config();
        flags
            .apply(file, &mut clustered)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            clustered.storage,
            StorageBackend::Postgres {
                url: "postgres://flag/db".into()
            }
        );
        let bus = clustered.bus.unwrap_or_else(|| panic!("no bus"));
        assert_eq!(bus.url, "nats://file:4222");
        assert_eq!(bus.subject_prefix, "prod");
        assert!(clustered.blob_dir_shared);

        let bad = ClusterArgs {
            bus_subject_prefix: Some("a.b".into()),
            bus: Some("nats://x:1".into()),
            ..ClusterArgs::default()
        };
        assert!(bad.apply(FileCluster::default(), &mut config()).is_err());
    }
}
