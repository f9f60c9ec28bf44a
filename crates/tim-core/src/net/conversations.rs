//! Conversations and profiles over the network: attribute changes (pin, mark, custom data,
//! delete, conversation groups), the attribute sync after each connect, the pushes of other
//! devices' changes, and profile reads and changes.
//!
//! Decisions:
//! - The server keeps pins, marks, custom data, conversation groups and deletions per user and
//!   logs each change for every device of the user; a change's answer carries the change
//!   itself, applied at once (the same change arriving again as a push is ignored by its
//!   versions), so the list a caller reads after the callback already shows it.
//! - After every (re)connect the device reads all attributes once, between
//!   [`Event::ConversationSync`] start and finish: a device whose log was trimmed, or a new
//!   device, still shows the same list.
//! - Deleting a conversation marks it read (so unread totals drop on every device) and, when
//!   asked, clears its history on the server; then the server records the deletion.
//! - Profiles read are remembered on the device (the list shows peers' nicknames); the user's
//!   own changes reach all their devices as [`Event::SelfProfileChanged`].

use super::connection::{Conn, Request, Response};
use super::persist::blocking;
use super::session::{Session, unexpected};
use crate::client::Client;
use crate::engine::Engine;
use crate::error::{CoreError, Result};
use crate::events::{ConversationGroupChange, Event, EventHub};
use std::sync::Arc;
use tim_model::enums::ConvType;
use tim_model::{ConvId, ConversationOperationResult, UserId, UserProfile, UserProfileItem, codes};
use tim_proto::v1 as wire;
use wire::update_conversations_request::Change;

/// Conversations per attribute change.
pub const MAX_CONVERSATIONS_PER_CHANGE: usize = 100;

/// A conversation-group (folder) operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupOp {
    /// Create the group with the conversations.
    Create(String),
    /// Delete the group.
    Delete(String),
    /// Rename the group (old, new).
    Rename(String, String),
    /// Add the conversations.
    Add(String),
    /// Remove the conversations.
    Remove(String),
}

/// One change of conversation attributes ([`Client::update_conversations`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConversationChange {
    /// Pin (true) or unpin.
    Pin(bool),
    /// Set (`enable`) or clear mark bits.
    Mark {
        /// The bits.
        marks: u64,
        /// Set or clear.
        enable: bool,
    },
    /// New custom data (at most 256 bytes; "" clears).
    CustomData(String),
    /// Delete the conversations from the list (see [`Client::delete_conversation`]).
    Delete,
    /// A conversation-group operation.
    Group(GroupOp),
}

impl From<ConversationChange> for Change {
    fn from(change: ConversationChange) -> Self {
        match change {
            ConversationChange::Pin(pin) => Change::Pin(pin),
            ConversationChange::Mark { marks, enable } => {
                Change::Mark(wire::MarkChange { marks, enable })
            }
            ConversationChange::CustomData(data) => Change::CustomData(wire::CustomData { data }),
            ConversationChange::Delete => Change::Delete(wire::DeleteConversations {}),
            ConversationChange::Group(op) => {
                let (kind, name, new_name) = match op {
                    GroupOp::Create(name) => (1, name, String::new()),
                    GroupOp::Delete(name) => (2, name, String::new()),
                    GroupOp::Rename(old, new) => (3, old, new),
                    GroupOp::Add(name) => (4, name, String::new()),
                    GroupOp::Remove(name) => (5, name, String::new()),
                };
                Change::Group(wire::ConversationGroupOp {
                    kind,
                    name,
                    new_name,
                })
            }
        }
    }
}

/// Applies a logged change (answer or push) and reports what it changed.
pub(crate) async fn apply_change(
    engine: &Arc<Engine>,
    hub: &EventHub,
    push: wire::ConversationsChangedPush,
) -> Result<()> {
    let (attrs, names, version) = (push.attrs, push.group_names, push.version);
    let applied = blocking(engine, move |engine| {
        engine.apply_conversation_attrs(&attrs, &names, version)
    })
    .await?;
    if let Some(change) = push.group_change
        && (applied.groups || !applied.convs.is_empty())
        && let Some(event) = group_event(change)
    {
        hub.emit(&Event::ConversationGroupChanged(event));
    }
    if !applied.convs.is_empty() {
        hub.emit(&Event::ConversationsTouched(applied.convs));
    }
    Ok(())
}

fn group_event(change: wire::ConversationGroupChange) -> Option<ConversationGroupChange> {
    let wire::ConversationGroupChange {
        kind,
        name,
        new_name,
        conversation_ids,
    } = change;
    Some(match kind {
        1 => ConversationGroupChange::Created {
            name,
            conversation_ids,
        },
        2 => ConversationGroupChange::Deleted { name },
        3 => ConversationGroupChange::Renamed {
            old_name: name,
            new_name,
        },
        4 => ConversationGroupChange::Added {
            name,
            conversation_ids,
        },
        5 => ConversationGroupChange::Removed {
            name,
            conversation_ids,
        },
        _ => return None,
    })
}

/// The result of a conversation ID that is neither `c2c_…` nor `group_…`.
fn invalid_id(id: String, desc: String) -> ConversationOperationResult {
    ConversationOperationResult {
        conversation_id: id,
        result_code: codes::ERR_INVALID_CONVERSATION,
        result_info: desc,
    }
}

/// Which conversations `TIMConvCleanConversationUnreadMessageCount` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnreadScope {
    /// Every conversation (`""`), or every one of a type (`"c2c"`, `"group"`).
    All(Option<ConvType>),
    /// One conversation (`c2c_<user>`, `group_<group>`).
    One(ConvId),
}

impl UnreadScope {
    /// The scope of a conversation ID or wildcard; an ID of neither form is an error.
    pub fn parse(id: &str) -> Result<Self> {
        Ok(match id {
            "" => Self::All(None),
            "c2c" => Self::All(Some(ConvType::C2c)),
            "group" => Self::All(Some(ConvType::Group)),
            other => Self::One(ConvId::parse_prefixed(other)?),
        })
    }
}

fn results(response: wire::UpdateConversationsResponse) -> Vec<ConversationOperationResult> {
    response
        .results
        .into_iter()
        .map(|r| ConversationOperationResult {
            conversation_id: r
                .conversation
                .and_then(|c| ConvId::try_from(c).ok())
                .map(|c| c.to_string())
                .unwrap_or_default(),
            result_code: r.code,
            result_info: r.desc,
        })
        .collect()
}

impl Client {
    /// Tells the conversation watcher that `convs` changed on the device (a draft, a created
    /// conversation): it reports what they show now.
    pub fn touch_conversations(&self, convs: Vec<ConvId>) {
        self.shared()
            .events
            .emit(&Event::ConversationsTouched(convs));
    }

    /// Applies one attribute change to `convs` (1..=100; none for a group deletion or
    /// rename) on the server: one result per conversation, in order.
    pub async fn update_conversations(
        &self,
        convs: &[ConvId],
        change: ConversationChange,
    ) -> Result<Vec<ConversationOperationResult>> {
        if convs.len() > MAX_CONVERSATIONS_PER_CHANGE {
            return Err(CoreError::refused(
                codes::ERR_SVR_CONV_CONV_MARK_REQ_COUNT_EXCEED_LIMIT,
                format!(
                    "{} conversations, at most {MAX_CONVERSATIONS_PER_CHANGE} per call",
                    convs.len()
                ),
            ));
        }
        let request = wire::UpdateConversationsRequest {
            conversations: convs.iter().cloned().map(Into::into).collect(),
            change: Some(change.into()),
        };
        let mut response = match self.request(Request::UpdateConversations(request)).await? {
            Response::UpdateConversations(response) => response,
            other => return Err(unexpected(&other)),
        };
        if let Some(change) = response.change.take() {
            apply_change(&self.engine()?, &self.shared().events, change).await?;
        }
        Ok(results(response))
    }

    /// [`update_conversations`](Self::update_conversations) on conversations named by their
    /// `c2c_<user>`/`group_<group>` IDs: one result per ID, in order; an ID of neither form
    /// gets its own result with `ERR_INVALID_CONVERSATION` (6004) and the others still change.
    pub async fn update_conversations_by_id(
        &self,
        ids: Vec<String>,
        change: ConversationChange,
    ) -> Result<Vec<ConversationOperationResult>> {
        let parsed: Vec<std::result::Result<ConvId, String>> = ids
            .iter()
            .map(|id| ConvId::parse_prefixed(id).map_err(|e| e.to_string()))
            .collect();
        let valid: Vec<ConvId> = parsed
            .iter()
            .filter_map(|p| p.as_ref().ok().cloned())
            .collect();
        let mut done = if valid.is_empty() {
            Vec::new()
        } else {
            self.update_conversations(&valid, change).await?
        }
        .into_iter();
        Ok(ids
            .into_iter()
            .zip(parsed)
            .map(|(id, parsed)| match parsed {
                Ok(_) => done.next().unwrap_or_default(),
                Err(desc) => invalid_id(id, desc),
            })
            .collect())
    }

    /// [`delete_conversation`](Self::delete_conversation) of each of `ids`
    /// (`c2c_<user>`/`group_<group>`; `TIMConvDeleteConversationList`): one result per ID, in
    /// order, a failure of one not stopping the others.
    pub async fn delete_conversations_by_id(
        &self,
        ids: Vec<String>,
        clear_messages: bool,
    ) -> Vec<ConversationOperationResult> {
        let mut results = Vec::with_capacity(ids.len());
        for id in ids {
            let result = match ConvId::parse_prefixed(&id) {
                Ok(conv) => match self.delete_conversation(&conv, clear_messages).await {
                    Ok(result) => result,
                    Err(err) => ConversationOperationResult {
                        conversation_id: id,
                        result_code: err.code(),
                        result_info: err.to_string(),
                    },
                },
                Err(err) => invalid_id(id, err.to_string()),
            };
            results.push(result);
        }
        results
    }

    /// `TIMConvCleanConversationUnreadMessageCount`: marks the conversations of `scope` read
    /// on every device of the user.
    pub async fn clean_unread(&self, scope: UnreadScope) -> Result<()> {
        match scope {
            UnreadScope::All(kind) => self.mark_all_read(kind).await,
            UnreadScope::One(conv) => self.report_read(&conv, None).await.map(|_| ()),
        }
    }

    /// `TIMConvDelete` / `TIMConvDeleteConversationList`: marks `conv` read, clears its
    /// history on the server when `clear_messages`, and deletes it from the list of every
    /// device of the user (until a newer message arrives).
    pub async fn delete_conversation(
        &self,
        conv: &ConvId,
        clear_messages: bool,
    ) -> Result<ConversationOperationResult> {
        let known = {
            let target = conv.clone();
            self.with_engine(move |engine| Ok(engine.store.conversation(&target)?.is_some()))
                .await?
        };
        if known {
            self.report_read(conv, None).await?;
        }
        if clear_messages {
            self.clear_history(conv).await?;
        }
        let mut results = self
            .update_conversations(std::slice::from_ref(conv), ConversationChange::Delete)
            .await?;
        let target = conv.clone();
        self.with_engine(move |engine| engine.set_draft(&target, None))
            .await?;
        self.shared()
            .events
            .emit(&Event::ConversationsTouched(vec![conv.clone()]));
        Ok(results.pop().unwrap_or_default())
    }

    /// `TIMProfileGetUserProfileList`: the profiles of `users` (1..=100) from the server,
    /// remembered on the device.
    pub async fn get_profiles(&self, users: &[UserId]) -> Result<Vec<UserProfile>> {
        if users.is_empty() || users.len() > 100 {
            return Err(CoreError::refused(
                codes::ERR_INVALID_PARAMETERS,
                format!("1..=100 users per call, not {}", users.len()),
            ));
        }
        let request = wire::GetProfilesRequest {
            user_ids: users.iter().map(|u| u.as_str().to_owned()).collect(),
        };
        let profiles = match self.request(Request::GetProfiles(request)).await? {
            Response::GetProfiles(response) => response.profiles,
            other => return Err(unexpected(&other)),
        };
        let profiles = profiles
            .into_iter()
            .map(UserProfile::try_from)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|err| CoreError::refused(codes::ERR_PARSE_RESPONSE_FAILED, err.to_string()))?;
        let remembered = profiles.clone();
        self.with_engine(move |engine| engine.remember_profiles(&remembered))
            .await?;
        Ok(profiles)
    }

    /// `TIMProfileModifySelfUserProfile`: changes this user's profile (the fields `item`
    /// carries); every device of the user then gets [`Event::SelfProfileChanged`].
    pub async fn set_self_profile(&self, item: UserProfileItem) -> Result<UserProfile> {
        let request = wire::SetProfileRequest {
            item: Some(item.into()),
        };
        let profile = match self.request(Request::SetProfile(request)).await? {
            Response::SetProfile(response) => response.profile.unwrap_or_default(),
            other => return Err(unexpected(&other)),
        };
        let profile = UserProfile::try_from(profile)
            .map_err(|err| CoreError::refused(codes::ERR_PARSE_RESPONSE_FAILED, err.to_string()))?;
        let remembered = vec![profile.clone()];
        self.with_engine(move |engine| engine.remember_profiles(&remembered))
            .await?;
        Ok(profile)
    }
}

impl Session {
    /// After (re)connecting: reads every conversation attribute once, between the sync
    /// start and finish events.
    pub(crate) async fn sync_conversations(&mut self, conn: &Conn) -> Result<()> {
        let hub = &self.ctx.shared.events;
        hub.emit(&Event::ConversationSync { finished: false });
        let state = match conn
            .request(Request::GetConversationState(
                wire::GetConversationStateRequest {},
            ))
            .await
        {
            Ok(Response::GetConversationState(state)) => state,
            Ok(other) => return Err(unexpected(&other)),
            Err(err) => return Err(err),
        };
        let push = wire::ConversationsChangedPush {
            cursor: 0,
            attrs: state.attrs,
            group_names: state.group_names,
            group_change: None,
            version: state.version,
        };
        let outcome = apply_change(&self.ctx.engine, hub, push).await;
        hub.emit(&Event::ConversationSync { finished: true });
        outcome
    }

    /// Applies a logged event of this area (push or sync), in log order.
    pub(crate) async fn conversation_notice(
        &mut self,
        event: wire::sync_event::Event,
    ) -> Result<()> {
        match event {
            wire::sync_event::Event::ConversationsChanged(push) => {
                apply_change(&self.ctx.engine, &self.ctx.shared.events, push).await
            }
            wire::sync_event::Event::ProfileChanged(push) => {
                let Some(profile) = push.profile.and_then(|p| UserProfile::try_from(p).ok()) else {
                    return Ok(());
                };
                let remembered = vec![profile.clone()];
                blocking(&self.ctx.engine, move |engine| {
                    engine.remember_profiles(&remembered)
                })
                .await?;
                self.ctx
                    .shared
                    .events
                    .emit(&Event::SelfProfileChanged(profile));
                Ok(())
            }
            _ => Ok(()),
        }
    }
}
