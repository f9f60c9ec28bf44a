//! Following the user's server-side event log (sans-I/O): what to do with a push given the
//! device's cursor, and the order in which new messages are announced.
//!
//! The cursor is the position of the last event applied here. A push carrying the next
//! position is applied and advances it; a push at or before it was already applied (applying
//! it again is harmless); a push further ahead means events were missed, and the device syncs
//! from its cursor instead of applying it (the sync returns that event too, in order, so new
//! messages are always announced in seq order). Cursor 0 marks an online-only message, which
//! is not in the log.

use tim_model::{ConvId, Message};

/// What to do with a push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PushStep {
    /// Not in the event log (online-only): deliver it, store nothing, keep the cursor.
    OnlineOnly,
    /// Apply it; `advance` when it is the next event (the cursor moves to it).
    Apply {
        /// The push is the next event.
        advance: bool,
    },
    /// Events were missed: sync from the cursor (the sync brings this event too).
    Sync,
}

/// The device's position in its event log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CursorTracker {
    cursor: u64,
}

impl CursorTracker {
    /// Starts at the stored cursor.
    pub(crate) fn new(cursor: u64) -> Self {
        Self { cursor }
    }

    /// The position of the last event applied.
    pub(crate) fn cursor(&self) -> u64 {
        self.cursor
    }

    /// What to do with a push carrying `position`.
    pub(crate) fn on_push(&self, position: u64) -> PushStep {
        if position == 0 {
            PushStep::OnlineOnly
        } else if position <= self.cursor {
            PushStep::Apply { advance: false }
        } else if Some(position) == self.cursor.checked_add(1) {
            PushStep::Apply { advance: true }
        } else {
            PushStep::Sync
        }
    }

    /// The cursor after applied events (a sync's `next_cursor`, or an applied push).
    pub(crate) fn set(&mut self, cursor: u64) {
        self.cursor = cursor;
    }
}

/// Reorders `messages` so that within each conversation they come in seq order, keeping the
/// slots each conversation occupies (conversations stay interleaved as they arrived). Messages
/// without seq keep their relative place after those with one in the same conversation's run.
pub(crate) fn order_by_seq_per_conversation(messages: Vec<(ConvId, Message)>) -> Vec<Message> {
    let mut slots: Vec<(ConvId, usize)> = Vec::with_capacity(messages.len());
    let mut by_conv: std::collections::HashMap<ConvId, Vec<Message>> =
        std::collections::HashMap::new();
    for (conv, message) in messages {
        let list = by_conv.entry(conv.clone()).or_default();
        slots.push((conv, list.len()));
        list.push(message);
    }
    for list in by_conv.values_mut() {
        // Stable: equal seqs (0: none) keep their order.
        list.sort_by_key(|message| {
            if message.seq.0 == 0 {
                u64::MAX
            } else {
                message.seq.0
            }
        });
    }
    let mut iters: std::collections::HashMap<ConvId, std::vec::IntoIter<Message>> = by_conv
        .into_iter()
        .map(|(conv, list)| (conv, list.into_iter()))
        .collect();
    slots
        .into_iter()
        .filter_map(|(conv, _)| iters.get_mut(&conv).and_then(Iterator::next))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tim_model::enums::ConvType;
    use tim_model::{MessageId, Seq};

    #[test]
    fn pushes_advance_apply_or_sync() {
        let mut tracker = CursorTracker::new(5);
        assert_eq!(tracker.on_push(0), PushStep::OnlineOnly);
        assert_eq!(tracker.on_push(3), PushStep::Apply { advance: false });
        assert_eq!(tracker.on_push(5), PushStep::Apply { advance: false });
        assert_eq!(tracker.on_push(6), PushStep::Apply { advance: true });
        assert_eq!(tracker.on_push(7), PushStep::Sync);
        tracker.set(7);
        assert_eq!(tracker.cursor(), 7);
        assert_eq!(tracker.on_push(8), PushStep::Apply { advance: true });
        let fresh = CursorTracker::new(0);
        assert_eq!(fresh.on_push(1), PushStep::Apply { advance: true });
        assert_eq!(fresh.on_push(2), PushStep::Sync);
        let full = CursorTracker::new(u64::MAX);
        assert_eq!(full.on_push(u64::MAX), PushStep::Apply { advance: false });
    }

    fn message(id: &str, seq: u64) -> Message {
        Message {
            msg_id: MessageId::new(id).ok(),
            seq: Seq(seq),
            ..Message::default()
        }
    }

    #[test]
    fn messages_come_in_seq_order_per_conversation() {
        let bob = ConvId::new(ConvType::C2c, "bob").unwrap();
        let team = ConvId::new(ConvType::Group, "team").unwrap();
        let input = vec![
            (bob.clone(), message("b3", 3)),
            (team.clone(), message("t9", 9)),
            (bob.clone(), message("b1", 1)),
            (bob.clone(), message("local", 0)),
            (team.clone(), message("t8", 8)),
            (bob.clone(), message("b2", 2)),
        ];
        let ids: Vec<String> = order_by_seq_per_conversation(input)
            .into_iter()
            .map(|m| m.msg_id.map(MessageId::into_string).unwrap_or_default())
            .collect();
        assert_eq!(ids, ["b1", "t8", "b2", "b3", "t9", "local"]);
    }
}
