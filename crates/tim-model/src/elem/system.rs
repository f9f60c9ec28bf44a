//! Elements the server generates and apps never send: group tips, group reports, profile
//! changes and relationship changes.

use crate::enums::{
    FriendChangeType, GroupReportType, GroupTipGroupChangeFlag, GroupTipType, ProfileChangeType,
    ReceiveMessageOpt,
};
use crate::json::{RawObject, json_object};
use crate::profile::{GroupMemberInfo, UserProfile, UserProfileItem};

json_object! {
    /// A group-wide tip: join, quit, kick, admin change, profile change (`kTIMElem_GroupTips`).
    pub struct GroupTipsElem {
        /// Tip kind.
        tip_type: GroupTipType = GROUP_TIPS_ELEM_TIP_TYPE,
        /// Operator user ID.
        op_user: String = GROUP_TIPS_ELEM_OP_USER,
        /// Group name (deprecated).
        group_name: String = GROUP_TIPS_ELEM_GROUP_NAME,
        /// Group ID.
        group_id: String = GROUP_TIPS_ELEM_GROUP_ID,
        /// Time (deprecated).
        time: u32 = GROUP_TIPS_ELEM_TIME,
        /// User IDs acted upon.
        user_array: Vec<String> = GROUP_TIPS_ELEM_USER_ARRAY,
        /// Group profile changes.
        group_change_info_array: Vec<GroupTipGroupChangeInfo> = GROUP_TIPS_ELEM_GROUP_CHANGE_INFO_ARRAY,
        /// Member changes.
        member_change_info_array: Vec<GroupTipMemberChangeInfo> = GROUP_TIPS_ELEM_MEMBER_CHANGE_INFO_ARRAY,
        /// Operator profile.
        op_user_info: Option<UserProfile> = GROUP_TIPS_ELEM_OP_USER_INFO,
        /// Operator member info.
        op_group_member_info: Option<GroupMemberInfo> = GROUP_TIPS_ELEM_OP_GROUP_MEMBERINFO,
        /// Profiles of affected users.
        changed_user_info_array: Vec<UserProfile> = GROUP_TIPS_ELEM_CHANGED_USER_INFO_ARRAY,
        /// Member infos of affected users.
        changed_group_member_info_array: Vec<GroupMemberInfo> = GROUP_TIPS_ELEM_CHANGED_GROUP_MEMBERINFO_ARRAY,
        /// Member count after an invite, quit or kick.
        member_num: u32 = GROUP_TIPS_ELEM_MEMBER_NUM,
        /// Operator platform name.
        platform: String = GROUP_TIPS_ELEM_PLATFORM,
        /// Member mark changes.
        member_mark_info_array: Vec<GroupTipMemberMarkChangeInfo> = GROUP_TIPS_ELEM_MEMBER_MARK_INFO_ARRAY,
    }
}

json_object! {
    /// One group-profile change inside a tip.
    pub struct GroupTipGroupChangeInfo {
        /// What changed.
        flag: GroupTipGroupChangeFlag = GROUP_TIPS_GROUP_CHANGE_INFO_FLAG,
        /// New value.
        value: String = GROUP_TIPS_GROUP_CHANGE_INFO_VALUE,
        /// Custom-field key.
        key: String = GROUP_TIPS_GROUP_CHANGE_INFO_KEY,
        /// New value for boolean settings.
        bool_value: bool = GROUP_TIPS_GROUP_CHANGE_INFO_BOOL_VALUE,
        /// New value for integer settings.
        int_value: i32 = GROUP_TIPS_GROUP_CHANGE_INFO_INT_VALUE,
        /// New value for 64-bit settings.
        uint64_value: u64 = GROUP_TIPS_GROUP_CHANGE_INFO_UINT64_VALUE,
    }
}

json_object! {
    /// One member change inside a tip.
    pub struct GroupTipMemberChangeInfo {
        /// Member user ID.
        identifier: String = GROUP_TIPS_MEMBER_CHANGE_INFO_IDENTIFIER,
        /// Mute duration.
        shutup_time: u32 = GROUP_TIPS_MEMBER_CHANGE_INFO_SHUTUPTIME,
    }
}

json_object! {
    /// One member-mark change inside a tip.
    pub struct GroupTipMemberMarkChangeInfo {
        /// Mark added (true) or removed.
        enable_mark: bool = GROUP_TIPS_MEMBER_MARK_CHANGE_INFO_ENABLEMARK,
        /// Mark type.
        mark_type: u32 = GROUP_TIPS_MEMBER_MARK_CHANGE_INFO_MARKTYPE,
        /// Affected members.
        user_id_list: Vec<String> = GROUP_TIPS_MEMBER_MARK_CHANGE_INFO_USERIDLIST,
    }
}

json_object! {
    /// A per-user group notification (`kTIMElem_GroupReport`).
    pub struct GroupReportElem {
        /// Notification kind.
        report_type: GroupReportType = GROUP_REPORT_ELEM_REPORT_TYPE,
        /// Group ID.
        group_id: String = GROUP_REPORT_ELEM_GROUP_ID,
        /// Group name (deprecated).
        group_name: String = GROUP_REPORT_ELEM_GROUP_NAME,
        /// Operator user ID.
        op_user: String = GROUP_REPORT_ELEM_OP_USER,
        /// Operator-supplied reason.
        msg: String = GROUP_REPORT_ELEM_MSG,
        /// Operator custom data.
        user_data: String = GROUP_REPORT_ELEM_USER_DATA,
        /// Operator profile.
        op_user_info: Option<UserProfile> = GROUP_REPORT_ELEM_OP_USER_INFO,
        /// Operator member info.
        op_group_member_info: Option<GroupMemberInfo> = GROUP_REPORT_ELEM_OP_GROUP_MEMBERINFO,
        /// Operator platform name.
        platform: String = GROUP_REPORT_ELEM_PLATFORM,
        /// Mute duration applied to the receiver.
        shut_up_time: u32 = GROUP_REPORT_ELEM_SHUT_UP_TIME,
        /// New group receive option.
        group_message_receive_option: ReceiveMessageOpt = GROUP_REPORT_ELEM_GROUP_MESSAGE_RECEIVE_OPTION,
    }
}

json_object! {
    /// A user's profile changed (`kTIMElem_ProfileChange`).
    pub struct ProfileChangeElem {
        /// Change kind.
        change_type: ProfileChangeType = PROFILE_CHANGE_ELEM_CHANGE_TYPE,
        /// Whose profile changed.
        from_identifier: String = PROFILE_CHANGE_ELEM_FROM_IDENTIFIER,
        /// The changed fields.
        user_profile_item: Option<UserProfileItem> = PROFILE_CHANGE_ELEM_USER_PROFILE_ITEM,
    }
}

json_object! {
    /// A relationship changed (`kTIMElem_FriendChange`).
    pub struct FriendChangeElem {
        /// Change kind; it says which of the other keys is meaningful.
        change_type: FriendChangeType = FRIEND_CHANGE_ELEM_CHANGE_TYPE,
        /// Friends added.
        friend_add_identifier_array: Vec<String> = FRIEND_CHANGE_ELEM_FRIEND_ADD_IDENTIFIER_ARRAY,
        /// Friends deleted.
        friend_del_identifier_array: Vec<String> = FRIEND_CHANGE_ELEM_FRIEND_DEL_IDENTIFIER_ARRAY,
        /// Friend requests added.
        friend_add_pendency_array: Vec<FriendAddPendency> = FRIEND_CHANGE_ELEM_FRIEND_ADD_PENDENCY_ARRAY,
        /// Friend requests deleted.
        pendency_del_identifier_array: Vec<String> = FRIEND_CHANGE_ELEM_PENDENCY_DEL_IDENTIFIER_ARRAY,
        /// When friend requests were read.
        pendency_readed_report_timestamp: u64 = FRIEND_CHANGE_ELEM_PENDENCY_READED_REPORT_TIMESTAMP,
        /// Blocklist additions.
        blacklist_add_identifier_array: Vec<String> = FRIEND_CHANGE_ELEM_BLACKLIST_ADD_IDENTIFIER_ARRAY,
        /// Blocklist removals.
        blacklist_del_identifier_array: Vec<String> = FRIEND_CHANGE_ELEM_BLACKLIST_DEL_IDENTIFIER_ARRAY,
        /// Friends whose profile changed.
        friend_profile_update_item_array: Vec<FriendProfileUpdate> = FRIEND_CHANGE_ELEM_FRIEND_PROFILE_UPDATE_ITEM_ARRAY,
        /// Friend lists added.
        friend_group_add_array: Vec<String> = FRIEND_CHANGE_ELEM_FRIEND_GROUP_ADD_ARRAY,
        /// Friend lists deleted.
        friend_group_del_array: Vec<String> = FRIEND_CHANGE_ELEM_FRIEND_GROUP_DEL_ARRAY,
        /// Friend lists changed.
        friend_group_update_array: Vec<String> = FRIEND_CHANGE_ELEM_FRIEND_GROUP_UPDATE_ARRAY,
    }
}

json_object! {
    /// A friend request.
    pub struct FriendAddPendency {
        /// Who asked.
        identifier: String = FRIEND_ADD_PENDENCY_IDENTIFIER,
        /// Their nickname.
        nick_name: String = FRIEND_ADD_PENDENCY_NICK_NAME,
        /// Where the request came from.
        add_source: String = FRIEND_ADD_PENDENCY_ADD_SOURCE,
        /// The request's wording.
        add_wording: String = FRIEND_ADD_PENDENCY_ADD_WORDING,
    }
}

json_object! {
    /// A friend whose profile changed.
    pub struct FriendProfileUpdate {
        /// The friend.
        identifier: String = FRIEND_PROFILE_UPDATE_IDENTIFIER,
        /// The changed friend-profile fields, passed through as they come (the TIM
        /// documentation does not define their keys).
        item: Option<RawObject> = FRIEND_PROFILE_UPDATE_ITEM,
    }
}
