//! The admin listener (`ServerConfig::admin_listen`, plain HTTP/1.1 on an address of its own,
//! meant for a private network): `GET /metrics` (Prometheus text format, see `metrics`),
//! `GET /livez` (200 while the process serves) and `GET /readyz` (200 only when the storage
//! answers a read and, with a bus, the bus is connected; 503 with the reason otherwise, so a
//! load balancer sends no clients to a node that cannot serve them).
//!
//! Each request is read with a bounded size and time; anything but those three GETs gets 404
//! or 405.

use crate::service::Services;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// Longest request head read.
const MAX_HEAD: usize = 8 * 1024;
/// Longest wait for a request head, and for the storage's answer to the readiness read.
const TIMEOUT: Duration = Duration::from_secs(2);

/// Serves the admin endpoints on `listener` until `shutdown` turns true.
pub(crate) async fn serve(
    listener: TcpListener,
    services: Arc<Services>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = shutdown.changed() => return,
        };
        let Ok((stream, _)) = accepted else {
            continue;
        };
        let services = services.clone();
        tokio::spawn(async move {
            let _ = tokio::time::timeout(TIMEOUT * 2, answer(stream, &services)).await;
        });
    }
}

async fn answer(mut stream: TcpStream, services: &Services) -> std::io::Result<()> {
    let mut head = Vec::with_capacity(512);
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_HEAD {
        let read = tokio::time::timeout(TIMEOUT, stream.read(&mut buf))
            .await
            .map_err(|_| std::io::Error::other("request head timed out"))??;
        if read == 0 {
            break;
        }
        head.extend_from_slice(&buf[..read]);
    }
    let line = head.split(|b| *b == b'\r').next().unwrap_or_default();
    let mut parts = std::str::from_utf8(line).unwrap_or_default().split(' ');
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (status, content_type, body) = match (method, path) {
        ("GET", "/metrics") => (
            "200 OK",
            "text/plain; version=0.0.4",
            crate::metrics::get().render(),
        ),
        ("GET", "/livez") => ("200 OK", "text/plain", "ok\n".to_owned()),
        ("GET", "/readyz") => match readiness(services).await {
            Ok(()) => ("200 OK", "text/plain", "ready\n".to_owned()),
            Err(why) => (
                "503 Service Unavailable",
                "text/plain",
                format!("not ready: {why}\n"),
            ),
        },
        (_, "/metrics" | "/livez" | "/readyz") => (
            "405 Method Not Allowed",
            "text/plain",
            "GET only\n".to_owned(),
        ),
        _ => ("404 Not Found", "text/plain", "not found\n".to_owned()),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

/// Whether this node can serve clients: its storage answers a read and its bus is connected.
async fn readiness(services: &Services) -> Result<(), String> {
    if !services.hub.bus_connected() {
        return Err("the cluster bus is not connected".into());
    }
    let probe =
        tim_model::ids::UserId::new("readiness-probe").map_err(|e| format!("probe user: {e}"))?;
    match tokio::time::timeout(TIMEOUT, services.storage.user(0, &probe)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(error)) => Err(format!("the storage failed: {error}")),
        Err(_) => Err(format!("the storage did not answer in {TIMEOUT:?}")),
    }
}
