//! The floors the server benchmark is compared against, measured in the same run on the same
//! machine: a raw quinn request/response round trip, one `fdatasync` of the data disk, and
//! redb's batched insert rate.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tim_benches::latency::Latencies;

/// Bytes of one request and one answer in the round-trip floor: about a small send request.
const ECHO_PAYLOAD: usize = 256;

/// A quinn endpoint pair on loopback, one connection and one bidirectional stream, echoing
/// length-prefixed frames: the transport floor of one request and its answer.
pub struct QuinnEcho {
    _server: quinn::Endpoint,
    client: quinn::Endpoint,
    send: quinn::SendStream,
    recv: quinn::RecvStream,
}

impl QuinnEcho {
    /// Starts the echo server on 127.0.0.1 and connects to it.
    pub async fn start() -> Result<Self, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])
            .map_err(|err| format!("echo certificate: {err}"))?;
        let der = cert.cert.der().clone();
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(
            rustls::pki_types::PrivatePkcs8KeyDer::from(cert.signing_key.serialize_der()),
        );
        let mut tls = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&[&rustls::version::TLS13])
            .map_err(|err| format!("echo tls: {err}"))?
            .with_no_client_auth()
            .with_single_cert(vec![der.clone()], key)
            .map_err(|err| format!("echo tls: {err}"))?;
        tls.alpn_protocols = vec![b"echo".to_vec()];
        let crypto = quinn::crypto::rustls::QuicServerConfig::try_from(tls)
            .map_err(|err| format!("echo quic: {err}"))?;
        let server_config = quinn::ServerConfig::with_crypto(Arc::new(crypto));
        let loopback = SocketAddr::from(([127, 0, 0, 1], 0));
        let server = quinn::Endpoint::server(server_config, loopback)
            .map_err(|err| format!("echo bind: {err}"))?;
        let address = server
            .local_addr()
            .map_err(|err| format!("echo address: {err}"))?;
        let accepting = server.clone();
        tokio::spawn(async move {
            while let Some(incoming) = accepting.accept().await {
                tokio::spawn(async move {
                    let Ok(connection) = incoming.await else {
                        return;
                    };
                    while let Ok((mut send, mut recv)) = connection.accept_bi().await {
                        tokio::spawn(async move {
                            let mut buffer = Vec::new();
                            while read_frame(&mut recv, &mut buffer).await.is_ok() {
                                if write_frame(&mut send, &buffer).await.is_err() {
                                    break;
                                }
                            }
                        });
                    }
                });
            }
        });

        let mut roots = rustls::RootCertStore::empty();
        roots.add(der).map_err(|err| format!("echo root: {err}"))?;
        let mut client_tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13])
            .map_err(|err| format!("echo tls: {err}"))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        client_tls.alpn_protocols = vec![b"echo".to_vec()];
        let client_crypto = quinn::crypto::rustls::QuicClientConfig::try_from(client_tls)
            .map_err(|err| format!("echo quic: {err}"))?;
        let mut client =
            quinn::Endpoint::client(loopback).map_err(|err| format!("echo client: {err}"))?;
        client.set_default_client_config(quinn::ClientConfig::new(Arc::new(client_crypto)));
        let connection = client
            .connect(address, "localhost")
            .map_err(|err| format!("echo connect: {err}"))?
            .await
            .map_err(|err| format!("echo handshake: {err}"))?;
        let (send, recv) = connection
            .open_bi()
            .await
            .map_err(|err| format!("echo stream: {err}"))?;
        Ok(Self {
            _server: server,
            client,
            send,
            recv,
        })
    }

    /// Times `samples` round trips of one frame each (after as many unmeasured warm-up trips).
    pub async fn round_trips(&mut self, samples: usize) -> Result<Latencies, String> {
        let request = vec![0x5a_u8; ECHO_PAYLOAD];
        let mut answer = Vec::new();
        let mut latencies = Latencies::new();
        for round in 0..samples * 2 {
            let started = Instant::now();
            write_frame(&mut self.send, &request).await?;
            read_frame(&mut self.recv, &mut answer).await?;
            if round >= samples {
                latencies.push(started.elapsed());
            }
            if answer.len() != request.len() {
                return Err(format!("echo answered {} bytes", answer.len()));
            }
        }
        Ok(latencies)
    }

    /// Closes the client side.
    pub fn close(&self) {
        self.client.close(0u32.into(), b"done");
    }
}

async fn write_frame(send: &mut quinn::SendStream, payload: &[u8]) -> Result<(), String> {
    let length = u32::try_from(payload.len()).map_err(|_| "frame too long".to_owned())?;
    let mut frame = Vec::with_capacity(payload.len() + 4);
    frame.extend_from_slice(&length.to_be_bytes());
    frame.extend_from_slice(payload);
    send.write_all(&frame)
        .await
        .map_err(|err| format!("echo write: {err}"))
}

async fn read_frame(recv: &mut quinn::RecvStream, buffer: &mut Vec<u8>) -> Result<(), String> {
    let mut header = [0_u8; 4];
    recv.read_exact(&mut header)
        .await
        .map_err(|err| format!("echo read: {err}"))?;
    buffer.resize(u32::from_be_bytes(header) as usize, 0);
    recv.read_exact(buffer)
        .await
        .map_err(|err| format!("echo read: {err}"))
}

/// Times `samples` appends of 256 bytes to a file in `dir`, each followed by `fdatasync`: the
/// cost of making one acknowledged message durable on this disk.
pub fn fdatasync(dir: &Path, samples: usize) -> Result<Latencies, String> {
    use std::io::Write;
    let path = dir.join("fdatasync.bin");
    let mut file = std::fs::File::create(&path).map_err(|err| format!("{path:?}: {err}"))?;
    let record = [0xa5_u8; 256];
    let mut latencies = Latencies::new();
    for round in 0..samples + 20 {
        let started = Instant::now();
        file.write_all(&record)
            .and_then(|()| file.sync_data())
            .map_err(|err| format!("{path:?}: {err}"))?;
        if round >= 20 {
            latencies.push(started.elapsed());
        }
    }
    Ok(latencies)
}

/// What redb alone achieves for stored messages.
#[derive(Default)]
pub struct RedbFloor {
    /// Durable commits of one small record each.
    pub commit: Latencies,
    /// Messages per second inserted in durable batches of [`REDB_BATCH`], each message a row
    /// by (conversation, seq) plus a row by message ID, as a message store needs.
    pub batched_per_sec: f64,
}

/// Messages per durable commit in the batched-insert floor.
pub const REDB_BATCH: usize = 100;

const MESSAGES: redb::TableDefinition<(u64, u64), &[u8]> = redb::TableDefinition::new("messages");
const BY_ID: redb::TableDefinition<&str, (u64, u64)> = redb::TableDefinition::new("by_id");

/// Measures redb in a fresh file under `dir`: `commits` single-record durable commits, then
/// `messages` messages of about 300 bytes inserted [`REDB_BATCH`] per commit.
pub fn redb_floor(dir: &Path, commits: usize, messages: usize) -> Result<RedbFloor, String> {
    let path = dir.join("floor.redb");
    let db = redb::Database::create(&path).map_err(|err| format!("{path:?}: {err}"))?;
    let body = vec![0x42_u8; 300];
    let insert = |from: usize, count: usize| -> Result<(), String> {
        let txn = db.begin_write().map_err(|err| err.to_string())?;
        {
            let mut messages = txn.open_table(MESSAGES).map_err(|err| err.to_string())?;
            let mut by_id = txn.open_table(BY_ID).map_err(|err| err.to_string())?;
            for n in from..from + count {
                let key = ((n % 100) as u64, n as u64);
                messages
                    .insert(key, body.as_slice())
                    .map_err(|err| err.to_string())?;
                let id = format!("msg-{n:012}-{:08x}", n.wrapping_mul(2_654_435_761));
                by_id
                    .insert(id.as_str(), key)
                    .map_err(|err| err.to_string())?;
            }
        }
        txn.commit().map_err(|err| err.to_string())
    };
    let mut commit = Latencies::new();
    for n in 0..commits {
        let started = Instant::now();
        insert(n, 1)?;
        commit.push(started.elapsed());
    }
    let started = Instant::now();
    let mut inserted = 0;
    while inserted < messages {
        insert(commits + inserted, REDB_BATCH)?;
        inserted += REDB_BATCH;
    }
    let elapsed = started.elapsed().max(Duration::from_micros(1));
    Ok(RedbFloor {
        commit,
        batched_per_sec: inserted as f64 / elapsed.as_secs_f64(),
    })
}
