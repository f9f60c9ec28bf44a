//! [`Server`]: starts the storage, the writer, the QUIC listener and the accept loop, and
//! shuts them down in order.

use crate::cert::{self, CertificateInfo};
use crate::config::ServerConfig;
use crate::error::ServerError;
use crate::http_out::HttpOut;
use crate::hub::Hub;
use crate::offline_push::OfflinePush;
use crate::service::Services;
use crate::storage::Storage;

use crate::transfer::MediaSweep;
use crate::transport;
use crate::writer::Writer;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// A running server.
pub struct Server {
    local_addr: SocketAddr,
    certificate: CertificateInfo,
    services: Arc<Services>,
    shutdown: watch::Sender<bool>,
    accept: JoinHandle<()>,
    offline_task: Option<JoinHandle<()>>,
    sweep_task: Option<JoinHandle<()>>,
    trim_task: Option<JoinHandle<()>>,
    /// The cluster bus's tasks (none on one node).
    bus_tasks: Vec<JoinHandle<()>>,
    /// The admin endpoints' address and task, when configured.
    admin: Option<(SocketAddr, JoinHandle<()>)>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("local_addr", &self.local_addr)
            .finish_non_exhaustive()
    }
}

impl Server {
    /// Starts a server with the storage of `config.storage` (by default the redb file of
    /// `config.data_dir`), on the current tokio runtime: makes or loads the certificate,
    /// opens the database (migrating it), binds the listener.
    pub async fn start(config: ServerConfig) -> Result<Server, ServerError> {
        check(&config)?;
        let data_dir = config.data_dir.clone();
        let backend = config.storage.clone();
        let storage = tokio::task::spawn_blocking(move || match backend {
            crate::StorageBackend::Redb => crate::storage::redb::open(&data_dir),
            crate::StorageBackend::Postgres { url } => crate::storage::postgres::connect(&url),
        })
        .await
        .map_err(|e| ServerError::Config(format!("opening the storage: {e}")))??;
        Self::start_with_storage(config, Arc::new(storage)).await
    }

    /// Starts a server on another storage backend (the data directory still holds the
    /// certificate).
    pub async fn start_with_storage(
        config: ServerConfig,
        storage: Arc<dyn Storage>,
    ) -> Result<Server, ServerError> {
        check(&config)?;
        let identity = cert::load_or_create(&config.data_dir, config.listen)?;
        let blobs = crate::blob::open_store(&config.blob, &config.data_dir).map_err(|source| {
            ServerError::Io {
                path: config.data_dir.join("blobs"),
                source,
            }
        })?;
        let certificate = identity.info.clone();
        let hub = Arc::new(Hub::default());
        let http = HttpOut::new().map_err(ServerError::Config)?;
        let (offline, offline_task) = OfflinePush::start(
            config.push_gateway.clone(),
            config.push_queue,
            storage.clone(),
            hub.clone(),
            http.clone(),
        );
        let offline = Arc::new(offline);
        let stop_offline = |task: Option<JoinHandle<()>>| {
            if let Some(task) = task {
                task.abort();
            }
        };
        let writer = match Writer::start(
            storage.clone(),
            hub.clone(),
            offline.clone(),
            config.write_queue,
            config.max_commit_ops,
        ) {
            Ok(writer) => writer,
            Err(error) => {
                stop_offline(offline_task);
                return Err(error.into());
            }
        };
        let bus_tasks = match &config.bus {
            None => Vec::new(),
            Some(bus) => match crate::bus::nats::start(bus, hub.clone(), offline.clone()).await {
                Ok(tasks) => tasks,
                Err(error) => {
                    writer.shutdown().await;
                    stop_offline(offline_task);
                    return Err(error);
                }
            },
        };
        let endpoint = match transport::bind(&config, identity).await {
            Ok(endpoint) => endpoint,
            Err(error) => {
                for task in &bus_tasks {
                    task.abort();
                }
                writer.shutdown().await;
                stop_offline(offline_task);
                return Err(error);
            }
        };
        let local_addr = transport::local_addr(&endpoint, config.listen);
        let services = Arc::new(Services::new(
            config,
            crate::service::Parts {
                storage,
                writer,
                hub,
                http,
                offline,
                blobs,
            },
        ));
        let (shutdown, shutdown_rx) = watch::channel(false);
        let accept = tokio::spawn(transport::accept_loop(
            endpoint,
            services.clone(),
            shutdown_rx.clone(),
        ));
        let admin = match services.config.admin_listen {
            None => None,
            Some(address) => match tokio::net::TcpListener::bind(address).await {
                Ok(listener) => {
                    let bound = listener.local_addr().unwrap_or(address);
                    tracing::info!(%bound, "admin endpoints listening");
                    let task = tokio::spawn(crate::admin::serve(
                        listener,
                        services.clone(),
                        shutdown_rx.clone(),
                    ));
                    Some((bound, task))
                }
                Err(source) => {
                    let _ = shutdown.send(true);
                    let _ = accept.await;
                    services.writer.shutdown().await;
                    return Err(ServerError::Bind {
                        addr: address,
                        source,
                    });
                }
            },
        };
        let sweep_task = crate::transfer::start_sweep(services.clone());
        let trim_task = crate::log_trim::start(services.clone());
        tracing::info!(%local_addr, "tim-server listening");
        Ok(Server {
            local_addr,
            certificate,
            services,
            shutdown,
            accept,
            offline_task,
            sweep_task,
            trim_task,
            bus_tasks,
            admin,
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Where the admin endpoints listen, when configured.
    pub fn admin_addr(&self) -> Option<SocketAddr> {
        self.admin.as_ref().map(|(address, _)| *address)
    }

    /// Other nodes of the cluster this node has heard from recently (0 without a bus).
    pub fn cluster_nodes(&self) -> usize {
        self.services.hub.remote().nodes()
    }

    /// The certificate clients must trust.
    pub fn certificate(&self) -> &CertificateInfo {
        &self.certificate
    }

    /// Runs one media sweep as if the time were `now`: removes staged upload prefixes older
    /// than `MediaLimits::staging_ttl` and the files of uploads no stored message named within
    /// `MediaLimits::unreferenced_grace` (what the server also does every
    /// `MediaLimits::sweep_interval`). Failures are logged and counted, never returned.
    pub async fn sweep_media(&self, now: std::time::SystemTime) -> MediaSweep {
        crate::transfer::sweep(&self.services, now).await
    }

    /// Trims every user's event log to `ServerConfig::event_log`'s `keep_per_user` newest
    /// events now (the timer does the same every `trim_interval`); returns the events
    /// removed.
    pub async fn trim_event_logs(&self) -> u64 {
        crate::log_trim::trim_pass(&self.services).await
    }

    /// Closes every connection, finishes the queued writes, and releases the port and the
    /// database file.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        let _ = self.accept.await;
        if let Some((_, task)) = self.admin {
            let _ = task.await;
        }
        if let Some(task) = self.trim_task {
            task.abort();
            let _ = task.await;
        }
        if let Some(task) = self.sweep_task {
            // A sweep cut short leaves its work to the next one.
            task.abort();
            let _ = task.await;
        }
        self.services.writer.shutdown().await;
        for task in self.bus_tasks {
            task.abort();
            let _ = task.await;
        }
        if let Some(task) = self.offline_task {
            // Pushes still queued or in flight are dropped: they are best effort.
            task.abort();
            let _ = task.await;
        }
        drop(self.services);
    }
}

fn check(config: &ServerConfig) -> Result<(), ServerError> {
    if config.apps.is_empty() {
        return Err(ServerError::Config("no app is configured".into()));
    }
    for (index, app) in config.apps.iter().enumerate() {
        if app.secret_key.is_empty() {
            return Err(ServerError::Config(format!(
                "app {}: the secret key is empty",
                app.sdk_app_id
            )));
        }
        if config.apps[..index]
            .iter()
            .any(|other| other.sdk_app_id == app.sdk_app_id)
        {
            return Err(ServerError::Config(format!(
                "app {} is configured twice",
                app.sdk_app_id
            )));
        }
    }
    if config.heartbeat_interval.is_zero() {
        return Err(ServerError::Config("the heartbeat interval is zero".into()));
    }
    if config.bus.is_some() {
        if config.storage == crate::StorageBackend::Redb {
            return Err(ServerError::Config(
                "a bus joins several nodes, which need a shared database: set the storage to \
                 PostgreSQL (--storage postgres://...); the redb file serves one node"
                    .into(),
            ));
        }
        if matches!(config.blob, crate::blob::BlobConfig::Dir) && !config.blob_dir_shared {
            return Err(ServerError::Config(
                "several nodes (a bus is set) need one blob store that every node sees: use S3 \
                 (--blob-s3-endpoint ...), or say that the blob directory is shared by every \
                 node (--blob-dir-shared)"
                    .into(),
            ));
        }
    }
    Ok(())
}
