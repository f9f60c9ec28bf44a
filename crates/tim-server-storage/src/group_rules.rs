//! The group permission table: who may invite, remove and quit in each group type, and how
//! many members each type holds. Decisions only (no I/O): the storage loads the facts (group
//! type, the operator's and the target's roles, the member count) inside its transaction and
//! asks these functions. docs/security.md shows the same table; a test renders it from here
//! and compares.

use crate::Refusal;
use tim_model::codes;
use tim_model::enums::{GroupMemberRole, GroupType};

/// Member limits per group type (ERR_SVR_GROUP_FULL_MEMBER_COUNT 10014 beyond), and the most
/// users one add request names. Tencent's documented defaults; an operator may raise them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupLimits {
    /// Work (Private) groups. Default 200.
    pub work: u64,
    /// Public groups. Default 2,000.
    pub public: u64,
    /// Meeting (ChatRoom) groups. Default 6,000.
    pub meeting: u64,
    /// Community groups. Default 100,000.
    pub community: u64,
    /// Live-streaming (AVChatRoom, BChatRoom) groups: Tencent sets no limit; ours is large
    /// but bounded. Default 1,000,000.
    pub live: u64,
    /// Most users one add request may name (ERR_SVR_GROUP_ACOUNT_COUNT_LIMIT 10005 beyond).
    /// Default 20 (Tencent's server limit for invitations).
    pub max_users_per_add: usize,
}

impl Default for GroupLimits {
    fn default() -> Self {
        Self {
            work: 200,
            public: 2_000,
            meeting: 6_000,
            community: 100_000,
            live: 1_000_000,
            max_users_per_add: 20,
        }
    }
}

impl GroupLimits {
    /// The member limit of a group of type `group_type` (the stored number; unknown types
    /// get the Work limit, the smallest).
    pub fn max_members(&self, group_type: i32) -> u64 {
        match GroupType::from_value(i64::from(group_type)) {
            Some(GroupType::Public) => self.public,
            Some(GroupType::ChatRoom) => self.meeting,
            Some(GroupType::Community) => self.community,
            Some(GroupType::AvChatRoom | GroupType::BChatRoom) => self.live,
            Some(GroupType::Private) | None => self.work,
        }
    }

    /// Refuses (10014) a change that would bring a group of `group_type` from `current` to
    /// `current + adding` members past its limit.
    pub fn check_room(&self, group_type: i32, current: u64, adding: u64) -> Result<(), Refusal> {
        let max = self.max_members(group_type);
        if current.saturating_add(adding) > max {
            return Err(Refusal::new(
                codes::ERR_SVR_GROUP_FULL_MEMBER_COUNT,
                format!(
                    "the group would have {} members; its type holds at most {max}",
                    current.saturating_add(adding)
                ),
            ));
        }
        Ok(())
    }
}

/// A role as the table names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Owner,
    Admin,
    Member,
}

impl Role {
    fn of(role: i32) -> Self {
        match GroupMemberRole::from_value(i64::from(role)) {
            Some(GroupMemberRole::Owner) => Role::Owner,
            Some(GroupMemberRole::Admin) => Role::Admin,
            _ => Role::Member,
        }
    }
}

/// Who may add (invite directly) other users, per type. Members of Public, Meeting and
/// Community groups cannot: Tencent turns their invitations into requests the invitee or an
/// admin approves, which tim does not build, so only the approvers themselves add directly.
/// Nobody adds users to a live-streaming group: its members join by themselves.
fn may_add(group_type: Option<GroupType>, role: Role) -> bool {
    match group_type {
        Some(GroupType::Private) => true,
        Some(GroupType::Public | GroupType::ChatRoom | GroupType::Community) => {
            role != Role::Member
        }
        Some(GroupType::AvChatRoom | GroupType::BChatRoom) | None => false,
    }
}

/// Whether `operator` may remove `target`, per type: in Work groups only the owner; elsewhere
/// the owner removes anyone, admins remove ordinary members only (never another admin or the
/// owner).
fn may_remove(group_type: Option<GroupType>, operator: Role, target: Role) -> bool {
    match (group_type, operator, target) {
        (_, _, Role::Owner) => false,
        (Some(GroupType::Private) | None, operator, _) => operator == Role::Owner,
        (_, Role::Owner, _) => true,
        (_, Role::Admin, Role::Member) => true,
        _ => false,
    }
}

/// Refuses (10007) an add by a member with role `role` in a group of `group_type`.
pub fn check_add(group_type: i32, role: i32) -> Result<(), Refusal> {
    let group_type = GroupType::from_value(i64::from(group_type));
    if may_add(group_type, Role::of(role)) {
        return Ok(());
    }
    Err(Refusal::new(
        codes::ERR_SVR_GROUP_PERMISSION_DENY,
        match group_type {
            Some(GroupType::AvChatRoom | GroupType::BChatRoom) => {
                "members of a live-streaming group join by themselves; nobody adds them"
            }
            _ => "only the owner and admins may add users to this type of group",
        },
    ))
}

/// Refuses (10007) the removal of a member with role `target` by one with role `operator`.
pub fn check_remove(group_type: i32, operator: i32, target: i32) -> Result<(), Refusal> {
    let group_type = GroupType::from_value(i64::from(group_type));
    let (operator, target) = (Role::of(operator), Role::of(target));
    if may_remove(group_type, operator, target) {
        return Ok(());
    }
    Err(Refusal::new(
        codes::ERR_SVR_GROUP_PERMISSION_DENY,
        match (operator, target) {
            (_, Role::Owner) => "the owner cannot be removed",
            (Role::Admin, Role::Admin) => "only the owner removes admins",
            _ => "not allowed to remove this member",
        },
    ))
}

/// The permission table as a Markdown table (docs/security.md holds the same text).
pub fn markdown_table() -> String {
    const TYPES: [(GroupType, &str); 5] = [
        (GroupType::Private, "Work (Private)"),
        (GroupType::Public, "Public"),
        (GroupType::ChatRoom, "Meeting (ChatRoom)"),
        (GroupType::Community, "Community"),
        (GroupType::AvChatRoom, "AVChatRoom"),
    ];
    let who = |allowed: &dyn Fn(Role) -> bool| {
        let names: Vec<&str> = [
            (Role::Owner, "owner"),
            (Role::Admin, "admin"),
            (Role::Member, "member"),
        ]
        .into_iter()
        .filter(|(role, _)| allowed(*role))
        .map(|(_, name)| name)
        .collect();
        if names.is_empty() {
            "nobody".to_owned()
        } else {
            names.join(", ")
        }
    };
    let limits = GroupLimits::default();
    let mut out = String::from(
        "| group type | default member limit | may add users | may remove a member | may remove an admin |\n|---|---|---|---|---|\n",
    );
    for (group_type, name) in TYPES {
        let t = Some(group_type);
        out.push_str(&format!(
            "| {name} | {} | {} | {} | {} |\n",
            limits.max_members(group_type.value()),
            who(&|role| may_add(t, role)),
            who(&|role| may_remove(t, role, Role::Member)),
            who(&|role| may_remove(t, role, Role::Admin)),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWNER: i32 = 400;
    const ADMIN: i32 = 300;
    const MEMBER: i32 = 200;

    #[test]
    fn only_the_owner_removes_admins_and_nobody_removes_the_owner() {
        for group_type in [0, 2, 4, 5] {
            assert!(check_remove(group_type, OWNER, ADMIN).is_ok());
            assert!(check_remove(group_type, ADMIN, MEMBER).is_ok());
            let refused = check_remove(group_type, ADMIN, ADMIN).unwrap_err();
            assert_eq!(refused.code, codes::ERR_SVR_GROUP_PERMISSION_DENY);
            assert!(check_remove(group_type, ADMIN, OWNER).is_err());
            assert!(check_remove(group_type, MEMBER, MEMBER).is_err());
        }
        assert!(check_remove(1, OWNER, MEMBER).is_ok());
        assert!(check_remove(1, ADMIN, MEMBER).is_err(), "Work: owner only");
    }

    #[test]
    fn adds_follow_the_group_type() {
        assert!(check_add(1, MEMBER).is_ok());
        for group_type in [0, 2, 5] {
            assert!(check_add(group_type, MEMBER).is_err());
            assert!(check_add(group_type, ADMIN).is_ok());
            assert!(check_add(group_type, OWNER).is_ok());
        }
        assert!(check_add(4, OWNER).is_err());
        assert!(check_add(3, OWNER).is_err());
    }

    #[test]
    fn member_limits_per_type() {
        let limits = GroupLimits::default();
        assert!(limits.check_room(1, 199, 1).is_ok());
        let full = limits.check_room(1, 200, 1).unwrap_err();
        assert_eq!(full.code, codes::ERR_SVR_GROUP_FULL_MEMBER_COUNT);
        assert!(limits.check_room(0, 1999, 1).is_ok());
        assert!(limits.check_room(0, 1999, 2).is_err());
        assert_eq!(limits.max_members(2), 6_000);
        assert_eq!(limits.max_members(5), 100_000);
        assert_eq!(limits.max_members(99), 200);
    }

    #[test]
    fn the_security_doc_shows_this_table() {
        let doc = include_str!("../../../docs/security.md");
        let table = markdown_table();
        assert!(
            doc.contains(&table),
            "docs/security.md must contain the group permission table as the code has it:\n{table}"
        );
    }
}
