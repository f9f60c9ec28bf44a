//! A group: membership calls (the group's messages are its [`Conversation`]).

use crate::{ConvId, Conversation, GroupId, GroupMemberInfo, MemberResult, Result, UserId};

/// Members fetched per page by [`Group::members`].
const MEMBER_PAGE: u32 = 100;
/// Pages [`Group::members`] reads at most (100,000 members).
const MAX_MEMBER_PAGES: usize = 1000;

/// One group, as seen by the logged-in user.
#[derive(Clone)]
pub struct Group {
    core: tim_core::Client,
    id: GroupId,
}

impl Group {
    pub(crate) fn new(core: tim_core::Client, id: GroupId) -> Self {
        Self { core, id }
    }

    /// The group's ID.
    pub fn id(&self) -> &GroupId {
        &self.id
    }

    /// The group's conversation, to send into and read.
    pub fn conversation(&self) -> Conversation {
        Conversation::new(self.core.clone(), ConvId::Group(self.id.clone()))
    }

    /// Adds (invites) users; one result per user, in order.
    pub async fn add_members(&self, users: &[UserId]) -> Result<Vec<MemberResult>> {
        self.core.add_group_members(&self.id, users).await
    }

    /// Removes users (owner and admins only); one result per user, in order.
    pub async fn remove_members(
        &self,
        users: &[UserId],
        reason: &str,
    ) -> Result<Vec<MemberResult>> {
        self.core
            .remove_group_members(&self.id, users, reason)
            .await
    }

    /// Joins the group; `true` when the join waits for approval.
    pub async fn join(&self, apply_message: &str) -> Result<bool> {
        self.core.join_group(&self.id, apply_message).await
    }

    /// Leaves the group (the owner cannot: they dismiss it).
    pub async fn quit(&self) -> Result<()> {
        self.core.quit_group(&self.id).await
    }

    /// Dismisses the group (owner only).
    pub async fn dismiss(&self) -> Result<()> {
        self.core.dismiss_group(&self.id).await
    }

    /// Every member, read page by page.
    pub async fn members(&self) -> Result<Vec<GroupMemberInfo>> {
        let mut members = Vec::new();
        let mut next_seq = 0;
        for _ in 0..MAX_MEMBER_PAGES {
            let page = self
                .core
                .list_group_members(&self.id, next_seq, MEMBER_PAGE)
                .await?;
            members.extend(page.members);
            if page.is_finished {
                break;
            }
            next_seq = page.next_seq;
        }
        Ok(members)
    }
}
