//! Pages of a conversation's messages in display order ([`Store::page`]).
//!
//! Display order is the order of the `messages` keys: order time (server time if non-zero,
//! else client time), then seq, then insertion number. The anchor and the time range become
//! the bounds of one key range, so a page costs one B-tree descent plus one step and one
//! decode per message returned (more only when an element filter skips messages).

use redb::ReadableTable;
use std::ops::Bound;
use tim_model::enums::ElemType;
use tim_model::{ConvId, Message, MessageId, Seq};

use crate::Store;
use crate::error::{Result, StoreError};
use crate::keys::{MessageKey, MessageKeyTuple};
use crate::schema::{CONVERSATIONS, MESSAGE_IDS, MESSAGES, SEQS};

/// What [`Store::page`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageQuery {
    /// Where the page starts.
    pub anchor: Anchor,
    /// Which way it walks.
    pub direction: Direction,
    /// At most this many messages (0: none).
    pub count: usize,
    /// Only messages whose order time is in `begin..=end`.
    pub time_range: Option<(u64, u64)>,
    /// Only messages with an element of one of these types (empty: all messages).
    pub elem_types: Vec<ElemType>,
    /// When not empty: exactly the messages with these seqs, in walking order; the anchor,
    /// count, time range and element filter are then ignored.
    pub seqs: Vec<Seq>,
}

impl PageQuery {
    /// `count` messages from `anchor` walking `direction`, unfiltered.
    pub fn new(anchor: Anchor, direction: Direction, count: usize) -> Self {
        Self {
            anchor,
            direction,
            count,
            time_range: None,
            elem_types: Vec::new(),
            seqs: Vec::new(),
        }
    }
}

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// Just after the newest message: walking older gives the newest messages; walking newer
    /// gives nothing.
    Newest,
    /// Just before the oldest message: walking newer gives the oldest messages; walking older
    /// gives nothing.
    Oldest,
    /// After this message of the conversation, which is not included (6017 if it is not a
    /// message of the conversation).
    After(MessageId),
    /// At the message with this seq, included. Without one, at the nearest seq beyond it in
    /// the walking direction (the largest seq below it walking older, the smallest above it
    /// walking newer).
    AtSeq(Seq),
    /// At this order time, included: walking older starts with the newest message at or
    /// before it, walking newer with the oldest message at or after it.
    AtTime(u64),
}

/// Which way a page walks; results come in walking order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Toward older messages: newest first.
    Older,
    /// Toward newer messages: oldest first.
    Newer,
}

/// The key range a page walks.
struct KeyRange {
    lower: Bound<MessageKeyTuple>,
    upper: Bound<MessageKeyTuple>,
}

impl KeyRange {
    /// Raises the lower bound to `bound` if that is tighter.
    fn raise_lower(&mut self, bound: Bound<MessageKeyTuple>) {
        if rank_lower(&bound) > rank_lower(&self.lower) {
            self.lower = bound;
        }
    }

    /// Lowers the upper bound to `bound` if that is tighter.
    fn lower_upper(&mut self, bound: Bound<MessageKeyTuple>) {
        if rank_upper(&bound) < rank_upper(&self.upper) {
            self.upper = bound;
        }
    }

    fn is_empty(&self) -> bool {
        match (&self.lower, &self.upper) {
            (Bound::Included(low), Bound::Included(high)) => low > high,
            (
                Bound::Included(low) | Bound::Excluded(low),
                Bound::Included(high) | Bound::Excluded(high),
            ) => low >= high,
            _ => false,
        }
    }
}

/// Orders lower bounds by tightness: `Excluded(k)` is tighter than `Included(k)`.
fn rank_lower(bound: &Bound<MessageKeyTuple>) -> (Option<MessageKeyTuple>, bool) {
    match bound {
        Bound::Included(key) => (Some(*key), false),
        Bound::Excluded(key) => (Some(*key), true),
        Bound::Unbounded => (None, false),
    }
}

/// Orders upper bounds by looseness: `Excluded(k)` is tighter than `Included(k)`.
fn rank_upper(bound: &Bound<MessageKeyTuple>) -> (bool, MessageKeyTuple, bool) {
    match bound {
        Bound::Included(key) => (false, *key, true),
        Bound::Excluded(key) => (false, *key, false),
        Bound::Unbounded => (true, (0, 0, 0, 0), false),
    }
}

impl Store {
    /// A page of `conv`'s messages (see [`PageQuery`]); damaged records are skipped and
    /// reported. A conversation the store does not know has no messages.
    pub fn page(&self, conv: &ConvId, query: &PageQuery) -> Result<Vec<Message>> {
        if let Some((begin, end)) = query.time_range
            && begin > end
        {
            return Err(StoreError::invalid(
                "time_range",
                format!("begins at {begin}, after its end {end}"),
            ));
        }
        let txn = self.read()?;
        let Some(record) = self.conv_record(&txn.open_table(CONVERSATIONS)?, conv)? else {
            return Ok(Vec::new());
        };
        let conv_no = record.conv_no;
        let messages = txn.open_table(MESSAGES)?;
        let seqs = txn.open_table(SEQS)?;
        if !query.seqs.is_empty() {
            return self.page_by_seqs(&messages, &seqs, conv_no, query);
        }
        if query.count == 0 {
            return Ok(Vec::new());
        }
        let (begin, end) = query.time_range.unwrap_or((0, u64::MAX));
        let mut range = KeyRange {
            lower: Bound::Included(MessageKey::first_at(conv_no, begin)),
            upper: Bound::Included(MessageKey::last_at(conv_no, end)),
        };
        let older = query.direction == Direction::Older;
        match &query.anchor {
            Anchor::Newest if older => {}
            Anchor::Oldest if !older => {}
            Anchor::Newest | Anchor::Oldest => return Ok(Vec::new()),
            Anchor::After(id) => {
                let message_ids = txn.open_table(MESSAGE_IDS)?;
                let key = match message_ids.get(id.as_str())?.map(|slot| slot.value()) {
                    Some((found_conv, order_time, seq, insert_no, _)) if found_conv == conv_no => {
                        (found_conv, order_time, seq, insert_no)
                    }
                    _ => {
                        return Err(StoreError::invalid(
                            "anchor",
                            format!("message {id} is not in conversation {conv}"),
                        ));
                    }
                };
                if older {
                    range.lower_upper(Bound::Excluded(key));
                } else {
                    range.raise_lower(Bound::Excluded(key));
                }
            }
            Anchor::AtSeq(seq) => match seq_anchor(&seqs, conv_no, seq.0, older)? {
                Some(key) if older => range.lower_upper(Bound::Included(key)),
                Some(key) => range.raise_lower(Bound::Included(key)),
                None => return Ok(Vec::new()),
            },
            Anchor::AtTime(time) if older => {
                range.lower_upper(Bound::Included(MessageKey::last_at(conv_no, *time)));
            }
            Anchor::AtTime(time) => {
                range.raise_lower(Bound::Included(MessageKey::first_at(conv_no, *time)));
            }
        }
        if range.is_empty() {
            return Ok(Vec::new());
        }
        let entries = messages.range::<MessageKeyTuple>((range.lower, range.upper))?;
        let walk: Box<dyn Iterator<Item = _>> = if older {
            Box::new(entries.rev())
        } else {
            Box::new(entries)
        };
        let mut page = Vec::with_capacity(query.count.min(256));
        for entry in walk {
            let (key, value) = entry?;
            let key = MessageKey::from_tuple(key.value());
            let Some(message) = self.decode(key, value.value(), None) else {
                continue;
            };
            if has_elem_type(&message, &query.elem_types) {
                page.push(message);
                if page.len() == query.count {
                    break;
                }
            }
        }
        Ok(page)
    }

    fn page_by_seqs(
        &self,
        messages: &impl ReadableTable<MessageKeyTuple, &'static [u8]>,
        seqs: &impl ReadableTable<(u64, u64, u64), u64>,
        conv_no: u64,
        query: &PageQuery,
    ) -> Result<Vec<Message>> {
        let mut keys = Vec::new();
        for seq in &query.seqs {
            keys.extend(keys_with_seq(seqs, conv_no, seq.0)?);
        }
        keys.sort_unstable();
        keys.dedup();
        if query.direction == Direction::Older {
            keys.reverse();
        }
        let mut page = Vec::with_capacity(keys.len());
        for key in keys {
            if let Some(message) = self.load(messages, MessageKey::from_tuple(key), None)? {
                page.push(message);
            }
        }
        Ok(page)
    }
}

/// The keys of the messages of conversation `conv_no` with seq `seq`.
fn keys_with_seq(
    seqs: &impl ReadableTable<(u64, u64, u64), u64>,
    conv_no: u64,
    seq: u64,
) -> Result<Vec<MessageKeyTuple>> {
    let mut keys = Vec::new();
    if seq == 0 {
        return Ok(keys);
    }
    for entry in seqs.range((conv_no, seq, 0)..=(conv_no, seq, u64::MAX))? {
        let (key, order_time) = entry?;
        let (_, _, insert_no) = key.value();
        keys.push((conv_no, order_time.value(), seq, insert_no));
    }
    Ok(keys)
}

/// Where an [`Anchor::AtSeq`] page starts: the message with `seq` (the last in display order
/// walking older, the first walking newer), else the nearest seq beyond it.
fn seq_anchor(
    seqs: &impl ReadableTable<(u64, u64, u64), u64>,
    conv_no: u64,
    seq: u64,
    older: bool,
) -> Result<Option<MessageKeyTuple>> {
    let exact = keys_with_seq(seqs, conv_no, seq)?;
    let found = if older {
        exact.into_iter().max()
    } else {
        exact.into_iter().min()
    };
    if found.is_some() {
        return Ok(found);
    }
    let nearest = if older {
        seqs.range((conv_no, 0, 0)..(conv_no, seq, 0))?.next_back()
    } else {
        let Some(next) = seq.checked_add(1) else {
            return Ok(None);
        };
        seqs.range((conv_no, next, 0)..=(conv_no, u64::MAX, u64::MAX))?
            .next()
    };
    match nearest {
        Some(entry) => {
            let (key, order_time) = entry?;
            let (_, seq, insert_no) = key.value();
            Ok(Some((conv_no, order_time.value(), seq, insert_no)))
        }
        None => Ok(None),
    }
}

/// Whether `message` passes an element filter (empty: every message does).
fn has_elem_type(message: &Message, elem_types: &[ElemType]) -> bool {
    elem_types.is_empty()
        || message
            .elems
            .iter()
            .any(|elem| elem_types.contains(&elem.elem_type()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_tighten_and_empty_ranges_are_seen() {
        let mut range = KeyRange {
            lower: Bound::Included((1, 0, 0, 0)),
            upper: Bound::Included((1, 9, 9, 9)),
        };
        range.raise_lower(Bound::Included((0, 5, 0, 0)));
        assert_eq!(range.lower, Bound::Included((1, 0, 0, 0)));
        range.raise_lower(Bound::Excluded((1, 0, 0, 0)));
        assert_eq!(range.lower, Bound::Excluded((1, 0, 0, 0)));
        range.lower_upper(Bound::Excluded((1, 9, 9, 9)));
        assert_eq!(range.upper, Bound::Excluded((1, 9, 9, 9)));
        range.lower_upper(Bound::Included((1, 9, 9, 9)));
        assert_eq!(range.upper, Bound::Excluded((1, 9, 9, 9)));
        assert!(!range.is_empty());
        range.lower_upper(Bound::Excluded((1, 0, 0, 0)));
        assert!(range.is_empty());
    }
}
