//! Two users talking through a real tim server, from Rust.
//!
//! Starts a server in a temporary directory on 127.0.0.1 (as `tim serve` would), logs Alice
//! and Bob in with UserSigs minted from the app's key (as an app backend would), and has them
//! exchange messages one-to-one and in a group. Run it with:
//!
//! ```text
//! cargo run -p tim-rs --example two_users
//! ```

use std::error::Error;
use std::path::Path;
use std::time::Duration;
use tim_rs::model::enums::GroupAddOption;
use tim_rs::{Client, ClientConfig, CreateGroupParam, Event, Events, ServerTrust, UserId, text_of};
use tim_server::{AppConfig, Server, ServerConfig};

const APP: u64 = 1_400_000_001;
const KEY: &str = "example-secret-key";

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(ServerConfig::new(
        "127.0.0.1:0".parse()?,
        dir.path().join("server"),
        vec![AppConfig {
            sdk_app_id: APP,
            secret_key: KEY.to_owned(),
        }],
    ))
    .await?;
    println!("server on {}", server.local_addr());
    let trust = ServerTrust::parse(&server.certificate().sha256_hex)?;
    let address = server.local_addr().to_string();

    let (alice, mut alice_events) = log_in(&address, &trust, dir.path(), "alice").await?;
    let (bob, mut bob_events) = log_in(&address, &trust, dir.path(), "bob").await?;

    let sent = alice
        .c2c("bob")?
        .send_text("Hi Bob! Lunch at noon?")
        .await?;
    println!("alice -> bob  (seq {}): {}", sent.seq, text_of(&sent));
    let got = next_message(&mut bob_events).await?;
    println!("bob got       from {}: {}", got.sender, text_of(&got));

    let reply = bob.c2c("alice")?.send_text("Sure, see you there.").await?;
    println!("bob -> alice  (seq {}): {}", reply.seq, text_of(&reply));
    let got = next_message(&mut alice_events).await?;
    println!("alice got     from {}: {}", got.sender, text_of(&got));

    let group = alice
        .create_group(CreateGroupParam {
            group_id: Some(tim_rs::GroupId::new("lunch")?),
            name: "Lunch".to_owned(),
            add_option: GroupAddOption::Any,
            member_ids: vec![UserId::new("bob")?],
            ..CreateGroupParam::default()
        })
        .await?;
    let members = group.members().await?;
    println!("group {} has {} members", group.id(), members.len());
    bob.group_conversation("lunch")?
        .send_text("Table for two, please.")
        .await?;
    // Alice first gets the group's tip (Bob was invited), then Bob's message.
    let mut said = next_message(&mut alice_events).await?;
    while text_of(&said).is_empty() {
        said = next_message(&mut alice_events).await?;
    }
    println!(
        "alice got in group {} from {}: {}",
        said.conv_id,
        said.sender,
        text_of(&said)
    );

    let history = alice.c2c("bob")?.history(10).await?;
    println!("alice's history with bob, newest first:");
    for message in &history {
        println!(
            "  seq {} {}: {}",
            message.seq,
            message.sender,
            text_of(message)
        );
    }

    alice.logout().await?;
    bob.logout().await?;
    server.shutdown().await;
    Ok(())
}

async fn log_in(
    address: &str,
    trust: &ServerTrust,
    dir: &Path,
    user: &str,
) -> Result<(Client, Events), Box<dyn Error>> {
    let client = Client::new(ClientConfig::new(
        address,
        trust.clone(),
        APP,
        dir.join(user),
    ))?;
    let events = client.events();
    let sig = tim_server::usersig::gen_user_sig(APP, KEY, user, 3600);
    client.login(user, &sig).await?;
    Ok((client, events))
}

/// The next new message, waiting at most 10 s.
async fn next_message(events: &mut Events) -> Result<tim_rs::Message, Box<dyn Error>> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::time::timeout_at(deadline, events.next()).await? {
            Some(Event::NewMessages(messages)) => {
                if let Some(message) = messages.into_iter().next() {
                    return Ok(message);
                }
            }
            Some(_) => {}
            None => return Err("the client is gone".into()),
        }
    }
}
