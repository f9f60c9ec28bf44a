/* The conversation list and profiles as a C app sees them, against a real server.
 *   conversations first <data_dir> <sig>   alice's first device (the driver plays bob)
 *   conversations second <data_dir> <sig>  alice's second device, after the first ended
 * Prints READY once bob may send "one" and "two", then STEP2 once bob may send "three" and
 * revoke it; "OK <role>" at the end. Every wait is bounded (test_util.h). */
#include "TIMCloud.h"
#define TIM_TEST_RESULTS
#include "test_util.h"

static const uint64_t APP = 1400000042;

static struct result g_r;               /* the call being waited for */
static volatile int g_conv_events;      /* conversation events seen */
static int g_kinds[512];                /* their kinds, in order */
static char g_kind_ids[512][64];        /* the first conv_id of each (or "") */
static char g_last_conv[65536];         /* the newest conversation event's JSON */
static volatile int g_finish;           /* kTIMConvEvent_Finish seen */
static volatile int g_total = -1;       /* last total unread reported */
static volatile int g_total_calls;
static volatile int g_filter_count = -1; /* last count of the subscribed C2C filter */
static char g_filter_text[256];
static volatile int g_self_info;
static char g_self[4096];
static volatile int g_recv;
static char g_recv_json[65536];
static volatile int g_revoked;
static volatile int g_group_created;
static char g_group_name[64];
static int g_tag;

static void on_conv_event(enum TIMConvEvent kind, const char* json, const void* user_data) {
    CHECK(user_data == &g_tag);
    CHECK(json != NULL);
    pthread_mutex_lock(&g_lock);
    if (g_conv_events < 512) {
        g_kinds[g_conv_events] = (int)kind;
        const char* id = strstr(json, "\"conv_id\":\"");
        g_kind_ids[g_conv_events][0] = 0;
        if (id) sscanf(id + 11, "%63[^\"]", g_kind_ids[g_conv_events]);
    }
    if (kind == kTIMConvEvent_Start || kind == kTIMConvEvent_Finish) CHECK(strcmp(json, "") == 0);
    if (kind == kTIMConvEvent_Finish) g_finish = 1;
    snprintf(g_last_conv, sizeof g_last_conv, "%s", json);
    g_conv_events++;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void on_total(int total, const void* user_data) {
    CHECK(user_data == &g_tag);
    pthread_mutex_lock(&g_lock);
    g_total = total;
    g_total_calls++;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void on_filter_count(const char* filter, int count, const void* user_data) {
    CHECK(user_data == &g_tag && filter != NULL);
    pthread_mutex_lock(&g_lock);
    snprintf(g_filter_text, sizeof g_filter_text, "%s", filter);
    g_filter_count = count;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void on_self_info(const char* json, const void* user_data) {
    CHECK(user_data == &g_tag && json != NULL);
    pthread_mutex_lock(&g_lock);
    snprintf(g_self, sizeof g_self, "%s", json);
    g_self_info = 1;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void on_recv(const char* json, const void* user_data) {
    (void)user_data;
    pthread_mutex_lock(&g_lock);
    snprintf(g_recv_json, sizeof g_recv_json, "%s", json);
    const char* at = json;
    while ((at = strstr(at, "\"message_elem_array\"")) != NULL) { g_recv++; at++; }
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void on_revoke(const char* json, const void* user_data) {
    (void)user_data;
    CHECK(json != NULL);
    pthread_mutex_lock(&g_lock);
    g_revoked = 1;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void on_group_created(const char* name, const char* conversations, const void* user_data) {
    CHECK(user_data == &g_tag && name != NULL && conversations != NULL);
    pthread_mutex_lock(&g_lock);
    snprintf(g_group_name, sizeof g_group_name, "%s", name);
    CHECK(strstr(conversations, "c2c_bob") != NULL);
    g_group_created = 1;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void on_experimental(int32_t code, const char* desc, const char* json, const void* user_data) {
    (void)code; (void)desc; (void)json; (void)user_data;
}

/* Waits for the call's callback; exits unless its code is `code`. */
static void call_done(int rc, int32_t code, const char* what) {
    if (rc != TIM_SUCC) { fprintf(stderr, "%s returned %d\n", what, rc); exit(1); }
    wait_for(&g_r.done, what);
    if (g_r.code != code) { fprintf(stderr, "%s: %d %s (expected %d)\n", what, g_r.code, g_r.desc, code); exit(1); }
}

static void reset(void) { pthread_mutex_lock(&g_lock); memset(&g_r, 0, sizeof g_r); pthread_mutex_unlock(&g_lock); }

/* Waits (bounded) until `cond` holds, re-checked under the lock whenever a callback ran. */
#define WAIT_UNTIL(cond, what) do { \
    struct timespec dl_; clock_gettime(CLOCK_REALTIME, &dl_); dl_.tv_sec += WAIT_SECONDS; \
    pthread_mutex_lock(&g_lock); \
    while (!(cond)) { \
        if (pthread_cond_timedwait(&g_cond, &g_lock, &dl_) != 0 && !(cond)) { \
            fprintf(stderr, "timed out waiting for %s; last conversation event: %s\n", what, g_last_conv); exit(1); } \
    } \
    pthread_mutex_unlock(&g_lock); } while (0)

static void get_list(void) {
    reset();
    call_done(TIMConvGetConvList(on_result, &g_r), 0, "TIMConvGetConvList");
    CHECK(g_r.json[0] == '[');
}

static void bad_input(void) {
    char many[4096] = "[";
    for (int i = 0; i < 101; i++) strcat(many, i ? ",\"c2c_x\"" : "\"c2c_x\"");
    strcat(many, "]");
    reset();
    CHECK_EQ(TIMConvGetConvInfo(NULL, on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvGetConvInfo("not json", on_result, &g_r), TIM_ERR_JSON);
    CHECK_EQ(TIMConvGetConvInfo("{\"get_conversation_list_param_conv_id\":\"bob\"}", on_result, &g_r), TIM_ERR_JSON);
    CHECK_EQ(TIMConvGetConvInfo("[{\"get_conversation_list_param_conv_id\":7,\"get_conversation_list_param_conv_type\":1}]", on_result, &g_r), TIM_ERR_JSON);
    CHECK_EQ(TIMConvGetConvInfo("[{\"get_conversation_list_param_conv_type\":1}]", on_result, &g_r), TIM_ERR_JSON);
    CHECK_EQ(TIMConvDelete(NULL, kTIMConv_C2C, on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvDelete("bob", (enum TIMConvType)9, on_result, &g_r), TIM_ERR_CONV);
    CHECK_EQ(TIMConvDelete("\xff\xfe", kTIMConv_C2C, on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvMarkConversation("[]", 1, true, on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvMarkConversation(many, 1, true, on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvMarkConversation("[1,2]", 1, true, on_result, &g_r), TIM_ERR_JSON);
    CHECK_EQ(TIMConvSetDraft("bob", kTIMConv_C2C, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvSetDraft("bob", kTIMConv_C2C, "{\"draft_edit_time\":\"x\"}"), TIM_ERR_JSON);
    CHECK_EQ(TIMConvCancelDraft(NULL, kTIMConv_C2C), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvCreateConversationGroup(NULL, "[\"c2c_bob\"]", on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvRenameConversationGroup("a", NULL, on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvSubscribeUnreadMessageCountByFilter(NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvSubscribeUnreadMessageCountByFilter("[1]"), TIM_ERR_JSON);
    CHECK_EQ(TIMConvGetUnreadMessageCountByFilter("{\"conversation_list_filter_conv_type\":\"c2c\"}", on_result, &g_r), TIM_ERR_JSON);
    CHECK_EQ(TIMConvCleanConversationUnreadMessageCount("alice", 0, 0, on_result, &g_r), TIM_ERR_CONV);
    CHECK_EQ(TIMProfileGetUserProfileList(NULL, on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMProfileGetUserProfileList("{}", on_result, &g_r), TIM_ERR_JSON);
    CHECK_EQ(TIMProfileGetUserProfileList("{\"friendship_getprofilelist_param_identifier_array\":[]}", on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMProfileModifySelfUserProfile("{\"user_profile_item_gender\":\"male\"}", on_result, &g_r), TIM_ERR_JSON);
    CHECK_EQ(TIMConvCreate(NULL, kTIMConv_C2C, on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvCreate("bob", kTIMConv_Invalid, on_result, &g_r), TIM_ERR_CONV);
    CHECK_EQ(TIMConvGetConversationListByFilter("{oops", 0, 10, on_result, &g_r), TIM_ERR_JSON);
    CHECK_EQ(TIMConvGetConversationListByFilter("{\"conversation_list_filter_mark_type\":-1}", 0, 10, on_result, &g_r), TIM_ERR_JSON);
    CHECK_EQ(TIMConvPinConversation("bob", (enum TIMConvType)7, true, on_result, &g_r), TIM_ERR_CONV);
    CHECK_EQ(TIMConvPinConversation(NULL, kTIMConv_C2C, true, on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvDeleteConversationList(NULL, false, on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvDeleteConversationList("{\"a\":1}", false, on_result, &g_r), TIM_ERR_JSON);
    CHECK_EQ(TIMConvDeleteConversationList(many, false, on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvSetConversationCustomData(NULL, "x", on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvSetConversationCustomData("[\"c2c_bob\"]", "\xff", on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvDeleteConversationGroup(NULL, on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvAddConversationsToGroup("friends", NULL, on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvDeleteConversationsFromGroup("friends", many, on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvCreateConversationGroup("friends", "[]", on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvUnsubscribeUnreadMessageCountByFilter(NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMConvUnsubscribeUnreadMessageCountByFilter("nope"), TIM_ERR_JSON);
    CHECK_EQ(TIMConvGetUnreadMessageCountByFilter(NULL, on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMProfileGetUserProfileList("{\"friendship_getprofilelist_param_identifier_array\":[\"\"]}", on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMProfileModifySelfUserProfile(NULL, on_result, &g_r), TIM_ERR_PARAM);
    CHECK_EQ(TIMProfileModifySelfUserProfile("[]", on_result, &g_r), TIM_ERR_JSON);
    CHECK_EQ(g_r.done, 0); /* no refused call called back */
    CHECK_EQ(TIMConvGetConvList(NULL, NULL), TIM_SUCC);
    CHECK_EQ(TIMConvGetConversationGroupList(NULL, NULL), TIM_SUCC);
    CHECK_EQ(TIMConvGetTotalUnreadMessageCount(NULL, NULL), TIM_SUCC);
    /* Limits arrive in the callback with their codes. */
    char big[600], json[1024];
    memset(big, 'n', 501); big[501] = 0;
    snprintf(json, sizeof json, "{\"%s\":\"%s\"}", kTIMUserProfileItemNickName, big);
    reset();
    call_done(TIMProfileModifySelfUserProfile(json, on_result, &g_r), ERR_SVR_PROFILE_SIZE_LIMIT, "a 501-byte nickname");
    memset(big, 'c', 257); big[257] = 0;
    reset();
    call_done(TIMConvSetConversationCustomData("[\"c2c_bob\",\"bogus\"]", big, on_result, &g_r), 0, "257 bytes of custom data");
    CHECK(strstr(g_r.json, "\"conversation_operation_result_result_code\":6017") != NULL);
    CHECK(strstr(g_r.json, "\"conversation_operation_result_result_code\":6004") != NULL);
    reset();
    call_done(TIMConvAddConversationsToGroup("nope", "[\"c2c_bob\"]", on_result, &g_r), ERR_SVR_CONV_CONV_GROUP_NOT_EXIST, "adding to a missing group");
    reset();
    call_done(TIMConvGetConvInfo("[{\"get_conversation_list_param_conv_id\":\"nobody\",\"get_conversation_list_param_conv_type\":1}]", on_result, &g_r), 0, "info of an unknown conversation");
    CHECK(strcmp(g_r.json, "[]") == 0);
}

static void first(const char* data, const char* sig) {
    char config[1024];
    snprintf(config, sizeof config, "{\"%s\":\"%s\"}", kTIMSdkConfigConfigFilePath, data);
    CHECK_EQ(TIMConvGetConvList(on_result, &g_r), TIM_ERR_SDKUNINIT);
    CHECK_EQ(callExperimentalAPI("{\"request_internal_operation\":\"internal_operation_set_ui_platform\",\"request_set_ui_platform_param\":7}", on_experimental, ""), TIM_SUCC);
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);
    TIMSetConvEventCallback(on_conv_event, &g_tag);
    TIMSetConvTotalUnreadMessageCountChangedCallback(on_total, &g_tag);
    TIMSetSelfInfoUpdatedCallback(on_self_info, &g_tag);
    TIMSetConvConversationGroupCreatedCallback(on_group_created, &g_tag);
    TIMSetConvUnreadMessageCountChangedByFilterCallback(on_filter_count, &g_tag);
    TIMAddRecvNewMsgCallback(on_recv, &g_tag);
    TIMSetMsgRevokeCallback(on_revoke, &g_tag);
    CHECK_EQ(TIMConvGetConvList(on_result, &g_r), TIM_ERR_NOTLOGIN);
    reset();
    call_done(TIMLogin("alice", sig, on_result, &g_r), 0, "login");
    WAIT_UNTIL(g_finish, "the conversation sync");
    bad_input();

    char json[2048];
    snprintf(json, sizeof json, "{\"%s\":\"Alice\",\"%s\":\"https://a.test/a.png\",\"%s\":[{\"%s\":\"Hobby\",\"%s\":\"chess\"}]}",
             kTIMUserProfileItemNickName, kTIMUserProfileItemFaceUrl, kTIMUserProfileItemCustomStringArray,
             kTIMUserProfileCustomStringInfoKey, kTIMUserProfileCustomStringInfoValue);
    reset();
    call_done(TIMProfileModifySelfUserProfile(json, on_result, &g_r), 0, "set profile");
    WAIT_UNTIL(g_self_info, "the self-info callback");
    CHECK(strstr(g_self, "\"user_profile_nick_name\":\"Alice\"") != NULL);
    CHECK(strstr(g_self, "Tag_Profile_Custom_Hobby") != NULL);

    reset();
    call_done(TIMMsgSendNewMsg("carol", kTIMConv_C2C, "{\"message_elem_array\":[{\"elem_type\":0,\"text_elem_content\":\"hi carol\"}]}", on_result, &g_r), 0, "send to carol");
    int before = 0;
    WAIT_UNTIL(({ int seen = 0; for (int i = 0; i < g_conv_events; i++) if (g_kinds[i] == kTIMConvEvent_Add && strcmp(g_kind_ids[i], "carol") == 0) seen = 1; seen; }), "carol's conversation added");
    static const char* kC2cFilter = "{\"conversation_list_filter_conv_type\":1}";
    CHECK_EQ(TIMConvSubscribeUnreadMessageCountByFilter(kC2cFilter), TIM_SUCC);
    CHECK_EQ(TIMConvSubscribeUnreadMessageCountByFilter(kC2cFilter), TIM_SUCC); /* again: no-op */
    printf("READY\n");
    fflush(stdout);

    WAIT_UNTIL(g_recv >= 2, "bob's two messages");
    CHECK(strstr(g_recv_json, "\"user_profile_nick_name\":\"Bob\"") != NULL); /* sender profile */
    WAIT_UNTIL(strstr(g_last_conv, "\"conv_id\":\"bob\"") && strstr(g_last_conv, "\"conv_unread_num\":2"), "bob's conversation with 2 unread");
    reset();
    call_done(TIMConvGetTotalUnreadMessageCount(on_result, &g_r), 0, "total unread");
    CHECK(strstr(g_r.json, "\"conv_get_total_unread_message_count_result_unread_count\":2") != NULL);
    WAIT_UNTIL(g_filter_count == 2, "the C2C filter's count of 2");
    CHECK(strcmp(g_filter_text, kC2cFilter) == 0); /* the filter as given */

    reset();
    call_done(TIMConvPinConversation("bob", kTIMConv_C2C, true, on_result, &g_r), 0, "pin bob");
    CHECK(strcmp(g_r.json, "") == 0);
    get_list();
    CHECK(strncmp(strstr(g_r.json, "\"conv_id\":"), "\"conv_id\":\"bob\"", 15) == 0); /* pinned first */
    CHECK(strstr(g_r.json, "\"conv_is_pinned\":true") != NULL);

    snprintf(json, sizeof json, "{\"%s\":{\"message_elem_array\":[{\"elem_type\":0,\"text_elem_content\":\"half\"}]},\"%s\":\"typing\",\"%s\":%ld}",
             kTIMDraftMsg, kTIMDraftUserDefine, kTIMDraftEditTime, (long)time(NULL));
    CHECK_EQ(TIMConvSetDraft("carol", kTIMConv_C2C, json), TIM_SUCC);
    reset();
    call_done(TIMConvGetConvInfo("[{\"get_conversation_list_param_conv_id\":\"carol\",\"get_conversation_list_param_conv_type\":1}]", on_result, &g_r), 0, "carol's info");
    CHECK(strstr(g_r.json, "\"conv_is_has_draft\":true") != NULL);
    CHECK(strstr(g_r.json, "typing") != NULL);
    CHECK_EQ(TIMConvCancelDraft("carol", kTIMConv_C2C), TIM_SUCC);

    reset();
    call_done(TIMMsgReportReaded("bob", kTIMConv_C2C, NULL, on_result, &g_r), 0, "read bob");
    WAIT_UNTIL(g_total == 0, "the total unread to drop to 0");
    WAIT_UNTIL(g_filter_count == 0, "the C2C filter's count to drop to 0");
    CHECK_EQ(TIMConvUnsubscribeUnreadMessageCountByFilter(kC2cFilter), TIM_SUCC);

    reset();
    call_done(TIMConvMarkConversation("[\"c2c_bob\"]", kTIMConversationMarkTypeStar, true, on_result, &g_r), 0, "star bob");
    CHECK(strstr(g_r.json, "\"conversation_operation_result_conversation_id\":\"c2c_bob\"") != NULL);
    CHECK(strstr(g_r.json, "\"conversation_operation_result_result_code\":0") != NULL);
    reset();
    call_done(TIMConvCreateConversationGroup("friends", "[\"c2c_bob\"]", on_result, &g_r), 0, "create group");
    WAIT_UNTIL(g_group_created, "the group-created callback");
    CHECK(strcmp(g_group_name, "friends") == 0);
    reset();
    call_done(TIMConvGetConversationListByFilter("{\"conversation_list_filter_conv_type\":1,\"conversation_list_filter_mark_type\":1}", 0, 10, on_result, &g_r), 0, "list by filter");
    CHECK(strstr(g_r.json, "\"conv_id\":\"bob\"") != NULL);
    CHECK(strstr(g_r.json, "\"conv_id\":\"carol\"") == NULL);
    CHECK(strstr(g_r.json, "\"conversation_list_result_is_finished\":true") != NULL);

    reset();
    call_done(TIMConvDelete("carol", kTIMConv_C2C, on_result, &g_r), 0, "delete carol");
    WAIT_UNTIL(({ int seen = 0; for (int i = 0; i < g_conv_events; i++) if (g_kinds[i] == kTIMConvEvent_Del && strcmp(g_kind_ids[i], "carol") == 0) seen = 1; seen; }), "carol's conversation deleted");
    get_list();
    CHECK(strstr(g_r.json, "carol") == NULL);
    /* TIMConvDelete took the history with it, on the server too. */
    reset();
    call_done(TIMMsgGetMsgList("carol", kTIMConv_C2C, "{\"msg_getmsglist_param_count\":20,\"msg_getmsglist_param_is_remble\":true}", on_result, &g_r), 0, "carol's history");
    CHECK(strcmp(g_r.json, "[]") == 0);

    printf("STEP2\n");
    fflush(stdout);
    WAIT_UNTIL(g_recv >= 3 && g_revoked, "bob's third message and its revoke");
    WAIT_UNTIL(strstr(g_last_conv, "\"conv_id\":\"bob\"") && strstr(g_last_conv, "\"message_status\":6") && strstr(g_last_conv, "\"conv_unread_num\":0"), "bob's conversation showing the revoke");
    reset();
    call_done(TIMConvGetTotalUnreadMessageCount(on_result, &g_r), 0, "total unread after the revoke");
    CHECK(strstr(g_r.json, "_unread_count\":0") != NULL);

    /* Events in order: the sync's Start before its Finish, carol added before deleted. */
    int start = -1, finish = -1, added = -1, deleted = -1;
    for (int i = 0; i < g_conv_events && i < 512; i++) {
        if (g_kinds[i] == kTIMConvEvent_Start && start < 0) start = i;
        if (g_kinds[i] == kTIMConvEvent_Finish && finish < 0) finish = i;
        if (g_kinds[i] == kTIMConvEvent_Add && strcmp(g_kind_ids[i], "carol") == 0 && added < 0) added = i;
        if (g_kinds[i] == kTIMConvEvent_Del && strcmp(g_kind_ids[i], "carol") == 0) deleted = i;
    }
    CHECK(start >= 0 && start < finish && finish < added && added < deleted);
    CHECK(g_total_calls >= 1);
    (void)before;

    reset();
    call_done(TIMLogout(on_result, &g_r), 0, "logout");
    /* As Tencent's wrappers do before TIMUninit: clear the setters with NULL. */
    TIMSetConvEventCallback(NULL, "");
    TIMSetConvTotalUnreadMessageCountChangedCallback(NULL, "");
    TIMSetSelfInfoUpdatedCallback(NULL, "");
    TIMSetConvConversationGroupCreatedCallback(NULL, "");
    TIMSetConvUnreadMessageCountChangedByFilterCallback(NULL, "");
    TIMRemoveRecvNewMsgCallback(on_recv);
    TIMSetMsgRevokeCallback(NULL, "");
    CHECK_EQ(TIMUninit(), TIM_SUCC);
}

static void second(const char* data, const char* sig) {
    char config[1024];
    snprintf(config, sizeof config, "{\"%s\":\"%s\"}", kTIMSdkConfigConfigFilePath, data);
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);
    TIMSetConvEventCallback(on_conv_event, &g_tag);
    reset();
    call_done(TIMLogin("alice", sig, on_result, &g_r), 0, "login");
    WAIT_UNTIL(g_finish, "the conversation sync");
    get_list();
    CHECK(strncmp(strstr(g_r.json, "\"conv_id\":"), "\"conv_id\":\"bob\"", 15) == 0);
    CHECK(strstr(g_r.json, "\"conv_is_pinned\":true") != NULL);
    CHECK(strstr(g_r.json, "\"conv_mark_array\":[1]") != NULL);
    CHECK(strstr(g_r.json, "\"conv_conversation_group_array\":[\"friends\"]") != NULL);
    CHECK(strstr(g_r.json, "\"conv_unread_num\":0") != NULL);
    CHECK(strstr(g_r.json, "carol") == NULL);
    reset();
    call_done(TIMConvGetTotalUnreadMessageCount(on_result, &g_r), 0, "total unread");
    CHECK(strstr(g_r.json, "_unread_count\":0") != NULL);
    reset();
    call_done(TIMConvGetConversationGroupList(on_result, &g_r), 0, "group list");
    CHECK(strcmp(g_r.json, "[\"friends\"]") == 0);
    reset();
    call_done(TIMProfileGetUserProfileList("{\"friendship_getprofilelist_param_identifier_array\":[\"alice\",\"bob\"]}", on_result, &g_r), 0, "profiles");
    CHECK(strstr(g_r.json, "\"user_profile_nick_name\":\"Alice\"") != NULL);
    CHECK(strstr(g_r.json, "\"user_profile_nick_name\":\"Bob\"") != NULL);
    CHECK(strstr(g_r.json, "\"user_profile_face_url\":\"https://a.test/a.png\"") != NULL);
    reset();
    call_done(TIMLogout(on_result, &g_r), 0, "logout");
    TIMSetConvEventCallback(NULL, "");
    CHECK_EQ(TIMUninit(), TIM_SUCC);
}

int main(int argc, char** argv) {
    CHECK(argc == 4);
    if (strcmp(argv[1], "first") == 0) first(argv[2], argv[3]);
    else second(argv[2], argv[3]);
    printf("OK %s\n", argv[1]);
    return 0;
}
