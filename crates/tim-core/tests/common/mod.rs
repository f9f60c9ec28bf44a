//! One-line set-ups for the engine tests: an engine on a fresh temp dir, and message builders.
#![allow(dead_code, clippy::unwrap_used)] // test set-ups: a failure here is a failed test

use tim_core::Engine;
use tim_model::enums::ConvType;
use tim_model::{ConvId, Elem, Message, TextElem, UserId};

/// The user every test engine belongs to.
pub const ME: &str = "me";

/// An engine of [`ME`] on its own temp dir (kept alive by the returned guard).
pub fn engine() -> (Engine, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path(), &UserId::new(ME).unwrap()).unwrap();
    (engine, dir)
}

/// Reopens the engine of [`ME`] on `dir`.
pub fn reopen(dir: &tempfile::TempDir) -> Engine {
    Engine::open(dir.path(), &UserId::new(ME).unwrap()).unwrap()
}

/// The C2C conversation with `peer`.
pub fn c2c(peer: &str) -> ConvId {
    ConvId::new(ConvType::C2c, peer).unwrap()
}

/// The group conversation `group`.
pub fn group(group: &str) -> ConvId {
    ConvId::new(ConvType::Group, group).unwrap()
}

/// A text message from `sender` at `time`.
pub fn text(sender: &str, time: u64, content: &str) -> Message {
    Message {
        elems: vec![Elem::Text(TextElem {
            content: content.to_owned(),
        })],
        sender: sender.to_owned(),
        client_time: time,
        server_time: time,
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

/// The texts of a list of messages, in order.
pub fn contents(messages: &[Message]) -> Vec<&str> {
    messages.iter().map(content).collect()
}
