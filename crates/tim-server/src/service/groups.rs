//! Groups: create, membership changes, dismissal and member lists, each checked against the
//! requesting user.

use super::{Reply, Services, Session, error_response, internal, invalid, single};
use crate::storage::{
    Applied, CreateGroup, GroupRecord, MemberRecord, MembershipChange, Refusal, WriteOp,
};
use tim_model::codes;
use tim_model::enums::{GroupAddOption, GroupType};
use tim_model::ids::{GroupId, UserId};
use tim_proto::v1;
use tim_proto::v1::server_frame::Body as Response;

/// Prefix of server-made group IDs; custom IDs may not use it.
pub const SERVER_GROUP_ID_PREFIX: &str = "@TGS#";
const MEMBER_PAGE_DEFAULT: usize = 100;
const MEMBER_PAGE_MAX: usize = 500;
/// Most users in one add or remove request.
const MEMBERS_PER_REQUEST_MAX: usize = 500;

fn parse_group(group_id: &str) -> Result<GroupId, Refusal> {
    GroupId::parse_at(group_id, "group_id").map_err(|e| Refusal::new(e.code(), e.to_string()))
}

fn parse_users(users: &[String], field: &str) -> Result<Vec<UserId>, Refusal> {
    if users.is_empty() {
        return Err(Refusal::new(
            codes::ERR_SDK_GROUP_INVITE_NO_MEMBER,
            format!("{field}: empty"),
        ));
    }
    if users.len() > MEMBERS_PER_REQUEST_MAX {
        return Err(Refusal::new(
            codes::ERR_SVR_GROUP_ACOUNT_COUNT_LIMIT,
            format!(
                "{field}: {} users; at most {MEMBERS_PER_REQUEST_MAX} per request",
                users.len()
            ),
        ));
    }
    users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            UserId::parse_at(u, &format!("{field}[{i}]"))
                .map_err(|e| Refusal::new(e.code(), e.to_string()))
        })
        .collect()
}

fn check_len(value: &str, max: usize, code: i32, field: &str) -> Result<(), Refusal> {
    if value.len() > max {
        return Err(Refusal::new(
            code,
            format!("{field}: {} bytes; the limit is {max}", value.len()),
        ));
    }
    Ok(())
}

fn member_results(results: Vec<crate::storage::MemberChangeResult>) -> Vec<v1::MemberResult> {
    results
        .into_iter()
        .map(|r| v1::MemberResult {
            user_id: r.user_id,
            code: r.code,
            desc: r.desc,
        })
        .collect()
}

pub(super) fn member_info(group: &GroupId, member: MemberRecord) -> v1::GroupMemberInfo {
    v1::GroupMemberInfo {
        identifier: member.user_id,
        group_id: group.as_str().to_owned(),
        join_time: u32::try_from(member.join_time).unwrap_or(u32::MAX),
        member_role: member.role,
        ..Default::default()
    }
}

impl Services {
    /// Refuses unless the group exists (10010) and the session's user is a member (10007).
    pub(super) async fn check_member(
        &self,
        session: &Session,
        group: &GroupId,
    ) -> Result<MemberRecord, Refusal> {
        match self
            .storage
            .group(session.app, group)
            .await
            .map_err(internal)?
        {
            Some(record) if !record.dismissed => {}
            _ => {
                return Err(Refusal::new(
                    codes::ERR_SVR_GROUP_NOT_FOUND,
                    format!("group {group} does not exist"),
                ));
            }
        }
        self.storage
            .member(session.app, group, &session.user)
            .await
            .map_err(internal)?
            .ok_or_else(|| {
                Refusal::new(
                    codes::ERR_SVR_GROUP_PERMISSION_DENY,
                    format!("{} is not a member of group {group}", session.user),
                )
            })
    }

    pub(super) async fn create_group(
        &self,
        session: &Session,
        request: v1::CreateGroupRequest,
    ) -> Result<Reply, Refusal> {
        let group_id = match request.group_id.as_deref() {
            None | Some("") => None,
            Some(id) => {
                let group = parse_group(id)?;
                if id.starts_with(SERVER_GROUP_ID_PREFIX) {
                    return Err(Refusal::new(
                        codes::ERR_SDK_GROUP_INVALID_ID,
                        format!("group_id: custom IDs may not start with {SERVER_GROUP_ID_PREFIX}"),
                    ));
                }
                Some(group)
            }
        };
        let group_type = GroupType::from_value(i64::from(request.group_type)).ok_or_else(|| {
            invalid(format!(
                "group_type: {} is not a TIMGroupType",
                request.group_type
            ))
        })?;
        let add_option =
            GroupAddOption::from_value(i64::from(request.add_option)).ok_or_else(|| {
                invalid(format!(
                    "add_option: {} is not a TIMGroupAddOption",
                    request.add_option
                ))
            })?;
        check_len(&request.name, 30, codes::ERR_SDK_GROUP_INVALID_NAME, "name")?;
        check_len(
            &request.introduction,
            240,
            codes::ERR_SDK_GROUP_INVALID_INTRODUCTION,
            "introduction",
        )?;
        check_len(
            &request.notification,
            300,
            codes::ERR_SDK_GROUP_INVALID_NOTIFICATION,
            "notification",
        )?;
        check_len(
            &request.face_url,
            100,
            codes::ERR_SDK_GROUP_INVALID_FACE_URL,
            "face_url",
        )?;
        let members = if request.member_ids.is_empty() {
            Vec::new()
        } else {
            parse_users(&request.member_ids, "member_ids")?
        };
        let admins = if request.admin_ids.is_empty() {
            Vec::new()
        } else {
            parse_users(&request.admin_ids, "admin_ids")?
        };
        let op = WriteOp::CreateGroup(Box::new(CreateGroup {
            app: session.app,
            owner: session.user.clone(),
            group_id,
            record: GroupRecord {
                group_type: group_type.value(),
                name: request.name,
                introduction: request.introduction,
                notification: request.notification,
                face_url: request.face_url,
                add_option: add_option.value(),
                ..Default::default()
            },
            members,
            admins,
            time: crate::usersig::now_secs(),
            limits: self.config.groups.clone(),
        }));
        let answer = self.writer.submit(vec![op]).await;
        Ok(Reply::later(async move {
            match single(answer.await) {
                Ok(Applied::GroupCreated { group_id }) => {
                    Response::CreateGroup(v1::CreateGroupResponse { group_id })
                }
                Ok(_) => error_response(Refusal::new(
                    codes::ERR_SDK_INTERNAL_ERROR,
                    "unexpected result",
                )),
                Err(refusal) => error_response(refusal),
            }
        }))
    }

    async fn membership(
        &self,
        session: &Session,
        group_id: &str,
        change: MembershipChange,
        users: Vec<UserId>,
        respond: fn(Applied) -> Response,
    ) -> Result<Reply, Refusal> {
        let group = parse_group(group_id)?;
        let op = WriteOp::Members {
            app: session.app,
            operator: session.user.clone(),
            group,
            change,
            users,
            time: crate::usersig::now_secs(),
            limits: Box::new(self.config.groups.clone()),
        };
        let answer = self.writer.submit(vec![op]).await;
        Ok(Reply::later(async move {
            match single(answer.await) {
                Ok(applied) => respond(applied),
                Err(refusal) => error_response(refusal),
            }
        }))
    }

    pub(super) async fn add_members(
        &self,
        session: &Session,
        request: v1::AddGroupMembersRequest,
    ) -> Result<Reply, Refusal> {
        let users = parse_users(&request.user_ids, "user_ids")?;
        let max = self.config.groups.max_users_per_add;
        if users.len() > max {
            return Err(Refusal::new(
                codes::ERR_SVR_GROUP_ACOUNT_COUNT_LIMIT,
                format!("user_ids: {} users; at most {max} per add", users.len()),
            ));
        }
        self.membership(
            session,
            &request.group_id,
            MembershipChange::Add,
            users,
            |applied| {
                let results = match applied {
                    Applied::Members(results) => member_results(results),
                    _ => Vec::new(),
                };
                Response::AddGroupMembers(v1::AddGroupMembersResponse { results })
            },
        )
        .await
    }

    pub(super) async fn remove_members(
        &self,
        session: &Session,
        request: v1::RemoveGroupMembersRequest,
    ) -> Result<Reply, Refusal> {
        let users = parse_users(&request.user_ids, "user_ids")?;
        self.membership(
            session,
            &request.group_id,
            MembershipChange::Remove,
            users,
            |applied| {
                let results = match applied {
                    Applied::Members(results) => member_results(results),
                    _ => Vec::new(),
                };
                Response::RemoveGroupMembers(v1::RemoveGroupMembersResponse { results })
            },
        )
        .await
    }

    pub(super) async fn join_group(
        &self,
        session: &Session,
        request: v1::JoinGroupRequest,
    ) -> Result<Reply, Refusal> {
        self.membership(
            session,
            &request.group_id,
            MembershipChange::Join,
            Vec::new(),
            |applied| {
                let pending_approval = matches!(
                    applied,
                    Applied::Joined {
                        pending_approval: true
                    }
                );
                Response::JoinGroup(v1::JoinGroupResponse { pending_approval })
            },
        )
        .await
    }

    pub(super) async fn quit_group(
        &self,
        session: &Session,
        request: v1::QuitGroupRequest,
    ) -> Result<Reply, Refusal> {
        self.membership(
            session,
            &request.group_id,
            MembershipChange::Quit,
            Vec::new(),
            |_| Response::QuitGroup(v1::QuitGroupResponse {}),
        )
        .await
    }

    pub(super) async fn dismiss_group(
        &self,
        session: &Session,
        request: v1::DismissGroupRequest,
    ) -> Result<Reply, Refusal> {
        self.membership(
            session,
            &request.group_id,
            MembershipChange::Dismiss,
            Vec::new(),
            |_| Response::DismissGroup(v1::DismissGroupResponse {}),
        )
        .await
    }

    pub(super) async fn list_members(
        &self,
        session: &Session,
        request: v1::ListGroupMembersRequest,
    ) -> Result<Reply, Refusal> {
        let group = parse_group(&request.group_id)?;
        self.check_member(session, &group).await?;
        let count = match request.count {
            0 => MEMBER_PAGE_DEFAULT,
            n => (n as usize).min(MEMBER_PAGE_MAX),
        };
        let page = self
            .storage
            .list_members(session.app, &group, request.next_seq, count)
            .await
            .map_err(internal)?;
        Ok(Reply::now(Response::ListGroupMembers(
            v1::ListGroupMembersResponse {
                members: page
                    .members
                    .into_iter()
                    .map(|m| member_info(&group, m))
                    .collect(),
                next_seq: page.next,
                is_finished: page.finished,
            },
        )))
    }
}
