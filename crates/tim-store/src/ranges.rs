//! Which seq ranges of each conversation are held locally, so the engine can tell a gap in
//! a conversation's history from its start.
//!
//! Ranges are kept merged: `held_ranges` maps (conversation number, first seq) to the last
//! seq, and no two ranges of a conversation overlap or touch. Storing a message with a seq
//! holds that seq; [`Store::mark_range_held`] holds a range the server said has nothing else.
//! Deleting messages does not release their seqs: a deleted message is not a gap to fill.

use redb::ReadableTable;
use tim_model::{ConvId, Seq};

use crate::Store;
use crate::error::{Result, StoreError};
use crate::schema::{CONVERSATIONS, HELD_RANGES};
use crate::tables::Tables;

impl Tables<'_> {
    /// Holds `from..=to` of conversation `conv_no`, merging it with the ranges it overlaps or
    /// touches.
    pub(crate) fn hold(&mut self, conv_no: u64, from: u64, to: u64) -> Result<()> {
        let (mut from, mut to) = (from, to);
        if let Some(entry) = self
            .held_ranges
            .range((conv_no, 0)..=(conv_no, from))?
            .next_back()
        {
            let (key, end) = entry?;
            let ((_, start), end) = (key.value(), end.value());
            if end >= to {
                return Ok(());
            }
            if end.saturating_add(1) >= from {
                from = start;
            }
        }
        let mut merged = Vec::new();
        for entry in self
            .held_ranges
            .range((conv_no, from)..=(conv_no, to.saturating_add(1)))?
        {
            let (key, end) = entry?;
            merged.push(key.value());
            to = to.max(end.value());
        }
        for key in merged {
            self.held_ranges.remove(key)?;
        }
        self.held_ranges.insert((conv_no, from), to)?;
        Ok(())
    }

    /// Holds every `(conversation number, seq)` of `seqs`, one range per run of consecutive
    /// seqs (a batch of 1,000 new messages is usually one run).
    pub(crate) fn hold_all(&mut self, mut seqs: Vec<(u64, u64)>) -> Result<()> {
        seqs.sort_unstable();
        seqs.dedup();
        let mut runs = seqs.into_iter();
        let Some((mut conv_no, first)) = runs.next() else {
            return Ok(());
        };
        let (mut from, mut to) = (first, first);
        for (next_conv, seq) in runs {
            if next_conv == conv_no && to.checked_add(1) == Some(seq) {
                to = seq;
                continue;
            }
            self.hold(conv_no, from, to)?;
            (conv_no, from, to) = (next_conv, seq, seq);
        }
        self.hold(conv_no, from, to)
    }
}

impl Store {
    /// The seq ranges of `conv` held locally: merged, inclusive, ascending.
    pub fn held_ranges(&self, conv: &ConvId) -> Result<Vec<(Seq, Seq)>> {
        let txn = self.read()?;
        let Some(record) = self.conv_record(&txn.open_table(CONVERSATIONS)?, conv)? else {
            return Ok(Vec::new());
        };
        let conv_no = record.conv_no;
        let mut ranges = Vec::new();
        for entry in txn
            .open_table(HELD_RANGES)?
            .range((conv_no, 0)..=(conv_no, u64::MAX))?
        {
            let (key, end) = entry?;
            let (_, start) = key.value();
            ranges.push((Seq(start), Seq(end.value())));
        }
        Ok(ranges)
    }

    /// Records that `from..=to` of `conv` is held locally, e.g. after the server said it has
    /// nothing else in that range. Seqs start at 1, and `from` may not be after `to` (6017).
    pub fn mark_range_held(&self, conv: &ConvId, from: Seq, to: Seq) -> Result<()> {
        if from.0 == 0 || from > to {
            return Err(StoreError::invalid(
                "range",
                format!("{from}..={to} is not a range of seqs (seqs start at 1)"),
            ));
        }
        self.write(|tables| {
            let conv_no = tables.conv(conv)?;
            tables.hold(conv_no, from.0, to.0)
        })
    }
}
