/* A program that starts and stops the way Tencent's Electron and Unity wrappers do
 * (session-extras.md §1, §5): callExperimentalAPI before TIMInit (the number and the string
 * form of the UI platform, write_log with a NULL callback), TIMInit, every one of the 71
 * callback setters set with a callback of its exact typedef, a login, then every setter
 * cleared with NULL (user_data ""), logout and TIMUninit. It also takes the address of every
 * export of Tencent's library that the conversation/profile/session-extras work covers, so
 * it does not link unless all of them exist.
 *   wrapper_start <data_dir> <user> <sig>
 * Generated once from docs/spec/session-extras.md; c_wrapper_start.rs checks that it names
 * every covered export of docs/spec/tencent-exports.txt. */
#include "TIMCloud.h"
#define TIM_TEST_RESULTS
#include "test_util.h"

static const uint64_t APP = 1400000042;
static struct result g_r, g_exp1, g_exp2, g_bad;
static int g_tag;
static volatile int g_unexpected; /* callbacks of features tim does not have must not fire */

static void cb_KickedOffline(const void* user_data) { (void)user_data; }
static volatile int g_app_line; /* the line written through internal_operation_write_log */
static void cb_Log(enum TIMLogLevel level, const char* log, const void* user_data) {
    (void)user_data;
    if (log != NULL && strstr(log, "wrapper line after init") != NULL) {
        CHECK_EQ(level, kTIMLog_Info);
        pthread_mutex_lock(&g_lock);
        g_app_line = 1;
        pthread_cond_broadcast(&g_cond);
        pthread_mutex_unlock(&g_lock);
    }
}
static void cb_NetworkStatusListener(enum TIMNetworkStatus status, int32_t code, const char* desc, const void* user_data) { (void)status; (void)code; (void)desc; (void)user_data; }
static void cb_SelfInfoUpdated(const char* json_user_profile, const void* user_data) { (void)json_user_profile; (void)user_data; }
static void cb_UserInfoChanged(const char* json_user_info_array, const void* user_data) { (void)json_user_info_array; (void)user_data; }
static void cb_UserSigExpired(const void* user_data) { (void)user_data; }
static void cb_UserStatusChanged(const char* json_user_status_array, const void* user_data) { (void)json_user_status_array; (void)user_data; }
static void cb_MsgAllMessageReceiveOption(const char* json_receive_message_option_info, const void* user_data) { (void)json_receive_message_option_info; (void)user_data; }
static void cb_MsgElemUploadProgress(const char* json_msg, uint32_t index, uint32_t cur_size, uint32_t total_size, const void* user_data) { (void)json_msg; (void)index; (void)cur_size; (void)total_size; (void)user_data; }
static void cb_MsgExtensionsChanged(const char* message_id, const char* message_extension_array, const void* user_data) { (void)message_id; (void)message_extension_array; (void)user_data; }
static void cb_MsgExtensionsDeleted(const char* message_id, const char* message_extension_key_array, const void* user_data) { (void)message_id; (void)message_extension_key_array; (void)user_data; }
static void cb_MsgGroupPinnedMessageChanged(const char *group_id, const char* json_msg, bool is_pinned, const char *op_user, const void* user_data) { (void)group_id; (void)json_msg; (void)is_pinned; (void)op_user; (void)user_data; }
static void cb_MsgReactionsChanged(const char* message_reaction_change_info_array, const void* user_data) { (void)message_reaction_change_info_array; (void)user_data; }
static void cb_MsgReadedReceipt(const char* json_msg_read_receipt_array, const void* user_data) { (void)json_msg_read_receipt_array; (void)user_data; }
static void cb_MsgRevoke(const char* json_msg_revoke_info_array, const void* user_data) { (void)json_msg_revoke_info_array; (void)user_data; }
static void cb_MsgUpdate(const char* json_msg_array, const void* user_data) { (void)json_msg_array; (void)user_data; }
static void cb_ConvConversationGroupCreated(const char* group_name, const char* conversation_array, const void* user_data) { (void)group_name; (void)conversation_array; (void)user_data; }
static void cb_ConvConversationGroupDeleted(const char* group_name, const void* user_data) { (void)group_name; (void)user_data; }
static void cb_ConvConversationGroupNameChanged(const char* old_name, const char* new_name, const void* user_data) { (void)old_name; (void)new_name; (void)user_data; }
static void cb_ConvConversationsAddedToGroup(const char* group_name, const char* conversation_array, const void* user_data) { (void)group_name; (void)conversation_array; (void)user_data; }
static void cb_ConvConversationsDeletedFromGroup(const char* group_name, const char* conversation_array, uint32_t reason, const void* user_data) { (void)group_name; (void)conversation_array; (void)reason; (void)user_data; }
static void cb_ConvEvent(enum TIMConvEvent conv_event, const char* json_conv_array, const void* user_data) { (void)conv_event; (void)json_conv_array; (void)user_data; }
static void cb_ConvTotalUnreadMessageCountChanged(int total_unread_count, const void* user_data) { (void)total_unread_count; (void)user_data; }
static void cb_ConvUnreadMessageCountChangedByFilter(const char* filter, int total_unread_count, const void* user_data) { (void)filter; (void)total_unread_count; (void)user_data; }
static void cb_GroupAttributeChanged(const char *group_id, const char* json_group_attribute_array, const void* user_data) { (void)group_id; (void)json_group_attribute_array; (void)user_data; }
static void cb_GroupCounterChanged(const char *group_id, const char *group_counter_key, int64_t group_counter_new_value, const void *user_data) { (void)group_id; (void)group_counter_key; (void)group_counter_new_value; (void)user_data; }
static void cb_GroupTipsEvent(const char* json_group_tip, const void* user_data) { (void)json_group_tip; (void)user_data; }
static void cb_GroupTopicChanged(const char *group_id, const char *topic_info, const void* user_data) { (void)group_id; (void)topic_info; (void)user_data; }
static void cb_GroupTopicCreated(const char *group_id, const char *topic_id, const void* user_data) { (void)group_id; (void)topic_id; (void)user_data; }
static void cb_GroupTopicDeleted(const char *group_id, const char *topic_id_array, const void* user_data) { (void)group_id; (void)topic_id_array; (void)user_data; }
static void cb_CommunityAddMembersToPermissionGroup(const char* group_id, const char* json_result, const void* user_data) { (void)group_id; (void)json_result; (void)user_data; }
static void cb_CommunityAddTopicPermission(const char* group_id, const char* json_result, const void* user_data) { (void)group_id; (void)json_result; (void)user_data; }
static void cb_CommunityChangePermissionGroupInfo(const char* group_id, const char* permission_group_info, const void* user_data) { (void)group_id; (void)permission_group_info; (void)user_data; }
static void cb_CommunityChangeTopicInfo(const char* group_id, const char* topic_info, const void* user_data) { (void)group_id; (void)topic_info; (void)user_data; }
static void cb_CommunityCreatePermissionGroup(const char* group_id, const char* permission_group_info, const void* user_data) { (void)group_id; (void)permission_group_info; (void)user_data; }
static void cb_CommunityCreateTopic(const char* group_id, const char* topic_id, const void* user_data) { (void)group_id; (void)topic_id; (void)user_data; }
static void cb_CommunityDeletePermissionGroup(const char* group_id, const char* permission_group_id_array, const void* user_data) { (void)group_id; (void)permission_group_id_array; (void)user_data; }
static void cb_CommunityDeleteTopic(const char* group_id, const char* topic_id_array, const void* user_data) { (void)group_id; (void)topic_id_array; (void)user_data; }
static void cb_CommunityDeleteTopicPermission(const char* group_id, const char* json_result, const void* user_data) { (void)group_id; (void)json_result; (void)user_data; }
static void cb_CommunityModifyTopicPermission(const char* group_id, const char* json_result, const void* user_data) { (void)group_id; (void)json_result; (void)user_data; }
static void cb_CommunityReceiveTopicRESTCustomData(const char* topic_id, const char* custom_data, const void* user_data) { (void)topic_id; (void)custom_data; (void)user_data; }
static void cb_CommunityRemoveMembersFromPermissionGroup(const char* group_id, const char* json_result, const void* user_data) { (void)group_id; (void)json_result; (void)user_data; }
static void cb_FriendAddRequest(const char* json_friend_add_request_pendency_array, const void* user_data) { (void)json_friend_add_request_pendency_array; (void)user_data; }
static void cb_FriendApplicationListDeleted(const char* json_identifier_array, const void* user_data) { (void)json_identifier_array; (void)user_data; }
static void cb_FriendApplicationListRead(const void* user_data) { (void)user_data; }
static void cb_FriendBlackListAdded(const char* json_friend_black_added_array, const void* user_data) { (void)json_friend_black_added_array; (void)user_data; }
static void cb_FriendBlackListDeleted(const char* json_identifier_array, const void* user_data) { (void)json_identifier_array; (void)user_data; }
static void cb_FriendGroupCreated(const char* group_name, const char* json_friend_info_array, const void* user_data) { (void)group_name; (void)json_friend_info_array; (void)user_data; }
static void cb_FriendGroupDeleted(const char* json_group_name_array, const void* user_data) { (void)json_group_name_array; (void)user_data; }
static void cb_FriendGroupNameChanged(const char* old_group_name, const char* new_group_name, const void* user_data) { (void)old_group_name; (void)new_group_name; (void)user_data; }
static void cb_FriendsAddedToGroup(const char* group_name, const char* json_friend_info_array, const void* user_data) { (void)group_name; (void)json_friend_info_array; (void)user_data; }
static void cb_FriendsDeletedFromGroup(const char* group_name, const char* json_friend_id_array, const void* user_data) { (void)group_name; (void)json_friend_id_array; (void)user_data; }
static void cb_MutualFollowersListChanged(const char* json_user_info_list, bool is_add, const void* user_data) { (void)json_user_info_list; (void)is_add; (void)user_data; }
static void cb_MyFollowersListChanged(const char* json_user_info_list, bool is_add, const void* user_data) { (void)json_user_info_list; (void)is_add; (void)user_data; }
static void cb_MyFollowingListChanged(const char* json_user_info_list, bool is_add, const void* user_data) { (void)json_user_info_list; (void)is_add; (void)user_data; }
static void cb_OfficialAccountDeleted(const char* official_account_id, const void* user_data) { (void)official_account_id; (void)user_data; }
static void cb_OfficialAccountInfoChanged(const char* json_official_account_info, const void* user_data) { (void)json_official_account_info; (void)user_data; }
static void cb_OfficialAccountSubscribed(const char* json_official_account_info, const void* user_data) { (void)json_official_account_info; (void)user_data; }
static void cb_OfficialAccountUnsubscribed(const char* official_account_id, const void* user_data) { (void)official_account_id; (void)user_data; }
static void cb_OnAddFriend(const char* json_identifier_array, const void* user_data) { (void)json_identifier_array; (void)user_data; }
static void cb_OnDeleteFriend(const char* json_identifier_array, const void* user_data) { (void)json_identifier_array; (void)user_data; }
static void cb_UpdateFriendProfile(const char* json_friend_profile_update_array, const void* user_data) { (void)json_friend_profile_update_array; (void)user_data; }
static void cb_SignalingInvitationCancelled(const char* invite_id, const char* inviter, const char* data, const void* user_data) { (void)invite_id; (void)inviter; (void)data; (void)user_data; }
static void cb_SignalingInvitationModified(const char* invite_id, const char* data, const void* user_data) { (void)invite_id; (void)data; (void)user_data; }
static void cb_SignalingInvitationTimeout(const char* invite_id, const char* json_invitee_list, const void* user_data) { (void)invite_id; (void)json_invitee_list; (void)user_data; }
static void cb_SignalingInviteeAccepted(const char* invite_id, const char* invitee, const char* data, const void* user_data) { (void)invite_id; (void)invitee; (void)data; (void)user_data; }
static void cb_SignalingInviteeRejected(const char* invite_id, const char* invitee, const char* data, const void* user_data) { (void)invite_id; (void)invitee; (void)data; (void)user_data; }
static void cb_SignalingReceiveNewInvitation(const char* invite_id, const char* inviter, const char* group_id, const char* json_invitee_list, const char* data, const void* user_data) { (void)invite_id; (void)inviter; (void)group_id; (void)json_invitee_list; (void)data; (void)user_data; }
static void cb_ExperimentalNotify(const char* key, const char* data, const void* user_data) { (void)key; (void)data; (void)user_data; }
static void on_recv(const char* json_msg_array, const void* user_data) { (void)json_msg_array; (void)user_data; }

/* The address of every covered export: the program does not link if one is missing. */
static void* const kExports[] = {
    (void*)TIMAddRecvNewMsgCallback,
    (void*)TIMConvAddConversationsToGroup,
    (void*)TIMConvCancelDraft,
    (void*)TIMConvCleanConversationUnreadMessageCount,
    (void*)TIMConvCreate,
    (void*)TIMConvCreateConversationGroup,
    (void*)TIMConvDelete,
    (void*)TIMConvDeleteConversationGroup,
    (void*)TIMConvDeleteConversationList,
    (void*)TIMConvDeleteConversationsFromGroup,
    (void*)TIMConvGetConvInfo,
    (void*)TIMConvGetConvList,
    (void*)TIMConvGetConversationGroupList,
    (void*)TIMConvGetConversationListByFilter,
    (void*)TIMConvGetTotalUnreadMessageCount,
    (void*)TIMConvGetUnreadMessageCountByFilter,
    (void*)TIMConvMarkConversation,
    (void*)TIMConvPinConversation,
    (void*)TIMConvRenameConversationGroup,
    (void*)TIMConvSetConversationCustomData,
    (void*)TIMConvSetDraft,
    (void*)TIMConvSubscribeUnreadMessageCountByFilter,
    (void*)TIMConvUnsubscribeUnreadMessageCountByFilter,
    (void*)TIMProfileGetUserProfileList,
    (void*)TIMProfileModifySelfUserProfile,
    (void*)TIMRemoveRecvNewMsgCallback,
    (void*)TIMSetCommunityAddMembersToPermissionGroupCallback,
    (void*)TIMSetCommunityAddTopicPermissionCallback,
    (void*)TIMSetCommunityChangePermissionGroupInfoCallback,
    (void*)TIMSetCommunityChangeTopicInfoCallback,
    (void*)TIMSetCommunityCreatePermissionGroupCallback,
    (void*)TIMSetCommunityCreateTopicCallback,
    (void*)TIMSetCommunityDeletePermissionGroupCallback,
    (void*)TIMSetCommunityDeleteTopicCallback,
    (void*)TIMSetCommunityDeleteTopicPermissionCallback,
    (void*)TIMSetCommunityModifyTopicPermissionCallback,
    (void*)TIMSetCommunityReceiveTopicRESTCustomDataCallback,
    (void*)TIMSetCommunityRemoveMembersFromPermissionGroupCallback,
    (void*)TIMSetConvConversationGroupCreatedCallback,
    (void*)TIMSetConvConversationGroupDeletedCallback,
    (void*)TIMSetConvConversationGroupNameChangedCallback,
    (void*)TIMSetConvConversationsAddedToGroupCallback,
    (void*)TIMSetConvConversationsDeletedFromGroupCallback,
    (void*)TIMSetConvEventCallback,
    (void*)TIMSetConvTotalUnreadMessageCountChangedCallback,
    (void*)TIMSetConvUnreadMessageCountChangedByFilterCallback,
    (void*)TIMSetExperimentalNotifyCallback,
    (void*)TIMSetFriendAddRequestCallback,
    (void*)TIMSetFriendApplicationListDeletedCallback,
    (void*)TIMSetFriendApplicationListReadCallback,
    (void*)TIMSetFriendBlackListAddedCallback,
    (void*)TIMSetFriendBlackListDeletedCallback,
    (void*)TIMSetFriendGroupCreatedCallback,
    (void*)TIMSetFriendGroupDeletedCallback,
    (void*)TIMSetFriendGroupNameChangedCallback,
    (void*)TIMSetFriendsAddedToGroupCallback,
    (void*)TIMSetFriendsDeletedFromGroupCallback,
    (void*)TIMSetGroupAttributeChangedCallback,
    (void*)TIMSetGroupCounterChangedCallback,
    (void*)TIMSetGroupTipsEventCallback,
    (void*)TIMSetGroupTopicChangedCallback,
    (void*)TIMSetGroupTopicCreatedCallback,
    (void*)TIMSetGroupTopicDeletedCallback,
    (void*)TIMSetKickedOfflineCallback,
    (void*)TIMSetLogCallback,
    (void*)TIMSetMsgAllMessageReceiveOptionCallback,
    (void*)TIMSetMsgElemUploadProgressCallback,
    (void*)TIMSetMsgExtensionsChangedCallback,
    (void*)TIMSetMsgExtensionsDeletedCallback,
    (void*)TIMSetMsgGroupPinnedMessageChangedCallback,
    (void*)TIMSetMsgReactionsChangedCallback,
    (void*)TIMSetMsgReadedReceiptCallback,
    (void*)TIMSetMsgRevokeCallback,
    (void*)TIMSetMsgUpdateCallback,
    (void*)TIMSetMutualFollowersListChangedCallback,
    (void*)TIMSetMyFollowersListChangedCallback,
    (void*)TIMSetMyFollowingListChangedCallback,
    (void*)TIMSetNetworkStatusListenerCallback,
    (void*)TIMSetOfficialAccountDeletedCallback,
    (void*)TIMSetOfficialAccountInfoChangedCallback,
    (void*)TIMSetOfficialAccountSubscribedCallback,
    (void*)TIMSetOfficialAccountUnsubscribedCallback,
    (void*)TIMSetOnAddFriendCallback,
    (void*)TIMSetOnDeleteFriendCallback,
    (void*)TIMSetSelfInfoUpdatedCallback,
    (void*)TIMSetSignalingInvitationCancelledCallback,
    (void*)TIMSetSignalingInvitationModifiedCallback,
    (void*)TIMSetSignalingInvitationTimeoutCallback,
    (void*)TIMSetSignalingInviteeAcceptedCallback,
    (void*)TIMSetSignalingInviteeRejectedCallback,
    (void*)TIMSetSignalingReceiveNewInvitationCallback,
    (void*)TIMSetUpdateFriendProfileCallback,
    (void*)TIMSetUserInfoChangedCallback,
    (void*)TIMSetUserSigExpiredCallback,
    (void*)TIMSetUserStatusChangedCallback,
    (void*)callExperimentalAPI,
};

static void set_all(int clear) {
    const void* ud = clear ? (const void*)"" : (const void*)&g_tag;
    TIMSetKickedOfflineCallback(clear ? NULL : cb_KickedOffline, ud);
    TIMSetLogCallback(clear ? NULL : cb_Log, ud);
    TIMSetNetworkStatusListenerCallback(clear ? NULL : cb_NetworkStatusListener, ud);
    TIMSetSelfInfoUpdatedCallback(clear ? NULL : cb_SelfInfoUpdated, ud);
    TIMSetUserInfoChangedCallback(clear ? NULL : cb_UserInfoChanged, ud);
    TIMSetUserSigExpiredCallback(clear ? NULL : cb_UserSigExpired, ud);
    TIMSetUserStatusChangedCallback(clear ? NULL : cb_UserStatusChanged, ud);
    TIMSetMsgAllMessageReceiveOptionCallback(clear ? NULL : cb_MsgAllMessageReceiveOption, ud);
    TIMSetMsgElemUploadProgressCallback(clear ? NULL : cb_MsgElemUploadProgress, ud);
    TIMSetMsgExtensionsChangedCallback(clear ? NULL : cb_MsgExtensionsChanged, ud);
    TIMSetMsgExtensionsDeletedCallback(clear ? NULL : cb_MsgExtensionsDeleted, ud);
    TIMSetMsgGroupPinnedMessageChangedCallback(clear ? NULL : cb_MsgGroupPinnedMessageChanged, ud);
    TIMSetMsgReactionsChangedCallback(clear ? NULL : cb_MsgReactionsChanged, ud);
    TIMSetMsgReadedReceiptCallback(clear ? NULL : cb_MsgReadedReceipt, ud);
    TIMSetMsgRevokeCallback(clear ? NULL : cb_MsgRevoke, ud);
    TIMSetMsgUpdateCallback(clear ? NULL : cb_MsgUpdate, ud);
    TIMSetConvConversationGroupCreatedCallback(clear ? NULL : cb_ConvConversationGroupCreated, ud);
    TIMSetConvConversationGroupDeletedCallback(clear ? NULL : cb_ConvConversationGroupDeleted, ud);
    TIMSetConvConversationGroupNameChangedCallback(clear ? NULL : cb_ConvConversationGroupNameChanged, ud);
    TIMSetConvConversationsAddedToGroupCallback(clear ? NULL : cb_ConvConversationsAddedToGroup, ud);
    TIMSetConvConversationsDeletedFromGroupCallback(clear ? NULL : cb_ConvConversationsDeletedFromGroup, ud);
    TIMSetConvEventCallback(clear ? NULL : cb_ConvEvent, ud);
    TIMSetConvTotalUnreadMessageCountChangedCallback(clear ? NULL : cb_ConvTotalUnreadMessageCountChanged, ud);
    TIMSetConvUnreadMessageCountChangedByFilterCallback(clear ? NULL : cb_ConvUnreadMessageCountChangedByFilter, ud);
    TIMSetGroupAttributeChangedCallback(clear ? NULL : cb_GroupAttributeChanged, ud);
    TIMSetGroupCounterChangedCallback(clear ? NULL : cb_GroupCounterChanged, ud);
    TIMSetGroupTipsEventCallback(clear ? NULL : cb_GroupTipsEvent, ud);
    TIMSetGroupTopicChangedCallback(clear ? NULL : cb_GroupTopicChanged, ud);
    TIMSetGroupTopicCreatedCallback(clear ? NULL : cb_GroupTopicCreated, ud);
    TIMSetGroupTopicDeletedCallback(clear ? NULL : cb_GroupTopicDeleted, ud);
    TIMSetCommunityAddMembersToPermissionGroupCallback(clear ? NULL : cb_CommunityAddMembersToPermissionGroup, ud);
    TIMSetCommunityAddTopicPermissionCallback(clear ? NULL : cb_CommunityAddTopicPermission, ud);
    TIMSetCommunityChangePermissionGroupInfoCallback(clear ? NULL : cb_CommunityChangePermissionGroupInfo, ud);
    TIMSetCommunityChangeTopicInfoCallback(clear ? NULL : cb_CommunityChangeTopicInfo, ud);
    TIMSetCommunityCreatePermissionGroupCallback(clear ? NULL : cb_CommunityCreatePermissionGroup, ud);
    TIMSetCommunityCreateTopicCallback(clear ? NULL : cb_CommunityCreateTopic, ud);
    TIMSetCommunityDeletePermissionGroupCallback(clear ? NULL : cb_CommunityDeletePermissionGroup, ud);
    TIMSetCommunityDeleteTopicCallback(clear ? NULL : cb_CommunityDeleteTopic, ud);
    TIMSetCommunityDeleteTopicPermissionCallback(clear ? NULL : cb_CommunityDeleteTopicPermission, ud);
    TIMSetCommunityModifyTopicPermissionCallback(clear ? NULL : cb_CommunityModifyTopicPermission, ud);
    TIMSetCommunityReceiveTopicRESTCustomDataCallback(clear ? NULL : cb_CommunityReceiveTopicRESTCustomData, ud);
    TIMSetCommunityRemoveMembersFromPermissionGroupCallback(clear ? NULL : cb_CommunityRemoveMembersFromPermissionGroup, ud);
    TIMSetFriendAddRequestCallback(clear ? NULL : cb_FriendAddRequest, ud);
    TIMSetFriendApplicationListDeletedCallback(clear ? NULL : cb_FriendApplicationListDeleted, ud);
    TIMSetFriendApplicationListReadCallback(clear ? NULL : cb_FriendApplicationListRead, ud);
    TIMSetFriendBlackListAddedCallback(clear ? NULL : cb_FriendBlackListAdded, ud);
    TIMSetFriendBlackListDeletedCallback(clear ? NULL : cb_FriendBlackListDeleted, ud);
    TIMSetFriendGroupCreatedCallback(clear ? NULL : cb_FriendGroupCreated, ud);
    TIMSetFriendGroupDeletedCallback(clear ? NULL : cb_FriendGroupDeleted, ud);
    TIMSetFriendGroupNameChangedCallback(clear ? NULL : cb_FriendGroupNameChanged, ud);
    TIMSetFriendsAddedToGroupCallback(clear ? NULL : cb_FriendsAddedToGroup, ud);
    TIMSetFriendsDeletedFromGroupCallback(clear ? NULL : cb_FriendsDeletedFromGroup, ud);
    TIMSetMutualFollowersListChangedCallback(clear ? NULL : cb_MutualFollowersListChanged, ud);
    TIMSetMyFollowersListChangedCallback(clear ? NULL : cb_MyFollowersListChanged, ud);
    TIMSetMyFollowingListChangedCallback(clear ? NULL : cb_MyFollowingListChanged, ud);
    TIMSetOfficialAccountDeletedCallback(clear ? NULL : cb_OfficialAccountDeleted, ud);
    TIMSetOfficialAccountInfoChangedCallback(clear ? NULL : cb_OfficialAccountInfoChanged, ud);
    TIMSetOfficialAccountSubscribedCallback(clear ? NULL : cb_OfficialAccountSubscribed, ud);
    TIMSetOfficialAccountUnsubscribedCallback(clear ? NULL : cb_OfficialAccountUnsubscribed, ud);
    TIMSetOnAddFriendCallback(clear ? NULL : cb_OnAddFriend, ud);
    TIMSetOnDeleteFriendCallback(clear ? NULL : cb_OnDeleteFriend, ud);
    TIMSetUpdateFriendProfileCallback(clear ? NULL : cb_UpdateFriendProfile, ud);
    TIMSetSignalingInvitationCancelledCallback(clear ? NULL : cb_SignalingInvitationCancelled, ud);
    TIMSetSignalingInvitationModifiedCallback(clear ? NULL : cb_SignalingInvitationModified, ud);
    TIMSetSignalingInvitationTimeoutCallback(clear ? NULL : cb_SignalingInvitationTimeout, ud);
    TIMSetSignalingInviteeAcceptedCallback(clear ? NULL : cb_SignalingInviteeAccepted, ud);
    TIMSetSignalingInviteeRejectedCallback(clear ? NULL : cb_SignalingInviteeRejected, ud);
    TIMSetSignalingReceiveNewInvitationCallback(clear ? NULL : cb_SignalingReceiveNewInvitation, ud);
    TIMSetExperimentalNotifyCallback(clear ? NULL : cb_ExperimentalNotify, ud);
    if (clear) TIMRemoveRecvNewMsgCallback(on_recv);
    else TIMAddRecvNewMsgCallback(on_recv, &g_tag);
}

int main(int argc, char** argv) {
    CHECK(argc == 4);
    for (size_t i = 0; i < sizeof kExports / sizeof kExports[0]; i++) CHECK(kExports[i] != NULL);
    CHECK_EQ(sizeof kExports / sizeof kExports[0], 96);
    char config[1024];
    snprintf(config, sizeof config, "{\"sdk_config_config_file_path\":\"%s\"}", argv[1]);
    /* Before TIMInit, as the wrappers call it. */
    CHECK(TIMGetSDKVersion() != NULL);
    CHECK_EQ(callExperimentalAPI("{\"request_internal_operation\":\"internal_operation_set_ui_platform\",\"request_set_ui_platform_param\":5}", on_result, &g_exp1), TIM_SUCC);
    CHECK_EQ(callExperimentalAPI("{\"request_internal_operation\":\"internal_operation_set_ui_platform\",\"request_set_ui_platform_param\":\"electron\"}", NULL, ""), TIM_SUCC);
    CHECK_EQ(callExperimentalAPI("{\"request_internal_operation\":\"internal_operation_write_log\",\"request_write_log_log_level_param\":4,\"request_write_log_log_content_param\":\"wrapper starting\",\"request_write_log_func_name_param\":\"tencent-chat-unity-sdk: Init\"}", NULL, ""), TIM_SUCC);
    wait_for(&g_exp1.done, "the UI-platform callback");
    CHECK_EQ(g_exp1.code, 0);
    CHECK(strstr(g_exp1.json, "\"response_internal_operation\":\"internal_operation_set_ui_platform\"") != NULL);
    /* Unknown operations and bad JSON: a code, never a crash. */
    CHECK_EQ(callExperimentalAPI("{\"request_internal_operation\":\"internal_operation_no_such_thing\"}", on_result, &g_bad), TIM_SUCC);
    wait_for(&g_bad.done, "the unknown operation's callback");
    CHECK_EQ(g_bad.code, ERR_INVALID_PARAMETERS);
    CHECK(strcmp(g_bad.desc, "") != 0);
    CHECK_EQ(callExperimentalAPI(NULL, on_result, &g_bad), TIM_ERR_PARAM);
    CHECK_EQ(callExperimentalAPI("{oops", on_result, &g_bad), TIM_ERR_JSON);
    CHECK_EQ(callExperimentalAPI("[1]", on_result, &g_bad), TIM_ERR_JSON);
    CHECK_EQ(callExperimentalAPI("\xff", on_result, &g_bad), TIM_ERR_JSON);

    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);
    set_all(0);
    CHECK_EQ(callExperimentalAPI("{\"request_internal_operation\":\"internal_operation_is_commercial_ability_enabled\",\"request_is_commercial_ability_enabled_param\":1}", on_result, &g_exp2), TIM_SUCC);
    wait_for(&g_exp2.done, "the commercial-ability callback");
    CHECK(strstr(g_exp2.json, "\"commercial_ability_result_enabled\":true") != NULL);
    /* write_log reaches the log callback at its level. */
    CHECK_EQ(callExperimentalAPI("{\"request_internal_operation\":\"internal_operation_write_log\",\"request_write_log_log_level_param\":4,\"request_write_log_log_content_param\":\"wrapper line after init\"}", NULL, ""), TIM_SUCC);
    wait_for(&g_app_line, "the written log line");
    CHECK_EQ(TIMLogin(argv[2], argv[3], on_result, &g_r), TIM_SUCC);
    wait_for(&g_r.done, "login");
    CHECK_EQ(g_r.code, 0);
    memset(&g_r, 0, sizeof g_r);
    CHECK_EQ(TIMConvGetConvList(on_result, &g_r), TIM_SUCC);
    wait_for(&g_r.done, "the conversation list");
    CHECK_EQ(g_r.code, 0);
    memset(&g_r, 0, sizeof g_r);
    CHECK_EQ(TIMLogout(on_result, &g_r), TIM_SUCC);
    wait_for(&g_r.done, "logout");
    /* Uninit as the Unity wrapper does it: every setter cleared with NULL first. */
    set_all(1);
    CHECK_EQ(TIMUninit(), TIM_SUCC);
    /* After TIMUninit the setters still take NULL and callbacks (they work before TIMInit). */
    set_all(0);
    set_all(1);
    CHECK_EQ(g_unexpected, 0);
    printf("OK wrapper\n");
    return 0;
}
