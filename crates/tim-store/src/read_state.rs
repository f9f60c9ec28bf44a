//! Read receipts kept on the device: how far the peer of each C2C conversation has read (the
//! `peer_read` table), applied to this user's own messages as `is_peer_read`.

use redb::{ReadableTable, TableDefinition};
use tim_model::{ConvId, Message};

use crate::Store;
use crate::error::Result;
use crate::keys::{MessageKey, conv_key};
use crate::schema::names;
use crate::tables::Tables;

/// Conversation key -> the peer's read time (seconds): the peer has read every message up to
/// that server time.
pub(crate) const PEER_READ: TableDefinition<&str, u64> = TableDefinition::new(names::PEER_READ);

impl Store {
    /// How far the peer of C2C conversation `conv` has read (0: no receipt yet).
    pub fn peer_read_time(&self, conv: &ConvId) -> Result<u64> {
        let txn = self.read()?;
        let table = txn.open_table(PEER_READ)?;
        Ok(table
            .get(conv_key(conv).as_str())?
            .map(|v| v.value())
            .unwrap_or(0))
    }

    /// Records that the peer of `conv` read up to `time` (forward only) and marks this user's
    /// own messages of `conv` up to that order time `is_peer_read`, in one transaction.
    /// Returns the messages it changed. The walk goes from `time` backwards and stops at the
    /// first own message already marked (earlier receipts marked the ones before it); own
    /// messages stored later at or before the time are marked when stored.
    pub fn mark_peer_read(&self, conv: &ConvId, time: u64) -> Result<Vec<Message>> {
        self.write(|tables| {
            let key = conv_key(conv);
            let current = tables
                .peer_read
                .get(key.as_str())?
                .map(|v| v.value())
                .unwrap_or(0);
            if time > current {
                tables.peer_read.insert(key.as_str(), time)?;
            }
            let mut changed = Vec::new();
            let Some(conv_no) = tables.find_conv(conv)? else {
                return Ok(changed);
            };
            let range = MessageKey::first_at(conv_no, 0)..=MessageKey::last_at(conv_no, time);
            for entry in tables.messages.range(range)?.rev() {
                let (key, value) = entry?;
                let key = MessageKey::from_tuple(key.value());
                let Some(message) = self.decode(key, value.value(), None) else {
                    continue;
                };
                if !message.is_from_self || message.server_time == 0 {
                    continue;
                }
                if message.is_peer_read {
                    break;
                }
                changed.push(message);
            }
            for message in &mut changed {
                message.is_peer_read = true;
                message.receipt_peer_read = true;
                tables.replace_in_place(message.clone())?;
            }
            Ok(changed)
        })
    }
}

impl Tables<'_> {
    /// Sets `is_peer_read` on `message` (about to be stored in `conv`) when it is this user's
    /// own C2C message and the peer's recorded read time covers its server time.
    pub(crate) fn apply_peer_read(&mut self, conv: &ConvId, message: &mut Message) -> Result<()> {
        if !matches!(conv, ConvId::C2c(_))
            || !message.is_from_self
            || message.is_peer_read
            || message.server_time == 0
        {
            return Ok(());
        }
        let read = self
            .peer_read
            .get(conv_key(conv).as_str())?
            .is_some_and(|time| time.value() >= message.server_time);
        if read {
            message.is_peer_read = true;
            message.receipt_peer_read = true;
        }
        Ok(())
    }
}
