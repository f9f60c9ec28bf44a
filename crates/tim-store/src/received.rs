//! Messages received from the server (pushes, sync batches, history pulls), stored at most once
//! per message ID, with the seq ranges the server vouched for and the sync cursor, all in one
//! transaction.
//!
//! A received message whose ID the store already holds is left as it is (the device's own
//! copy may carry local state: a send in progress, local custom data), but its seq is still
//! recorded as held: the message is here, under its ID. The sync cursor is the position of the
//! last event of the user's server-side event log applied here; it is written in the same
//! transaction as the messages of those events, so a crash never advances it past a message
//! that was not stored.

use tim_model::{ConvId, Message, Seq};

use crate::Store;
use crate::error::{Result, StoreError};
use crate::messages::required_id;
use crate::schema::META;

/// The `meta` row holding the sync cursor.
const SYNC_CURSOR_ROW: &str = "sync_cursor";

/// What one [`Store::store_received`] call writes.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReceivedBatch<'a> {
    /// Messages with the conversation each belongs to (from this user's view).
    pub messages: &'a [(ConvId, Message)],
    /// Seq ranges (inclusive) the server said are complete: held from now on.
    pub held: &'a [(ConvId, Seq, Seq)],
    /// The new sync cursor, if the batch moves it.
    pub cursor: Option<u64>,
}

impl Store {
    /// The sync cursor (0 before any event was applied).
    pub fn sync_cursor(&self) -> Result<u64> {
        let txn = self.read()?;
        let meta = txn.open_table(META)?;
        Ok(meta.get(SYNC_CURSOR_ROW)?.map_or(0, |row| row.value()))
    }

    /// Stores `batch` in one transaction: each message whose ID is not stored yet is inserted
    /// (as by [`Store::put_messages`]), the seqs of all messages and the `held` ranges become
    /// held, and the cursor is set. Returns, per message, whether it was inserted (false: the
    /// store already had it). A message without ID or an empty range (`from` 0 or after `to`)
    /// refuses the whole batch (6017) before anything is written.
    pub fn store_received(&self, batch: ReceivedBatch<'_>) -> Result<Vec<bool>> {
        for (_, message) in batch.messages {
            required_id(message)?;
        }
        for (conv, from, to) in batch.held {
            if from.0 == 0 || from > to {
                return Err(StoreError::invalid(
                    "held",
                    format!("{conv}: {from}..={to} is not a range of seqs"),
                ));
            }
        }
        self.write(|tables| {
            let mut inserted = Vec::with_capacity(batch.messages.len());
            let mut seqs = Vec::new();
            for (conv, message) in batch.messages {
                let id = required_id(message)?;
                let is_new = tables.key_of(id)?.is_none();
                if is_new {
                    let (_, key) = tables.upsert(conv, message.clone())?;
                    if key.seq > 0 {
                        seqs.push((key.conv_no, key.seq));
                    }
                } else if message.seq.0 > 0 {
                    let conv_no = tables.conv(conv)?;
                    seqs.push((conv_no, message.seq.0));
                }
                inserted.push(is_new);
            }
            tables.hold_all(seqs)?;
            for (conv, from, to) in batch.held {
                let conv_no = tables.conv(conv)?;
                tables.hold(conv_no, from.0, to.0)?;
            }
            if let Some(cursor) = batch.cursor {
                tables.set_meta(SYNC_CURSOR_ROW, cursor)?;
            }
            Ok(inserted)
        })
    }
}
