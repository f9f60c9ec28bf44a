//! The user-profile and group-member objects that travel inside messages (sender snapshot,
//! group tips and reports, read-member lists).

use crate::enums::{GenderType, GroupMemberRole, ProfileAddPermission, ReceiveMessageOpt};
use crate::error::Result;
use crate::json::{JsonValue, Path, json_object, wrong_type};
use serde_json::Value;

json_object! {
    /// A user's profile (`message_sender_profile` and friends).
    pub struct UserProfile {
        /// User ID.
        identifier: String = USER_PROFILE_IDENTIFIER,
        /// Nickname.
        nick_name: String = USER_PROFILE_NICK_NAME,
        /// Gender.
        gender: GenderType = USER_PROFILE_GENDER,
        /// Avatar URL.
        face_url: String = USER_PROFILE_FACE_URL,
        /// Friend remark (only inside a message's sender profile).
        friend_remark: String = USER_PROFILE_FRIEND_REMARK,
        /// Signature.
        self_signature: String = USER_PROFILE_SELF_SIGNATURE,
        /// Friend-request policy.
        add_permission: ProfileAddPermission = USER_PROFILE_ADD_PERMISSION,
        /// Location.
        location: String = USER_PROFILE_LOCATION,
        /// Language.
        language: u32 = USER_PROFILE_LANGUAGE,
        /// Birthday.
        birthday: u32 = USER_PROFILE_BIRTHDAY,
        /// Level.
        level: u32 = USER_PROFILE_LEVEL,
        /// Role.
        role: u32 = USER_PROFILE_ROLE,
        /// Custom fields.
        custom_string_array: Vec<UserProfileCustomStringInfo> = USER_PROFILE_CUSTOM_STRING_ARRAY,
    }
}

json_object! {
    /// One custom profile field.
    pub struct UserProfileCustomStringInfo {
        /// Field key, with its `Tag_Profile_Custom_` prefix.
        key: String = USER_PROFILE_CUSTOM_STRING_INFO_KEY,
        /// Field value (at most 500 bytes).
        value: String = USER_PROFILE_CUSTOM_STRING_INFO_VALUE,
    }
}

json_object! {
    /// The fields a profile change changed; an absent field did not change.
    pub struct UserProfileItem {
        /// New nickname.
        nick_name: Option<String> = USER_PROFILE_ITEM_NICK_NAME,
        /// New gender.
        gender: Option<GenderType> = USER_PROFILE_ITEM_GENDER,
        /// New avatar URL.
        face_url: Option<String> = USER_PROFILE_ITEM_FACE_URL,
        /// New signature.
        self_signature: Option<String> = USER_PROFILE_ITEM_SELF_SIGNATURE,
        /// New friend-request policy.
        add_permission: Option<ProfileAddPermission> = USER_PROFILE_ITEM_ADD_PERMISSION,
        /// New location.
        location: Option<String> = USER_PROFILE_ITEM_LOCATION,
        /// New language.
        language: Option<u32> = USER_PROFILE_ITEM_LANGUAGE,
        /// New birthday.
        birthday: Option<u32> = USER_PROFILE_ITEM_BIRTHDAY,
        /// New level.
        level: Option<u32> = USER_PROFILE_ITEM_LEVEL,
        /// New role.
        role: Option<u32> = USER_PROFILE_ITEM_ROLE,
        /// Changed custom fields.
        custom_string_array: Option<Vec<UserProfileCustomStringInfo>> = USER_PROFILE_ITEM_CUSTOM_STRING_ARRAY,
    }
}

json_object! {
    /// A member of a group as seen inside messages.
    pub struct GroupMemberInfo {
        /// The member's user ID.
        identifier: String = GROUP_MEMBER_INFO_IDENTIFIER,
        /// The group.
        group_id: String = GROUP_MEMBER_INFO_GROUP_ID,
        /// When the member joined.
        join_time: u32 = GROUP_MEMBER_INFO_JOIN_TIME,
        /// Role.
        member_role: GroupMemberRole = GROUP_MEMBER_INFO_MEMBER_ROLE,
        /// The member's receive option.
        msg_flag: ReceiveMessageOpt = GROUP_MEMBER_INFO_MSG_FLAG,
        /// The member's read seq.
        msg_seq: u32 = GROUP_MEMBER_INFO_MSG_SEQ,
        /// Muted until.
        shutup_time: u32 = GROUP_MEMBER_INFO_SHUTUP_TIME,
        /// Name card in the group.
        name_card: String = GROUP_MEMBER_INFO_NAME_CARD,
        /// Nickname.
        nick_name: String = GROUP_MEMBER_INFO_NICK_NAME,
        /// Friend remark.
        friend_remark: String = GROUP_MEMBER_INFO_FRIEND_REMARK,
        /// Avatar URL.
        face_url: String = GROUP_MEMBER_INFO_FACE_URL,
        /// Custom fields.
        custom_info: GroupMemberCustomInfo = GROUP_MEMBER_INFO_CUSTOM_INFO,
        /// Online flag (a string, as the newer headers type it).
        is_online: String = GROUP_MEMBER_INFO_IS_ONLINE,
        /// Online devices.
        online_devices: Vec<String> = GROUP_MEMBER_INFO_ONLINE_DEVICES,
    }
}

json_object! {
    /// One custom group-member field.
    pub struct GroupMemberInfoCustomString {
        /// Field key.
        key: String = GROUP_MEMBER_INFO_CUSTOM_STRING_INFO_KEY,
        /// Field value.
        value: String = GROUP_MEMBER_INFO_CUSTOM_STRING_INFO_VALUE,
    }
}

/// `group_member_info_custom_info`: an array of custom fields. Tencent's own samples print
/// `{}` here, so an object is accepted too, each of its entries read as one key/value field.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupMemberCustomInfo(pub Vec<GroupMemberInfoCustomString>);

impl JsonValue for GroupMemberCustomInfo {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self> {
        match value {
            Value::Array(_) => Vec::from_json(value, path).map(Self),
            Value::Object(map) => map
                .iter()
                .map(|(key, item)| {
                    let value = String::from_json(item, &path.key(key))?;
                    Ok(GroupMemberInfoCustomString {
                        key: key.clone(),
                        value,
                    })
                })
                .collect::<Result<_>>()
                .map(Self),
            other => Err(wrong_type(path, "an array", other)),
        }
    }

    fn to_json(&self) -> Value {
        self.0.to_json()
    }
}

#[cfg(any(test, feature = "arbitrary"))]
impl crate::arb::ArbField for GroupMemberCustomInfo {
    fn strategy() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        Vec::<GroupMemberInfoCustomString>::strategy()
            .prop_map(Self)
            .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn old_friend_remark_spelling_is_read_and_new_one_written() {
        let member: GroupMemberInfo = json::from_str(
            r#"{"group_member_info_identifier":"u1","group_member_info_remark":"pal"}"#,
        )
        .unwrap();
        assert_eq!(member.friend_remark, "pal");
        let written = member.to_json();
        assert_eq!(written["group_member_info_friend_remark"], "pal");
        assert!(written.get("group_member_info_remark").is_none());
    }

    #[test]
    fn custom_info_accepts_the_empty_object_of_the_samples() {
        let member: GroupMemberInfo =
            json::from_str(r#"{"group_member_info_custom_info":{}}"#).unwrap();
        assert!(member.custom_info.0.is_empty());
        let member: GroupMemberInfo =
            json::from_str(r#"{"group_member_info_custom_info":{"k":"v"}}"#).unwrap();
        assert_eq!(member.custom_info.0[0].value, "v");
    }

    #[test]
    fn a_profile_item_writes_only_changed_fields() {
        let item = UserProfileItem {
            nick_name: Some("n".into()),
            ..Default::default()
        };
        assert_eq!(item.to_json().as_object().map(|o| o.len()), Some(1));
    }
}
