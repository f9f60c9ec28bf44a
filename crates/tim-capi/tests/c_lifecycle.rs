//! The lifecycle exports and event callbacks as a C program sees them: `tests/c/lifecycle.c`
//! is Bob (compiled with `cc` against `libImSDK.so`), this driver is Alice (a `tim-rs` client),
//! both against a real tim-server on 127.0.0.1. Alice reads Bob's message (receipt), sets and
//! deletes an extension on it, and modifies and revokes a message of her own; Bob's callbacks
//! must see each; at the end a login as Bob with the device ID of Bob's C program kicks it
//! offline. Helpers are copied from `c_abi.rs` (kept private to this file).

mod common;

use common::{APP, PROGRAM_TIMEOUT, STEP, command, compile, finish, server, sig, step};
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::thread;
use tim_rs::model::enums::ConvType;
use tim_rs::model::{ConvId, MessageExtension};
use tim_rs::{Client, ClientConfig, ServerTrust};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_of_alice_reach_the_callbacks_of_a_c_program() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (server, env) = server(dir.path()).await;
    let address = server.local_addr().to_string();
    let cert = server.certificate().sha256_hex.clone();
    let exe = compile("lifecycle", dir.path());

    let mut bob = command(&exe, dir.path(), &env)
        .args(["bob-data", "bob-data-2", "bob", &sig("bob"), "alice"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("spawn bob: {err}"));
    let stdout = bob.stdout.take().unwrap_or_else(|| panic!("bob stdout"));
    let (ready_tx, ready) = mpsc::channel();
    let (kick_tx, kick) = mpsc::channel();
    let reader = thread::spawn(move || {
        let mut lines = BufReader::new(stdout);
        let mut line = String::new();
        let mut rest = Vec::new();
        while lines.read_line(&mut line).unwrap_or(0) > 0 {
            if let Some(id) = line.trim().strip_prefix("READY ") {
                let _ = ready_tx.send(id.to_owned());
            }
            if line.trim() == "KICK-ME" {
                let _ = kick_tx.send(());
            }
            rest.push(line.clone());
            line.clear();
        }
        rest
    });
    let Ok(msg_id) = ready.recv_timeout(PROGRAM_TIMEOUT) else {
        let output = finish("bob (before READY)", bob);
        panic!("bob never got ready: {output:?}");
    };

    let trust = ServerTrust::parse(&cert).unwrap_or_else(|err| panic!("trust: {err}"));
    let config = ClientConfig::new(address.clone(), trust, APP, dir.path().join("alice-data"));
    let alice = Client::new(config).unwrap_or_else(|err| panic!("client: {err}"));
    step("alice login", alice.login("alice", &sig("alice"))).await;
    let bob_conv = alice.conversation(
        ConvId::new(ConvType::C2c, "bob").unwrap_or_else(|err| panic!("conv: {err}")),
    );
    let history = step("alice history", bob_conv.history(20)).await;
    let message = history
        .into_iter()
        .find(|m| m.msg_id.as_ref().is_some_and(|id| id.as_str() == msg_id))
        .unwrap_or_else(|| panic!("alice does not have bob's message {msg_id}"));

    step(
        "read receipt",
        bob_conv.send_read_receipts(std::slice::from_ref(&message)),
    )
    .await;
    let extension = MessageExtension {
        key: "k1".to_owned(),
        value: "from-alice".to_owned(),
    };
    let results = step(
        "set extension",
        bob_conv.set_message_extensions(&message, vec![extension]),
    )
    .await;
    assert!(results.iter().all(|r| r.code == 0), "{results:?}");
    step(
        "delete extension",
        bob_conv.delete_message_extensions(&message, vec!["k1".to_owned()]),
    )
    .await;
    let mine = tokio::time::timeout(STEP, bob_conv.send_text("to be edited"))
        .await
        .unwrap_or_else(|_| panic!("send took too long"))
        .unwrap_or_else(|err| panic!("send: {err:?}"));
    let mut edited = mine.clone();
    if let Some(tim_rs::model::Elem::Text(text)) = edited.elems.first_mut() {
        text.content = "edited by alice".to_owned();
    }
    let edited = step("modify", bob_conv.modify(edited)).await;
    step("revoke", bob_conv.revoke(&edited)).await;

    // Bob's second device asks to be kicked: log in as Bob with its device ID.
    if kick.recv_timeout(PROGRAM_TIMEOUT).is_err() {
        let output = finish("bob (before KICK-ME)", bob);
        panic!("bob never asked to be kicked: {output:?}");
    }
    let device = std::fs::read_to_string(dir.path().join("bob-data-2/device_id"))
        .unwrap_or_else(|err| panic!("bob's device ID: {err}"));
    let trust = ServerTrust::parse(&cert).unwrap_or_else(|err| panic!("trust: {err}"));
    let mut config = ClientConfig::new(
        server.local_addr().to_string(),
        trust,
        APP,
        dir.path().join("bob-kicker"),
    );
    config.device_id = Some(device.trim().to_owned());
    let kicker = Client::new(config).unwrap_or_else(|err| panic!("client: {err}"));
    step("bob's second login", kicker.login("bob", &sig("bob"))).await;

    let output = finish("bob", bob);
    let lines = reader.join().unwrap_or_default();
    assert!(
        lines.iter().any(|line| line.trim() == "OK lifecycle"),
        "{output:?} {lines:?}"
    );
    drop(server);
}
