//! Set-ups for the network tests: a real `tim_server::Server` on 127.0.0.1 (random port) in a
//! temp dir, clients with their own data dirs trusting it by fingerprint, and bounded waits on
//! event streams (never sleeps).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // test set-ups: a failure here is a failed test

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;
use tim_core::{Client, ClientConfig, Event, EventReceiver, NetworkStatus, ServerTrust};
use tim_model::enums::ConvType;
use tim_model::{ConvId, Elem, Message, MessageId, TextElem, UserId};
use tim_server::{AppConfig, Server, ServerConfig};

/// The test app.
pub const APP: u64 = 1_400_000_001;
/// Its secret key.
pub const KEY: &str = "net-test-secret-key";
/// How long any single wait may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(15);

/// A server on its own data dir, restartable on the same address.
pub struct TestServer {
    server: Option<Server>,
    dir: TempDir,
    addr: SocketAddr,
    fingerprint: String,
}

impl TestServer {
    /// Starts a server on 127.0.0.1, random port.
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Starts a server on 127.0.0.1, random port, with its configuration changed by `tune`
    /// (kept only until a restart).
    pub async fn start_with(tune: impl FnOnce(&mut ServerConfig)) -> Self {
        Self::start_in(tempfile::tempdir().unwrap(), tune).await
    }

    /// Starts a server on `dir` (which may already hold a certificate to serve with).
    pub async fn start_in(dir: TempDir, tune: impl FnOnce(&mut ServerConfig)) -> Self {
        let mut config = server_config("127.0.0.1:0".parse().unwrap(), dir.path().to_owned());
        tune(&mut config);
        let server = Server::start(config).await.unwrap();
        let addr = server.local_addr();
        let fingerprint = server.certificate().sha256_hex.clone();
        Self {
            server: Some(server),
            dir,
            addr,
            fingerprint,
        }
    }

    /// Shuts the server down (connections closed, port and files released).
    pub async fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }

    /// Trims every user's event log now (see `ServerConfig::event_log`).
    pub async fn trim_event_logs(&self) -> u64 {
        self.server.as_ref().unwrap().trim_event_logs().await
    }

    /// Starts it again on the same address and data dir.
    pub async fn restart(&mut self) {
        self.stop().await;
        let server = Server::start(server_config(self.addr, self.dir.path().to_owned()))
            .await
            .unwrap();
        assert_eq!(server.certificate().sha256_hex, self.fingerprint);
        self.server = Some(server);
    }

    /// The server's certificate file.
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its data directory.
    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn cert_path(&self) -> PathBuf {
        self.dir.path().join("cert.pem")
    }

    /// A client configuration for a device whose data lives in `data_dir`: fingerprint
    /// trust, fast reconnects, short timeouts.
    pub fn config(&self, data_dir: &Path) -> ClientConfig {
        let trust = ServerTrust::parse(&self.fingerprint).unwrap();
        let mut config = ClientConfig::new(self.addr.to_string(), trust, APP, data_dir);
        config.reconnect_initial = Duration::from_millis(20);
        config.reconnect_max = Duration::from_millis(300);
        config.request_timeout = Duration::from_secs(5);
        config.idle_timeout = Duration::from_secs(10);
        config
    }
}

fn server_config(listen: SocketAddr, data_dir: PathBuf) -> ServerConfig {
    ServerConfig::new(
        listen,
        data_dir,
        vec![AppConfig {
            sdk_app_id: APP,
            secret_key: KEY.to_owned(),
        }],
    )
}

/// A valid UserSig for `user`.
pub fn sig(user: &str) -> String {
    tim_server::usersig::gen_user_sig(APP, KEY, user, 86_400)
}

/// One device: a client with its data dir and its event stream (subscribed before login).
pub struct Device {
    pub user: String,
    pub client: Client,
    pub events: EventReceiver,
    pub dir: PathBuf,
    _owned: Option<TempDir>,
}

/// A new device of `user` on a fresh data dir, logged in.
pub async fn device(server: &TestServer, user: &str) -> Device {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    let mut device = device_at(server, user, &path).await;
    device._owned = Some(dir);
    device
}

/// A device of `user` on `dir` (kept by the caller), logged in.
pub async fn device_at(server: &TestServer, user: &str, dir: &Path) -> Device {
    let client = Client::new(server.config(dir)).unwrap();
    let events = client.subscribe();
    client.login(user, &sig(user)).await.unwrap();
    assert_eq!(client.network_status(), NetworkStatus::Connected);
    Device {
        user: user.to_owned(),
        client,
        events,
        dir: dir.to_owned(),
        _owned: None,
    }
}

impl Device {
    /// Sends a text to `conv` and waits for the ack.
    pub async fn send(&self, conv: &ConvId, content: &str) -> Message {
        let (_, handle) = self.client.send_message(conv, text(content)).unwrap();
        tokio::time::timeout(WAIT, handle)
            .await
            .expect("no ack in time")
            .unwrap()
    }

    /// The next event.
    pub async fn next_event(&mut self) -> Event {
        next_event(&mut self.events).await
    }

    /// Waits for the first event `pick` accepts, skipping others.
    pub async fn wait_for<T>(&mut self, pick: impl FnMut(&Event) -> Option<T>) -> T {
        wait_for(&mut self.events, pick).await
    }

    /// Collects new-message events until `count` messages arrived (exactly; more fails).
    pub async fn receive(&mut self, count: usize) -> Vec<Message> {
        let mut received = Vec::new();
        while received.len() < count {
            let batch = self
                .wait_for(|event| match event {
                    Event::NewMessages(messages) => Some(messages.clone()),
                    _ => None,
                })
                .await;
            received.extend(batch);
        }
        assert_eq!(
            received.len(),
            count,
            "more messages than expected: {:?}",
            contents(&received)
        );
        received
    }

    /// Waits until the network status is `status`.
    pub async fn wait_status(&mut self, status: NetworkStatus) {
        self.wait_for(|event| match event {
            Event::NetworkStatus { status: s, .. } if *s == status => Some(()),
            _ => None,
        })
        .await;
    }

    /// Every message of `conv` in the local store, oldest first.
    pub fn local(&self, conv: &ConvId) -> Vec<Message> {
        let engine = self.client.engine().unwrap();
        let param = tim_model::GetMsgListParam {
            count: 1000,
            is_forward: true,
            ..Default::default()
        };
        engine.get_message_list(conv, &param).unwrap()
    }

    /// The stored message `id`.
    pub fn stored(&self, id: &MessageId) -> Option<Message> {
        let engine = self.client.engine().unwrap();
        engine
            .find_messages(std::slice::from_ref(id))
            .unwrap()
            .into_iter()
            .next()
    }
}

/// The next event of `events`, failing the test after [`WAIT`].
pub async fn next_event(events: &mut EventReceiver) -> Event {
    tokio::time::timeout(WAIT, events.recv())
        .await
        .expect("no event in time")
        .expect("the event stream ended")
}

/// Waits for the first event `pick` accepts (at most 10,000 events).
pub async fn wait_for<T>(
    events: &mut EventReceiver,
    mut pick: impl FnMut(&Event) -> Option<T>,
) -> T {
    for _ in 0..10_000 {
        let event = next_event(events).await;
        if let Some(found) = pick(&event) {
            return found;
        }
    }
    panic!("the awaited event never came");
}

/// The C2C conversation with `peer`.
pub fn c2c(peer: &str) -> ConvId {
    ConvId::new(ConvType::C2c, peer).unwrap()
}

/// The group conversation `group`.
pub fn group(id: &str) -> ConvId {
    ConvId::new(ConvType::Group, id).unwrap()
}

/// A user ID.
pub fn user(id: &str) -> UserId {
    UserId::new(id).unwrap()
}

/// A text message.
pub fn text(content: &str) -> Message {
    Message {
        elems: vec![Elem::Text(TextElem {
            content: content.to_owned(),
        })],
        ..Default::default()
    }
}

/// The text of a message's first element.
pub fn content(message: &Message) -> &str {
    match message.elems.first() {
        Some(Elem::Text(text)) => &text.content,
        _ => "",
    }
}

/// The texts of messages, in order.
pub fn contents(messages: &[Message]) -> Vec<&str> {
    messages.iter().map(content).collect()
}

/// The seqs of messages, in order.
pub fn seqs(messages: &[Message]) -> Vec<u64> {
    messages.iter().map(|m| m.seq.0).collect()
}

/// Whether `seqs` are 1, 2, 3, ... `n`.
pub fn assert_contiguous(seqs: &[u64]) {
    let expected: Vec<u64> = (1..=seqs.len() as u64).collect();
    assert_eq!(seqs, expected, "seqs are not contiguous from 1");
}
