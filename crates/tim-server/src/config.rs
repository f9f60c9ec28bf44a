//! Server configuration: the apps the server accepts (SDKAppID and secret key), where it
//! listens and keeps its data, and tuning knobs that all have defaults.

use crate::blob::BlobConfig;
pub use crate::group_rules::GroupLimits;
pub use crate::limits::{ConnectionLimits, EventLogRetention};
pub use crate::rate::{Rate, RateLimits};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// One app the server serves: logins must carry a UserSig made with its secret key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppConfig {
    /// The app's SDKAppID.
    pub sdk_app_id: u64,
    /// The secret key its UserSigs are signed with (HMAC-SHA256 key, as text).
    pub secret_key: String,
}

/// The translation backend (`TIMMsgTranslateText`): a server speaking the LibreTranslate HTTP
/// API (`POST {url}/translate`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslateBackend {
    /// Base URL, e.g. `http://127.0.0.1:5000` (the server appends `/translate`).
    pub url: String,
    /// The backend's API key, sent as `api_key` when set.
    pub api_key: Option<String>,
    /// Longest wait for the backend's answer; beyond it the call fails with 60008.
    pub timeout: Duration,
}

impl TranslateBackend {
    /// A backend at `url` without an API key, 10 s timeout.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            api_key: None,
            timeout: Duration::from_secs(10),
        }
    }
}

/// The offline push gateway: a server speaking the Gorush HTTP API (`POST {url}/api/push`),
/// which forwards to APNs and FCM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushGateway {
    /// Base URL, e.g. `http://127.0.0.1:8088` (the server appends `/api/push`).
    pub url: String,
    /// Longest wait for one push request (one token); a push that takes longer is dropped
    /// (logged). Pushes run concurrently, so this delays no other token.
    pub timeout: Duration,
    /// Most tokens kept per user (one per device); a new device's token replaces the user's
    /// oldest beyond it. Also applies without a gateway (as
    /// [`DEFAULT_MAX_PUSH_TOKENS_PER_USER`]). At least 1. Default 16.
    pub max_tokens_per_user: usize,
    /// Push requests in flight at once, server-wide; one user's requests take at most half of
    /// them (and at most `max_tokens_per_user`), so a user whose tokens hang never holds up
    /// another's pushes. At least 2. Default 32.
    pub max_in_flight: usize,
}

/// Tokens kept per user unless a gateway says otherwise.
pub const DEFAULT_MAX_PUSH_TOKENS_PER_USER: usize = 16;

impl PushGateway {
    /// A gateway at `url`, 10 s timeout, 16 tokens per user, 32 requests in flight.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            timeout: Duration::from_secs(10),
            max_tokens_per_user: DEFAULT_MAX_PUSH_TOKENS_PER_USER,
            max_in_flight: 32,
        }
    }

    /// Push requests one user may have in flight (queued behind the server-wide bound
    /// included): all of a user's tokens, but never more than half the server-wide bound.
    pub fn max_in_flight_per_user(&self) -> usize {
        self.max_tokens_per_user.min(self.max_in_flight / 2).max(1)
    }
}

/// Everything [`Server::start`](crate::Server::start) needs. Build it with
/// [`ServerConfig::new`] and change the tuning fields as needed.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address of the QUIC listener (`127.0.0.1:0` picks a free port).
    pub listen: SocketAddr,
    /// Directory of the database (`server.redb`) and the certificate (`cert.pem`, `key.pem`).
    pub data_dir: PathBuf,
    /// The apps served.
    pub apps: Vec<AppConfig>,
    /// How often idle clients ping (sent to them at login); a connection silent for three
    /// intervals is dropped. Default 30 s.
    pub heartbeat_interval: Duration,
    /// Frames that may wait for one connection's stream; a connection whose queue is full is
    /// closed (it reconnects and syncs). Default 1024.
    pub outbound_queue_frames: usize,
    /// Write requests that may wait for the writer before senders are slowed. Default 8192.
    pub write_queue: usize,
    /// Most write operations in one durable commit (group commit). Default 4096.
    pub max_commit_ops: usize,
    /// Requests one connection may have waiting for the writer. Default 256.
    pub max_in_flight_per_connection: usize,
    /// Time a new connection has to log in, counted once from its first packet (handshake,
    /// stream and login together); then it is closed. Default 10 s.
    pub login_timeout: Duration,
    /// Caps on connections and failed logins.
    pub connection: ConnectionLimits,
    /// Member limits per group type and users per add request.
    pub groups: GroupLimits,
    /// Rate limits per user and per group.
    pub rate: RateLimits,
    /// How much of each user's event log is kept.
    pub event_log: EventLogRetention,
    /// Per-stream QUIC receive window, bytes. Default 256 KiB.
    pub stream_receive_window: u32,
    /// Per-connection QUIC receive window, bytes, for the control stream; each allowed
    /// transfer stream adds one stream window to it. Default 512 KiB.
    pub connection_receive_window: u32,
    /// Per-connection QUIC send window, bytes. Default 1 MiB.
    pub send_window: u64,
    /// Kernel receive and send buffer of the UDP socket, bytes (capped by the system, e.g.
    /// `net.core.rmem_max`); 0 keeps the system default. Default 8 MiB.
    pub udp_buffer_bytes: usize,
    /// How long after its server time a message may be revoked (`TIMMsgRevoke`; 20016 C2C,
    /// 10031 group beyond). Whole seconds count. Default 120 s.
    pub revoke_window: Duration,
    /// Least time between two `TIMMsgListDelete` calls of one user (7008 sooner). Default 1 s.
    pub list_delete_interval: Duration,
    /// The translation backend; `None`: `TIMMsgTranslateText` fails with 7013.
    pub translate: Option<TranslateBackend>,
    /// The offline push gateway; `None`: tokens and app states are kept but nothing is
    /// pushed.
    pub push_gateway: Option<PushGateway>,
    /// Stored messages that may wait for the offline push task; beyond, a message's offline
    /// pushes are dropped (logged), so pushing never slows sending. Default 4096.
    pub push_queue: usize,
    /// Where media bytes are kept. Default: the directory `<data_dir>/blobs`.
    pub blob: BlobConfig,
    /// Media size limits and transfer tuning.
    pub media: MediaLimits,
    /// Where messages, users and groups are kept. Default: `<data_dir>/server.redb`.
    pub storage: StorageBackend,
    /// How the nodes of a cluster tell each other what they committed. Default: none (one
    /// node).
    pub bus: Option<BusConfig>,
    /// The directory blob store (`<data_dir>/blobs`) is shared by every node (a network file
    /// system): allows the directory store together with a bus.
    pub blob_dir_shared: bool,
    /// Where the admin endpoints listen (plain HTTP: `/metrics`, `/livez`, `/readyz`; see
    /// `admin`). Default: none.
    pub admin_listen: Option<SocketAddr>,
}

/// The storage backend.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum StorageBackend {
    /// The embedded redb file `<data_dir>/server.redb` (one node).
    #[default]
    Redb,
    /// A PostgreSQL database, shared by every node of a cluster.
    Postgres {
        /// `postgres://user:password@host:port/db` or `host=... dbname=...` settings.
        url: String,
    },
}

/// The bus between the nodes of a cluster: NATS core subjects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusConfig {
    /// `nats://host:port` (several separated by commas).
    pub url: String,
    /// The subject prefix: clusters sharing one NATS server use different prefixes. Default
    /// `tim`.
    pub subject_prefix: String,
}

impl BusConfig {
    /// The bus at `url`, subject prefix `tim`.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            subject_prefix: "tim".into(),
        }
    }
}

/// Media size limits (ERR_SDK_COMM_FILE_TOO_LARGE 7005 beyond) and transfer tuning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaLimits {
    /// Largest image, bytes. Default 28 MiB.
    pub max_image_bytes: u64,
    /// Largest voice message, bytes. Default 28 MiB.
    pub max_sound_bytes: u64,
    /// Largest video, bytes. Default 100 MiB.
    pub max_video_bytes: u64,
    /// Largest file, bytes. Default 100 MiB.
    pub max_file_bytes: u64,
    /// Largest video snapshot, bytes. Default 100 MiB.
    pub max_snapshot_bytes: u64,
    /// Transfers one connection may run at once (further streams wait for QUIC credit).
    /// Default 4.
    pub max_transfers_per_connection: u32,
    /// How long the received prefix of an unfinished upload is kept for a resume (from its
    /// last write); the media sweep removes older ones. Default 24 h.
    pub staging_ttl: Duration,
    /// Most bytes of unfinished uploads one user may have staged, counted by their declared
    /// sizes; an upload beyond it is refused with ERR_SVR_RES_SIZE_LIMIT (114002) until
    /// earlier ones finish or expire (resuming one of them is always allowed). Default 1 GiB.
    pub max_staged_bytes_per_user: u64,
    /// Time between two media sweeps (expired staged uploads, unreferenced files); zero: no
    /// sweep runs on its own (`Server::sweep_media` still does one). Default 10 min.
    pub sweep_interval: Duration,
    /// How long a finished upload may wait for a stored message naming it; the media sweep
    /// deletes uploads (and their renditions) still unreferenced after it. Default 24 h.
    pub unreferenced_grace: Duration,
    /// Largest width and height, pixels, of an image the server decodes to make its large and
    /// thumbnail renditions. A larger image is stored as uploaded, with its pixel size and
    /// format read from its header, but without renditions. Default 16384.
    pub max_decode_side: u32,
    /// Most bytes the decoded pixels of one image may take (the `image` crate's `max_alloc`,
    /// checked against the header before decoding); beyond, as for `max_decode_side`.
    /// Default 256 MiB.
    pub max_decode_bytes: u64,
    /// Images decoded at once, server-wide; further finished uploads wait for a slot, so
    /// decoding memory stays under about this many times `max_decode_bytes`. Default 2.
    pub max_concurrent_decodes: usize,
}

impl Default for MediaLimits {
    fn default() -> Self {
        Self {
            max_image_bytes: 28 * 1024 * 1024,
            max_sound_bytes: 28 * 1024 * 1024,
            max_video_bytes: 100 * 1024 * 1024,
            max_file_bytes: 100 * 1024 * 1024,
            max_snapshot_bytes: 100 * 1024 * 1024,
            max_transfers_per_connection: 4,
            staging_ttl: Duration::from_secs(24 * 3600),
            max_staged_bytes_per_user: 1024 * 1024 * 1024,
            sweep_interval: Duration::from_secs(600),
            unreferenced_grace: Duration::from_secs(24 * 3600),
            max_decode_side: 16384,
            max_decode_bytes: 256 * 1024 * 1024,
            max_concurrent_decodes: 2,
        }
    }
}

impl MediaLimits {
    /// The largest size of a media kind (1 image, 2 sound, 3 video, 4 file, 5 video
    /// snapshot); `None` for an unknown kind.
    pub fn max_bytes(&self, media_kind: i32) -> Option<u64> {
        match media_kind {
            1 => Some(self.max_image_bytes),
            2 => Some(self.max_sound_bytes),
            3 => Some(self.max_video_bytes),
            4 => Some(self.max_file_bytes),
            5 => Some(self.max_snapshot_bytes),
            _ => None,
        }
    }
}

impl ServerConfig {
    /// A configuration with default tuning.
    pub fn new(listen: SocketAddr, data_dir: PathBuf, apps: Vec<AppConfig>) -> Self {
        Self {
            listen,
            data_dir,
            apps,
            heartbeat_interval: Duration::from_secs(30),
            outbound_queue_frames: 1024,
            write_queue: 8192,
            max_commit_ops: 4096,
            max_in_flight_per_connection: 256,
            login_timeout: Duration::from_secs(10),
            connection: ConnectionLimits::default(),
            groups: GroupLimits::default(),
            rate: RateLimits::default(),
            event_log: EventLogRetention::default(),
            stream_receive_window: 256 * 1024,
            connection_receive_window: 512 * 1024,
            send_window: 1024 * 1024,
            udp_buffer_bytes: 8 * 1024 * 1024,
            revoke_window: Duration::from_secs(120),
            list_delete_interval: Duration::from_secs(1),
            translate: None,
            push_gateway: None,
            push_queue: 4096,
            blob: BlobConfig::default(),
            media: MediaLimits::default(),
            storage: StorageBackend::default(),
            bus: None,
            blob_dir_shared: false,
            admin_listen: None,
        }
    }

    /// The app with this SDKAppID, if served.
    pub fn app(&self, sdk_app_id: u64) -> Option<&AppConfig> {
        self.apps.iter().find(|app| app.sdk_app_id == sdk_app_id)
    }

    /// Most push tokens kept per user (the gateway's setting, or the default without one).
    pub fn max_push_tokens_per_user(&self) -> usize {
        self.push_gateway
            .as_ref()
            .map_or(DEFAULT_MAX_PUSH_TOKENS_PER_USER, |gateway| {
                gateway.max_tokens_per_user
            })
            .max(1)
    }

    /// The directory of unfinished uploads (`<data_dir>/uploads`).
    pub fn uploads_dir(&self) -> PathBuf {
        self.data_dir.join("uploads")
    }

    /// The idle time after which a silent connection is dropped: three heartbeat intervals.
    pub fn idle_timeout(&self) -> Duration {
        self.heartbeat_interval.saturating_mul(3)
    }
}
