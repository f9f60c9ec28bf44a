//! Frame encoding for pushes: the frames of a stored message (new, revoked, modified) for
//! each recipient, encoding the message once per distinct view.

use crate::storage::view;
use tim_proto::v1;

/// The `MessageRevokedPush` frame of the revoked canonical `message` for `user`.
pub(crate) fn revoked_frame(message: &v1::Message, user: &str, cursor: u64) -> Vec<u8> {
    let frame = v1::ServerFrame {
        request_id: 0,
        body: Some(v1::server_frame::Body::MessageRevoked(
            v1::MessageRevokedPush {
                cursor,
                info: Some(view::revoke_info(&view::for_user(message, user))),
            },
        )),
    };
    tim_proto::encode_frame(&frame)
}

/// The `MessageModifiedPush` frame of the modified canonical `message` for `user`.
pub(crate) fn modified_frame(message: &v1::Message, user: &str, cursor: u64) -> Vec<u8> {
    let frame = v1::ServerFrame {
        request_id: 0,
        body: Some(v1::server_frame::Body::MessageModified(
            v1::MessageModifiedPush {
                cursor,
                message: Some(view::for_user(message, user)),
            },
        )),
    };
    tim_proto::encode_frame(&frame)
}

/// Encodes the NewMessagePush frames of one canonical message for many users, encoding the
/// message itself only once per distinct view: a user's view depends on the user only through
/// whether they sent it (see [`view::adjust_for_user`]), so a fan-out to thousands of members
/// encodes it twice at most and each member's frame is a copy plus its cursor.
pub(crate) struct PushEncoder<'a> {
    message: &'a v1::Message,
    /// The encoded view of the sender, and of everyone else.
    own: Option<Vec<u8>>,
    others: Option<Vec<u8>>,
}

/// Field numbers of `NewMessagePush` (`cursor`, `message`).
const PUSH_CURSOR_TAG: u32 = 1;
const PUSH_MESSAGE_TAG: u32 = 2;

impl<'a> PushEncoder<'a> {
    pub fn new(message: &'a v1::Message) -> Self {
        Self {
            message,
            own: None,
            others: None,
        }
    }

    /// The encoded NewMessagePush frame of the message for `user` at `cursor`.
    pub fn frame(&mut self, user: &str, cursor: u64) -> Vec<u8> {
        use prost::Message as _;
        use prost::encoding::{encode_key, encode_varint, encoded_len_varint, key_len};
        let message = self.message;
        let slot = if message.sender == user {
            &mut self.own
        } else {
            &mut self.others
        };
        let view = slot.get_or_insert_with(|| view::for_user(message, user).encode_to_vec());
        // NewMessagePush { cursor, message }: proto3 leaves out a zero cursor.
        let cursor_len = if cursor == 0 {
            0
        } else {
            key_len(PUSH_CURSOR_TAG) + encoded_len_varint(cursor)
        };
        let push_len = cursor_len
            + key_len(PUSH_MESSAGE_TAG)
            + encoded_len_varint(view.len() as u64)
            + view.len();
        // ServerFrame { request_id: 0 (left out), body: NewMessage(push) }.
        let body_key = body_key();
        let payload_len = body_key.len() + encoded_len_varint(push_len as u64) + push_len;
        let mut frame = Vec::with_capacity(4 + payload_len);
        frame.extend_from_slice(&u32::try_from(payload_len).unwrap_or(u32::MAX).to_be_bytes());
        frame.extend_from_slice(body_key);
        encode_varint(push_len as u64, &mut frame);
        if cursor != 0 {
            encode_key(
                PUSH_CURSOR_TAG,
                prost::encoding::WireType::Varint,
                &mut frame,
            );
            encode_varint(cursor, &mut frame);
        }
        encode_key(
            PUSH_MESSAGE_TAG,
            prost::encoding::WireType::LengthDelimited,
            &mut frame,
        );
        encode_varint(view.len() as u64, &mut frame);
        frame.extend_from_slice(view);
        frame
    }
}

/// The key of `ServerFrame.body`'s `new_message` field, taken from prost's own encoding of an
/// empty push (key, then a zero length).
fn body_key() -> &'static [u8] {
    static KEY: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        use prost::Message as _;
        let mut bytes = v1::ServerFrame {
            request_id: 0,
            body: Some(v1::server_frame::Body::NewMessage(
                v1::NewMessagePush::default(),
            )),
        }
        .encode_to_vec();
        bytes.pop();
        bytes
    })
}

/// The encoded NewMessagePush frame of canonical `message` for `user`, the plain way (what
/// [`PushEncoder`] must produce).
#[cfg(test)]
fn push_frame(message: &v1::Message, user: &str, cursor: u64) -> Vec<u8> {
    let frame = v1::ServerFrame {
        request_id: 0,
        body: Some(v1::server_frame::Body::NewMessage(v1::NewMessagePush {
            cursor,
            message: Some(view::for_user(message, user)),
        })),
    };
    tim_proto::encode_frame(&frame)
}

/// The push of a logged event: the `ServerFrame` body of the same number.
pub(crate) fn notice_body(event: v1::sync_event::Event) -> v1::server_frame::Body {
    use v1::server_frame::Body;
    use v1::sync_event::Event;
    match event {
        Event::NewMessage(push) => Body::NewMessage(push),
        Event::MessageRevoked(push) => Body::MessageRevoked(push),
        Event::MessageModified(push) => Body::MessageModified(push),
        Event::ReadReceipts(push) => Body::ReadReceipts(push),
        Event::ConversationRead(push) => Body::ConversationRead(push),
        Event::ExtensionsChanged(push) => Body::ExtensionsChanged(push),
        Event::ExtensionsDeleted(push) => Body::ExtensionsDeleted(push),
        Event::MessagesDeleted(push) => Body::MessagesDeleted(push),
        Event::HistoryCleared(push) => Body::HistoryCleared(push),
        Event::ConversationsChanged(push) => Body::ConversationsChanged(push),
        Event::ProfileChanged(push) => Body::ProfileChanged(push),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(conv_type: i32, text_len: usize) -> v1::Message {
        v1::Message {
            conv_type,
            conv_id: "peer".into(),
            sender: "alice".into(),
            msg_id: Some("m-1".into()),
            seq: 7,
            elems: vec![v1::Elem {
                body: Some(v1::elem::Body::Text(v1::TextElem {
                    content: "x".repeat(text_len),
                })),
            }],
            ..Default::default()
        }
    }

    #[test]
    fn push_encoder_matches_push_frame() {
        for conv_type in [1, 2] {
            for text_len in [0, 5, 200, 20_000] {
                let canonical = message(conv_type, text_len);
                let mut encoder = PushEncoder::new(&canonical);
                for user in ["alice", "bob", "peer", "carol", "alice"] {
                    for cursor in [0, 1, 127, 128, 300, u64::MAX] {
                        assert_eq!(
                            encoder.frame(user, cursor),
                            push_frame(&canonical, user, cursor),
                            "conv_type {conv_type}, text {text_len}, user {user}, cursor {cursor}"
                        );
                    }
                }
            }
        }
    }
}
