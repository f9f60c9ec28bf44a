//! Canonical messages and per-user views.
//!
//! A message is stored once per conversation in canonical form: `conv_type` and `conv_id` as
//! the sender addressed it (C2C: the recipient's user ID; group: the group ID), `sender` the
//! sender, `is_from_self` false. Every message handed to a user goes through [`for_user`],
//! which sets `conv_id` and `is_from_self` from that user's view.

use tim_model::enums::ConvType;
use tim_proto::v1;

/// `message` (canonical) as `user` sees it.
pub fn for_user(message: &v1::Message, user: &str) -> v1::Message {
    let mut view = message.clone();
    adjust_for_user(&mut view, user);
    view
}

/// Turns a canonical message into `user`'s view in place.
pub fn adjust_for_user(message: &mut v1::Message, user: &str) {
    let from_self = message.sender == user;
    if message.conv_type == ConvType::C2c.value() && !from_self {
        message.conv_id = message.sender.clone();
    }
    message.is_from_self = from_self;
}

/// The participants of a canonical C2C message, or `None` for a group message.
pub fn c2c_parties(message: &v1::Message) -> Option<(&str, &str)> {
    (message.conv_type == ConvType::C2c.value())
        .then_some((message.sender.as_str(), message.conv_id.as_str()))
}
