//! Thin request wrappers: batch send, and group management (create, add and remove members,
//! join, quit, dismiss, list members). The server checks and decides; the client validates
//! what it can locally and maps the answers to model types.

use super::apply::decode_message;
use super::connection::{Request, Response};
use super::session::unexpected;
use crate::client::Client;
use crate::engine::now_secs;
use crate::error::{CoreError, Result};
use tim_model::enums::{GroupAddOption, GroupType, MsgStatus};
use tim_model::{
    BatchSendParam, BatchSendResult, GroupId, GroupMemberInfo, Message, UserId, codes, limits,
};
use tim_proto::WireEnum;
use tim_proto::v1 as wire;

/// What [`Client::create_group`] needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreateGroupParam {
    /// A custom group ID; `None`: the server assigns one (starting with `@TGS#`).
    pub group_id: Option<GroupId>,
    /// The group type.
    pub group_type: GroupType,
    /// The group's name.
    pub name: String,
    /// Introduction.
    pub introduction: String,
    /// Notification (announcement).
    pub notification: String,
    /// Avatar URL.
    pub face_url: String,
    /// How join requests are handled.
    pub add_option: GroupAddOption,
    /// Initial members besides the creator (who becomes the owner).
    pub member_ids: Vec<UserId>,
    /// Initial members who become admins (`TIMGroupCreate`'s member array with role Admin);
    /// they need not be repeated in `member_ids`.
    pub admin_ids: Vec<UserId>,
}

/// The result of a membership change for one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberResult {
    /// The user.
    pub user_id: String,
    /// 0 on success, a TIM code otherwise.
    pub code: i32,
    /// The server's description.
    pub desc: String,
}

/// One page of a group's members.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupMemberPage {
    /// The members of this page.
    pub members: Vec<GroupMemberInfo>,
    /// Pass to the next call for the next page.
    pub next_seq: u64,
    /// No more pages.
    pub is_finished: bool,
}

/// Extracts the expected answer or fails with `ERR_PARSE_RESPONSE_FAILED`.
macro_rules! answer {
    ($response:expr, $variant:ident) => {
        match $response {
            Response::$variant(inner) => Ok(inner),
            other => Err(unexpected(&other)),
        }
    };
}

impl Client {
    /// `TIMMsgBatchSend`: sends `message` to up to 500 users, each copy in its own C2C
    /// conversation, with one result per recipient in their order (code 0 and the copy as
    /// stored, or the refusal). Successful copies are stored locally (SendSucc). Not queued:
    /// a network failure fails the whole call, and retrying it is safe (the server derives
    /// each copy's ID from the message ID, so copies are deduplicated).
    pub async fn batch_send(
        &self,
        recipients: &[UserId],
        message: Message,
    ) -> Result<Vec<BatchSendResult>> {
        let engine = self.engine()?;
        let mut param = BatchSendParam {
            identifier_array: recipients.iter().map(|u| u.as_str().to_owned()).collect(),
            msg: message,
        };
        limits::validate_batch_send(&param)?;
        let now = now_secs();
        let (id, rand) = engine.new_identity(now)?;
        let msg = &mut param.msg;
        if msg.msg_id.is_none() {
            msg.msg_id = Some(id);
        }
        if msg.rand == 0 {
            msg.rand = rand;
        }
        engine.user().as_str().clone_into(&mut msg.sender);
        msg.is_from_self = true;
        msg.client_time = now;
        msg.platform = self.config().platform;
        let response = answer!(
            self.request(Request::BatchSend(param.into())).await?,
            BatchSend
        )?;
        let mut results = Vec::with_capacity(response.results.len());
        let mut stored = Vec::new();
        for result in response.results {
            let copy = if result.code == 0 {
                decode_message(result.msg.clone())
            } else {
                None
            };
            let mut model = BatchSendResult {
                identifier: result.identifier,
                code: result.code,
                desc: result.desc,
                msg: None,
            };
            if let Some((conv, mut copy)) = copy {
                copy.status = Some(MsgStatus::SendSucc);
                copy.is_from_self = true;
                model.msg = Some(copy.clone());
                stored.push((conv, copy));
            }
            results.push(model);
        }
        if !stored.is_empty() {
            self.with_engine(move |engine| engine.store_received(stored, &[], None).map(|_| ()))
                .await?;
        }
        Ok(results)
    }

    /// Creates a group; the logged-in user becomes its owner. Returns its ID.
    pub async fn create_group(&self, param: CreateGroupParam) -> Result<GroupId> {
        let request = wire::CreateGroupRequest {
            group_id: param.group_id.map(GroupId::into_string),
            group_type: param.group_type.to_wire(),
            name: param.name,
            introduction: param.introduction,
            notification: param.notification,
            face_url: param.face_url,
            add_option: param.add_option.to_wire(),
            member_ids: param
                .member_ids
                .into_iter()
                .map(UserId::into_string)
                .collect(),
            admin_ids: param
                .admin_ids
                .into_iter()
                .map(UserId::into_string)
                .collect(),
        };
        let response = answer!(
            self.request(Request::CreateGroup(request)).await?,
            CreateGroup
        )?;
        GroupId::new(&response.group_id).map_err(|err| {
            CoreError::refused(
                codes::ERR_PARSE_RESPONSE_FAILED,
                format!("group_id from the server: {err}"),
            )
        })
    }

    /// Adds (invites) members; one result per user.
    pub async fn add_group_members(
        &self,
        group: &GroupId,
        users: &[UserId],
    ) -> Result<Vec<MemberResult>> {
        let request = wire::AddGroupMembersRequest {
            group_id: group.as_str().to_owned(),
            user_ids: users.iter().map(|u| u.as_str().to_owned()).collect(),
        };
        let response = answer!(
            self.request(Request::AddGroupMembers(request)).await?,
            AddGroupMembers
        )?;
        Ok(member_results(response.results))
    }

    /// Removes (kicks) members; owner and admins only. One result per user.
    pub async fn remove_group_members(
        &self,
        group: &GroupId,
        users: &[UserId],
        reason: &str,
    ) -> Result<Vec<MemberResult>> {
        let request = wire::RemoveGroupMembersRequest {
            group_id: group.as_str().to_owned(),
            user_ids: users.iter().map(|u| u.as_str().to_owned()).collect(),
            reason: reason.to_owned(),
        };
        let response = answer!(
            self.request(Request::RemoveGroupMembers(request)).await?,
            RemoveGroupMembers
        )?;
        Ok(member_results(response.results))
    }

    /// Asks to join a group; true when the request waits for approval.
    pub async fn join_group(&self, group: &GroupId, apply_message: &str) -> Result<bool> {
        let request = wire::JoinGroupRequest {
            group_id: group.as_str().to_owned(),
            apply_message: apply_message.to_owned(),
        };
        let response = answer!(self.request(Request::JoinGroup(request)).await?, JoinGroup)?;
        Ok(response.pending_approval)
    }

    /// Leaves a group (an owner dismisses it instead).
    pub async fn quit_group(&self, group: &GroupId) -> Result<()> {
        let request = wire::QuitGroupRequest {
            group_id: group.as_str().to_owned(),
        };
        answer!(self.request(Request::QuitGroup(request)).await?, QuitGroup)?;
        Ok(())
    }

    /// Dismisses a group; owner only.
    pub async fn dismiss_group(&self, group: &GroupId) -> Result<()> {
        let request = wire::DismissGroupRequest {
            group_id: group.as_str().to_owned(),
        };
        answer!(
            self.request(Request::DismissGroup(request)).await?,
            DismissGroup
        )?;
        Ok(())
    }

    /// One page of a group's members: start with `next_seq` 0, then pass the previous page's
    /// `next_seq` until `is_finished`. `count` 0: the server's page size.
    pub async fn list_group_members(
        &self,
        group: &GroupId,
        next_seq: u64,
        count: u32,
    ) -> Result<GroupMemberPage> {
        let request = wire::ListGroupMembersRequest {
            group_id: group.as_str().to_owned(),
            next_seq,
            count,
        };
        let response = answer!(
            self.request(Request::ListGroupMembers(request)).await?,
            ListGroupMembers
        )?;
        let members = response
            .members
            .into_iter()
            .map(GroupMemberInfo::try_from)
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(GroupMemberPage {
            members,
            next_seq: response.next_seq,
            is_finished: response.is_finished,
        })
    }
}

fn member_results(results: Vec<wire::MemberResult>) -> Vec<MemberResult> {
    results
        .into_iter()
        .map(|result| MemberResult {
            user_id: result.user_id,
            code: result.code,
            desc: result.desc,
        })
        .collect()
}
