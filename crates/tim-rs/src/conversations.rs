//! The conversation list and profiles: what `TIMConv*` and `TIMProfile*` do, typed.
//!
//! The list is read from the device (it follows messages, reads and the attributes every
//! device of the user shares); changes of pins, marks, custom data, conversation groups and
//! deletions go through the server and reach the user's other devices. Subscribe to
//! [`Client::events`] for [`Event::Conversations`](crate::Event::Conversations),
//! [`Event::TotalUnread`](crate::Event::TotalUnread) and
//! [`Event::SelfProfileChanged`](crate::Event::SelfProfileChanged).

use crate::{Client, ConvId, ConversationChange, GroupOp, Result, UserId};
use tim_model::{
    ConvInfo, ConversationListFilter, ConversationListResult, ConversationOperationResult, Draft,
    UserProfile, UserProfileItem,
};

impl Client {
    /// The conversation list (`TIMConvGetConvList`): pinned first, then the most recently
    /// active.
    pub fn conversations(&self) -> Result<Vec<ConvInfo>> {
        self.core.engine()?.conversation_list()
    }

    /// One page of the conversations passing `filter`
    /// (`TIMConvGetConversationListByFilter`): from position `next_seq` (0 first), `count`
    /// long (0: all).
    pub fn conversations_by_filter(
        &self,
        filter: &ConversationListFilter,
        next_seq: u64,
        count: u32,
    ) -> Result<ConversationListResult> {
        self.core
            .engine()?
            .conversations_by_filter(filter, next_seq, count)
    }

    /// What `conv` shows, `None` when it does not show (`TIMConvGetConvInfo`).
    pub fn conversation_info(&self, conv: &ConvId) -> Result<Option<ConvInfo>> {
        self.core.engine()?.conversation_info(conv)
    }

    /// The total unread count, or that of the conversations passing `filter`
    /// (`TIMConvGetTotalUnreadMessageCount`, `TIMConvGetUnreadMessageCountByFilter`).
    pub fn total_unread(&self, filter: Option<&ConversationListFilter>) -> Result<u64> {
        self.core.engine()?.unread_total(filter)
    }

    /// `TIMConvSetDraft` (`Some`) / `TIMConvCancelDraft` (`None`): the draft stays on this
    /// device.
    pub fn set_draft(&self, conv: &ConvId, draft: Option<&Draft>) -> Result<()> {
        self.core.engine()?.set_draft(conv, draft)?;
        self.core.touch_conversations(vec![conv.clone()]);
        Ok(())
    }

    /// Pins or unpins `conv` (`TIMConvPinConversation`; at most 50 pinned).
    pub async fn pin(&self, conv: &ConvId, pinned: bool) -> Result<ConversationOperationResult> {
        let mut results = self
            .core
            .update_conversations(std::slice::from_ref(conv), ConversationChange::Pin(pinned))
            .await?;
        Ok(results.pop().unwrap_or_default())
    }

    /// Sets (`enable`) or clears mark bits of `convs` (`TIMConvMarkConversation`).
    pub async fn mark(
        &self,
        convs: &[ConvId],
        marks: u64,
        enable: bool,
    ) -> Result<Vec<ConversationOperationResult>> {
        self.core
            .update_conversations(convs, ConversationChange::Mark { marks, enable })
            .await
    }

    /// Sets the custom data of `convs` (`TIMConvSetConversationCustomData`, ≤ 256 bytes).
    pub async fn set_conversation_custom_data(
        &self,
        convs: &[ConvId],
        data: &str,
    ) -> Result<Vec<ConversationOperationResult>> {
        self.core
            .update_conversations(convs, ConversationChange::CustomData(data.to_owned()))
            .await
    }

    /// Deletes `conv` from the list of every device of this user (`TIMConvDelete` with
    /// `clear_messages`; `TIMConvDeleteConversationList`).
    pub async fn delete_conversation(
        &self,
        conv: &ConvId,
        clear_messages: bool,
    ) -> Result<ConversationOperationResult> {
        self.core.delete_conversation(conv, clear_messages).await
    }

    /// A conversation-group operation on `convs` (`TIMConvCreateConversationGroup`, ...).
    pub async fn conversation_group(
        &self,
        op: GroupOp,
        convs: &[ConvId],
    ) -> Result<Vec<ConversationOperationResult>> {
        self.core
            .update_conversations(convs, ConversationChange::Group(op))
            .await
    }

    /// The conversation-group names (`TIMConvGetConversationGroupList`).
    pub fn conversation_groups(&self) -> Result<Vec<String>> {
        self.core.engine()?.conversation_group_names()
    }

    /// `TIMConvCreate`: makes `conv` show (with no messages).
    pub fn create_conversation(&self, conv: &ConvId) -> Result<ConvInfo> {
        let info = self.core.engine()?.create_conversation(conv)?;
        self.core.touch_conversations(vec![conv.clone()]);
        Ok(info)
    }

    /// `TIMProfileGetUserProfileList`: the profiles of `users` (1..=100).
    pub async fn profiles(&self, users: &[UserId]) -> Result<Vec<UserProfile>> {
        self.core.get_profiles(users).await
    }

    /// `TIMProfileModifySelfUserProfile`: changes this user's profile.
    pub async fn set_profile(&self, item: UserProfileItem) -> Result<UserProfile> {
        self.core.set_self_profile(item).await
    }
}
