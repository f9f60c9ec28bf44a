//! The keys of the tables: where a message sits in display order ([`MessageKey`]), what its
//! index entries are keyed by, and the text key of a conversation.
//!
//! Every message of a conversation lives under `(conversation number, order time, seq,
//! insertion number)`. redb compares tuple keys field by field, so a conversation's messages
//! are one contiguous key range in display order, and a page is a range scan. The insertion
//! number is unique over the whole store, which makes every key unique and lets the secondary
//! indexes name a message by `(conversation number, x, insertion number)`.

use tim_model::enums::ConvType;
use tim_model::{ConvId, Message};

/// A message key as stored: `(conversation number, order time, seq, insertion number)`.
pub(crate) type MessageKeyTuple = (u64, u64, u64, u64);

/// Where a message sits in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct MessageKey {
    /// The conversation's number (see `conversation_numbers`).
    pub conv_no: u64,
    /// Server time if non-zero, else client time.
    pub order_time: u64,
    /// Seq in the conversation (0 while it has none).
    pub seq: u64,
    /// Global insertion number: the last tie-break, kept when a message is replaced.
    pub insert_no: u64,
}

impl MessageKey {
    /// The key of `message` in conversation `conv_no`.
    pub fn of(conv_no: u64, message: &Message, insert_no: u64) -> Self {
        Self {
            conv_no,
            order_time: order_time(message),
            seq: message.seq.0,
            insert_no,
        }
    }

    /// The key as stored.
    pub fn tuple(self) -> MessageKeyTuple {
        (self.conv_no, self.order_time, self.seq, self.insert_no)
    }

    /// The key read back.
    pub fn from_tuple((conv_no, order_time, seq, insert_no): MessageKeyTuple) -> Self {
        Self {
            conv_no,
            order_time,
            seq,
            insert_no,
        }
    }

    /// The smallest key of a conversation at `order_time`.
    pub fn first_at(conv_no: u64, order_time: u64) -> MessageKeyTuple {
        (conv_no, order_time, 0, 0)
    }

    /// The largest key of a conversation at `order_time`.
    pub fn last_at(conv_no: u64, order_time: u64) -> MessageKeyTuple {
        (conv_no, order_time, u64::MAX, u64::MAX)
    }

    /// The key of the message's entry in the locator index.
    pub fn locator_key(self, rand: u64) -> (u64, u64, u64, u64) {
        (self.conv_no, self.order_time, rand, self.insert_no)
    }

    /// The key of the message's entry in the seq index (meaningful when `seq > 0`).
    pub fn seq_key(self) -> (u64, u64, u64) {
        (self.conv_no, self.seq, self.insert_no)
    }

    /// The key of the message's entry in the unread-candidate index of a conversation of type
    /// `conv`: its position on the axis the conversation's read mark is compared with.
    pub fn unread_key(self, conv: &ConvId) -> (u64, u64, u64) {
        (self.conv_no, self.unread_axis(conv), self.insert_no)
    }

    /// Where the message is on the read axis: C2C conversations are read by time, groups by
    /// seq.
    pub fn unread_axis(self, conv: &ConvId) -> u64 {
        match conv {
            ConvId::C2c(_) => self.order_time,
            ConvId::Group(_) => self.seq,
        }
    }

    /// The key readable, for reports.
    pub fn describe(self) -> String {
        format!(
            "conversation #{} time {} seq {} #{}",
            self.conv_no, self.order_time, self.seq, self.insert_no
        )
    }
}

/// A message's place in time: server time once the server has one, else client time.
pub(crate) fn order_time(message: &Message) -> u64 {
    if message.server_time != 0 {
        message.server_time
    } else {
        message.client_time
    }
}

/// The text key of a conversation: `c2c_<user>` or `group_<group>` (the form the newer TIM API
/// uses; the prefixes cannot be confused).
pub(crate) fn conv_key(conv: &ConvId) -> String {
    conv.to_string()
}

/// A conversation from its text key.
pub(crate) fn parse_conv_key(key: &str) -> Result<ConvId, String> {
    let (conv_type, id) = if let Some(id) = key.strip_prefix("c2c_") {
        (ConvType::C2c, id)
    } else if let Some(id) = key.strip_prefix("group_") {
        (ConvType::Group, id)
    } else {
        return Err(format!("{key:?} is not a conversation key"));
    };
    ConvId::new(conv_type, id).map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tim_model::Seq;

    #[test]
    fn conversation_keys_read_back() {
        for conv in [
            ConvId::new(ConvType::C2c, "a_b").unwrap(),
            ConvId::new(ConvType::Group, "c2c_x").unwrap(),
        ] {
            assert_eq!(parse_conv_key(&conv_key(&conv)).unwrap(), conv);
        }
        assert!(parse_conv_key("system_x").is_err());
        assert!(parse_conv_key("c2c_").is_err());
    }

    #[test]
    fn messages_are_ordered_by_server_time_or_else_client_time() {
        let mut message = Message {
            client_time: 5,
            seq: Seq(3),
            ..Message::default()
        };
        assert_eq!(MessageKey::of(1, &message, 9).tuple(), (1, 5, 3, 9));
        message.server_time = 7;
        assert_eq!(MessageKey::of(1, &message, 9).order_time, 7);
    }
}
