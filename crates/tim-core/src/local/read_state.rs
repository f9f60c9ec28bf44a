//! Read state applied to the device's store: read marks from the server (this user's reports
//! on any device), and read receipts for this user's own messages.

use crate::engine::Engine;
use crate::error::Result;
use tim_model::enums::ConvType;
use tim_model::{ConvId, Message, MessageId, MessageReceipt, Seq};
use tim_store::ReadMark;

impl Engine {
    /// Moves the read marks of `marks` forward (C2C by time, groups by seq) and recounts
    /// their unread messages.
    pub(crate) fn apply_read_marks(&self, marks: &[(ConvId, u64, u64)]) -> Result<()> {
        for (conv, time, seq) in marks {
            self.store.mark_read(
                conv,
                ReadMark {
                    time: *time,
                    seq: Seq(*seq),
                },
            )?;
        }
        Ok(())
    }

    /// Marks every stored conversation of `kind` (`None`: every kind) read up to its newest
    /// message; returns the conversations marked.
    pub(crate) fn mark_all_read_local(&self, kind: Option<ConvType>) -> Result<Vec<ConvId>> {
        let mut marked = Vec::new();
        for (conv, _) in self.store.conversations()? {
            if kind.is_none_or(|k| k == conv.conv_type()) {
                self.mark_read(&conv, None)?;
                marked.push(conv);
            }
        }
        Ok(marked)
    }

    /// Applies read receipts to the stored messages: a C2C conversation-level receipt marks
    /// this user's messages up to its time peer-read; a per-message receipt sets the
    /// message's peer-read flag (C2C) or its read and unread counts (group).
    pub(crate) fn apply_receipts(&self, receipts: &[MessageReceipt]) -> Result<()> {
        for receipt in receipts {
            let Ok(conv) = ConvId::new(receipt.conv_type, &receipt.conv_id) else {
                continue;
            };
            if receipt.msg_id.is_empty() {
                if matches!(conv, ConvId::C2c(_)) && receipt.time_stamp > 0 {
                    let changed = self.store.mark_peer_read(&conv, receipt.time_stamp)?;
                    if !changed.is_empty() {
                        self.sync_index()?;
                    }
                }
                continue;
            }
            let Ok(id) = MessageId::new(&receipt.msg_id) else {
                continue;
            };
            let Some(mut message) = self.store.get_messages(std::slice::from_ref(&id))?.pop()
            else {
                continue;
            };
            match conv {
                ConvId::C2c(_) => {
                    if !receipt.is_peer_read || message.is_peer_read {
                        continue;
                    }
                    message.is_peer_read = true;
                    message.receipt_peer_read = true;
                }
                ConvId::Group(_) => {
                    message.group_receipt_read_count =
                        i32::try_from(receipt.read_count).unwrap_or(i32::MAX);
                    message.group_receipt_unread_count =
                        i32::try_from(receipt.unread_count).unwrap_or(i32::MAX);
                }
            }
            self.replace_message(&message)?;
        }
        Ok(())
    }

    /// Marks the stored copies of `messages` as having had their receipt sent.
    pub(crate) fn mark_receipts_sent(&self, messages: &[Message]) -> Result<()> {
        let ids: Vec<MessageId> = messages.iter().filter_map(|m| m.msg_id.clone()).collect();
        for mut message in self.store.get_messages(&ids)? {
            if !message.has_sent_receipt {
                message.has_sent_receipt = true;
                self.replace_message(&message)?;
            }
        }
        Ok(())
    }
}
