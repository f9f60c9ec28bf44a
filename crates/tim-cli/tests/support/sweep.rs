//! The last check: after the crashes, a sweep (in-process, on the same data directory, with
//! a clock past the staging TTL and the grace period) must leave no staged upload and no
//! blob that no stored message owns, and keep every file a stored message names.

use super::check::{download_upload, is_gone};
use super::wire::WireClient;
use super::workload::Ledger;
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use tim_server::{AppConfig, MediaSweep, Server, ServerConfig};

/// What the sweep did, what was left, and what is wrong with that.
#[derive(Debug)]
pub struct SweepFigures {
    pub sweep: MediaSweep,
    pub blobs_left: usize,
    /// Blob files no stored message names.
    pub orphans: usize,
    pub owned_uploads: usize,
    pub collected_uploads: usize,
    pub problems: Vec<String>,
}

/// Every file under `dir` (none when it does not exist).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    for _ in 0..1_000_000 {
        let Some(dir) = stack.pop() else { break };
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// Starts the server in-process on `data_dir`, sweeps as of a time past every deadline, and
/// checks the directories and downloads. `owned` holds the file IDs stored messages name.
/// An error only when the check itself could not run.
pub async fn sweep_and_check(
    data_dir: &Path,
    listen: SocketAddr,
    (app, key): (u64, &str),
    ledger: &Ledger,
    owned: &BTreeSet<String>,
) -> Result<SweepFigures, String> {
    let apps = vec![AppConfig {
        sdk_app_id: app,
        secret_key: key.to_owned(),
    }];
    let config = ServerConfig::new(listen, data_dir.to_owned(), apps);
    let beyond =
        config.media.staging_ttl + config.media.unreferenced_grace + Duration::from_secs(3600);
    let server = Server::start(config)
        .await
        .map_err(|error| format!("in-process server on the crashed data: {error}"))?;
    let sweep = server.sweep_media(SystemTime::now() + beyond).await;
    let mut problems = Vec::new();
    let staged = files_under(&data_dir.join("uploads"));
    if !staged.is_empty() {
        problems.push(format!(
            "{} staged files left after the sweep: {:?}",
            staged.len(),
            staged.iter().take(5).collect::<Vec<_>>()
        ));
    }
    let fingerprint = server.certificate().sha256_hex.clone();
    let addr = server.local_addr();
    let (mut owned_uploads, mut collected_uploads) = (0, 0);
    let mut clients = std::collections::BTreeMap::new();
    for upload in &ledger.uploads {
        if !clients.contains_key(&upload.uploader) {
            match WireClient::login(
                addr,
                &fingerprint,
                (app, key),
                &upload.uploader,
                "sweep-check",
            )
            .await
            {
                Ok(client) => {
                    clients.insert(upload.uploader.clone(), client);
                }
                Err(error) => {
                    problems.push(format!(
                        "{}: login after the sweep: {error}",
                        upload.uploader
                    ));
                    break;
                }
            }
        }
        let Some(client) = clients.get(&upload.uploader) else {
            continue;
        };
        if owned.contains(&upload.original.file_id) {
            owned_uploads += 1;
            if let Err(problem) = download_upload(client, upload).await {
                problems.push(format!("after the sweep: {problem}"));
            }
        } else {
            collected_uploads += 1;
            match is_gone(client, &upload.original.file_id).await {
                Ok(true) => {}
                Ok(false) => problems.push(format!(
                    "upload {} that no message names still downloads after the sweep",
                    upload.original.file_id
                )),
                Err(error) => problems.push(format!(
                    "upload {}: download after the sweep: {error}",
                    upload.original.file_id
                )),
            }
        }
    }
    let blobs = files_under(&data_dir.join("blobs"));
    let orphans: Vec<&PathBuf> = blobs
        .iter()
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_none_or(|name| !owned.contains(name))
        })
        .collect();
    if !orphans.is_empty() {
        let acked: BTreeSet<&str> = ledger.uploads.iter().flat_map(|u| u.file_ids()).collect();
        let describe = |path: &&PathBuf| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
            let kind = if name.starts_with(".tmp-") {
                "temporary file of a put"
            } else if acked.contains(name) {
                "acknowledged upload"
            } else {
                "upload never acknowledged"
            };
            (
                name.to_owned(),
                kind,
                path.metadata().map_or(0, |m| m.len()),
            )
        };
        let mut names = Vec::new();
        for (name, kind, len) in orphans.iter().take(8).map(describe) {
            // 114000: the server has no record of the file, so no sweep will ever find it.
            let record = match (clients.values().next(), name.starts_with('.')) {
                (Some(client), false) => match is_gone(client, &name).await {
                    Ok(true) => ", no record",
                    Ok(false) => ", recorded",
                    Err(_) => "",
                },
                _ => "",
            };
            names.push(format!("{name} ({kind}{record}, {len} bytes)"));
        }
        problems.push(format!(
            "{} of {} blob files are named by no stored message after the sweep ({sweep:?}): {names:?}",
            orphans.len(),
            blobs.len()
        ));
    }
    drop(clients);
    server.shutdown().await;
    Ok(SweepFigures {
        sweep,
        blobs_left: blobs.len(),
        orphans: orphans.len(),
        owned_uploads,
        collected_uploads,
        problems,
    })
}
