//! What the client tells the application without being asked: network status, new messages,
//! results of sends nobody awaits, revokes and modifications, and the end of a session.
//!
//! Every subscriber has its own unbounded channel, so an event is never dropped because a
//! subscriber is slow; a subscriber that dropped its receiver is forgotten at the next event.

use std::sync::{Mutex, PoisonError};
use tim_model::enums::{ConvEvent, NetworkStatus};
use tim_model::{
    ConvId, ConvInfo, Message, MessageExtension, MessageReceipt, RevokeInfo, UserProfile,
};
use tokio::sync::mpsc;

/// An event of a [`Client`](crate::Client).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// The network status changed (`TIMSetNetworkStatusListenerCallback`). `code`/`desc` say
    /// why for `Disconnected` and `ConnectFailed` (0 and empty otherwise).
    NetworkStatus {
        /// The new status.
        status: NetworkStatus,
        /// A TIM code, 0 when nothing failed.
        code: i32,
        /// What happened.
        desc: String,
    },
    /// Messages this device did not have (`TIMRecvNewMsgCallback`): from pushes and syncs,
    /// including the user's messages sent from another device, and online-only messages
    /// (which are not stored). Within a conversation they come in seq order.
    NewMessages(Vec<Message>),
    /// A queued send ended and no [`SendHandle`](crate::SendHandle) awaited it (it was
    /// dropped, or the message was queued by an earlier process): the message as stored now
    /// (SendSucc, SendFail or Cancel) and the TIM code (0 on success).
    SendCompleted {
        /// The message as stored.
        message: Message,
        /// 0, or the TIM code of the failure.
        code: i32,
        /// The failure's description.
        desc: String,
    },
    /// Upload progress of a media file of a message being sent
    /// (`TIMMsgElemUploadProgressCallback`): `current` of `total` bytes of the file of element
    /// `elem_index` are handed to the network (a video reports its video, then its snapshot).
    /// Reported when at least 1% more is done, starting at the resume offset and ending at
    /// `total`.
    UploadProgress {
        /// The message as stored when its upload started.
        message: Message,
        /// The element's position in the message.
        elem_index: u32,
        /// Bytes uploaded so far.
        current: u64,
        /// The file's size.
        total: u64,
    },
    /// A message was revoked (`TIMMsgRevokeCallback`).
    MessageRevoked(RevokeInfo),
    /// A message was modified (`TIMMsgUpdateCallback`).
    MessageModified(Message),
    /// Read receipts for messages this user sent (`TIMMsgReadedReceiptCallback`): a C2C
    /// peer read the conversation up to a time, or group members read messages.
    ReadReceipts(Vec<MessageReceipt>),
    /// This user read a conversation (on this or another device): its unread count and read
    /// mark in the store changed.
    ConversationRead(ConvId),
    /// Extension keys of a message were added or changed (`TIMMsgExtensionsChangedCallback`).
    ExtensionsChanged {
        /// The message's ID.
        msg_id: String,
        /// The keys added or changed, with their values.
        extensions: Vec<MessageExtension>,
    },
    /// Extension keys of a message were deleted (`TIMMsgExtensionsDeletedCallback`).
    ExtensionsDeleted {
        /// The message's ID.
        msg_id: String,
        /// The keys deleted.
        keys: Vec<String>,
    },
    /// This user deleted messages of a conversation from their cloud history on another
    /// device; they are gone from this device's store too.
    MessagesDeleted {
        /// The conversation.
        conv: ConvId,
        /// The deleted messages' IDs.
        msg_ids: Vec<String>,
    },
    /// This user cleared their history of a conversation on another device; this device's
    /// store no longer holds it either.
    HistoryCleared(ConvId),
    /// The account logged in on another device with this device's ID, or the server ended
    /// the session (`TIMSetKickedOfflineCallback`); the client stopped reconnecting.
    KickedOffline,
    /// The UserSig expired (`TIMSetUserSigExpiredCallback`, `ERR_USER_SIG_EXPIRED` 6206); the
    /// client stopped reconnecting and needs a new login.
    UserSigExpired,
    /// The conversation list changed (`TIMConvEventCallback`): conversations were added,
    /// updated or deleted (what each shows now), on this device or another of the user.
    Conversations {
        /// Add, Update or Del.
        event: ConvEvent,
        /// The conversations (for Del: as they showed before).
        convs: Vec<ConvInfo>,
    },
    /// The conversations were synced from the server after a (re)connect: `finished` false
    /// at the start, true at the end (`kTIMConvEvent_Start`/`kTIMConvEvent_Finish`).
    ConversationSync {
        /// Whether the sync ended.
        finished: bool,
    },
    /// The total unread count of the shown conversations changed
    /// (`TIMConvTotalUnreadMessageCountChangedCallback`).
    TotalUnread(u64),
    /// A conversation group (folder) was created, deleted, renamed, or conversations were
    /// added to or removed from one, on any device of the user.
    ConversationGroupChanged(ConversationGroupChange),
    /// The store's state of these conversations changed without a message event (own sends,
    /// attributes from the server, drafts, local edits): the conversation watcher turns it
    /// into [`Event::Conversations`].
    ConversationsTouched(Vec<ConvId>),
    /// This user's profile changed, on this or another device
    /// (`TIMSetSelfInfoUpdatedCallback`).
    SelfProfileChanged(UserProfile),
    /// A re-login after a reconnect was refused with `code` (other than an expired UserSig);
    /// the client stopped reconnecting.
    LoginRefused {
        /// The server's TIM code.
        code: i32,
        /// The server's description.
        desc: String,
    },
}

/// A conversation-group operation as [`Event::ConversationGroupChanged`] reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConversationGroupChange {
    /// Created with these conversations (`c2c_…`/`group_…` IDs).
    Created {
        /// The group's name.
        name: String,
        /// Its conversations.
        conversation_ids: Vec<String>,
    },
    /// Deleted.
    Deleted {
        /// The group's name.
        name: String,
    },
    /// Renamed.
    Renamed {
        /// The old name.
        old_name: String,
        /// The new name.
        new_name: String,
    },
    /// Conversations were added.
    Added {
        /// The group's name.
        name: String,
        /// The conversations added.
        conversation_ids: Vec<String>,
    },
    /// Conversations were removed (`reason` 0: by a call, 1: the group overflowed).
    Removed {
        /// The group's name.
        name: String,
        /// The conversations removed.
        conversation_ids: Vec<String>,
    },
}

/// The receiving end of [`Client::subscribe`](crate::Client::subscribe).
pub type EventReceiver = mpsc::UnboundedReceiver<Event>;

/// The subscribers.
#[derive(Debug, Default)]
pub(crate) struct EventHub {
    subscribers: Mutex<Vec<mpsc::UnboundedSender<Event>>>,
}

impl EventHub {
    /// A new subscriber, receiving every event from now on.
    pub(crate) fn subscribe(&self) -> EventReceiver {
        let (tx, rx) = mpsc::unbounded_channel();
        self.lock().push(tx);
        rx
    }

    /// Hands `event` to every subscriber.
    pub(crate) fn emit(&self, event: &Event) {
        self.lock()
            .retain(|subscriber| subscriber.send(event.clone()).is_ok());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<mpsc::UnboundedSender<Event>>> {
        self.subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subscriber_gets_every_event_and_dropped_ones_are_forgotten() {
        let hub = EventHub::default();
        let mut first = hub.subscribe();
        let second = hub.subscribe();
        drop(second);
        for _ in 0..3 {
            hub.emit(&Event::KickedOffline);
        }
        assert_eq!(hub.lock().len(), 1);
        for _ in 0..3 {
            assert_eq!(first.try_recv().unwrap(), Event::KickedOffline);
        }
        assert!(first.try_recv().is_err());
    }
}
