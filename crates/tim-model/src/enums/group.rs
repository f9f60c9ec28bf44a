//! Enums that appear inside group tips, group reports, profiles and relationship changes.

use crate::error::{ModelError, Result};
use crate::json::{JsonValue, Path};
use serde_json::Value;

tim_enum! {
    /// Kind of group tip.
    pub enum GroupTipType = "TIMGroupTipType" {
        /// Invalid.
        #[default]
        None = 0 => "kTIMGroupTip_None",
        /// Member(s) joined by invitation.
        Invite = 1 => "kTIMGroupTip_Invite",
        /// A member left.
        Quit = 2 => "kTIMGroupTip_Quit",
        /// Member(s) removed.
        Kick = 3 => "kTIMGroupTip_Kick",
        /// Admin granted.
        SetAdmin = 4 => "kTIMGroupTip_SetAdmin",
        /// Admin revoked.
        CancelAdmin = 5 => "kTIMGroupTip_CancelAdmin",
        /// Group profile changed.
        GroupInfoChange = 6 => "kTIMGroupTip_GroupInfoChange",
        /// Member info changed (e.g. muted).
        MemberInfoChange = 7 => "kTIMGroupTip_MemberInfoChange",
        /// Member mark changed.
        MemberMarkChange = 8 => "kTIMGroupTip_MemberMarkChange",
        /// Topic info changed.
        TopicInfoChange = 9 => "kTIMGroupTip_TopicInfoChange",
    }
}

tim_enum! {
    /// What a group-profile change tip changed.
    pub enum GroupTipGroupChangeFlag = "TIMGroupTipGroupChangeFlag" {
        /// Unknown.
        #[default]
        Unknown = 0 => "kTIMGroupTipChangeFlag_Unknown",
        /// Name.
        Name = 1 => "kTIMGroupTipChangeFlag_Name",
        /// Introduction.
        Introduction = 2 => "kTIMGroupTipChangeFlag_Introduction",
        /// Notice.
        Notification = 3 => "kTIMGroupTipChangeFlag_Notification",
        /// Avatar.
        FaceUrl = 4 => "kTIMGroupTipChangeFlag_FaceUrl",
        /// Owner.
        Owner = 5 => "kTIMGroupTipChangeFlag_Owner",
        /// Custom field.
        Custom = 6 => "kTIMGroupTipChangeFlag_Custom",
        /// Group attribute.
        Attribute = 7 => "kTIMGroupTipChangeFlag_Attribute",
        /// Mute-all.
        ShutupAll = 8 => "kTIMGroupTipChangeFlag_ShutupAll",
        /// Topic custom data.
        TopicCustomData = 9 => "kTIMGroupTipChangeFlag_TopicCustomData",
        /// Receive option.
        MessageReceiveOpt = 10 => "kTIMGroupTipChangeFlag_MessageReceiveOpt",
        /// Join-request approval option.
        GroupAddOpt = 11 => "kTIMGroupTipChangeFlag_GroupAddOpt",
        /// Invite approval option.
        GroupApproveOpt = 12 => "kTIMGroupTipChangeFlag_GroupApproveOpt",
        /// Permission groups toggled.
        EnablePermissionGroup = 13 => "kTIMGroupTipChangeFlag_EnablePermissionGroup",
        /// Default permissions.
        DefaultPermissions = 14 => "kTIMGroupTipChangeFlag_DefaultPermissions",
    }
}

tim_enum! {
    /// Kind of group report (a per-user group notification).
    pub enum GroupReportType = "TIMGroupReportType" {
        /// Unknown.
        #[default]
        None = 0 => "kTIMGroupReport_None",
        /// Join request (admins receive).
        AddRequest = 1 => "kTIMGroupReport_AddRequest",
        /// Join request accepted.
        AddAccept = 2 => "kTIMGroupReport_AddAccept",
        /// Join request refused.
        AddRefuse = 3 => "kTIMGroupReport_AddRefuse",
        /// Removed by an admin.
        BeKicked = 4 => "kTIMGroupReport_BeKicked",
        /// Group dismissed.
        Delete = 5 => "kTIMGroupReport_Delete",
        /// Group created.
        Create = 6 => "kTIMGroupReport_Create",
        /// Pulled in without consent.
        Invite = 7 => "kTIMGroupReport_Invite",
        /// Left voluntarily.
        Quit = 8 => "kTIMGroupReport_Quit",
        /// Made admin.
        GrantAdmin = 9 => "kTIMGroupReport_GrantAdmin",
        /// Admin removed.
        CancelAdmin = 10 => "kTIMGroupReport_CancelAdmin",
        /// Group reclaimed.
        GroupRecycle = 11 => "kTIMGroupReport_GroupRecycle",
        /// Invitation needing the invitee's approval.
        InviteReqToInvitee = 12 => "kTIMGroupReport_InviteReqToInvitee",
        /// Invitation accepted.
        InviteAccept = 13 => "kTIMGroupReport_InviteAccept",
        /// Invitation refused.
        InviteRefuse = 14 => "kTIMGroupReport_InviteRefuse",
        /// Multi-device read-report sync.
        ReadReport = 15 => "kTIMGroupReport_ReadReport",
        /// Custom notification.
        UserDefine = 16 => "kTIMGroupReport_UserDefine",
        /// You were muted.
        ShutUpMember = 17 => "kTIMGroupReport_ShutUpMember",
        /// Topic created.
        TopicCreate = 18 => "kTIMGroupReport_TopicCreate",
        /// Topic deleted.
        TopicDelete = 19 => "kTIMGroupReport_TopicDelete",
        /// Group message read-receipt notice.
        GroupMessageRead = 20 => "kTIMGroupReport_GroupMessageRead",
        /// Receive option changed.
        GroupMessageRecvOption = 21 => "kTIMGroupReport_GroupMessageRecvOption",
        /// Banned.
        BannedFromGroup = 22 => "kTIMGroupReport_BannedFromGroup",
        /// Unbanned.
        UnbannedFromGroup = 23 => "kTIMGroupReport_UnbannedFromGroup",
        /// Invitation needing owner/admin approval.
        InviteReqToAdmin = 24 => "kTIMGroupReport_InviteReqToAdmin",
    }
}

tim_enum! {
    /// A member's role in a group (the 0/200/300/400 numbering of the newer headers).
    pub enum GroupMemberRole = "TIMGroupMemberRole" {
        /// None.
        #[default]
        None = 0 => "kTIMMemberRole_None",
        /// Ordinary member.
        Normal = 200 => "kTIMMemberRole_Normal",
        /// Admin.
        Admin = 300 => "kTIMMemberRole_Admin",
        /// Owner.
        Owner = 400 => "kTIMMemberRole_Owner",
    }
}

tim_enum! {
    /// Group type.
    pub enum GroupType = "TIMGroupType" {
        /// Public group.
        #[default]
        Public = 0 => "kTIMGroup_Public",
        /// Private (Work) group.
        Private = 1 => "kTIMGroup_Private",
        /// Chat room (Meeting).
        ChatRoom = 2 => "kTIMGroup_ChatRoom",
        /// Broadcast chat room.
        BChatRoom = 3 => "kTIMGroup_BChatRoom",
        /// Audio-video chat room.
        AvChatRoom = 4 => "kTIMGroup_AVChatRoom",
        /// Community.
        Community = 5 => "kTIMGroup_Community",
    }
}

tim_enum! {
    /// How a group accepts join requests.
    pub enum GroupAddOption = "TIMGroupAddOption" {
        /// Nobody may ask to join.
        #[default]
        Forbid = 0 => "kTIMGroupAddOpt_Forbid",
        /// An admin approves.
        Auth = 1 => "kTIMGroupAddOpt_Auth",
        /// Anyone may join.
        Any = 2 => "kTIMGroupAddOpt_Any",
        /// Unknown.
        Unknown = 3 => "kTIMGroupAddOpt_Unknown",
    }
}

tim_enum! {
    /// Kind of profile change.
    pub enum ProfileChangeType = "TIMProfileChangeType" {
        /// None.
        #[default]
        None = 0 => "kTIMProfileChange_None",
        /// The profile changed.
        Profile = 1 => "kTIMProfileChange_Profile",
    }
}

tim_enum! {
    /// Kind of relationship change.
    pub enum FriendChangeType = "TIMFriendChangeType" {
        /// None.
        #[default]
        None = 0 => "kTIMFriendChange_None",
        /// Friends added.
        FriendAdd = 1 => "kTIMFriendChange_FriendAdd",
        /// Friends deleted.
        FriendDel = 2 => "kTIMFriendChange_FriendDel",
        /// Friend requests added.
        PendencyAdd = 3 => "kTIMFriendChange_PendencyAdd",
        /// Friend requests deleted.
        PendencyDel = 4 => "kTIMFriendChange_PendencyDel",
        /// Blocklist additions.
        BlackListAdd = 5 => "kTIMFriendChange_BlackListAdd",
        /// Blocklist removals.
        BlackListDel = 6 => "kTIMFriendChange_BlackListDel",
        /// Friend requests read.
        PendencyReadedReport = 7 => "kTIMFriendChange_PendencyReadedReport",
        /// A friend's profile changed.
        FriendProfileUpdate = 8 => "kTIMFriendChange_FriendProfileUpdate",
        /// Friend list added.
        FriendGroupAdd = 9 => "kTIMFriendChange_FriendGroupAdd",
        /// Friend list deleted.
        FriendGroupDel = 10 => "kTIMFriendChange_FriendGroupDel",
        /// Friend list changed.
        FriendGroupModify = 11 => "kTIMFriendChange_FriendGroupModify",
    }
}

tim_enum! {
    /// Gender.
    pub enum GenderType = "TIMGenderType" {
        /// Unknown.
        #[default]
        Unknown = 0 => "kTIMGenderType_Unknown",
        /// Male.
        Male = 1 => "kTIMGenderType_Male",
        /// Female.
        Female = 2 => "kTIMGenderType_Female",
    }
}

tim_enum! {
    /// Friend-request policy.
    pub enum ProfileAddPermission = "TIMProfileAddPermission" {
        /// Unknown.
        #[default]
        Unknown = 0 => "kTIMProfileAddPermission_Unknown",
        /// Anyone may add.
        AllowAny = 1 => "kTIMProfileAddPermission_AllowAny",
        /// Requests need confirmation.
        NeedConfirm = 2 => "kTIMProfileAddPermission_NeedConfirm",
        /// Nobody may add.
        DenyAny = 3 => "kTIMProfileAddPermission_DenyAny",
    }
}
