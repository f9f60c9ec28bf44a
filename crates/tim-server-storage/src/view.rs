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

/// The revoke notice of a revoked message, from the view `message` already is (see
/// [`adjust_for_user`]): its locator and who revoked it and why.
pub fn revoke_info(message: &v1::Message) -> v1::RevokeInfo {
    v1::RevokeInfo {
        locator: Some(v1::MsgLocator {
            conv_id: message.conv_id.clone(),
            conv_type: message.conv_type,
            is_revoked: true,
            time: message.server_time,
            seq: message.seq,
            is_self: message.is_from_self,
            rand: message.rand,
            unique_id: message.unique_id,
        }),
        revoker_user_id: message.revoker_user_id.clone(),
        revoker_nick_name: message.revoker_nick_name.clone(),
        revoker_face_url: message.revoker_face_url.clone(),
        revoke_reason: message.revoke_reason.clone(),
    }
}
