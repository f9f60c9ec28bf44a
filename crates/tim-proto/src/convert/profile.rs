//! Profiles inside messages: [`UserProfile`], [`UserProfileItem`] (whose fields keep their
//! presence), [`GroupMemberInfo`] and their custom-field structs.

use super::convert_struct;
use crate::v1 as wire;
use crate::{ProtoError, Result};
use tim_model::{
    GroupMemberInfo, GroupMemberInfoCustomString, UserProfile, UserProfileCustomStringInfo,
    UserProfileItem,
};

convert_struct!(UserProfile => wire::UserProfile {
    identifier: plain,
    nick_name: plain,
    gender: tim_enum,
    face_url: plain,
    friend_remark: plain,
    self_signature: plain,
    add_permission: tim_enum,
    location: plain,
    language: plain,
    birthday: plain,
    level: plain,
    role: plain,
    custom_string_array: list,
});

convert_struct!(UserProfileCustomStringInfo => wire::UserProfileCustomStringInfo {
    key: plain,
    value: plain,
});

convert_struct!(UserProfileItem => wire::UserProfileItem {
    nick_name: plain,
    gender: opt_enum,
    face_url: plain,
    self_signature: plain,
    add_permission: opt_enum,
    location: plain,
    language: plain,
    birthday: plain,
    level: plain,
    role: plain,
    custom_string_array: nested,
});

/// The changed custom fields of a [`UserProfileItem`]: a list with presence.
impl From<Vec<UserProfileCustomStringInfo>> for wire::UserProfileCustomStringList {
    fn from(items: Vec<UserProfileCustomStringInfo>) -> Self {
        Self {
            items: super::field::list::to_wire(items),
        }
    }
}

impl TryFrom<wire::UserProfileCustomStringList> for Vec<UserProfileCustomStringInfo> {
    type Error = ProtoError;

    fn try_from(list: wire::UserProfileCustomStringList) -> Result<Self> {
        super::field::list::from_wire(list.items, "items")
    }
}

convert_struct!(GroupMemberInfo => wire::GroupMemberInfo {
    identifier: plain,
    group_id: plain,
    join_time: plain,
    member_role: tim_enum,
    msg_flag: tim_enum,
    msg_seq: plain,
    shutup_time: plain,
    name_card: plain,
    nick_name: plain,
    friend_remark: plain,
    face_url: plain,
    custom_info: member_custom_info,
    is_online: plain,
    online_devices: plain,
});

convert_struct!(GroupMemberInfoCustomString => wire::GroupMemberInfoCustomString {
    key: plain,
    value: plain,
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unchanged_custom_list_differs_from_an_emptied_one() {
        let unchanged = UserProfileItem::default();
        let emptied = UserProfileItem {
            custom_string_array: Some(Vec::new()),
            ..Default::default()
        };
        let unchanged_wire = wire::UserProfileItem::from(unchanged.clone());
        let emptied_wire = wire::UserProfileItem::from(emptied.clone());
        assert_ne!(unchanged_wire, emptied_wire);
        assert_eq!(UserProfileItem::try_from(unchanged_wire), Ok(unchanged));
        assert_eq!(UserProfileItem::try_from(emptied_wire), Ok(emptied));
    }

    #[test]
    fn an_unknown_role_names_the_field() {
        let member = wire::GroupMemberInfo {
            member_role: 250,
            ..Default::default()
        };
        let error = GroupMemberInfo::try_from(member).unwrap_err();
        assert_eq!(error.field(), "member_role");
    }
}
