/* Code written the way Tencent's documentation writes it (seeds 001/003, functions.md), against
 * the generated TIMCloud.h only: JSON built from the kTIM... key constants, enum constants,
 * callbacks with Tencent's exact signatures handed to the setters, TIMLoginStatus, error code
 * names. Compiled as C (this file) and as C++ (tencent_style.cpp includes it), both with
 * -Wall -Wextra -Werror, then run: the calls that need no server return their codes.
 *   tencent_style <data_dir>
 * Kept in the common subset of C and C++. */
#include "TIMCloud.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPECT(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); exit(1); } } while (0)

static const uint64_t kSdkAppId = 1400000042;
static int g_callbacks; /* no callback may run: every call below fails synchronously */

/* Callbacks with the exact signatures of functions.md §1. */
static void OnNetworkStatus(enum TIMNetworkStatus status, int32_t code, const char* desc, const void* user_data) {
    (void)status; (void)code; (void)desc; (void)user_data;
}
static void OnLog(enum TIMLogLevel level, const char* log, const void* user_data) {
    (void)level; (void)log; (void)user_data;
}
static void OnComm(int32_t code, const char* desc, const char* json_params, const void* user_data) {
    (void)code; (void)desc; (void)json_params; (void)user_data;
    g_callbacks++;
}
static void OnRecvNewMsg(const char* json_msg_array, const void* user_data) { (void)json_msg_array; (void)user_data; }
static void OnMsgRevoke(const char* json_msg_revoke_info_array, const void* user_data) { (void)json_msg_revoke_info_array; (void)user_data; }
static void OnMsgUpdate(const char* json_msg_array, const void* user_data) { (void)json_msg_array; (void)user_data; }
static void OnReadedReceipt(const char* json_msg_read_receipt_array, const void* user_data) { (void)json_msg_read_receipt_array; (void)user_data; }
static void OnExtensionsChanged(const char* message_id, const char* message_extension_array, const void* user_data) {
    (void)message_id; (void)message_extension_array; (void)user_data;
}
static void OnExtensionsDeleted(const char* message_id, const char* message_extension_key_array, const void* user_data) {
    (void)message_id; (void)message_extension_key_array; (void)user_data;
}
static void OnKickedOffline(const void* user_data) { (void)user_data; }
static void OnUserSigExpired(const void* user_data) { (void)user_data; }
static void OnUploadProgress(const char* json_msg, uint32_t index, uint32_t cur_size, uint32_t total_size, const void* user_data) {
    (void)json_msg; (void)index; (void)cur_size; (void)total_size; (void)user_data;
}
static void OnReadMembers(const char* json_group_member_array, uint64_t next_seq, bool is_finished, const void* user_data) {
    (void)json_group_member_array; (void)next_seq; (void)is_finished; (void)user_data;
    g_callbacks++;
}

/* What an app does with a callback's code: compare with the error code names. */
static const char* Describe(int32_t code) {
    switch (code) {
    case ERR_SUCC: return "ok";
    case ERR_SDK_NOT_LOGGED_IN: return "log in first";
    case ERR_INVALID_JSON: return "bad JSON";
    case ERR_USER_SIG_EXPIRED: return "new UserSig needed";
    default: return "other";
    }
}

/* Every check; returns 0. */
static int RunTencentStyleChecks(const char* data_dir) {
    char config[1024];
    snprintf(config, sizeof config, "{\"%s\":\"%s\"}", kTIMSdkConfigConfigFilePath, data_dir);

    /* Setters work before TIMInit (Tencent: register before login). */
    TIMSetNetworkStatusListenerCallback(OnNetworkStatus, NULL);
    TIMSetLogCallback(OnLog, NULL);
    TIMAddRecvNewMsgCallback(OnRecvNewMsg, NULL);
    TIMSetMsgRevokeCallback(OnMsgRevoke, NULL);
    TIMSetMsgUpdateCallback(OnMsgUpdate, NULL);
    TIMSetMsgReadedReceiptCallback(OnReadedReceipt, NULL);
    TIMSetMsgExtensionsChangedCallback(OnExtensionsChanged, NULL);
    TIMSetMsgExtensionsDeletedCallback(OnExtensionsDeleted, NULL);
    TIMSetKickedOfflineCallback(OnKickedOffline, NULL);
    TIMSetUserSigExpiredCallback(OnUserSigExpired, NULL);
    TIMSetMsgElemUploadProgressCallback(OnUploadProgress, NULL);

    EXPECT(TIMInit(kSdkAppId, config) == TIM_SUCC);
    const char* version = TIMGetSDKVersion();
    EXPECT(version != NULL && strlen(version) > 0);
    EXPECT(TIMGetServerTime() > 0);

    TIMLoginStatus status = TIMGetLoginStatus();
    EXPECT(status == kTIMLoginStatus_UnLogined);
    char user_id[128];
    EXPECT(TIMGetLoginUserID(user_id) == TIM_ERR_NOTLOGIN);

    /* The message of seed 003's TIMMsgSendMessage sample, with the key constants. */
    char json_msg[1024];
    snprintf(json_msg, sizeof json_msg,
             "{\"%s\":[{\"%s\":%d,\"%s\":\"send text\"}],\"%s\":%d,\"%s\":%d}",
             kTIMMsgElemArray, kTIMElemType, (int)kTIMElem_Text, kTIMTextElemContent,
             kTIMMsgPriority, (int)kTIMMsgPriority_Normal, kTIMMsgConvType, (int)kTIMConv_C2C);
    char message_id_buffer[128] = {0};
    EXPECT(TIMMsgSendMessage("user2", kTIMConv_C2C, json_msg, message_id_buffer, OnComm, NULL) == TIM_ERR_NOTLOGIN);
    EXPECT(TIMMsgSendNewMsg("group1", kTIMConv_Group, json_msg, OnComm, NULL) == TIM_ERR_NOTLOGIN);
    EXPECT(TIMMsgGetMsgList("user2", kTIMConv_C2C, "{not json", OnComm, NULL) == TIM_ERR_JSON);
    EXPECT(TIMMsgSetC2CReceiveMessageOpt("[\"user2\"]", kTIMRecvMsgOpt_Not_Notify, OnComm, NULL) == TIM_ERR_NOTLOGIN);
    EXPECT(TIMMsgSetGroupReceiveMessageOpt("group1", kTIMRecvMsgOpt_Receive, OnComm, NULL) == TIM_ERR_NOTLOGIN);

    char group_msg[1024];
    snprintf(group_msg, sizeof group_msg, "{\"%s\":\"group1\",\"%s\":%d,\"%s\":[]}",
             kTIMMsgConvId, kTIMMsgConvType, (int)kTIMConv_Group, kTIMMsgElemArray);
    EXPECT(TIMMsgGetGroupMessageReadMemberList(group_msg, TIM_GROUP_MESSAGE_READ_MEMBERS_FILTER_READ, 0, 100, OnReadMembers, NULL) == TIM_ERR_NOTLOGIN);
    EXPECT(TIMLogout(OnComm, NULL) == TIM_ERR_NOTLOGIN);

    /* Codes are compared by name, as apps do. */
    TIMErrCode code = ERR_SDK_NOT_LOGGED_IN;
    EXPECT(strcmp(Describe(code), "log in first") == 0);
    EXPECT(ERR_SDK_NOT_LOGGED_IN == 6014 && ERR_INVALID_JSON == 6027);
    EXPECT(strcmp(kImSDK_MessageAtALL, "__kImSDK_MessageAtALL__") == 0);

    TIMRemoveRecvNewMsgCallback(OnRecvNewMsg);
    EXPECT(TIMUninit() == TIM_SUCC);
    EXPECT(TIMGetLoginStatus() == kTIMLoginStatus_UnLogined);
    EXPECT(g_callbacks == 0);
    return 0;
}

#ifndef TENCENT_STYLE_NO_MAIN
int main(int argc, char** argv) {
    EXPECT(argc == 2);
    RunTencentStyleChecks(argv[1]);
    printf("OK c\n");
    return 0;
}
#endif
