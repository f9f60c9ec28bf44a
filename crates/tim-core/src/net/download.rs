//! `TIMMsgDownloadElemToPath`: downloads a media file (by element ID or `tim-media://` URL)
//! over a transfer stream into `<path>.tim-part-<random>`, resuming at the received length
//! after a network failure (bounded attempts), and renames it to `path` only when every byte
//! is there. On any failure, or when the future is dropped, the temporary file is removed:
//! `path` is never left holding a partial file.

use super::config::random_u64;
use super::connection::Conn;
use super::media::file_id_of;
use super::transfer;
use crate::Client;
use crate::error::{CoreError, Result};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tim_model::{DownloadElemParam, codes};
use tokio::io::AsyncSeekExt;
use tokio::sync::watch;

/// Download attempts on network failures before the download fails.
const MAX_DOWNLOAD_ATTEMPTS: u32 = 5;

/// Removes the temporary file unless the download completed.
struct TempFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn io_failed(path: &Path, err: &std::io::Error) -> CoreError {
    CoreError::refused(
        codes::ERR_IO_OPERATION_FAILED,
        format!("{}: {err}", path.display()),
    )
}

impl Client {
    /// `TIMMsgDownloadElemToPath`: downloads the file `param` names (`id`, or a
    /// `tim-media://<id>` `url`) to `path`. `progress(current, total)` is called as bytes
    /// arrive (at least every 1%) and once more with `current == total` at the end. Fails with
    /// the server's code (`ERR_SVR_RES_NOT_FOUND` 114000, `ERR_SVR_RES_ACCESS_DENY` 114001 for
    /// a user who is not a party of the file's conversation), a network code, or
    /// `ERR_IO_OPERATION_FAILED` (6022) for the local file; `path` then holds nothing new.
    pub async fn download_elem_to_path(
        &self,
        param: &DownloadElemParam,
        path: &Path,
        mut progress: impl FnMut(u64, u64) + Send,
    ) -> Result<()> {
        let file_id = file_id_of(&param.id, &param.url)?;
        if path.as_os_str().is_empty() {
            return Err(CoreError::refused(
                codes::ERR_INVALID_PARAMETERS,
                "path: must not be empty",
            ));
        }
        let mut link = self.link()?;
        let timeout = self.config().request_timeout;
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".tim-part-{:016x}", random_u64()));
        let mut temp = TempFile {
            path: PathBuf::from(name),
            keep: false,
        };
        let mut file = tokio::fs::File::create(&temp.path)
            .await
            .map_err(|err| io_failed(&temp.path, &err))?;
        let mut attempt = 0;
        // The generation of a connection that ended under the previous attempt: the next one
        // waits for the session to reconnect instead of failing again on the dead connection.
        let mut ended = None;
        loop {
            attempt += 1;
            let offset = file
                .stream_position()
                .await
                .map_err(|err| io_failed(&temp.path, &err))?;
            let outcome = match current_conn(&mut link, timeout, ended).await {
                Ok(conn) => {
                    let outcome = transfer::download(
                        &conn,
                        timeout,
                        &file_id,
                        offset,
                        &mut file,
                        &mut progress,
                    )
                    .await;
                    ended = (outcome.is_err() && conn.is_closed()).then(|| conn.generation());
                    outcome
                }
                Err(err) => Err(err),
            };
            match outcome {
                Ok(_) => break,
                Err(err) if err.is_network() && attempt < MAX_DOWNLOAD_ATTEMPTS => {
                    tracing::debug!("tim download {file_id}: retrying after {err}");
                }
                Err(err) => return Err(err),
            }
        }
        file.sync_all()
            .await
            .map_err(|err| io_failed(&temp.path, &err))?;
        drop(file);
        tokio::fs::rename(&temp.path, path)
            .await
            .map_err(|err| io_failed(path, &err))?;
        temp.keep = true;
        Ok(())
    }
}

/// The current connection, waiting up to `timeout` for one that is not of generation `ended`
/// (a connection that closed under the previous attempt).
async fn current_conn(
    link: &mut watch::Receiver<Option<Conn>>,
    timeout: Duration,
    ended: Option<u64>,
) -> Result<Conn> {
    let usable = |conn: &Option<Conn>| {
        conn.as_ref()
            .is_some_and(|conn| Some(conn.generation()) != ended)
    };
    match tokio::time::timeout(timeout, link.wait_for(usable)).await {
        Ok(Ok(conn)) => conn
            .clone()
            .ok_or_else(|| CoreError::disconnected("not connected")),
        Ok(Err(_)) => Err(CoreError::not_logged_in()),
        Err(_) => Err(CoreError::disconnected(format!(
            "not connected to the server for {timeout:?}"
        ))),
    }
}
