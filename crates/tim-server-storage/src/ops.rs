//! The write operations a batch applies ([`WriteOp`]) and what each one gives back
//! ([`WriteOutcome`]: the answer to its requester and the pushes it causes).

use super::*;

/// A conversation from the requesting user's point of view.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// One-to-one with this peer.
    C2c(UserId),
    /// This group.
    Group(GroupId),
}

/// A user as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserRecord {
    /// The internal numeric ID (`sender_tiny_id`), unique across apps.
    pub tiny_id: u64,
    /// The newest position of the user's event log (0: empty).
    pub latest_cursor: u64,
}

/// What an acknowledged send says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    /// The message ID.
    pub msg_id: String,
    /// The seq assigned.
    pub seq: u64,
    /// The server time assigned, seconds.
    pub server_time: u64,
    /// The message's rand as stored.
    pub rand: u64,
    /// The relay key of each merge element of the stored message, in element order (sends
    /// only; empty from [`Storage::msg_id_state`]).
    pub relay_keys: Vec<String>,
}

/// A send to store. The service has validated the message and set every field the server
/// owns except `seq`, `unique_id` and the tiny IDs, which the backend assigns.
#[derive(Debug, Clone)]
pub struct SendWrite {
    /// The app.
    pub app: AppId,
    /// The authenticated sender.
    pub sender: UserId,
    /// Where it goes, from the sender's view.
    pub target: Target,
    /// The idempotency key (equals `message.msg_id`).
    pub msg_id: MessageId,
    /// The message in canonical form (`view::canonical`).
    pub message: v1::Message,
    /// The merged-message bundles the message carries (see [`merge`]); shared by the copies
    /// of a batch send, stored once.
    pub merge: Option<Arc<merge::MergeSend>>,
}

/// A revoke to apply (`TIMMsgRevoke`). The rules are checked in the write, atomically with
/// it: the message must be a stored message of `target` that `revoker` may see; in C2C only
/// its sender may revoke it, in a group also the owner and admins; and no later than
/// `window` seconds after its server time.
#[derive(Debug, Clone)]
pub struct RevokeWrite {
    /// The app.
    pub app: AppId,
    /// Who revokes.
    pub revoker: UserId,
    /// The conversation, from the revoker's view.
    pub target: Target,
    /// The message.
    pub msg_id: MessageId,
    /// Shown to everyone with the revoke.
    pub reason: String,
    /// Server time now, seconds.
    pub now: u64,
    /// The revoke window, seconds.
    pub window: u64,
}

/// A modification to apply (`TIMMsgModifyMessage`). Checked in the write, atomically with it:
/// the message must be a stored, unrevoked message of `target` sent by `editor`; `version`
/// must be its stored version (otherwise [`Applied::Conflict`]); the element list keeps its
/// length and the type at each position, and only text, custom, location and face elements
/// may differ from the stored ones.
#[derive(Debug, Clone)]
pub struct ModifyWrite {
    /// The app.
    pub app: AppId,
    /// Who edits.
    pub editor: UserId,
    /// The conversation, from the editor's view.
    pub target: Target,
    /// The message.
    pub msg_id: MessageId,
    /// The version the edit is based on.
    pub version: u64,
    /// The new elements.
    pub elems: Vec<v1::Elem>,
    /// The new cloud custom data.
    pub cloud_custom_str: String,
}

/// Creating a group.
#[derive(Debug, Clone)]
pub struct CreateGroup {
    /// The app.
    pub app: AppId,
    /// The creator, who becomes the owner.
    pub owner: UserId,
    /// A custom ID (validated by the caller), or `None` for a server-made `@TGS#` ID.
    pub group_id: Option<GroupId>,
    /// The group's profile; its `group_id` and `owner` are filled by the backend.
    pub record: GroupRecord,
    /// Initial members besides the owner.
    pub members: Vec<UserId>,
    /// Initial members made admins (added as members if not in `members`).
    pub admins: Vec<UserId>,
    /// Server time, seconds.
    pub time: u64,
    /// Member limits per group type (10014 when the initial members do not fit).
    pub limits: GroupLimits,
}

/// A membership change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipChange {
    /// The operator adds (invites) users, as [`group_rules`](crate::group_rules) allows per
    /// group type, within the type's member limit.
    Add,
    /// The operator removes users, as [`group_rules`](crate::group_rules) allows (only the
    /// owner removes admins).
    Remove,
    /// The operator joins (the group's add option decides).
    Join,
    /// The operator leaves (not the owner).
    Quit,
    /// The owner dismisses the group.
    Dismiss,
}

/// One write of a batch.
#[derive(Debug, Clone)]
pub enum WriteOp {
    /// Registers the user if new (at login or as a recipient): outcome [`Applied::User`].
    EnsureUser {
        /// The app.
        app: AppId,
        /// The user.
        user: UserId,
    },
    /// Stores a message: outcome [`Applied::Sent`].
    Send(Box<SendWrite>),
    /// Marks the sender's message ID cancelled (the sender's later sends with it fail with
    /// 8021); refused with 8020 when the sender stored it. Other users' IDs are never seen:
    /// outcome [`Applied::Done`].
    Cancel {
        /// The app.
        app: AppId,
        /// Whose ID it is (the authenticated user).
        sender: UserId,
        /// The conversation the cancelled send was for (a group must be live and have the
        /// sender as a member).
        target: Target,
        /// The message ID.
        msg_id: MessageId,
    },
    /// Revokes a stored message: outcome [`Applied::Revoked`]. The message becomes Revoked
    /// (status and revoker fields) and a revoke event is logged for every party who sees it.
    /// Revoking a revoked message again succeeds and writes nothing.
    Revoke(Box<RevokeWrite>),
    /// Modifies a stored message: outcome [`Applied::Modified`], or [`Applied::Conflict`]
    /// (nothing written) when the version is not the stored one. The stored version is raised
    /// by one and a modification event is logged for every party who sees the message.
    Modify(Box<ModifyWrite>),
    /// Creates a group: outcome [`Applied::GroupCreated`].
    CreateGroup(Box<CreateGroup>),
    /// Changes membership: outcome [`Applied::Members`] (Add, Remove), [`Applied::Joined`]
    /// (Join) or [`Applied::Done`] (Quit, Dismiss).
    Members {
        /// The app.
        app: AppId,
        /// Who asks.
        operator: UserId,
        /// The group.
        group: GroupId,
        /// What changes.
        change: MembershipChange,
        /// The users concerned (Add, Remove; empty otherwise).
        users: Vec<UserId>,
        /// Server time, seconds.
        time: u64,
        /// Member limits per group type (Add and Join refused with 10014 beyond).
        limits: Box<GroupLimits>,
    },
    /// Read reports and read receipts: outcome [`Applied::ReadState`].
    ReadState(Box<read_state::ReadStateWrite>),
    /// Message extensions: outcome [`Applied::Extensions`].
    Extensions(Box<extensions::ExtensionsWrite>),
    /// Receive options: outcome [`Applied::RecvOpt`].
    RecvOpt(Box<recv_opt::RecvOptWrite>),
    /// Cloud deletes of a user's own history: outcome [`Applied::Deleted`].
    Delete(Box<delete::DeleteWrite>),
    /// Offline push tokens: outcome [`Applied::Done`].
    Push(Box<push::PushWrite>),
    /// Media metadata: outcome [`Applied::Done`].
    Media(Box<media::MediaWrite>),
    /// Conversation attributes of the caller: outcome [`Applied::Conversations`].
    Conversations(Box<conversations::ConvWrite>),
    /// The caller's profile: outcome [`Applied::Profile`].
    Profile(Box<profiles::ProfileWrite>),
    /// Trims users' event logs to their newest `keep` events, visiting at most `max_users`
    /// users from where the previous trim stopped: outcome [`Applied::Trimmed`]. A device
    /// whose cursor falls before a trimmed log's start gets `cursor_expired` from sync.
    TrimLogs {
        /// Events kept per user (at least 1).
        keep: u64,
        /// Users visited by this op.
        max_users: usize,
    },
}

/// One result of a membership change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberChangeResult {
    /// The user.
    pub user_id: String,
    /// 0 or a TIM code.
    pub code: i32,
    /// Why not, when `code != 0`.
    pub desc: String,
}

/// What a logged event (and its push) says about its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A new message (`NewMessagePush`).
    NewMessage,
    /// The message was revoked (`MessageRevokedPush`).
    Revoked,
    /// The message was modified (`MessageModifiedPush`).
    Modified,
}

/// A stored message to push: the canonical message and its recipients with the log position
/// each got.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The app.
    pub app: AppId,
    /// What the push says.
    pub kind: EventKind,
    /// The message, canonical.
    pub message: Arc<v1::Message>,
    /// Each recipient and the cursor of the event.
    pub recipients: Vec<(String, u64)>,
}

/// What an applied write did.
#[derive(Debug, Clone)]
pub enum Applied {
    /// The user record.
    User(UserRecord),
    /// The ack; `duplicate` when the ID was already stored (nothing new was written).
    Sent {
        /// The ack.
        ack: Ack,
        /// An earlier send stored it.
        duplicate: bool,
    },
    /// A group was created with this ID.
    GroupCreated {
        /// The group ID.
        group_id: String,
    },
    /// Per-user results of an add or remove.
    Members(Vec<MemberChangeResult>),
    /// What a [`WriteOp::TrimLogs`] did.
    Trimmed {
        /// Events removed.
        events: u64,
        /// The pass over every user ended with this op (the next op starts a new pass).
        pass_done: bool,
    },
    /// The join request was handled.
    Joined {
        /// Waiting for approval (groups whose add option is Auth); not a member yet.
        pending_approval: bool,
    },
    /// The message as now stored (canonical), revoked.
    Revoked(Box<v1::Message>),
    /// The message as now stored (canonical), modified.
    Modified(Box<v1::Message>),
    /// A modification based on another version than the stored one: nothing was written;
    /// the message as stored (canonical).
    Conflict(Box<v1::Message>),
    /// A read report or read receipts were recorded.
    ReadState(read_state::ReadStateApplied),
    /// Extensions were changed (per-key results).
    Extensions(extensions::ExtensionsApplied),
    /// Receive options were stored.
    RecvOpt(recv_opt::RecvOptApplied),
    /// Conversation attributes were changed (per-conversation results and the logged change).
    Conversations(conversations::ConvApplied),
    /// The caller's profile as now stored.
    Profile(Box<v1::UserProfile>),
    /// Messages were deleted from, or history cleared in, the user's cloud history.
    Deleted(delete::DeleteApplied),
    /// Unreferenced media records were removed: the files to delete from the blob store.
    MediaCollected(Vec<media::CollectedFile>),
    /// Done, nothing to report.
    Done,
}

/// A logged event that is not about one stored message (read receipts, read reports,
/// extension changes, cloud deletes), to push: the event as logged (its `cursor` field is 0;
/// each recipient's push carries their own position) and its recipients.
#[derive(Debug, Clone)]
pub struct NoticeDelivery {
    /// The app.
    pub app: AppId,
    /// The event, cursor 0.
    pub event: Arc<v1::sync_event::Event>,
    /// Each recipient and the cursor of the event in their log.
    pub recipients: Vec<(String, u64)>,
}

/// The outcome of one write: what it did and what to push, or why it was refused.
#[derive(Debug, Clone)]
pub struct WriteOutcome {
    /// The result.
    pub result: Result<Applied, Refusal>,
    /// Messages to push now that the batch is durable.
    pub deliveries: Vec<Delivery>,
    /// Other logged events to push now that the batch is durable.
    pub notices: Vec<NoticeDelivery>,
}

impl WriteOutcome {
    /// A refused write.
    pub fn refused(refusal: Refusal) -> Self {
        Self {
            result: Err(refusal),
            deliveries: Vec::new(),
            notices: Vec::new(),
        }
    }

    /// A write that pushes nothing.
    pub fn applied(applied: Applied) -> Self {
        Self {
            result: Ok(applied),
            deliveries: Vec::new(),
            notices: Vec::new(),
        }
    }

    /// A write that pushes `notices`.
    pub fn notified(applied: Applied, notices: Vec<NoticeDelivery>) -> Self {
        Self {
            result: Ok(applied),
            deliveries: Vec::new(),
            notices,
        }
    }
}

/// `event` with its `cursor` field set to `cursor`.
pub fn with_cursor(mut event: v1::sync_event::Event, cursor: u64) -> v1::sync_event::Event {
    use v1::sync_event::Event;
    match &mut event {
        Event::NewMessage(push) => push.cursor = cursor,
        Event::MessageRevoked(push) => push.cursor = cursor,
        Event::MessageModified(push) => push.cursor = cursor,
        Event::ReadReceipts(push) => push.cursor = cursor,
        Event::ConversationRead(push) => push.cursor = cursor,
        Event::ExtensionsChanged(push) => push.cursor = cursor,
        Event::ExtensionsDeleted(push) => push.cursor = cursor,
        Event::MessagesDeleted(push) => push.cursor = cursor,
        Event::HistoryCleared(push) => push.cursor = cursor,
        Event::ConversationsChanged(push) => push.cursor = cursor,
        Event::ProfileChanged(push) => push.cursor = cursor,
    }
    event
}
