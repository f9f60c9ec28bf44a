//! `tim-rs` is the idiomatic async Rust API of tim: a [`Client`] that logs a user in to a tim
//! server, [`Conversation`]s to send into and read history from, [`Group`]s to manage, and an
//! [`Events`] stream of what arrives. Values are the typed `tim-model` structs ([`Message`],
//! [`Elem`], ...), the same ones the C API speaks as JSON.
//!
//! It is a thin facade over `tim-core`. What it must never do: hold business logic (that lives
//! in `tim-core`), or own a runtime (callers bring their own tokio runtime; every call runs on
//! it).
//!
//! ```no_run
//! # async fn demo() -> tim_rs::Result<()> {
//! use tim_rs::{Client, ClientConfig, Event, ServerTrust};
//!
//! let trust = ServerTrust::parse("tim-data/cert.pem")?;
//! let client = Client::new(ClientConfig::new("127.0.0.1:9000", trust, 1400000001, "alice-data"))?;
//! let mut events = client.events();
//! client.login("alice", "<UserSig from your app backend>").await?;
//!
//! let bob = client.c2c("bob")?;
//! let sent = bob.send_text("hello, Bob").await?;
//! println!("stored as seq {}", sent.seq);
//!
//! while let Some(event) = events.next().await {
//!     if let Event::NewMessages(messages) = event {
//!         for message in messages {
//!             println!("{}: {}", message.sender, tim_rs::text_of(&message));
//!         }
//!     }
//! }
//! # Ok(())
//! # }
//! ```

mod content;
mod conversation;
mod conversations;
mod deletes;
mod device;
mod extensions;
mod group;
mod media;
mod merge;
mod read_state;
mod recv_opt;

pub use conversation::Conversation;
pub use group::Group;
pub use media::{file_message, image_message};
pub use tim_core::{
    ClientConfig, ConversationChange, ConversationGroupChange, ConversationState,
    CoreError as Error, CreateGroupParam, Event, GroupMemberPage, GroupOp, MemberResult,
    NetworkStatus, SendError, SendHandle, ServerTrust,
};
/// The whole message model (every type of the TIM message API).
pub use tim_model as model;
pub use tim_model::{
    BatchSendResult, ConvId, DownloadElemParam, Elem, FileElem, GetMsgListParam, GroupId,
    GroupMemberInfo, ImageElem, Message, MessageId, OfflinePushToken, RevokeInfo, SoundElem,
    TextElem, TranslateTextResult, UserId, VideoElem,
};

/// The result of a call; errors carry their TIM code ([`Error::code`]).
pub type Result<T> = std::result::Result<T, Error>;

/// A tim client: one device of one user at a time. Cheap to clone; clones share the session.
#[derive(Clone)]
pub struct Client {
    pub(crate) core: tim_core::Client,
}

impl Client {
    /// A client with `config`; nothing connects until [`Client::login`].
    pub fn new(config: ClientConfig) -> Result<Self> {
        Ok(Self {
            core: tim_core::Client::new(config)?,
        })
    }

    /// Logs `user_id` in with a UserSig from the app's backend (`TIMLogin`): opens the user's
    /// local store, connects, catches up on what arrived while offline, and resumes any sends
    /// an earlier process left queued. The client then stays connected, reconnecting by
    /// itself, until [`Client::logout`].
    pub async fn login(&self, user_id: &str, user_sig: &str) -> Result<()> {
        self.core.login(user_id, user_sig).await
    }

    /// Logs out (`TIMLogout`); queued sends stay queued for the next login.
    pub async fn logout(&self) -> Result<()> {
        self.core.logout().await
    }

    /// The logged-in user.
    pub fn user(&self) -> Option<UserId> {
        self.core.user()
    }

    /// The server's clock, seconds since the epoch (`TIMGetServerTime`): the device clock
    /// corrected by the offset the server reported at the last login or heartbeat; the device
    /// clock before any login.
    pub fn server_time(&self) -> u64 {
        self.core.server_time()
    }

    /// The current network status.
    pub fn network_status(&self) -> NetworkStatus {
        self.core.network_status()
    }

    /// A new stream of everything that happens from now on (messages, network status, send
    /// outcomes nobody awaited). Every stream gets every event; none is dropped.
    pub fn events(&self) -> Events {
        Events {
            receiver: self.core.subscribe(),
        }
    }

    /// The one-to-one conversation with `peer`.
    pub fn c2c(&self, peer: &str) -> Result<Conversation> {
        Ok(self.conversation(ConvId::C2c(UserId::new(peer)?)))
    }

    /// The conversation of group `group`.
    pub fn group_conversation(&self, group: &str) -> Result<Conversation> {
        Ok(self.conversation(ConvId::Group(GroupId::new(group)?)))
    }

    /// The conversation `id`.
    pub fn conversation(&self, id: ConvId) -> Conversation {
        Conversation::new(self.core.clone(), id)
    }

    /// Group `group`, for membership calls.
    pub fn group(&self, group: &str) -> Result<Group> {
        Ok(Group::new(self.core.clone(), GroupId::new(group)?))
    }

    /// Creates a group owned by the logged-in user (with a custom ID when `param` has one).
    pub async fn create_group(&self, param: CreateGroupParam) -> Result<Group> {
        let id = self.core.create_group(param).await?;
        Ok(Group::new(self.core.clone(), id))
    }

    /// `TIMMsgBatchSend`: one message to up to 500 users, each in their own C2C
    /// conversation, with a result per recipient in their order.
    pub async fn batch_send(
        &self,
        recipients: &[UserId],
        message: Message,
    ) -> Result<Vec<BatchSendResult>> {
        self.core.batch_send(recipients, message).await
    }

    /// The engine underneath, for calls this facade does not wrap.
    pub fn core(&self) -> &tim_core::Client {
        &self.core
    }
}

/// A stream of [`Event`]s from [`Client::events`].
#[derive(Debug)]
pub struct Events {
    receiver: tim_core::EventReceiver,
}

impl Events {
    /// The next event; `None` once the client is gone.
    pub async fn next(&mut self) -> Option<Event> {
        self.receiver.recv().await
    }

    /// An event that has already arrived, without waiting.
    pub fn try_next(&mut self) -> Option<Event> {
        self.receiver.try_recv().ok()
    }
}

/// A message with one text element, ready for [`Conversation::send`].
pub fn text_message(text: &str) -> Message {
    Message {
        elems: vec![Elem::Text(TextElem {
            content: text.to_owned(),
        })],
        ..Message::default()
    }
}

/// The text of a message's text elements, joined; empty when it has none.
pub fn text_of(message: &Message) -> String {
    message
        .elems
        .iter()
        .filter_map(|elem| match elem {
            Elem::Text(text) => Some(text.content.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("")
}
