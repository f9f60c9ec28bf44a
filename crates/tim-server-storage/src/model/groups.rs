//! Group writes of [`KvStorage`](super::KvStorage): create, membership changes, dismissal,
//! and the group tips they leave in the group conversation.

use super::group_key;
use super::write::{Tables, refuse};
use crate::group_rules::{GroupLimits, check_add, check_remove};
use crate::{
    AppId, Applied, CreateGroup, Delivery, GroupRecord, MemberChangeResult, MembershipChange,
    StorageError, WriteOutcome,
};
use tim_model::codes;
use tim_model::enums::{
    ConvType, GroupAddOption, GroupMemberRole, GroupTipType, GroupType, MsgStatus,
};
use tim_model::ids::{GroupId, UserId};
use tim_proto::v1;

/// The sender of server-made messages (group tips).
pub(crate) const SYSTEM_SENDER: &str = "@TIM#SYSTEM";

impl Tables<'_> {
    pub(super) fn create_group(
        &mut self,
        create: CreateGroup,
    ) -> Result<WriteOutcome, StorageError> {
        let CreateGroup {
            app,
            owner,
            group_id,
            mut record,
            members,
            admins,
            time,
            limits,
        } = create;
        let group_id = match group_id {
            Some(id) => {
                if self.group_record(app, id.as_str())?.is_some() {
                    return refuse(
                        codes::ERR_SVR_GROUP_GROUPID_IN_USED,
                        format!("group ID {id} is taken"),
                    );
                }
                id.into_string()
            }
            None => loop {
                let number = self.next_group_no;
                self.next_group_no = number.saturating_add(1);
                let id = format!("@TGS#{:010}", number);
                if self.group_record(app, &id)?.is_none() {
                    break id;
                }
            },
        };
        let mut initial: Vec<&str> = admins
            .iter()
            .chain(&members)
            .map(UserId::as_str)
            .filter(|user| *user != owner.as_str())
            .collect();
        initial.sort_unstable();
        initial.dedup();
        let count = u64::try_from(initial.len()).unwrap_or(u64::MAX);
        if let Err(refusal) = limits.check_room(record.group_type, 1, count) {
            return Ok(WriteOutcome::refused(refusal));
        }
        record.group_id = group_id.clone();
        record.owner = owner.as_str().to_owned();
        record.create_time = time;
        record.dismissed = false;
        record.member_count = 0;
        record.next_member_pos = 0;
        self.conv(&group_key(app, &group_id))?;
        self.add_member(
            app,
            &mut record,
            owner.as_str(),
            GroupMemberRole::Owner,
            time,
        )?;
        let mut invited = Vec::new();
        let roles = admins
            .into_iter()
            .map(|user| (user, GroupMemberRole::Admin))
            .chain(
                members
                    .into_iter()
                    .map(|user| (user, GroupMemberRole::Normal)),
            );
        for (user, role) in roles {
            if user == owner || invited.contains(&user.as_str().to_owned()) {
                continue;
            }
            self.add_member(app, &mut record, user.as_str(), role, time)?;
            invited.push(user.into_string());
        }
        self.save_group(app, &record)?;
        let deliveries = self.tips_unless_none(
            app,
            &record,
            GroupTipType::Invite,
            owner.as_str(),
            invited,
            Vec::new(),
            time,
        )?;
        Ok(WriteOutcome {
            result: Ok(Applied::GroupCreated { group_id }),
            deliveries,
            notices: Vec::new(),
        })
    }

    /// The tips of a change that affected `users`, or nothing when it affected nobody.
    #[allow(clippy::too_many_arguments)]
    fn tips_unless_none(
        &mut self,
        app: AppId,
        group: &GroupRecord,
        tip_type: GroupTipType,
        op_user: &str,
        users: Vec<String>,
        also: Vec<(String, u64)>,
        time: u64,
    ) -> Result<Vec<Delivery>, StorageError> {
        if users.is_empty() {
            return Ok(Vec::new());
        }
        Ok(vec![
            self.tips(app, group, tip_type, op_user, users, also, time)?,
        ])
    }

    /// Stores a group tip and logs it for every member plus `also` (members who just left).
    #[allow(clippy::too_many_arguments)]
    fn tips(
        &mut self,
        app: AppId,
        group: &GroupRecord,
        tip_type: GroupTipType,
        op_user: &str,
        users: Vec<String>,
        also: Vec<(String, u64)>,
        time: u64,
    ) -> Result<Delivery, StorageError> {
        let elem = v1::GroupTipsElem {
            tip_type: tip_type.value(),
            op_user: op_user.to_owned(),
            group_name: group.name.clone(),
            group_id: group.group_id.clone(),
            time: u32::try_from(time).unwrap_or(u32::MAX),
            user_array: users,
            member_num: u32::try_from(group.member_count).unwrap_or(u32::MAX),
            ..Default::default()
        };
        let message = v1::Message {
            elems: vec![v1::Elem {
                body: Some(v1::elem::Body::GroupTips(elem)),
            }],
            conv_id: group.group_id.clone(),
            conv_type: ConvType::Group.value(),
            sender: SYSTEM_SENDER.to_owned(),
            priority: tim_model::enums::MsgPriority::Normal.value(),
            client_time: time,
            server_time: time,
            status: Some(MsgStatus::SendSucc.value()),
            ..Default::default()
        };
        let mut recipients: Vec<(String, u64)> = self
            .all_members(app, &group.group_id)?
            .into_iter()
            .map(|m| (m.user_id, m.tiny_id))
            .collect();
        recipients.extend(also);
        self.store_message(app, &group_key(app, &group.group_id), message, recipients)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn members_change(
        &mut self,
        app: AppId,
        operator: &UserId,
        group: &GroupId,
        change: MembershipChange,
        users: Vec<UserId>,
        time: u64,
        limits: &GroupLimits,
    ) -> Result<WriteOutcome, StorageError> {
        let mut record = match self.live_group(app, group)? {
            Ok(record) => record,
            Err(refusal) => return Ok(WriteOutcome::refused(refusal)),
        };
        let me = self.member(app, group.as_str(), operator.as_str())?;
        let not_member = || {
            refuse(
                codes::ERR_SVR_GROUP_PERMISSION_DENY,
                format!("{operator} is not a member of group {group}"),
            )
        };
        match change {
            MembershipChange::Join => {
                if me.is_some() {
                    return refuse(
                        codes::ERR_SVR_GROUP_ALLREADY_MEMBER,
                        format!("{operator} is already a member of group {group}"),
                    );
                }
                let add_option = GroupAddOption::from_value(i64::from(record.add_option));
                let private = record.group_type == GroupType::Private.value();
                if private || add_option == Some(GroupAddOption::Forbid) {
                    return refuse(
                        codes::ERR_SVR_GROUP_PERMISSION_DENY,
                        format!("group {group} does not accept join requests"),
                    );
                }
                if let Err(refusal) = limits.check_room(record.group_type, record.member_count, 1) {
                    return Ok(WriteOutcome::refused(refusal));
                }
                if add_option == Some(GroupAddOption::Auth) {
                    // Approval is not implemented: the request is acknowledged, not recorded.
                    return Ok(WriteOutcome::applied(Applied::Joined {
                        pending_approval: true,
                    }));
                }
                self.add_member(
                    app,
                    &mut record,
                    operator.as_str(),
                    GroupMemberRole::Normal,
                    time,
                )?;
                self.save_group(app, &record)?;
                let tip = self.tips(
                    app,
                    &record,
                    GroupTipType::Invite,
                    operator.as_str(),
                    vec![operator.as_str().to_owned()],
                    Vec::new(),
                    time,
                )?;
                Ok(WriteOutcome {
                    result: Ok(Applied::Joined {
                        pending_approval: false,
                    }),
                    deliveries: vec![tip],
                    notices: Vec::new(),
                })
            }
            MembershipChange::Quit => {
                let Some(me) = me else { return not_member() };
                if me.role == GroupMemberRole::Owner.value() {
                    return refuse(
                        codes::ERR_SVR_GROUP_SUPER_NOT_ALLOW_QUIT,
                        "the owner cannot quit the group; dismiss it instead",
                    );
                }
                self.remove_member(app, &mut record, &me)?;
                self.save_group(app, &record)?;
                let tip = self.tips(
                    app,
                    &record,
                    GroupTipType::Quit,
                    operator.as_str(),
                    vec![operator.as_str().to_owned()],
                    vec![(me.user_id, me.tiny_id)],
                    time,
                )?;
                Ok(WriteOutcome {
                    result: Ok(Applied::Done),
                    deliveries: vec![tip],
                    notices: Vec::new(),
                })
            }
            MembershipChange::Dismiss => {
                let Some(me) = me else { return not_member() };
                if me.role != GroupMemberRole::Owner.value() {
                    return refuse(
                        codes::ERR_SVR_GROUP_PERMISSION_DENY,
                        "only the owner may dismiss the group",
                    );
                }
                record.dismissed = true;
                self.save_group(app, &record)?;
                Ok(WriteOutcome::applied(Applied::Done))
            }
            MembershipChange::Add => {
                let Some(me) = me else { return not_member() };
                if let Err(refusal) = check_add(record.group_type, me.role) {
                    return Ok(WriteOutcome::refused(refusal));
                }
                let mut new = Vec::with_capacity(users.len());
                for user in &users {
                    if !new.contains(&user.as_str())
                        && self.member(app, group.as_str(), user.as_str())?.is_none()
                    {
                        new.push(user.as_str());
                    }
                }
                let adding = u64::try_from(new.len()).unwrap_or(u64::MAX);
                if let Err(refusal) =
                    limits.check_room(record.group_type, record.member_count, adding)
                {
                    return Ok(WriteOutcome::refused(refusal));
                }
                let mut results = Vec::with_capacity(users.len());
                let mut added = Vec::new();
                for user in users {
                    let code = if self.member(app, group.as_str(), user.as_str())?.is_some() {
                        codes::ERR_SVR_GROUP_ALLREADY_MEMBER
                    } else {
                        self.add_member(
                            app,
                            &mut record,
                            user.as_str(),
                            GroupMemberRole::Normal,
                            time,
                        )?;
                        added.push(user.as_str().to_owned());
                        0
                    };
                    results.push(result(user, code, "already a member"));
                }
                self.save_group(app, &record)?;
                let deliveries = self.tips_unless_none(
                    app,
                    &record,
                    GroupTipType::Invite,
                    operator.as_str(),
                    added,
                    Vec::new(),
                    time,
                )?;
                Ok(WriteOutcome {
                    result: Ok(Applied::Members(results)),
                    deliveries,
                    notices: Vec::new(),
                })
            }
            MembershipChange::Remove => {
                let Some(me) = me.filter(|m| {
                    m.role == GroupMemberRole::Owner.value()
                        || m.role == GroupMemberRole::Admin.value()
                }) else {
                    return refuse(
                        codes::ERR_SVR_GROUP_PERMISSION_DENY,
                        "only the owner and admins may remove members",
                    );
                };
                let mut results = Vec::with_capacity(users.len());
                let mut removed = Vec::new();
                let mut gone = Vec::new();
                for user in users {
                    let (code, desc) = match self.member(app, group.as_str(), user.as_str())? {
                        None => (
                            codes::ERR_SVR_GROUP_INVALID_PARAMETERS,
                            "not a member".to_owned(),
                        ),
                        Some(m) => match check_remove(record.group_type, me.role, m.role) {
                            Err(refusal) => (refusal.code, refusal.desc),
                            Ok(()) => {
                                self.remove_member(app, &mut record, &m)?;
                                removed.push(m.user_id.clone());
                                gone.push((m.user_id, m.tiny_id));
                                (0, String::new())
                            }
                        },
                    };
                    results.push(result(user, code, &desc));
                }
                self.save_group(app, &record)?;
                let deliveries = self.tips_unless_none(
                    app,
                    &record,
                    GroupTipType::Kick,
                    operator.as_str(),
                    removed,
                    gone,
                    time,
                )?;
                Ok(WriteOutcome {
                    result: Ok(Applied::Members(results)),
                    deliveries,
                    notices: Vec::new(),
                })
            }
        }
    }
}

fn result(user: UserId, code: i32, desc: &str) -> MemberChangeResult {
    MemberChangeResult {
        user_id: user.into_string(),
        code,
        desc: if code == 0 {
            String::new()
        } else {
            desc.to_owned()
        },
    }
}
