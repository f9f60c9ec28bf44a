//! [`StorageHandle`]: the storage as the async request handlers read it.
//!
//! [`Storage`] is the data model's blocking API (the writer thread and the blocking pool call
//! it). A backend that waits on the network ([`Storage::blocks`]: PostgreSQL) is read on the
//! blocking pool, so no handler ever holds a runtime thread while a query travels; the embedded
//! redb file answers from its page cache in microseconds and is read inline, as it always was.

use super::media::MediaRecord;
use super::read_state::ReadMemberPage;
use super::{
    AppId, GroupRecord, HistoryPage, HistoryQuery, MemberPage, MemberRecord, Refusal, Storage,
    StorageError, SyncPage, Target, UserRecord,
};
use std::sync::Arc;
use tim_model::enums::ReceiveMessageOpt;
use tim_model::ids::{GroupId, MessageId, UserId};
use tim_proto::v1;

/// The storage for async code: each read is a future.
#[derive(Clone)]
pub struct StorageHandle {
    storage: Arc<dyn Storage>,
    offload: bool,
}

impl std::fmt::Debug for StorageHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StorageHandle")
            .field("offload", &self.offload)
            .finish()
    }
}

/// A read that may be refused by a rule.
type Checked<T> = Result<Result<T, Refusal>, StorageError>;

impl StorageHandle {
    /// The handle of `storage`.
    pub fn new(storage: Arc<dyn Storage>) -> Self {
        let offload = storage.blocks();
        Self { storage, offload }
    }

    /// The storage itself, for the writer thread and blocking tasks.
    pub fn blocking(&self) -> &Arc<dyn Storage> {
        &self.storage
    }

    /// Runs `read` on the storage: inline, or on the blocking pool for a backend that blocks.
    pub async fn run<T: Send + 'static>(
        &self,
        read: impl FnOnce(&dyn Storage) -> Result<T, StorageError> + Send + 'static,
    ) -> Result<T, StorageError> {
        if !self.offload {
            return read(self.storage.as_ref());
        }
        let storage = Arc::clone(&self.storage);
        tokio::task::spawn_blocking(move || read(storage.as_ref()))
            .await
            .map_err(|e| StorageError::new(format!("a storage read failed: {e}")))?
    }

    /// See [`Storage::user`].
    pub async fn user(
        &self,
        app: AppId,
        user: &UserId,
    ) -> Result<Option<UserRecord>, StorageError> {
        let user = user.clone();
        self.run(move |s| s.user(app, &user)).await
    }

    /// See [`Storage::group`].
    pub async fn group(
        &self,
        app: AppId,
        group: &GroupId,
    ) -> Result<Option<GroupRecord>, StorageError> {
        let group = group.clone();
        self.run(move |s| s.group(app, &group)).await
    }

    /// See [`Storage::member`].
    pub async fn member(
        &self,
        app: AppId,
        group: &GroupId,
        user: &UserId,
    ) -> Result<Option<MemberRecord>, StorageError> {
        let (group, user) = (group.clone(), user.clone());
        self.run(move |s| s.member(app, &group, &user)).await
    }

    /// See [`Storage::list_members`].
    pub async fn list_members(
        &self,
        app: AppId,
        group: &GroupId,
        from: u64,
        count: usize,
    ) -> Result<MemberPage, StorageError> {
        let group = group.clone();
        self.run(move |s| s.list_members(app, &group, from, count))
            .await
    }

    /// See [`Storage::member_ids`].
    pub async fn member_ids(
        &self,
        app: AppId,
        group: &GroupId,
    ) -> Result<Vec<String>, StorageError> {
        let group = group.clone();
        self.run(move |s| s.member_ids(app, &group)).await
    }

    /// See [`Storage::sync`].
    pub async fn sync(
        &self,
        app: AppId,
        user: &UserId,
        cursor: u64,
        max_events: usize,
        max_bytes: usize,
    ) -> Result<SyncPage, StorageError> {
        let user = user.clone();
        self.run(move |s| s.sync(app, &user, cursor, max_events, max_bytes))
            .await
    }

    /// See [`Storage::pull_history`].
    pub async fn pull_history(
        &self,
        app: AppId,
        user: &UserId,
        target: &Target,
        query: HistoryQuery,
    ) -> Checked<HistoryPage> {
        let (user, target) = (user.clone(), target.clone());
        self.run(move |s| s.pull_history(app, &user, &target, query))
            .await
    }

    /// See [`ReadStateReads::read_receipts`](super::read_state::ReadStateReads::read_receipts).
    pub async fn read_receipts(
        &self,
        app: AppId,
        user: &UserId,
        target: &Target,
        msg_ids: &[MessageId],
    ) -> Checked<Vec<v1::MessageReceipt>> {
        let (user, target, msg_ids) = (user.clone(), target.clone(), msg_ids.to_vec());
        self.run(move |s| s.read_receipts(app, &user, &target, &msg_ids))
            .await
    }

    /// See [`ReadStateReads::group_read_members`](super::read_state::ReadStateReads::group_read_members).
    #[allow(clippy::too_many_arguments)]
    pub async fn group_read_members(
        &self,
        app: AppId,
        user: &UserId,
        group: &GroupId,
        msg_id: &MessageId,
        read: bool,
        from: u64,
        count: usize,
    ) -> Checked<ReadMemberPage> {
        let (user, group, msg_id) = (user.clone(), group.clone(), msg_id.clone());
        self.run(move |s| s.group_read_members(app, &user, &group, &msg_id, read, from, count))
            .await
    }

    /// See [`RecvOptReads::c2c_recv_opt`](super::recv_opt::RecvOptReads::c2c_recv_opt).
    pub async fn c2c_recv_opt(
        &self,
        app: AppId,
        user: &UserId,
        peer: &UserId,
    ) -> Result<ReceiveMessageOpt, StorageError> {
        let (user, peer) = (user.clone(), peer.clone());
        self.run(move |s| s.c2c_recv_opt(app, &user, &peer)).await
    }

    /// See [`MergeReads::merged_messages`](super::merge::MergeReads::merged_messages).
    pub async fn merged_messages(
        &self,
        app: AppId,
        user: &UserId,
        key: &str,
    ) -> Checked<Vec<v1::Message>> {
        let (user, key) = (user.clone(), key.to_owned());
        self.run(move |s| s.merged_messages(app, &user, &key)).await
    }

    /// See [`ExtensionReads::extensions`](super::extensions::ExtensionReads::extensions).
    pub async fn extensions(
        &self,
        app: AppId,
        user: &UserId,
        target: &Target,
        msg_id: &MessageId,
    ) -> Checked<Vec<v1::MessageExtension>> {
        let (user, target, msg_id) = (user.clone(), target.clone(), msg_id.clone());
        self.run(move |s| s.extensions(app, &user, &target, &msg_id))
            .await
    }

    /// See [`MediaReads::media`](super::media::MediaReads::media).
    pub async fn media(
        &self,
        app: AppId,
        file_id: &str,
    ) -> Result<Option<MediaRecord>, StorageError> {
        let file_id = file_id.to_owned();
        self.run(move |s| s.media(app, &file_id)).await
    }

    /// See [`ConversationReads::conversation_state`](super::conversations::ConversationReads::conversation_state).
    pub async fn conversation_state(
        &self,
        app: AppId,
        user: &UserId,
    ) -> Result<v1::GetConversationStateResponse, StorageError> {
        let user = user.clone();
        self.run(move |s| s.conversation_state(app, &user)).await
    }

    /// See [`ProfileReads::profiles`](super::profiles::ProfileReads::profiles).
    pub async fn profiles(
        &self,
        app: AppId,
        users: Vec<UserId>,
    ) -> Result<Vec<v1::UserProfile>, StorageError> {
        self.run(move |s| s.profiles(app, &users)).await
    }
}
