//! Unread counts and read positions, local part (the network part arrives with the message
//! lifecycle issue): C2C conversations are read up to a time, groups up to a seq.

use crate::engine::{Engine, now_secs};
use crate::error::Result;
use tim_model::{ConvId, Message, Seq};
use tim_store::{Anchor, ConversationState, Direction, PageQuery, ReadMark};

impl Engine {
    /// The conversation's unread count and read position (all zero for a conversation with no
    /// local messages).
    pub fn conversation_state(&self, conv: &ConvId) -> Result<ConversationState> {
        Ok(self.store.conversation(conv)?.unwrap_or_default())
    }

    /// Marks `conv` read up to `message` (`TIMMsgReportReaded` with a message), or up to its
    /// newest message, or up to now when it has none (`json_msg_param` NULL or "").
    pub fn mark_read(&self, conv: &ConvId, message: Option<&Message>) -> Result<ConversationState> {
        let upto = match message {
            Some(message) => Some(message.clone()),
            None => self.newest(conv)?,
        };
        let mark = match upto {
            Some(m) => ReadMark {
                time: order_time(&m),
                seq: m.seq,
            },
            None => ReadMark {
                time: now_secs(),
                seq: Seq(0),
            },
        };
        Ok(self.store.mark_read(conv, mark)?)
    }

    fn newest(&self, conv: &ConvId) -> Result<Option<Message>> {
        let query = PageQuery::new(Anchor::Newest, Direction::Older, 1);
        Ok(self.store.page(conv, &query)?.into_iter().next())
    }
}

/// The time a message is ordered by: the server's when it has one, else the client's.
fn order_time(message: &Message) -> u64 {
    if message.server_time != 0 {
        message.server_time
    } else {
        message.client_time
    }
}
