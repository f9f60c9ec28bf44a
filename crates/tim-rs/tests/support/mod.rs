//! What the facade tests share: a real server on loopback and logged-in clients.

#![allow(dead_code)]

use std::time::Duration;
use tim_rs::{Client, ClientConfig, Event, Events, Message, ServerTrust, text_of};
use tim_server::{AppConfig, Server, ServerConfig};

/// The app of every facade test.
pub const APP: u64 = 1_400_000_042;
/// Its secret key.
pub const KEY: &str = "facade-secret";
/// How long a test waits for an event.
pub const WAIT: Duration = Duration::from_secs(20);

/// A server on 127.0.0.1 with its data in `dir`.
pub async fn server(dir: &std::path::Path) -> Server {
    let apps = vec![AppConfig {
        sdk_app_id: APP,
        secret_key: KEY.to_owned(),
    }];
    let listen = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    Server::start(ServerConfig::new(listen, dir.join("server"), apps))
        .await
        .unwrap_or_else(|err| panic!("server: {err}"))
}

/// A client of `user` (not logged in) and its events.
pub fn client(server: &Server, dir: &std::path::Path, user: &str) -> (Client, Events) {
    let trust = ServerTrust::parse(&server.certificate().sha256_hex)
        .unwrap_or_else(|err| panic!("trust: {err}"));
    let config = ClientConfig::new(server.local_addr().to_string(), trust, APP, dir.join(user));
    let client = Client::new(config).unwrap_or_else(|err| panic!("client: {err}"));
    let events = client.events();
    (client, events)
}

/// A logged-in client of `user` and its events.
pub async fn logged_in(server: &Server, dir: &std::path::Path, user: &str) -> (Client, Events) {
    let (client, events) = client(server, dir, user);
    let sig = tim_server::usersig::gen_user_sig(APP, KEY, user, 3600);
    client
        .login(user, &sig)
        .await
        .unwrap_or_else(|err| panic!("login of {user}: {err}"));
    (client, events)
}

/// The next new message with text, within [`WAIT`].
pub async fn next_text(events: &mut Events) -> Message {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let event = tokio::time::timeout_at(deadline, events.next())
            .await
            .unwrap_or_else(|_| panic!("no message within {WAIT:?}"));
        if let Some(Event::NewMessages(messages)) = event
            && let Some(message) = messages.into_iter().find(|m| !text_of(m).is_empty())
        {
            return message;
        }
    }
}
