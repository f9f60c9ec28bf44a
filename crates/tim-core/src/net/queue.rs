//! The send queue's state while a session runs (sans-I/O). The durable copy is the store's send
//! queue; this mirrors it in memory and decides what is sent next, what a result or a cancel
//! does, and what a lost connection means.
//!
//! Rules:
//! - Messages go out one at a time, in enqueue order, so a conversation's seqs follow the order
//!   the user sent in. A message being cancelled is skipped meanwhile.
//! - Every dispatch gets an attempt number; a network failure (lost connection, timeout) only
//!   counts for the attempt it belongs to and leaves the message at its place for the next
//!   connection. The server deduplicates by message ID, so a resend never makes a second
//!   message. An answer (ack or refusal) ends the message whichever attempt it came from.
//! - A cancel of a message never handed to the network is decided here; a message that may
//!   have reached the server (dispatched in this session, or queued by an earlier process) is
//!   cancelled only once the server confirms.

use std::collections::VecDeque;
use tim_model::{ConvId, Message, MessageId};

/// One queued message.
#[derive(Debug, Clone)]
pub(crate) struct Queued {
    pub conv: ConvId,
    pub message: Message,
    /// It may have reached the server (dispatched at least once, or loaded from the store).
    pub maybe_sent: bool,
    /// A cancel waits for the server's answer: not dispatched meanwhile.
    pub cancelling: bool,
}

impl Queued {
    fn id(&self) -> Option<&MessageId> {
        self.message.msg_id.as_ref()
    }
}

/// What a cancel request becomes.
#[derive(Debug)]
pub(crate) enum CancelStep {
    /// Not queued (already sent, failed, cancelled, or unknown): ERR_SDK_INVALID_CANCEL_MESSAGE.
    NotQueued,
    /// Never dispatched: removed here; the caller stores it as cancelled.
    Removed(Box<Queued>),
    /// It may have reached the server: ask it (CancelSendRequest), then call
    /// [`SendQueue::cancel_confirmed`] or [`SendQueue::cancel_refused`].
    AskServer,
    /// A cancel of it already waits for the server.
    InProgress,
}

/// The queue of one session.
#[derive(Debug, Default)]
pub(crate) struct SendQueue {
    entries: VecDeque<Queued>,
    /// The message on the network and its attempt number.
    in_flight: Option<(MessageId, u64)>,
    next_attempt: u64,
}

impl SendQueue {
    /// Appends a message (false, and nothing changes, if it is already queued or has no ID).
    pub(crate) fn push(&mut self, conv: ConvId, message: Message, maybe_sent: bool) -> bool {
        let Some(id) = message.msg_id.as_ref() else {
            return false;
        };
        if self.position(id).is_some() {
            return false;
        }
        self.entries.push_back(Queued {
            conv,
            message,
            maybe_sent,
            cancelling: false,
        });
        true
    }

    /// Messages queued.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The next message to dispatch with its attempt number, if none is on the network: the
    /// first one not being cancelled. It is marked as on the network.
    pub(crate) fn next_to_send(&mut self) -> Option<(u64, ConvId, Message)> {
        if self.in_flight.is_some() {
            return None;
        }
        let entry = self.entries.iter_mut().find(|entry| !entry.cancelling)?;
        let id = entry.id()?.clone();
        entry.maybe_sent = true;
        self.next_attempt += 1;
        self.in_flight = Some((id, self.next_attempt));
        Some((self.next_attempt, entry.conv.clone(), entry.message.clone()))
    }

    /// The server answered the send of `id` (ack or refusal): the message leaves the queue.
    /// `None` if it was no longer queued (e.g. cancelled meanwhile).
    pub(crate) fn on_answer(&mut self, id: &MessageId) -> Option<Queued> {
        if self.in_flight.as_ref().is_some_and(|(busy, _)| busy == id) {
            self.in_flight = None;
        }
        let position = self.position(id)?;
        self.entries.remove(position)
    }

    /// Attempt `attempt` of `id` failed on the network: the message stays for the next try.
    pub(crate) fn on_network_error(&mut self, id: &MessageId, attempt: u64) {
        if self
            .in_flight
            .as_ref()
            .is_some_and(|(busy, number)| busy == id && *number == attempt)
        {
            self.in_flight = None;
        }
    }

    /// Replaces the queued copy of `id` (media elements filled in by an upload).
    pub(crate) fn update_message(&mut self, id: &MessageId, message: Message) {
        if let Some(position) = self.position(id)
            && let Some(entry) = self.entries.get_mut(position)
        {
            entry.message = message;
        }
    }

    /// Removes `id` whatever its state, freeing the network slot if it held it: for a message
    /// whose dispatch never reached the server (its upload was stopped).
    pub(crate) fn remove(&mut self, id: &MessageId) -> Option<Queued> {
        if self.in_flight.as_ref().is_some_and(|(busy, _)| busy == id) {
            self.in_flight = None;
        }
        let position = self.position(id)?;
        self.entries.remove(position)
    }

    /// The connection is gone: nothing is on the network any more.
    pub(crate) fn on_disconnect(&mut self) {
        self.in_flight = None;
    }

    /// What cancelling `id` takes.
    pub(crate) fn cancel(&mut self, id: &MessageId) -> CancelStep {
        let Some(position) = self.position(id) else {
            return CancelStep::NotQueued;
        };
        let in_flight = self.in_flight.as_ref().is_some_and(|(busy, _)| busy == id);
        let Some(entry) = self.entries.get_mut(position) else {
            return CancelStep::NotQueued;
        };
        if entry.cancelling {
            return CancelStep::InProgress;
        }
        if !entry.maybe_sent && !in_flight {
            return match self.entries.remove(position) {
                Some(entry) => CancelStep::Removed(Box::new(entry)),
                None => CancelStep::NotQueued,
            };
        }
        entry.cancelling = true;
        CancelStep::AskServer
    }

    /// The server cancelled `id`: it leaves the queue (an answer to its send that may still
    /// come is then ignored). Returns it, unless it was answered meanwhile.
    pub(crate) fn cancel_confirmed(&mut self, id: &MessageId) -> Option<Queued> {
        if self.in_flight.as_ref().is_some_and(|(busy, _)| busy == id) {
            self.in_flight = None;
        }
        let position = self.position(id)?;
        self.entries.remove(position)
    }

    /// The server refused to cancel `id` (already stored), or could not be asked: it is sent
    /// as usual.
    pub(crate) fn cancel_refused(&mut self, id: &MessageId) {
        if let Some(position) = self.position(id)
            && let Some(entry) = self.entries.get_mut(position)
        {
            entry.cancelling = false;
        }
    }

    fn position(&self, id: &MessageId) -> Option<usize> {
        self.entries.iter().position(|entry| entry.id() == Some(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tim_model::enums::ConvType;

    fn conv() -> ConvId {
        ConvId::new(ConvType::C2c, "bob").unwrap()
    }

    fn message(id: &str) -> Message {
        Message {
            msg_id: MessageId::new(id).ok(),
            ..Message::default()
        }
    }

    fn id(text: &str) -> MessageId {
        MessageId::new(text).unwrap()
    }

    fn next_id(queue: &mut SendQueue) -> Option<(u64, String)> {
        queue
            .next_to_send()
            .map(|(attempt, _, m)| (attempt, m.msg_id.unwrap().into_string()))
    }

    #[test]
    fn one_at_a_time_in_order_and_retried_after_network_errors() {
        let mut queue = SendQueue::default();
        assert!(queue.push(conv(), message("a"), false));
        assert!(queue.push(conv(), message("b"), false));
        assert!(!queue.push(conv(), message("a"), false), "duplicate");
        assert!(!queue.push(conv(), Message::default(), false), "no ID");
        let (first, sent) = next_id(&mut queue).unwrap();
        assert_eq!(sent, "a");
        assert_eq!(next_id(&mut queue), None, "one in flight at a time");
        // A stale failure does not release the current attempt.
        queue.on_network_error(&id("a"), first + 100);
        assert_eq!(next_id(&mut queue), None);
        queue.on_network_error(&id("a"), first);
        let (second, again) = next_id(&mut queue).unwrap();
        assert_eq!((again.as_str(), second > first), ("a", true));
        queue.on_disconnect();
        assert_eq!(next_id(&mut queue).unwrap().1, "a");
        // An answer from any attempt ends it.
        assert!(queue.on_answer(&id("a")).is_some());
        assert!(queue.on_answer(&id("a")).is_none());
        assert_eq!(next_id(&mut queue).unwrap().1, "b");
        assert!(queue.on_answer(&id("b")).is_some());
        assert_eq!(queue.len(), 0);
        assert_eq!(next_id(&mut queue), None);
    }

    #[test]
    fn cancels_are_local_until_a_message_may_have_reached_the_server() {
        let mut queue = SendQueue::default();
        queue.push(conv(), message("a"), false);
        queue.push(conv(), message("b"), false);
        queue.push(conv(), message("old"), true);
        assert!(matches!(queue.cancel(&id("nope")), CancelStep::NotQueued));
        // Never dispatched: removed at once.
        assert!(matches!(queue.cancel(&id("b")), CancelStep::Removed(_)));
        // Loaded from the store: the server must confirm.
        assert!(matches!(queue.cancel(&id("old")), CancelStep::AskServer));
        assert!(matches!(queue.cancel(&id("old")), CancelStep::InProgress));
        // On the network: the server must confirm; the queue moves on past cancelling ones.
        assert_eq!(next_id(&mut queue).unwrap().1, "a");
        assert!(matches!(queue.cancel(&id("a")), CancelStep::AskServer));
        assert!(queue.cancel_confirmed(&id("a")).is_some());
        assert_eq!(next_id(&mut queue), None, "old is being cancelled");
        queue.cancel_refused(&id("old"));
        assert_eq!(next_id(&mut queue).unwrap().1, "old");
        // The answer to a send whose cancel was confirmed is ignored.
        assert!(queue.on_answer(&id("a")).is_none());
    }
}
