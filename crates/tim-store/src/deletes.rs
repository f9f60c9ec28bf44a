//! Cloud-delete support: removing the messages of a conversation up to a seq (a history
//! cleared on another device, where later messages must stay).

use crate::Store;
use crate::error::Result;
use crate::record::StoredJournalOp;
use redb::ReadableTable;
use tim_model::{ConvId, MessageId};

impl Store {
    /// Deletes the messages of `conv` with a seq in `1..=up_to_seq` (and their send-queue
    /// entries) in one transaction and returns their IDs. Messages without a seq (not yet
    /// sent) and later messages stay, as do the held seq ranges (cleared history is not a gap
    /// to fill).
    pub fn delete_up_to_seq(&self, conv: &ConvId, up_to_seq: u64) -> Result<Vec<MessageId>> {
        self.write(|tables| {
            let Some(conv_no) = tables.find_conv(conv)? else {
                return Ok(Vec::new());
            };
            let mut ids = Vec::new();
            for entry in tables
                .conversation_message_ids
                .range((conv_no, 0)..=(conv_no, u64::MAX))?
            {
                let (_, id) = entry?;
                ids.push(id.value().to_owned());
            }
            let mut doomed = Vec::new();
            for id in ids {
                if let Some(slot) = tables.message_ids.get(id.as_str())? {
                    let (_, _, seq, _, _) = slot.value();
                    if (1..=up_to_seq).contains(&seq) {
                        doomed.push(id);
                    }
                }
            }
            let mut deleted = Vec::new();
            for id in doomed {
                let id = MessageId::new(&id).map_err(|e| crate::StoreError::Corrupt {
                    table: crate::schema::names::MESSAGE_IDS,
                    key: id.clone(),
                    detail: e.to_string(),
                })?;
                if tables.remove_message(&id)?.is_some() {
                    tables.send_queue.remove(id.as_str())?;
                    tables.journal(&StoredJournalOp::Delete(id.clone()))?;
                    deleted.push(id);
                }
            }
            Ok(deleted)
        })
    }
}
