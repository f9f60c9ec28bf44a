//! The hook of the fuzz target `server_requests` (feature `fuzzing`, off in every build but the
//! fuzz crate's): the request handling of logged-in connections, without QUIC, against a redb
//! store in a temporary directory.
//!
//! [`FuzzServer`] holds the same handlers, writer thread, storage and hub as a running
//! [`Server`](crate::Server) and three sessions logged in with real UserSigs. Its
//! [`handle_frames`](FuzzServer::handle_frames) cuts bytes into frames as a connection's reader
//! does, decodes each as a `ClientFrame` and answers it as the connection would, waiting for
//! every answer (so writes are committed before the next frame). It is not a connection: no
//! device is registered in the hub (pushes find nobody online) and transfer streams are not
//! served. State persists from one call to the next, like a server's.

use crate::config::{AppConfig, ServerConfig};
use crate::error::ServerError;
use crate::hub::Hub;
use crate::service::{Reply, Services, Session};

use crate::storage::{Refusal, Storage};
use crate::writer::{Answer, Writer};
use prost::Message as _;
use std::path::PathBuf;
use std::sync::Arc;
use tim_proto::FrameDecoder;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;

/// The app the sessions belong to.
pub const FUZZ_APP: u64 = 1_400_000_001;
/// Its secret key (a frame may log in again with a UserSig made from it).
pub const FUZZ_SECRET_KEY: &str = "fuzz-secret-key";
/// The logged-in users; a frame's `request_id` modulo their number picks whose it is.
pub const FUZZ_USERS: [&str; 3] = ["alice", "bob", "carol"];

/// Request handling over a store in a temporary directory.
pub struct FuzzServer {
    runtime: tokio::runtime::Runtime,
    services: Arc<Services>,
    sessions: Vec<Session>,
    data_dir: PathBuf,
}

impl std::fmt::Debug for FuzzServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FuzzServer")
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

impl FuzzServer {
    /// Opens a store in a new directory under `parent` (on tmpfs, such as `/dev/shm`, commits
    /// cost no disk flush) and logs in [`FUZZ_USERS`].
    pub fn new(parent: &std::path::Path) -> Result<Self, ServerError> {
        remove_stale(parent);
        let data_dir = parent.join(format!("tim-fuzz-{}", std::process::id()));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|source| ServerError::Io {
                path: data_dir.clone(),
                source,
            })?;
        let app = AppConfig {
            sdk_app_id: FUZZ_APP,
            secret_key: FUZZ_SECRET_KEY.into(),
        };
        let mut config = ServerConfig::new(
            std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir.clone(),
            vec![app],
        );
        // Rate limits off: the fuzzer's requests would otherwise mostly meet -10113.
        config.rate = crate::rate::RateLimits::off();
        let _ = std::fs::remove_dir_all(&data_dir);
        let storage: Arc<dyn Storage> = Arc::new(crate::storage::redb::open(&data_dir)?);
        let services = runtime.block_on(async {
            let blobs =
                crate::blob::open_store(&config.blob, &config.data_dir).map_err(|source| {
                    ServerError::Io {
                        path: config.data_dir.join("blobs"),
                        source,
                    }
                })?;
            let hub = Arc::new(Hub::default());
            let http = crate::http_out::HttpOut::new().map_err(ServerError::Config)?;
            let (offline, _no_task) = crate::offline_push::OfflinePush::start(
                None,
                config.push_queue,
                storage.clone(),
                hub.clone(),
                http.clone(),
            );
            let offline = Arc::new(offline);
            let writer = Writer::start(
                storage.clone(),
                hub.clone(),
                offline.clone(),
                config.write_queue,
                config.max_commit_ops,
            )?;
            Ok::<_, ServerError>(Arc::new(Services::new(
                config,
                crate::service::Parts {
                    storage,
                    writer,
                    hub,
                    http,
                    offline,
                    blobs,
                },
            )))
        })?;
        let mut sessions = Vec::with_capacity(FUZZ_USERS.len());
        for user in FUZZ_USERS {
            let login = v1::LoginRequest {
                sdk_app_id: FUZZ_APP,
                user_id: user.into(),
                user_sig: crate::usersig::gen_user_sig(FUZZ_APP, FUZZ_SECRET_KEY, user, 86_400),
                device_id: format!("{user}-device"),
                ..Default::default()
            };
            let conn_id = services.hub.next_conn_id();
            let (session, _) = runtime
                .block_on(services.login(login, conn_id))
                .map_err(|refusal| ServerError::Config(format!("fuzz login: {refusal}")))?;
            sessions.push(session);
        }
        Ok(Self {
            runtime,
            services,
            sessions,
            data_dir,
        })
    }

    /// Cuts `bytes` into frames (4-byte length, payload) and answers each decodable
    /// `ClientFrame` as a logged-in connection would. Returns the answers, in order.
    ///
    /// A framing error ends the input, as it ends a connection.
    pub fn handle_frames(&mut self, bytes: &[u8]) -> Vec<v1::ServerFrame> {
        let mut decoder = FrameDecoder::new();
        decoder.push(bytes);
        let mut answers = Vec::new();
        while let Ok(Some(payload)) = decoder.next_frame() {
            let Ok(frame) = v1::ClientFrame::decode(payload.as_slice()) else {
                continue;
            };
            let request_id = frame.request_id;
            let Some(body) = frame.body else { continue };
            let response =
                self.runtime
                    .block_on(handle(&self.services, &mut self.sessions, request_id, body));
            answers.push(v1::ServerFrame {
                request_id,
                body: Some(response),
            });
        }
        answers
    }
}

/// Answers one request as `transport::Connection::on_frame` does, for the session of
/// `sessions` that `request_id` picks.
async fn handle(
    services: &Services,
    sessions: &mut [Session],
    request_id: u64,
    body: Request,
) -> Response {
    let count = sessions.len() as u64;
    let slot = usize::try_from(request_id % count.max(1)).unwrap_or(0);
    let Some(session) = sessions.get(slot).cloned() else {
        return crate::service::error_response(Refusal::new(0, "no session"));
    };
    match body {
        Request::Login(login) => match services.login(login, session.conn_id).await {
            Ok((session, response)) => {
                if let Some(current) = sessions.get_mut(slot) {
                    *current = session;
                }
                Response::Login(response)
            }
            Err(refusal) => crate::service::error_response(refusal),
        },
        Request::Logout(_) => {
            // The session stays: later frames of the input still have someone to be.
            let _ = services.logout(&session).await;
            Response::Logout(v1::LogoutResponse {})
        }
        body => match services.handle(&session, body).await {
            Reply::Now(response) => *response,
            Reply::Later(future) => future.await,
            Reply::Write { ops, answer } => {
                let (tx, rx) = tokio::sync::oneshot::channel();
                let callback = Answer::new(move |reply| {
                    let _ = tx.send(answer(reply));
                });
                services.writer.submit_then(ops, callback).await;
                rx.await.unwrap_or_else(|_| {
                    crate::service::error_response(Refusal::new(0, "the writer stopped"))
                })
            }
        },
    }
}

/// Removes the directories that earlier processes left under `parent` (libFuzzer ends the
/// process without dropping the server). Only where `/proc` tells which processes are alive.
fn remove_stale(parent: &std::path::Path) {
    let proc = std::path::Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix("tim-fuzz-")) else {
            continue;
        };
        if pid.bytes().all(|b| b.is_ascii_digit()) && !proc.join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

impl Drop for FuzzServer {
    fn drop(&mut self) {
        self.runtime.block_on(self.services.writer.shutdown());
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}
