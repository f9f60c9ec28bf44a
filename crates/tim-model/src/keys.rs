//! Every JSON key string of the TIM message API, with the C header constant that holds it and,
//! where Tencent renamed the string (SDK 7.5.4864), the older spelling that is still accepted on
//! input. The strings are the compatibility contract: `docs/spec/json-keys.md` is the source,
//! and a test checks this table against it.
//!
//! Constants are named after the key string itself (`MESSAGE_ELEM_ARRAY` is
//! `"message_elem_array"`), so a reader can match code and documentation at a glance.

#![allow(clippy::doc_markdown)]

/// One JSON key of the TIM API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key string, as written on output (the newer spelling where there are two).
    pub name: &'static str,
    /// The C header constant (`kTIM...`) holding this string, where the headers define one.
    pub c_name: Option<&'static str>,
    /// The older spelling, accepted on input and never written.
    pub alias: Option<&'static str>,
}

macro_rules! keys {
    ($( $ident:ident = $c_name:expr, $name:literal, $alias:expr; )*) => {
        $(
            #[doc = concat!("`\"", $name, "\"`")]
            pub const $ident: Key = Key { name: $name, c_name: $c_name, alias: $alias };
        )*

        /// Every key of the table, in the order of `docs/spec/json-keys.md`.
        pub const ALL: &[Key] = &[$($ident),*];
    };
}

keys! {


    // §2. Message (struct `Message`)
    MESSAGE_ELEM_ARRAY = Some("kTIMMsgElemArray"), "message_elem_array", None;
    MESSAGE_CONV_ID = Some("kTIMMsgConvId"), "message_conv_id", None;
    MESSAGE_CONV_TYPE = Some("kTIMMsgConvType"), "message_conv_type", None;
    MESSAGE_SENDER = Some("kTIMMsgSender"), "message_sender", None;
    MESSAGE_PRIORITY = Some("kTIMMsgPriority"), "message_priority", None;
    MESSAGE_CLIENT_TIME = Some("kTIMMsgClientTime"), "message_client_time", None;
    MESSAGE_SERVER_TIME = Some("kTIMMsgServerTime"), "message_server_time", None;
    MESSAGE_IS_FROM_SELF = Some("kTIMMsgIsFormSelf"), "message_is_from_self", None;
    MESSAGE_PLATFORM = Some("kTIMMsgPlatform"), "message_platform", None;
    MESSAGE_IS_READ = Some("kTIMMsgIsRead"), "message_is_read", None;
    MESSAGE_IS_ONLINE_MSG = Some("kTIMMsgIsOnlineMsg"), "message_is_online_msg", None;
    MESSAGE_IS_PEER_READ = Some("kTIMMsgIsPeerRead"), "message_is_peer_read", None;
    MESSAGE_RECEIPT_PEER_READ = Some("kTIMMsgReceiptPeerRead"), "message_receipt_peer_read", None;
    MESSAGE_NEED_READ_RECEIPT = Some("kTIMMsgNeedReadReceipt"), "message_need_read_receipt", None;
    MESSAGE_SUPPORT_MESSAGE_EXTENSION = Some("kTIMMsgSupportMessageExtension"), "message_support_message_extension", None;
    MESSAGE_IS_BROADCAST_MESSAGE = Some("kTIMMsgIsBroadcastMessage"), "message_is_broadcast_message", None;
    MESSAGE_HAS_SENT_RECEIPT = Some("kTIMMsgHasSentReceipt"), "message_has_sent_receipt", None;
    MESSAGE_GROUP_RECEIPT_READ_COUNT = Some("kTIMMsgGroupReceiptReadCount"), "message_group_receipt_read_count", None;
    MESSAGE_GROUP_RECEIPT_UNREAD_COUNT = Some("kTIMMsgGroupReceiptUnreadCount"), "message_group_receipt_unread_count", None;
    MESSAGE_VERSION = Some("kTIMMsgVersion"), "message_version", None;
    MESSAGE_STATUS = Some("kTIMMsgStatus"), "message_status", None;
    MESSAGE_UNIQUE_ID = Some("kTIMMsgUniqueId"), "message_unique_id", None;
    MESSAGE_MSG_ID = Some("kTIMMsgMsgId"), "message_msg_id", None;
    MESSAGE_RAND = Some("kTIMMsgRand"), "message_rand", None;
    MESSAGE_SEQ = Some("kTIMMsgSeq"), "message_seq", None;
    MESSAGE_CUSTOM_INT = Some("kTIMMsgCustomInt"), "message_custom_int", None;
    MESSAGE_CUSTOM_STR = Some("kTIMMsgCustomStr"), "message_custom_str", None;
    MESSAGE_CLOUD_CUSTOM_STR = Some("kTIMMsgCloudCustomStr"), "message_cloud_custom_str", None;
    MESSAGE_IS_EXCLUDED_FROM_UNREAD_COUNT = Some("kTIMMsgIsExcludedFromUnreadCount"), "message_is_excluded_from_unread_count", None;
    MESSAGE_GROUP_AT_USER_ARRAY = Some("kTIMMsgGroupAtUserArray"), "message_group_at_user_array", None;
    MESSAGE_IS_FORWARD_MESSAGE = Some("kTIMMsgIsForwardMessage"), "message_is_forward_message", None;
    MESSAGE_SENDER_PROFILE = Some("kTIMMsgSenderProfile"), "message_sender_profile", None;
    MESSAGE_SENDER_GROUP_MEMBER_INFO = Some("kTIMMsgSenderGroupMemberInfo"), "message_sender_group_member_info", None;
    MESSAGE_OFFLINE_PUSH_CONFIG = Some("kTIMMsgOfflinePushConfig"), "message_offline_push_config", Some("message_offlie_push_config");
    MESSAGE_EXCLUDED_FROM_LAST_MESSAGE = Some("kTIMMsgExcludedFromLastMessage"), "message_excluded_from_last_message", None;
    MESSAGE_EXCLUDED_FROM_CONTENT_MODERATION = Some("kTIMMsgExcludedFromContentModeration"), "message_excluded_from_content_moderation", None;
    MESSAGE_CUSTOM_MODERATION_CONFIGURATION_ID = Some("kTIMMsgCustomModerationConfigurationID"), "message_custom_moderation_configuration_id", None;
    MESSAGE_HAS_RISK_CONTENT = Some("kTIMMsgHasRiskContent"), "message_has_risk_content", None;
    MESSAGE_RISK_TYPE_IDENTIFIED = Some("kTIMMsgRiskTypeIdentified"), "message_risk_type_identified", None;
    MESSAGE_TARGET_GROUP_MEMBER_ARRAY = Some("kTIMMsgTargetGroupMemberArray"), "message_target_group_member_array", None;
    MESSAGE_REVOKER_USER_ID = Some("kTIMMsgRevokerUserId"), "message_revoker_user_id", None;
    MESSAGE_REVOKER_NICK_NAME = Some("kTIMMsgRevokerNickName"), "message_revoker_nick_name", None;
    MESSAGE_REVOKER_FACE_URL = Some("kTIMMsgRevokerFaceUrl"), "message_revoker_face_url", None;
    MESSAGE_REVOKE_REASON = Some("kTIMMsgRevokeReason"), "message_revoke_reason", None;
    MESSAGE_DISABLE_CLOUD_MESSAGE_PRE_HOOK = None, "message_disable_cloud_message_pre_hook", None;
    MESSAGE_DISABLE_CLOUD_MESSAGE_POST_HOOK = None, "message_disable_cloud_message_post_hook", None;
    MESSAGE_PINNER_USER_ID = None, "message_pinner_user_id", None;
    MESSAGE_PINNER_NICK_NAME = None, "message_pinner_nick_name", None;
    MESSAGE_PINNER_FRIEND_REMARK = None, "message_pinner_friend_remark", None;
    MESSAGE_PINNER_NAME_CARD = None, "message_pinner_name_card", None;
    MESSAGE_PINNER_FACE_URL = None, "message_pinner_face_url", None;
    MESSAGE_SENDER_TINY_ID = None, "message_sender_tiny_id", None;
    MESSAGE_RECEIVER_TINY_ID = None, "message_receiver_tiny_id", None;

    // §3. Elem and element types
    ELEM_TYPE = Some("kTIMElemType"), "elem_type", None;
    // 3.1 TextElem (elem_type 0)
    TEXT_ELEM_CONTENT = Some("kTIMTextElemContent"), "text_elem_content", None;
    // 3.2 CustomElem (elem_type 3) — opaque pass-through payload
    CUSTOM_ELEM_DATA = Some("kTIMCustomElemData"), "custom_elem_data", None;
    CUSTOM_ELEM_DESC = Some("kTIMCustomElemDesc"), "custom_elem_desc", None;
    CUSTOM_ELEM_EXT = Some("kTIMCustomElemExt"), "custom_elem_ext", None;
    CUSTOM_ELEM_SOUND = Some("kTIMCustomElemSound"), "custom_elem_sound", None;
    // 3.3 ImageElem (elem_type 1)
    IMAGE_ELEM_ORIG_PATH = Some("kTIMImageElemOrigPath"), "image_elem_orig_path", None;
    IMAGE_ELEM_LEVEL = Some("kTIMImageElemLevel"), "image_elem_level", None;
    IMAGE_ELEM_FORMAT = Some("kTIMImageElemFormat"), "image_elem_format", None;
    IMAGE_ELEM_ORIG_ID = Some("kTIMImageElemOrigId"), "image_elem_orig_id", None;
    IMAGE_ELEM_ORIG_PIC_HEIGHT = Some("kTIMImageElemOrigPicHeight"), "image_elem_orig_pic_height", None;
    IMAGE_ELEM_ORIG_PIC_WIDTH = Some("kTIMImageElemOrigPicWidth"), "image_elem_orig_pic_width", None;
    IMAGE_ELEM_ORIG_PIC_SIZE = Some("kTIMImageElemOrigPicSize"), "image_elem_orig_pic_size", None;
    IMAGE_ELEM_THUMB_ID = Some("kTIMImageElemThumbId"), "image_elem_thumb_id", None;
    IMAGE_ELEM_THUMB_PIC_HEIGHT = Some("kTIMImageElemThumbPicHeight"), "image_elem_thumb_pic_height", None;
    IMAGE_ELEM_THUMB_PIC_WIDTH = Some("kTIMImageElemThumbPicWidth"), "image_elem_thumb_pic_width", None;
    IMAGE_ELEM_THUMB_PIC_SIZE = Some("kTIMImageElemThumbPicSize"), "image_elem_thumb_pic_size", None;
    IMAGE_ELEM_LARGE_ID = Some("kTIMImageElemLargeId"), "image_elem_large_id", None;
    IMAGE_ELEM_LARGE_PIC_HEIGHT = Some("kTIMImageElemLargePicHeight"), "image_elem_large_pic_height", None;
    IMAGE_ELEM_LARGE_PIC_WIDTH = Some("kTIMImageElemLargePicWidth"), "image_elem_large_pic_width", None;
    IMAGE_ELEM_LARGE_PIC_SIZE = Some("kTIMImageElemLargePicSize"), "image_elem_large_pic_size", None;
    IMAGE_ELEM_ORIG_URL = Some("kTIMImageElemOrigUrl"), "image_elem_orig_url", None;
    IMAGE_ELEM_THUMB_URL = Some("kTIMImageElemThumbUrl"), "image_elem_thumb_url", None;
    IMAGE_ELEM_LARGE_URL = Some("kTIMImageElemLargeUrl"), "image_elem_large_url", None;
    IMAGE_ELEM_TASK_ID = Some("kTIMImageElemTaskId"), "image_elem_task_id", None;
    // 3.4 SoundElem (elem_type 2) — at most one per message
    SOUND_ELEM_FILE_PATH = Some("kTIMSoundElemFilePath"), "sound_elem_file_path", None;
    SOUND_ELEM_FILE_SIZE = Some("kTIMSoundElemFileSize"), "sound_elem_file_size", None;
    SOUND_ELEM_FILE_TIME = Some("kTIMSoundElemFileTime"), "sound_elem_file_time", None;
    SOUND_ELEM_FILE_ID = Some("kTIMSoundElemFileId"), "sound_elem_file_id", None;
    SOUND_ELEM_BUSINESS_ID = Some("kTIMSoundElemBusinessId"), "sound_elem_business_id", None;
    SOUND_ELEM_DOWNLOAD_FLAG = Some("kTIMSoundElemDownloadFlag"), "sound_elem_download_flag", None;
    SOUND_ELEM_URL = Some("kTIMSoundElemUrl"), "sound_elem_url", None;
    SOUND_ELEM_TASK_ID = Some("kTIMSoundElemTaskId"), "sound_elem_task_id", None;
    // 3.5 VideoElem (elem_type 9)
    VIDEO_ELEM_VIDEO_TYPE = Some("kTIMVideoElemVideoType"), "video_elem_video_type", None;
    VIDEO_ELEM_VIDEO_SIZE = Some("kTIMVideoElemVideoSize"), "video_elem_video_size", None;
    VIDEO_ELEM_VIDEO_DURATION = Some("kTIMVideoElemVideoDuration"), "video_elem_video_duration", None;
    VIDEO_ELEM_VIDEO_PATH = Some("kTIMVideoElemVideoPath"), "video_elem_video_path", None;
    VIDEO_ELEM_VIDEO_ID = Some("kTIMVideoElemVideoId"), "video_elem_video_id", None;
    VIDEO_ELEM_BUSINESS_ID = Some("kTIMVideoElemBusinessId"), "video_elem_business_id", None;
    VIDEO_ELEM_VIDEO_DOWNLOAD_FLAG = Some("kTIMVideoElemVideoDownloadFlag"), "video_elem_video_download_flag", None;
    VIDEO_ELEM_VIDEO_URL = Some("kTIMVideoElemVideoUrl"), "video_elem_video_url", None;
    VIDEO_ELEM_IMAGE_TYPE = Some("kTIMVideoElemImageType"), "video_elem_image_type", None;
    VIDEO_ELEM_IMAGE_SIZE = Some("kTIMVideoElemImageSize"), "video_elem_image_size", None;
    VIDEO_ELEM_IMAGE_WIDTH = Some("kTIMVideoElemImageWidth"), "video_elem_image_width", None;
    VIDEO_ELEM_IMAGE_HEIGHT = Some("kTIMVideoElemImageHeight"), "video_elem_image_height", None;
    VIDEO_ELEM_IMAGE_PATH = Some("kTIMVideoElemImagePath"), "video_elem_image_path", None;
    VIDEO_ELEM_IMAGE_ID = Some("kTIMVideoElemImageId"), "video_elem_image_id", None;
    VIDEO_ELEM_IMAGE_DOWNLOAD_FLAG = Some("kTIMVideoElemImageDownloadFlag"), "video_elem_image_download_flag", None;
    VIDEO_ELEM_IMAGE_URL = Some("kTIMVideoElemImageUrl"), "video_elem_image_url", None;
    VIDEO_ELEM_TASK_ID = Some("kTIMVideoElemTaskId"), "video_elem_task_id", None;
    // 3.6 FileElem (elem_type 4) — at most one per message
    FILE_ELEM_FILE_PATH = Some("kTIMFileElemFilePath"), "file_elem_file_path", None;
    FILE_ELEM_FILE_NAME = Some("kTIMFileElemFileName"), "file_elem_file_name", None;
    FILE_ELEM_FILE_SIZE = Some("kTIMFileElemFileSize"), "file_elem_file_size", None;
    FILE_ELEM_FILE_ID = Some("kTIMFileElemFileId"), "file_elem_file_id", None;
    FILE_ELEM_BUSINESS_ID = Some("kTIMFileElemBusinessId"), "file_elem_business_id", None;
    FILE_ELEM_DOWNLOAD_FLAG = Some("kTIMFileElemDownloadFlag"), "file_elem_download_flag", None;
    FILE_ELEM_URL = Some("kTIMFileElemUrl"), "file_elem_url", None;
    FILE_ELEM_TASK_ID = Some("kTIMFileElemTaskId"), "file_elem_task_id", None;
    // 3.7 LocationElem (elem_type 7)
    LOCATION_ELEM_DESC = Some("kTIMLocationElemDesc"), "location_elem_desc", None;
    LOCATION_ELEM_LONGITUDE = Some("kTIMLocationElemLongitude"), "location_elem_longitude", None;
    LOCATION_ELEM_LATITUDE = Some("kTIMLocationElemLatitude"), "location_elem_latitude", None;
    // 3.8 FaceElem (elem_type 6) — app-defined emoji; SDK ships no emoji set
    FACE_ELEM_INDEX = Some("kTIMFaceElemIndex"), "face_elem_index", None;
    FACE_ELEM_BUF = Some("kTIMFaceElemBuf"), "face_elem_buf", None;
    // 3.9 MergerElem (elem_type 12) — combined/forwarded message bundle (constants say "Merger", keys say "merge")
    MERGE_ELEM_TITLE = Some("kTIMMergerElemTitle"), "merge_elem_title", None;
    MERGE_ELEM_ABSTRACT_ARRAY = Some("kTIMMergerElemAbstractArray"), "merge_elem_abstract_array", None;
    MERGE_ELEM_COMPATIBLE_TEXT = Some("kTIMMergerElemCompatibleText"), "merge_elem_compatible_text", None;
    MERGE_ELEM_MESSAGE_ARRAY = Some("kTIMMergerElemMsgArray"), "merge_elem_message_array", None;
    MERGE_ELEM_LAYER_OVER_LIMIT = Some("kTIMMergerElemLayersOverLimit"), "merge_elem_layer_over_limit", None;
    MERGE_ELEM_RELAY_PB_KEY = Some("kTIMMergerElemRelayPbKey"), "merge_elem_relay_pb_key", None;
    MERGE_ELEM_RELAY_JSON_KEY = Some("kTIMMergerElemRelayJsonKey"), "merge_elem_relay_json_key", None;
    MERGE_ELEM_RELAY_BUFFER = Some("kTIMMergerElemRelayBuffer"), "merge_elem_relay_buffer", None;
    // 3.10 GroupTipsElem (elem_type 5) — group-wide system tips (also delivered via TIMSetGroupTipsEventCallback)
    GROUP_TIPS_ELEM_TIP_TYPE = Some("kTIMGroupTipsElemTipType"), "group_tips_elem_tip_type", None;
    GROUP_TIPS_ELEM_OP_USER = Some("kTIMGroupTipsElemOpUser"), "group_tips_elem_op_user", None;
    GROUP_TIPS_ELEM_GROUP_NAME = Some("kTIMGroupTipsElemGroupName"), "group_tips_elem_group_name", None;
    GROUP_TIPS_ELEM_GROUP_ID = Some("kTIMGroupTipsElemGroupId"), "group_tips_elem_group_id", None;
    GROUP_TIPS_ELEM_TIME = Some("kTIMGroupTipsElemTime"), "group_tips_elem_time", None;
    GROUP_TIPS_ELEM_USER_ARRAY = Some("kTIMGroupTipsElemUserArray"), "group_tips_elem_user_array", None;
    GROUP_TIPS_ELEM_GROUP_CHANGE_INFO_ARRAY = Some("kTIMGroupTipsElemGroupChangeInfoArray"), "group_tips_elem_group_change_info_array", None;
    GROUP_TIPS_ELEM_MEMBER_CHANGE_INFO_ARRAY = Some("kTIMGroupTipsElemMemberChangeInfoArray"), "group_tips_elem_member_change_info_array", None;
    GROUP_TIPS_ELEM_OP_USER_INFO = Some("kTIMGroupTipsElemOpUserInfo"), "group_tips_elem_op_user_info", None;
    GROUP_TIPS_ELEM_OP_GROUP_MEMBERINFO = Some("kTIMGroupTipsElemOpGroupMemberInfo"), "group_tips_elem_op_group_memberinfo", None;
    GROUP_TIPS_ELEM_CHANGED_USER_INFO_ARRAY = Some("kTIMGroupTipsElemChangedUserInfoArray"), "group_tips_elem_changed_user_info_array", None;
    GROUP_TIPS_ELEM_CHANGED_GROUP_MEMBERINFO_ARRAY = Some("kTIMGroupTipsElemChangedGroupMemberInfoArray"), "group_tips_elem_changed_group_memberinfo_array", None;
    GROUP_TIPS_ELEM_MEMBER_NUM = Some("kTIMGroupTipsElemMemberNum"), "group_tips_elem_member_num", None;
    GROUP_TIPS_ELEM_PLATFORM = Some("kTIMGroupTipsElemPlatform"), "group_tips_elem_platform", None;
    GROUP_TIPS_ELEM_MEMBER_MARK_INFO_ARRAY = Some("kTIMGroupTipsElemMemberMarkInfoArray"), "group_tips_elem_member_mark_info_array", None;
    GROUP_TIPS_GROUP_CHANGE_INFO_FLAG = Some("kTIMGroupTipGroupChangeInfoFlag"), "group_tips_group_change_info_flag", None;
    GROUP_TIPS_GROUP_CHANGE_INFO_VALUE = Some("kTIMGroupTipGroupChangeInfoValue"), "group_tips_group_change_info_value", None;
    GROUP_TIPS_GROUP_CHANGE_INFO_KEY = Some("kTIMGroupTipGroupChangeInfoKey"), "group_tips_group_change_info_key", None;
    GROUP_TIPS_GROUP_CHANGE_INFO_BOOL_VALUE = Some("kTIMGroupTipGroupChangeInfoBoolValue"), "group_tips_group_change_info_bool_value", None;
    GROUP_TIPS_GROUP_CHANGE_INFO_INT_VALUE = Some("kTIMGroupTipGroupChangeInfoIntValue"), "group_tips_group_change_info_int_value", None;
    GROUP_TIPS_GROUP_CHANGE_INFO_UINT64_VALUE = Some("kTIMGroupTipGroupChangeInfoUint64Value"), "group_tips_group_change_info_uint64_value", None;
    GROUP_TIPS_MEMBER_CHANGE_INFO_IDENTIFIER = Some("kTIMGroupTipMemberChangeInfoIdentifier"), "group_tips_member_change_info_identifier", None;
    GROUP_TIPS_MEMBER_CHANGE_INFO_SHUTUPTIME = Some("kTIMGroupTipMemberChangeInfoShutupTime"), "group_tips_member_change_info_shutupTime", None;
    GROUP_TIPS_MEMBER_MARK_CHANGE_INFO_ENABLEMARK = Some("kTIMGroupTipMemberChangeInfoEnableMark"), "group_tips_member_mark_change_info_enableMark", None;
    GROUP_TIPS_MEMBER_MARK_CHANGE_INFO_MARKTYPE = Some("kTIMGroupTipMemberMarkChangeInfoMarkType"), "group_tips_member_mark_change_info_markType", None;
    GROUP_TIPS_MEMBER_MARK_CHANGE_INFO_USERIDLIST = Some("kTIMGroupTipMemberMarkChangeInfoUserIDList"), "group_tips_member_mark_change_info_userIDList", None;
    // 3.11 GroupReportElem (elem_type 8) — per-user group notifications (delivered through the new-message callback)
    GROUP_REPORT_ELEM_REPORT_TYPE = Some("kTIMGroupReportElemReportType"), "group_report_elem_report_type", None;
    GROUP_REPORT_ELEM_GROUP_ID = Some("kTIMGroupReportElemGroupId"), "group_report_elem_group_id", None;
    GROUP_REPORT_ELEM_GROUP_NAME = Some("kTIMGroupReportElemGroupName"), "group_report_elem_group_name", None;
    GROUP_REPORT_ELEM_OP_USER = Some("kTIMGroupReportElemOpUser"), "group_report_elem_op_user", None;
    GROUP_REPORT_ELEM_MSG = Some("kTIMGroupReportElemMsg"), "group_report_elem_msg", None;
    GROUP_REPORT_ELEM_USER_DATA = Some("kTIMGroupReportElemUserData"), "group_report_elem_user_data", None;
    GROUP_REPORT_ELEM_OP_USER_INFO = Some("kTIMGroupReportElemOpUserInfo"), "group_report_elem_op_user_info", None;
    GROUP_REPORT_ELEM_OP_GROUP_MEMBERINFO = Some("kTIMGroupReportElemOpGroupMemberInfo"), "group_report_elem_op_group_memberinfo", None;
    GROUP_REPORT_ELEM_PLATFORM = Some("kTIMGroupReportElemPlatform"), "group_report_elem_platform", None;
    GROUP_REPORT_ELEM_SHUT_UP_TIME = Some("kTIMGroupReportElemShutUpTime"), "group_report_elem_shut_up_time", None;
    GROUP_REPORT_ELEM_GROUP_MESSAGE_RECEIVE_OPTION = Some("kTIMGroupReportElemGroupMessageReceiveOption"), "group_report_elem_group_message_receive_option", None;
    // 3.12 ProfileChangeElem (elem_type 11)
    PROFILE_CHANGE_ELEM_CHANGE_TYPE = Some("kTIMProfileChangeElemChangeType"), "profile_change_elem_change_type", None;
    PROFILE_CHANGE_ELEM_FROM_IDENTIFIER = Some("kTIMProfileChangeElemFromIdentifier"), "profile_change_elem_from_identifier", Some("profile_change_elem_from_identifer");
    PROFILE_CHANGE_ELEM_USER_PROFILE_ITEM = Some("kTIMProfileChangeElemUserProfileItem"), "profile_change_elem_user_profile_item", None;
    // 3.13 FriendChangeElem (elem_type 10) — from O/N
    FRIEND_CHANGE_ELEM_CHANGE_TYPE = Some("kTIMFriendChangeElemChangeType"), "friend_change_elem_change_type", None;
    FRIEND_CHANGE_ELEM_FRIEND_ADD_IDENTIFIER_ARRAY = Some("kTIMFriendChangeElemFriendAddIdentifierArray"), "friend_change_elem_friend_add_identifier_array", None;
    FRIEND_CHANGE_ELEM_FRIEND_DEL_IDENTIFIER_ARRAY = Some("kTIMFriendChangeElemFriendDelIdentifierArray"), "friend_change_elem_friend_del_identifier_array", None;
    FRIEND_CHANGE_ELEM_FRIEND_ADD_PENDENCY_ARRAY = Some("kTIMFriendChangeElemFriendAddPendencyItemArray"), "friend_change_elem_friend_add_pendency_array", None;
    FRIEND_CHANGE_ELEM_PENDENCY_DEL_IDENTIFIER_ARRAY = Some("kTIMFriendChangeElemPendencyDelIdentifierArray"), "friend_change_elem_pendency_del_identifier_array", None;
    FRIEND_CHANGE_ELEM_PENDENCY_READED_REPORT_TIMESTAMP = Some("kTIMFriendChangeElemPendencyReadedReportTimestamp"), "friend_change_elem_pendency_readed_report_timestamp", None;
    FRIEND_CHANGE_ELEM_BLACKLIST_ADD_IDENTIFIER_ARRAY = Some("kTIMFriendChangeElemBlackListAddIdentifierArray"), "friend_change_elem_blacklist_add_identifier_array", None;
    FRIEND_CHANGE_ELEM_BLACKLIST_DEL_IDENTIFIER_ARRAY = Some("kTIMFriendChangeElemBlackListDelIdentifierArray"), "friend_change_elem_blacklist_del_identifier_array", None;
    FRIEND_CHANGE_ELEM_FRIEND_PROFILE_UPDATE_ITEM_ARRAY = Some("kTIMFriendChangeElemFreindProfileUpdateItemArray"), "friend_change_elem_friend_profile_update_item_array", None;
    FRIEND_CHANGE_ELEM_FRIEND_GROUP_ADD_ARRAY = Some("kTIMFriendChangeElemFriendGroupAddIdentifierArray"), "friend_change_elem_friend_group_add_array", None;
    FRIEND_CHANGE_ELEM_FRIEND_GROUP_DEL_ARRAY = Some("kTIMFriendChangeElemFriendGroupDelIdentifierArray"), "friend_change_elem_friend_group_del_array", None;
    FRIEND_CHANGE_ELEM_FRIEND_GROUP_UPDATE_ARRAY = Some("kTIMFriendChangeElemFriendGroupModifyIdentifierArray"), "friend_change_elem_friend_group_update_array", None;

    // §4. MsgLocator (and revoke-notification item)
    MESSAGE_LOCATOR_CONV_ID = Some("kTIMMsgLocatorConvId"), "message_locator_conv_id", None;
    MESSAGE_LOCATOR_CONV_TYPE = Some("kTIMMsgLocatorConvType"), "message_locator_conv_type", None;
    MESSAGE_LOCATOR_IS_REVOKED = Some("kTIMMsgLocatorIsRevoked"), "message_locator_is_revoked", None;
    MESSAGE_LOCATOR_TIME = Some("kTIMMsgLocatorTime"), "message_locator_time", None;
    MESSAGE_LOCATOR_SEQ = Some("kTIMMsgLocatorSeq"), "message_locator_seq", None;
    MESSAGE_LOCATOR_IS_SELF = Some("kTIMMsgLocatorIsSelf"), "message_locator_is_self", None;
    MESSAGE_LOCATOR_RAND = Some("kTIMMsgLocatorRand"), "message_locator_rand", None;
    MESSAGE_LOCATOR_UNIQUE_ID = Some("kTIMMsgLocatorUniqueId"), "message_locator_unique_id", None;

    // §5. MsgGetMsgListParam (input of TIMMsgGetMsgList)
    MSG_GETMSGLIST_PARAM_LAST_MSG = Some("kTIMMsgGetMsgListParamLastMsg"), "msg_getmsglist_param_last_msg", None;
    MSG_GETMSGLIST_PARAM_COUNT = Some("kTIMMsgGetMsgListParamCount"), "msg_getmsglist_param_count", None;
    MSG_GETMSGLIST_PARAM_IS_RAMBLE = Some("kTIMMsgGetMsgListParamIsRamble"), "msg_getmsglist_param_is_ramble", Some("msg_getmsglist_param_is_remble");
    MSG_GETMSGLIST_PARAM_IS_FORWARD = Some("kTIMMsgGetMsgListParamIsForward"), "msg_getmsglist_param_is_forward", None;
    MSG_GETMSGLIST_PARAM_LAST_MSG_SEQ = Some("kTIMMsgGetMsgListParamLastMsgSeq"), "msg_getmsglist_param_last_msg_seq", None;
    MSG_GETMSGLIST_PARAM_TIME_BEGIN = Some("kTIMMsgGetMsgListParamTimeBegin"), "msg_getmsglist_param_time_begin", None;
    MSG_GETMSGLIST_PARAM_TIME_PERIOD = Some("kTIMMsgGetMsgListParamTimePeriod"), "msg_getmsglist_param_time_period", None;
    MSG_GETMSGLIST_PARAM_MESSAGE_TYPE_ARRAY = Some("kTIMMsgGetMsgListMessageTypeArray"), "msg_getmsglist_param_message_type_array", None;
    MSG_GETMSGLIST_PARAM_MESSAGE_SEQ_ARRAY = Some("kTIMMsgGetMsgListParamMessageSeqArray"), "msg_getmsglist_param_message_seq_array", None;
    MSG_LAST_MSG_ID = None, "msg_last_msg_id", None;

    // §6. MsgDeleteParam (input of TIMMsgDelete)
    MSG_DELETE_PARAM_MSG = Some("kTIMMsgDeleteParamMsg"), "msg_delete_param_msg", None;
    MSG_DELETE_PARAM_IS_RAMBLE = Some("kTIMMsgDeleteParamIsRamble"), "msg_delete_param_is_ramble", Some("msg_delete_param_is_remble");

    // §7. MsgBatchSendParam / MsgBatchSendResult
    MSG_BATCH_SEND_PARAM_IDENTIFIER_ARRAY = Some("kTIMMsgBatchSendParamIdentifierArray"), "msg_batch_send_param_identifier_array", None;
    MSG_BATCH_SEND_PARAM_MSG = Some("kTIMMsgBatchSendParamMsg"), "msg_batch_send_param_msg", None;
    MSG_BATCH_SEND_RESULT_IDENTIFIER = Some("kTIMMsgBatchSendResultIdentifier"), "msg_batch_send_result_identifier", None;
    MSG_BATCH_SEND_RESULT_CODE = Some("kTIMMsgBatchSendResultCode"), "msg_batch_send_result_code", None;
    MSG_BATCH_SEND_RESULT_DESC = Some("kTIMMsgBatchSendResultDesc"), "msg_batch_send_result_desc", None;
    MSG_BATCH_SEND_RESULT_MSG = Some("kTIMMsgBatchSendResultMsg"), "msg_batch_send_result_msg", None;

    // §8. DownloadElemParam / MsgDownloadElemResult
    MSG_DOWNLOAD_ELEM_PARAM_FLAG = Some("kTIMMsgDownloadElemParamFlag"), "msg_download_elem_param_flag", None;
    MSG_DOWNLOAD_ELEM_PARAM_TYPE = Some("kTIMMsgDownloadElemParamType"), "msg_download_elem_param_type", None;
    MSG_DOWNLOAD_ELEM_PARAM_ID = Some("kTIMMsgDownloadElemParamId"), "msg_download_elem_param_id", None;
    MSG_DOWNLOAD_ELEM_PARAM_BUSINESS_ID = Some("kTIMMsgDownloadElemParamBusinessId"), "msg_download_elem_param_business_id", None;
    MSG_DOWNLOAD_ELEM_PARAM_URL = Some("kTIMMsgDownloadElemParamUrl"), "msg_download_elem_param_url", None;
    MSG_DOWNLOAD_ELEM_RESULT_CURRENT_SIZE = Some("kTIMMsgDownloadElemResultCurrentSize"), "msg_download_elem_result_current_size", None;
    MSG_DOWNLOAD_ELEM_RESULT_TOTAL_SIZE = Some("kTIMMsgDownloadElemResultTotalSize"), "msg_download_elem_result_total_size", None;

    // §9. MessageSearchParam / MessageSearchResultItem / MessageSearchResult
    MSG_SEARCH_PARAM_KEYWORD_ARRAY = Some("kTIMMsgSearchParamKeywordArray"), "msg_search_param_keyword_array", None;
    MSG_SEARCH_PARAM_MESSAGE_TYPE_ARRAY = Some("kTIMMsgSearchParamMessageTypeArray"), "msg_search_param_message_type_array", None;
    MSG_SEARCH_PARAM_CONV_ID = Some("kTIMMsgSearchParamConvId"), "msg_search_param_conv_id", None;
    MSG_SEARCH_PARAM_CONV_TYPE = Some("kTIMMsgSearchParamConvType"), "msg_search_param_conv_type", None;
    MSG_SEARCH_PARAM_SEARCH_TIME_POSITION = Some("kTIMMsgSearchParamSearchTimePosition"), "msg_search_param_search_time_position", None;
    MSG_SEARCH_PARAM_SEARCH_TIME_PERIOD = Some("kTIMMsgSearchParamSearchTimePeriod"), "msg_search_param_search_time_period", None;
    MSG_SEARCH_PARAM_PAGE_INDEX = Some("kTIMMsgSearchParamPageIndex"), "msg_search_param_page_index", None;
    MSG_SEARCH_PARAM_PAGE_SIZE = Some("kTIMMsgSearchParamPageSize"), "msg_search_param_page_size", None;
    MSG_SEARCH_PARAM_KEYWORD_LIST_MATCH_TYPE = Some("kTIMMsgSearchParamKeywordListMatchType"), "msg_search_param_keyword_list_match_type", None;
    MSG_SEARCH_PARAM_SEND_IDENTIFIER_ARRAY = Some("kTIMMsgSearchParamSenderIdentifierArray"), "msg_search_param_send_identifier_array", Some("msg_search_param_send_indentifier_array");
    MSG_SEARCH_PARAM_SEARCH_COUNT = Some("kTIMMsgSearchParamSearchCount"), "msg_search_param_search_count", None;
    MSG_SEARCH_PARAM_SEARCH_CURSOR = Some("kTIMMsgSearchParamSearchCursor"), "msg_search_param_search_cursor", None;
    MSG_SEARCH_RESULT_ITEM_CONV_ID = Some("kTIMMsgSearchResultItemConvId"), "msg_search_result_item_conv_id", None;
    MSG_SEARCH_RESULT_ITEM_CONV_TYPE = Some("kTIMMsgSearchResultItemConvType"), "msg_search_result_item_conv_type", None;
    MSG_SEARCH_RESULT_ITEM_TOTAL_MESSAGE_COUNT = Some("kTIMMsgSearchResultItemTotalMessageCount"), "msg_search_result_item_total_message_count", None;
    MSG_SEARCH_RESULT_ITEM_MESSAGE_ARRAY = Some("kTIMMsgSearchResultItemMessageArray"), "msg_search_result_item_message_array", None;
    MSG_SEARCH_RESULT_TOTAL_COUNT = Some("kTIMMsgSearchResultTotalCount"), "msg_search_result_total_count", None;
    MSG_SEARCH_RESULT_ITEM_ARRAY = Some("kTIMMsgSearchResultItemArray"), "msg_search_result_item_array", None;
    MSG_SEARCH_RESULT_SEARCH_CURSOR = Some("kTIMMsgSearchResultSearchCursor"), "msg_search_result_search_cursor", None;

    // §10. Receive-option payloads
    MSG_RECV_MSG_OPT_RESULT_IDENTIFIER = Some("kTIMMsgGetC2CRecvMsgOptResultIdentifier"), "msg_recv_msg_opt_result_identifier", None;
    MSG_RECV_MSG_OPT_RESULT_OPT = Some("kTIMMsgGetC2CRecvMsgOptResultOpt"), "msg_recv_msg_opt_result_opt", None;

    // §11. MessageReceipt (read-receipt callback items; TIMMsgGetMessageReadReceipts result)
    MSG_RECEIPT_CONV_ID = Some("kTIMMsgReceiptConvId"), "msg_receipt_conv_id", None;
    MSG_RECEIPT_CONV_TYPE = Some("kTIMMsgReceiptConvType"), "msg_receipt_conv_type", None;
    MSG_RECEIPT_MSG_ID = Some("kTIMMsgReceiptMsgId"), "msg_receipt_msg_id", None;
    MSG_RECEIPT_TIME_STAMP = Some("kTIMMsgReceiptTimeStamp"), "msg_receipt_time_stamp", None;
    MSG_RECEIPT_IS_PEER_READ = Some("kTIMMsgReceiptIsPeerRead"), "msg_receipt_is_peer_read", None;
    MSG_RECEIPT_READ_COUNT = Some("kTIMMsgReceiptReadCount"), "msg_receipt_read_count", None;
    MSG_RECEIPT_UNREAD_COUNT = Some("kTIMMsgReceiptUnreadCount"), "msg_receipt_unread_count", None;

    // §12. MessageExtension / MessageExtensionResult (M, 6.7+)
    MESSAGE_EXTENSION_KEY = Some("kTIMMsgExtensionKey"), "message_extension_key", None;
    MESSAGE_EXTENSION_VALUE = Some("kTIMMsgExtensionValue"), "message_extension_value", None;
    MESSAGE_EXTENSION_RESULT_CODE = Some("kTIMMsgExtensionResultCode"), "message_extension_result_code", None;
    MESSAGE_EXTENSION_RESULT_INFO = Some("kTIMMsgExtensionResultInfo"), "message_extension_result_info", None;
    MESSAGE_EXTENSION_ITEM = Some("kTIMMsgExtensionItem"), "message_extension_item", None;


    // §14. MessageTranslateTextResult (M)
    MSG_TRANSLATE_TEXT_SOURCE_TEXT = Some("kTIMMsgTranslateTextSourceText"), "msg_translate_text_source_text", None;
    MSG_TRANSLATE_TEXT_TARGET_TEXT = Some("kTIMMsgTranslateTextTargetText"), "msg_translate_text_target_text", None;

    // §15. OfflinePushToken (input of TIMMsgSetOfflinePushToken; P)
    OFFLINE_PUSH_TOKEN_TOKEN = Some("kTIMOfflinePushTokenToken"), "offline_push_token_token", None;
    OFFLINE_PUSH_TOKEN_BUSINESS_ID = Some("kTIMOfflinePushTokenBusinessID"), "offline_push_token_business_id", None;
    OFFLINE_PUSH_TOKEN_TYPE = Some("kTIMOfflinePushTokenType"), "offline_push_token_type", None;
    OFFLINE_PUSH_TOKEN_IS_TPNS_TOKEN = None, "offline_push_token_is_tpns_token", None;

    // §16. Offline push configuration (Message → `message_offline_push_config`)
    OFFLINE_PUSH_CONFIG_DESC = Some("kTIMOfflinePushConfigDesc"), "offline_push_config_desc", None;
    OFFLINE_PUSH_CONFIG_EXT = Some("kTIMOfflinePushConfigExt"), "offline_push_config_ext", None;
    OFFLINE_PUSH_CONFIG_FLAG = Some("kTIMOfflinePushConfigFlag"), "offline_push_config_flag", None;
    OFFLINE_PUSH_CONFIG_IOS_CONFIG = Some("kTIMOfflinePushConfigIOSConfig"), "offline_push_config_ios_config", None;
    OFFLINE_PUSH_CONFIG_ANDROID_CONFIG = Some("kTIMOfflinePushConfigAndroidConfig"), "offline_push_config_android_config", None;
    OFFLINE_PUSH_CONFIG_TITLE = None, "offline_push_config_title", None;
    IOS_OFFLINE_PUSH_CONFIG_TITLE = Some("kTIMIOSOfflinePushConfigTitle"), "ios_offline_push_config_title", None;
    IOS_OFFLINE_PUSH_CONFIG_SOUND = Some("kTIMIOSOfflinePushConfigSound"), "ios_offline_push_config_sound", None;
    IOS_OFFLINE_PUSH_CONFIG_IGNORE_BADGE = Some("kTIMIOSOfflinePushConfigIgnoreBadge"), "ios_offline_push_config_ignore_badge", None;
    IOS_OFFLINE_PUSH_CONFIG_PUSH_TYPE = Some("kTIMIOSOfflinePushConfigPushType"), "ios_offline_push_config_push_type", None;
    ANDROID_OFFLINE_PUSH_CONFIG_TITLE = Some("kTIMAndroidOfflinePushConfigTitle"), "android_offline_push_config_title", None;
    ANDROID_OFFLINE_PUSH_CONFIG_SOUND = Some("kTIMAndroidOfflinePushConfigSound"), "android_offline_push_config_sound", None;
    ANDROID_OFFLINE_PUSH_CONFIG_NOTIFY_MODE = Some("kTIMAndroidOfflinePushConfigNotifyMode"), "android_offline_push_config_notify_mode", None;
    ANDROID_OFFLINE_PUSH_CONFIG_VIVO_CLASSIFICATION = Some("kTIMAndroidOfflinePushConfigVIVOClassification"), "android_offline_push_config_vivo_classification", None;
    ANDROID_OFFLINE_PUSH_CONFIG_VIVO_CATEGORY = Some("kTIMAndroidOfflinePushConfigVIVOCategory"), "android_offline_push_config_vivo_category", None;
    ANDROID_OFFLINE_PUSH_CONFIG_OPPO_CHANNEL_ID = Some("kTIMAndroidOfflinePushConfigOPPOChannelID"), "android_offline_push_config_oppo_channel_id", None;
    ANDROID_OFFLINE_PUSH_CONFIG_XIAOMI_CHANNEL_ID = Some("kTIMAndroidOfflinePushConfigXiaoMiChannelID"), "android_offline_push_config_xiaomi_channel_id", None;
    ANDROID_OFFLINE_PUSH_CONFIG_FCM_CHANNEL_ID = Some("kTIMAndroidOfflinePushConfigFCMChannelID"), "android_offline_push_config_fcm_channel_id", None;
    ANDROID_OFFLINE_PUSH_CONFIG_HUAWEI_CATEGORY = Some("kTIMAndroidOfflinePushConfigHuaWeiCategory"), "android_offline_push_config_huawei_category", None;

    // §17. UserProfile (in `message_sender_profile`, group tips/reports, reactions)
    USER_PROFILE_IDENTIFIER = Some("kTIMUserProfileIdentifier"), "user_profile_identifier", None;
    USER_PROFILE_NICK_NAME = Some("kTIMUserProfileNickName"), "user_profile_nick_name", None;
    USER_PROFILE_GENDER = Some("kTIMUserProfileGender"), "user_profile_gender", None;
    USER_PROFILE_FACE_URL = Some("kTIMUserProfileFaceUrl"), "user_profile_face_url", None;
    USER_PROFILE_FRIEND_REMARK = Some("kTIMUserProfileFriendRemark"), "user_profile_friend_remark", None;
    USER_PROFILE_SELF_SIGNATURE = Some("kTIMUserProfileSelfSignature"), "user_profile_self_signature", None;
    USER_PROFILE_ADD_PERMISSION = Some("kTIMUserProfileAddPermission"), "user_profile_add_permission", None;
    USER_PROFILE_LOCATION = Some("kTIMUserProfileLocation"), "user_profile_location", None;
    USER_PROFILE_LANGUAGE = Some("kTIMUserProfileLanguage"), "user_profile_language", None;
    USER_PROFILE_BIRTHDAY = Some("kTIMUserProfileBirthDay"), "user_profile_birthday", None;
    USER_PROFILE_LEVEL = Some("kTIMUserProfileLevel"), "user_profile_level", None;
    USER_PROFILE_ROLE = Some("kTIMUserProfileRole"), "user_profile_role", None;
    USER_PROFILE_CUSTOM_STRING_ARRAY = Some("kTIMUserProfileCustomStringArray"), "user_profile_custom_string_array", None;

    // §18. GroupMemberInfo (in `message_sender_group_member_info`, tips/reports, read-member lists)
    GROUP_MEMBER_INFO_IDENTIFIER = Some("kTIMGroupMemberInfoIdentifier"), "group_member_info_identifier", None;
    GROUP_MEMBER_INFO_GROUP_ID = Some("kTIMGroupMemberInfoGroupId"), "group_member_info_group_id", None;
    GROUP_MEMBER_INFO_JOIN_TIME = Some("kTIMGroupMemberInfoJoinTime"), "group_member_info_join_time", None;
    GROUP_MEMBER_INFO_MEMBER_ROLE = Some("kTIMGroupMemberInfoMemberRole"), "group_member_info_member_role", None;
    GROUP_MEMBER_INFO_MSG_FLAG = Some("kTIMGroupMemberInfoMsgFlag"), "group_member_info_msg_flag", None;
    GROUP_MEMBER_INFO_MSG_SEQ = Some("kTIMGroupMemberInfoMsgSeq"), "group_member_info_msg_seq", None;
    GROUP_MEMBER_INFO_SHUTUP_TIME = Some("kTIMGroupMemberInfoShutupTime"), "group_member_info_shutup_time", None;
    GROUP_MEMBER_INFO_NAME_CARD = Some("kTIMGroupMemberInfoNameCard"), "group_member_info_name_card", None;
    GROUP_MEMBER_INFO_NICK_NAME = Some("kTIMGroupMemberInfoNickName"), "group_member_info_nick_name", None;
    GROUP_MEMBER_INFO_FRIEND_REMARK = Some("kTIMGroupMemberInfoFriendRemark"), "group_member_info_friend_remark", Some("group_member_info_remark");
    GROUP_MEMBER_INFO_FACE_URL = Some("kTIMGroupMemberInfoFaceUrl"), "group_member_info_face_url", None;
    GROUP_MEMBER_INFO_CUSTOM_INFO = Some("kTIMGroupMemberInfoCustomInfo"), "group_member_info_custom_info", None;
    GROUP_MEMBER_INFO_IS_ONLINE = Some("kTIMGroupMemberInfoIsOnline"), "group_member_info_is_online", None;
    GROUP_MEMBER_INFO_ONLINE_DEVICES = Some("KTIMGroupMemberInfoOnlineDevices"), "group_member_info_online_devices", None;

    // §17 (prose): UserProfileCustomStringInfo and UserProfileItem
    USER_PROFILE_CUSTOM_STRING_INFO_KEY = Some("kTIMUserProfileCustomStringInfoKey"), "user_profile_custom_string_info_key", None;
    USER_PROFILE_CUSTOM_STRING_INFO_VALUE = Some("kTIMUserProfileCustomStringInfoValue"), "user_profile_custom_string_info_value", None;
    USER_PROFILE_ITEM_NICK_NAME = Some("kTIMUserProfileItemNickName"), "user_profile_item_nick_name", None;
    USER_PROFILE_ITEM_GENDER = Some("kTIMUserProfileItemGender"), "user_profile_item_gender", None;
    USER_PROFILE_ITEM_FACE_URL = Some("kTIMUserProfileItemFaceUrl"), "user_profile_item_face_url", None;
    USER_PROFILE_ITEM_SELF_SIGNATURE = Some("kTIMUserProfileItemSelfSignature"), "user_profile_item_self_signature", None;
    USER_PROFILE_ITEM_ADD_PERMISSION = Some("kTIMUserProfileItemAddPermission"), "user_profile_item_add_permission", None;
    USER_PROFILE_ITEM_LOCATION = Some("kTIMUserProfileItemLocation"), "user_profile_item_location", None;
    USER_PROFILE_ITEM_LANGUAGE = Some("kTIMUserProfileItemLanguage"), "user_profile_item_language", None;
    USER_PROFILE_ITEM_BIRTHDAY = Some("kTIMUserProfileItemBirthDay"), "user_profile_item_birthday", None;
    USER_PROFILE_ITEM_LEVEL = Some("kTIMUserProfileItemLevel"), "user_profile_item_level", None;
    USER_PROFILE_ITEM_ROLE = Some("kTIMUserProfileItemRole"), "user_profile_item_role", None;
    USER_PROFILE_ITEM_CUSTOM_STRING_ARRAY = Some("kTIMUserProfileItemCustomStringArray"), "user_profile_item_custom_string_array", None;

    // §3.13 (prose): FriendProfileUpdate and FriendAddPendency
    FRIEND_PROFILE_UPDATE_IDENTIFIER = Some("kTIMFriendProfileUpdateIdentifier"), "friend_profile_update_identifier", None;
    FRIEND_PROFILE_UPDATE_ITEM = Some("kTIMFriendProfileUpdateItem"), "friend_profile_update_item", None;
    FRIEND_ADD_PENDENCY_IDENTIFIER = Some("kTIMFriendAddPendencyIdentifier"), "friend_add_pendency_identifier", None;
    FRIEND_ADD_PENDENCY_NICK_NAME = Some("kTIMFriendAddPendencyNickName"), "friend_add_pendency_nick_name", None;
    FRIEND_ADD_PENDENCY_ADD_SOURCE = Some("kTIMFriendAddPendencyAddSource"), "friend_add_pendency_add_source", None;
    FRIEND_ADD_PENDENCY_ADD_WORDING = Some("kTIMFriendAddPendencyAddWording"), "friend_add_pendency_add_wording", None;

    // §18 (prose): GroupMemberInfoCustomString
    GROUP_MEMBER_INFO_CUSTOM_STRING_INFO_KEY = Some("kTIMGroupMemberInfoCustomStringInfoKey"), "group_member_info_custom_string_info_key", None;
    GROUP_MEMBER_INFO_CUSTOM_STRING_INFO_VALUE = Some("kTIMGroupMemberInfoCustomStringInfoValue"), "group_member_info_custom_string_info_value", None;

    // §21: SdkConfig (TIMInit). The last two are tim's own: where the server is and how to
    // trust its certificate.
    SDK_CONFIG_CONFIG_FILE_PATH = Some("kTIMSdkConfigConfigFilePath"), "sdk_config_config_file_path", None;
    SDK_CONFIG_LOG_FILE_PATH = Some("kTIMSdkConfigLogFilePath"), "sdk_config_log_file_path", None;
    SDK_CONFIG_JAVA_VM = Some("kTIMSdkConfigJavaVM"), "sdk_config_java_vm", None;
    SDK_CONFIG_SERVER_ADDRESS = Some("kTIMSdkConfigServerAddress"), "sdk_config_server_address", None;
    SDK_CONFIG_SERVER_CERTIFICATE = Some("kTIMSdkConfigServerCertificate"), "sdk_config_server_certificate", None;
    // conversations.md §5 (ConvInfo, Draft, GroupAtInfo, filters, results).
    CONV_ID = Some("kTIMConvId"), "conv_id", None;
    CONV_TYPE = Some("kTIMConvType"), "conv_type", None;
    CONV_FACE_URL = Some("kTIMConvFaceUrl"), "conv_face_url", None;
    CONV_UNREAD_NUM = Some("kTIMConvUnReadNum"), "conv_unread_num", None;
    CONV_ACTIVE_TIME = Some("kTIMConvActiveTime"), "conv_active_time", None;
    CONV_IS_HAS_LASTMSG = Some("kTIMConvIsHasLastMsg"), "conv_is_has_lastmsg", None;
    CONV_LAST_MSG = Some("kTIMConvLastMsg"), "conv_last_msg", None;
    CONV_IS_HAS_DRAFT = Some("kTIMConvIsHasDraft"), "conv_is_has_draft", None;
    CONV_DRAFT = Some("kTIMConvDraft"), "conv_draft", None;
    CONV_RECV_OPT = Some("kTIMConvRecvOpt"), "conv_recv_opt", None;
    CONV_GROUP_TYPE = Some("kTIMConvGroupType"), "conv_group_type", None;
    CONV_GROUP_AT_INFO_ARRAY = Some("kTIMConvGroupAtInfoArray"), "conv_group_at_info_array", None;
    CONV_IS_PINNED = Some("kTIMConvIsPinned"), "conv_is_pinned", None;
    CONV_SHOW_NAME = Some("kTIMConvShowName"), "conv_show_name", None;
    CONV_MARK_ARRAY = Some("kTIMConvMarkArray"), "conv_mark_array", None;
    CONV_CUSTOM_DATA = Some("kTIMConvCustomData"), "conv_custom_data", None;
    CONV_CONVERSATION_GROUP_ARRAY = Some("kTIMConvConversationGroupArray"), "conv_conversation_group_array", None;
    CONV_C2C_READ_TIMESTAMP = Some("kTIMConvC2CReadTimestamp"), "conv_c2c_read_timestamp", None;
    CONV_GROUP_READ_SEQUENCE = Some("kTIMConvGroupReadSequence"), "conv_group_read_sequence", None;
    DRAFT_MSG = Some("kTIMDraftMsg"), "draft_msg", None;
    DRAFT_USER_DEFINE = Some("kTIMDraftUserDefine"), "draft_user_define", None;
    DRAFT_EDIT_TIME = Some("kTIMDraftEditTime"), "draft_edit_time", None;
    CONV_GROUP_AT_INFO_SEQ = Some("kTIMGroupAtInfoSeq"), "conv_group_at_info_seq", None;
    CONV_GROUP_AT_INFO_AT_TYPE = Some("kTIMGroupAtInfoAtType"), "conv_group_at_info_at_type", None;
    CONVERSATION_LIST_FILTER_CONV_TYPE = Some("kTIMConversationListFilterConvType"), "conversation_list_filter_conv_type", None;
    CONVERSATION_LIST_FILTER_CONVERSATION_GROUP = Some("kTIMConversationListFilterConversationGroup"), "conversation_list_filter_conversation_group", Some("conversation_list_filter_group_name");
    CONVERSATION_LIST_FILTER_MARK_TYPE = Some("kTIMConversationListFilterMarkType"), "conversation_list_filter_mark_type", None;
    CONVERSATION_LIST_FILTER_HAS_UNREAD_COUNT = Some("kTIMConversationListFilterHasUnreadCount"), "conversation_list_filter_has_unread_count", None;
    CONVERSATION_LIST_FILTER_HAS_GROUP_AT_INFO = Some("kTIMConversationListFilterHasGroupAtInfo"), "conversation_list_filter_has_group_at_info", None;
    CONVERSATION_LIST_FILTER_NEXT_SEQ = Some("kTIMConversationListFilterNextSeq"), "conversation_list_filter_next_seq", None;
    CONVERSATION_LIST_FILTER_COUNT = Some("kTIMConversationListFilterCount"), "conversation_list_filter_count", None;
    CONVERSATION_LIST_RESULT_CONV_LIST = Some("TIMConversationListResultConvList"), "conversation_list_result_conv_list", None;
    CONVERSATION_LIST_RESULT_NEXT_SEQ = Some("TIMConversationListResultNextSeq"), "conversation_list_result_next_seq", None;
    CONVERSATION_LIST_RESULT_IS_FINISHED = Some("TIMConversationListResultIsFinished"), "conversation_list_result_is_finished", None;
    GET_CONVERSATION_LIST_PARAM_CONV_ID = Some("kTIMGetConversationListParamConvId"), "get_conversation_list_param_conv_id", None;
    GET_CONVERSATION_LIST_PARAM_CONV_TYPE = Some("kTIMGetConversationListParamConvType"), "get_conversation_list_param_conv_type", None;
    CONV_GET_TOTAL_UNREAD_MESSAGE_COUNT_RESULT_UNREAD_COUNT = Some("kTIMConvGetTotalUnreadMessageCountResultUnreadCount"), "conv_get_total_unread_message_count_result_unread_count", None;
    CONVERSATION_OPERATION_RESULT_CONVERSATION_ID = Some("kTIMConversationOperationResultConversationID"), "conversation_operation_result_conversation_id", None;
    CONVERSATION_OPERATION_RESULT_RESULT_CODE = Some("kTIMConversationOperationResultResultCode"), "conversation_operation_result_result_code", None;
    CONVERSATION_OPERATION_RESULT_RESULT_INFO = Some("kTIMConversationOperationResultResultInfo"), "conversation_operation_result_result_info", None;
    // profiles.md §3.1.
    FRIENDSHIP_GETPROFILELIST_PARAM_IDENTIFIER_ARRAY = Some("kTIMFriendShipGetProfileListParamIdentifierArray"), "friendship_getprofilelist_param_identifier_array", None;
    FRIENDSHIP_GETPROFILELIST_PARAM_FORCE_UPDATE = Some("kTIMFriendShipGetProfileListParamForceUpdate"), "friendship_getprofilelist_param_force_update", None;
    // session-extras.md §2 (callExperimentalAPI).
    REQUEST_INTERNAL_OPERATION = Some("kTIMRequestInternalOperation"), "request_internal_operation", None;
    REQUEST_SET_UI_PLATFORM_PARAM = Some("kTIMRequestSetUIPlatformParam"), "request_set_ui_platform_param", None;
    REQUEST_WRITE_LOG_LOG_LEVEL_PARAM = Some("kTIMRequestWriteLogLogLevelParam"), "request_write_log_log_level_param", None;
    REQUEST_WRITE_LOG_LOG_CONTENT_PARAM = Some("kTIMRequestWriteLogLogContentParam"), "request_write_log_log_content_param", None;
    REQUEST_WRITE_LOG_FILE_NAME_PARAM = Some("kTIMRequestWriteLogFileNameParam"), "request_write_log_file_name_param", None;
    REQUEST_WRITE_LOG_FUNC_NAME_PARAM = Some("kTIMRequestWriteLogFuncNameParam"), "request_write_log_func_name_param", None;
    REQUEST_WRITE_LOG_LINE_NUMBER_PARAM = Some("kTIMRequestWriteLogLineNumberParam"), "request_write_log_line_number_param", None;
    REQUEST_SET_OFFLINE_PUSH_STATE_PARAM = Some("kTIMRequestSetOfflinePushStateParam"), "request_set_offline_push_state_param", None;
    REQUEST_MESSAGE_REVOKER_MESSAGE_ID_ARRAY = Some("kTIMRequestMessageRevokerMessageIdArray"), "request_message_revoker_message_id_array", None;
    REQUEST_IS_COMMERCIAL_ABILITY_ENABLED_PARAM = Some("kTIMRequestIsCommercialAbilityEnabledParam"), "request_is_commercial_ability_enabled_param", None;
    REQUEST_SET_ENV_PARAM = Some("kTIMRequestSetEnvParam"), "request_set_env_param", None;
    RESPONSE_INTERNAL_OPERATION = Some("kTIMResponseInternalOperation"), "response_internal_operation", None;
    RESPONSE_SET_ENV_RES = Some("kTIMResponseSetEvnRes"), "response_set_env_res", None;
    RESPONSE_GET_OFFLINE_PUSH_STATE_RES = Some("kTIMResponseGetOfflinePushStateRes"), "response_get_offline_push_state_res", None;
    RESPONSE_MESSAGE_ID = Some("kTIMResponseMessageId"), "response_message_id", Some("response_messgae_id");
    RESPONSE_MESSAGE_REVOKER = Some("kTIMResponseMessageRevoker"), "response_message_revoker", None;
    COMMERCIAL_ABILITY_RESULT_ENABLED = Some("kTIMCommercialAbilityResultEnabled"), "commercial_ability_result_enabled", None;
}

/// Special string values that appear inside JSON payloads (json-keys.md §20).
pub mod values {
    /// `kImSDK_MessageAtALL`: the @everyone marker in `message_group_at_user_array`.
    pub const AT_ALL: &str = "__kImSDK_MessageAtALL__";
    /// `kImSDK_MesssageAtALL`: the older spelling of [`AT_ALL`] (triple "s"), accepted on input.
    pub const AT_ALL_OLD: &str = "__kImSDK_MesssageAtALL__";
    /// `kIOSOfflinePushNoSound`: silent iOS push.
    pub const IOS_NO_SOUND: &str = "push.no_sound";
    /// `kIOSOfflinePushDefaultSound`: the iOS system sound.
    pub const IOS_DEFAULT_SOUND: &str = "default";
    /// The sender of system-generated group tips and group reports.
    pub const SYSTEM_SENDER: &str = "@TIM#SYSTEM";

    /// The values the C headers name, as `(constant, string)` (for the generated header).
    pub const C_CONSTANTS: &[(&str, &str)] = &[
        ("kImSDK_MessageAtALL", AT_ALL),
        ("kImSDK_MesssageAtALL", AT_ALL_OLD),
        ("kIOSOfflinePushNoSound", IOS_NO_SOUND),
        ("kIOSOfflinePushDefaultSound", IOS_DEFAULT_SOUND),
    ];
}

/// The key with the string `name` (or whose older spelling is `name`).
pub fn find(name: &str) -> Option<Key> {
    ALL.iter()
        .copied()
        .find(|key| key.name == name || key.alias == Some(name))
}
