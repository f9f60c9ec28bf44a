//! Message IDs in [`KvStorage`](super::KvStorage): a message ID belongs to its sender.
//!
//! - `sent_ids` (app, sender, ID) is the sender's own namespace: send dedup (a retry is a
//!   duplicate with the first ack) and cancel. Another user's use of the same ID is never
//!   seen there, so it can neither block, swallow nor reveal a message.
//! - `conv_msg_ids` (conversation number, ID, sender) -> seq finds a message of one
//!   conversation by ID. When senders share an ID, [`find_in_conv`] prefers the caller's own
//!   message and otherwise the oldest, so a later copy of someone's ID never shadows it.

use crate::StorageError;
use crate::kv::Table;

/// The seq of message `msg_id` in conversation `conv_no` as `caller` finds it: the caller's
/// own message with that ID if there is one, else the oldest. The candidates are at most one
/// per sender of the conversation.
pub(super) fn find_in_conv(
    table: &Table<'_, (u64, &'static str, &'static str), u64>,
    conv_no: u64,
    msg_id: &str,
    caller: &str,
) -> Result<Option<u64>, StorageError> {
    let mut oldest: Option<u64> = None;
    for entry in table.range::<(u64, &str, &str)>((conv_no, msg_id, "")..)? {
        let (key, seq) = entry?;
        let (entry_conv, entry_id, sender) = key.value();
        if entry_conv != conv_no || entry_id != msg_id {
            break;
        }
        let seq = seq.value();
        if sender == caller {
            return Ok(Some(seq));
        }
        oldest = Some(oldest.map_or(seq, |o| o.min(seq)));
    }
    Ok(oldest)
}
