/* The message slice from C, two users.
 *   messages alice <data_dir> <user> <sig> <peer>   every function, then bad input
 *   messages bob   <data_dir> <user> <sig> <peer>   sees alice's messages (one revoked)
 * The server comes from TIM_SERVER_ADDRESS / TIM_SERVER_CERT. Prints "OK <role>" at the end. */
#include "TIMCloud.h"
#define TIM_TEST_RESULTS
#include "test_util.h"

static const uint64_t APP = 1400000042;
#define JSON_SIZE 65536

static struct result g_r;
static volatile int g_refused_calls; /* callbacks of calls that returned an error: must stay 0 */


static void on_refused(int32_t code, const char* desc, const char* json, const void* user_data) {
    (void)code; (void)desc; (void)json; (void)user_data;
    g_refused_calls++;
}

/* Resets g_r before a call. */
static struct result* fresh(void) {
    pthread_mutex_lock(&g_lock);
    memset(&g_r, 0, sizeof g_r);
    pthread_mutex_unlock(&g_lock);
    return &g_r;
}

/* Waits for the one callback of the call just made and checks its code. */
static const char* wait_code(const char* what, int expected) {
    wait_for(&g_r.done, what);
    CHECK_EQ(g_r.done, 1);
    if (g_r.code != expected) {
        fprintf(stderr, "%s: code %d (%s), expected %d\n", what, g_r.code, g_r.desc, expected);
        exit(1);
    }
    return g_r.json;
}

static const char* wait_ok(const char* what) { return wait_code(what, 0); }

/* Calls `call` (an expression using on_result, &g_r) expecting TIM_SUCC and a callback 0. */
#define OK_CALL(call) ({ fresh(); int rc_ = (call); CHECK_EQ(rc_, TIM_SUCC); wait_ok(#call); })
/* A refused call: its code, and no callback ever. */
#define REFUSED(code, call) CHECK_EQ((call), (code))

static void copy_string_field(const char* json, const char* key, char* out, size_t size) {
    char pattern[128];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char* at = strstr(json, pattern);
    CHECK(at != NULL);
    at += strlen(pattern);
    const char* end = strchr(at, '"');
    CHECK(end != NULL && (size_t)(end - at) < size);
    memcpy(out, at, (size_t)(end - at));
    out[end - at] = 0;
}

static unsigned long long uint_field(const char* json, const char* key) {
    char pattern[128];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char* at = strstr(json, pattern);
    CHECK(at != NULL);
    return strtoull(at + strlen(pattern), NULL, 10);
}

static long long int_field(const char* json, const char* key) { return (long long)uint_field(json, key); }

static int count_of(const char* json, const char* needle) {
    int n = 0;
    for (const char* at = strstr(json, needle); at; at = strstr(at + 1, needle)) n++;
    return n;
}

static char* dup(const char* text) {
    char* copy = strdup(text);
    CHECK(copy != NULL);
    return copy;
}

static const char* text_message(char* buffer, size_t size, const char* text) {
    snprintf(buffer, size, "{\"message_elem_array\":[{\"elem_type\":0,\"text_elem_content\":\"%s\"}]}", text);
    return buffer;
}

/* Sends `text` to peer with TIMMsgSendNewMsg; returns the sent Message JSON (malloc'd). */
static char* send_text(const char* peer, const char* text) {
    char msg[512];
    const char* sent = OK_CALL(TIMMsgSendNewMsg(peer, kTIMConv_C2C, text_message(msg, sizeof msg, text), on_result, &g_r));
    CHECK(strstr(sent, text) != NULL);
    CHECK_EQ(int_field(sent, "message_status"), 2); /* kTIMMsg_SendSucc */
    return dup(sent);
}

static void login(const char* data_dir, const char* user, const char* sig) {
    char config[1024];
    snprintf(config, sizeof config, "{\"sdk_config_config_file_path\":\"%s\"}", data_dir);
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);
    OK_CALL(TIMLogin(user, sig, on_result, &g_r));
}

static const char* HISTORY = "{\"msg_getmsglist_param_count\":100,\"msg_getmsglist_param_is_forward\":true,"
                             "\"msg_getmsglist_param_is_remble\":false,\"msg_getmsglist_param_last_msg\":{}}";

/* Every function refuses bad input synchronously and never calls back. */
static void bad_input(const char* peer) {
    const char* msg = "{\"message_elem_array\":[{\"elem_type\":0,\"text_elem_content\":\"x\"}]}";
    const char* bad = "{\"message_elem_array\":";
    void* u = NULL;
    enum TIMConvType no_type = (enum TIMConvType)9;
    REFUSED(TIM_ERR_PARAM, TIMMsgSendNewMsg(NULL, kTIMConv_C2C, msg, on_refused, u));
    REFUSED(TIM_ERR_CONV, TIMMsgSendNewMsg(peer, no_type, msg, on_refused, u));
    REFUSED(TIM_ERR_JSON, TIMMsgSendNewMsg(peer, kTIMConv_C2C, bad, on_refused, u));
    REFUSED(TIM_ERR_PARAM, TIMMsgCancelSend(peer, kTIMConv_C2C, NULL, on_refused, u));
    REFUSED(TIM_ERR_CONV, TIMMsgCancelSend(peer, no_type, "id", on_refused, u));
    REFUSED(TIM_ERR_PARAM, TIMMsgFindMessages(NULL, on_refused, u));
    REFUSED(TIM_ERR_JSON, TIMMsgFindMessages("[\"a\",", on_refused, u));
    REFUSED(TIM_ERR_JSON, TIMMsgFindMessages("{}", on_refused, u));
    REFUSED(TIM_ERR_CONV, TIMMsgReportReaded(peer, no_type, NULL, on_refused, u));
    REFUSED(TIM_ERR_CONV, TIMMsgReportReaded("", kTIMConv_System, NULL, on_refused, u));
    REFUSED(TIM_ERR_JSON, TIMMsgReportReaded(peer, kTIMConv_C2C, bad, on_refused, u));
    REFUSED(TIM_ERR_PARAM, TIMMsgRevoke(peer, kTIMConv_C2C, NULL, on_refused, u));
    REFUSED(TIM_ERR_CONV, TIMMsgRevoke(peer, no_type, msg, on_refused, u));
    REFUSED(TIM_ERR_JSON, TIMMsgRevoke(peer, kTIMConv_C2C, bad, on_refused, u));
    REFUSED(TIM_ERR_PARAM, TIMMsgModifyMessage(NULL, on_refused, u));
    REFUSED(TIM_ERR_JSON, TIMMsgModifyMessage(bad, on_refused, u));
    REFUSED(TIM_ERR_PARAM, TIMMsgFindByMsgLocatorList(peer, kTIMConv_C2C, NULL, on_refused, u));
    REFUSED(TIM_ERR_CONV, TIMMsgFindByMsgLocatorList(peer, no_type, "[]", on_refused, u));
    REFUSED(TIM_ERR_JSON, TIMMsgFindByMsgLocatorList(peer, kTIMConv_C2C, "[{", on_refused, u));
    REFUSED(TIM_ERR_PARAM, TIMMsgImportMsgList(peer, kTIMConv_C2C, "", on_refused, u));
    REFUSED(TIM_ERR_CONV, TIMMsgImportMsgList(NULL == peer ? "" : peer, no_type, "[]", on_refused, u));
    REFUSED(TIM_ERR_JSON, TIMMsgImportMsgList(peer, kTIMConv_C2C, "[1,", on_refused, u));
    REFUSED(TIM_ERR_PARAM, TIMMsgSaveMsg(NULL, kTIMConv_C2C, msg, on_refused, u));
    REFUSED(TIM_ERR_PARAM, TIMMsgSaveMsg(peer, kTIMConv_C2C, NULL, on_refused, u));
    REFUSED(TIM_ERR_CONV, TIMMsgSaveMsg(peer, no_type, msg, on_refused, u));
    REFUSED(TIM_ERR_JSON, TIMMsgSaveMsg(peer, kTIMConv_C2C, bad, on_refused, u));
    REFUSED(TIM_ERR_PARAM, TIMMsgGetMsgList(NULL, kTIMConv_C2C, HISTORY, on_refused, u));
    REFUSED(TIM_ERR_CONV, TIMMsgGetMsgList(peer, kTIMConv_Invalid, HISTORY, on_refused, u));
    REFUSED(TIM_ERR_JSON, TIMMsgGetMsgList(peer, kTIMConv_C2C, "{\"msg_getmsglist_param_count\":", on_refused, u));
    REFUSED(TIM_ERR_PARAM, TIMMsgDelete(peer, kTIMConv_C2C, NULL, on_refused, u));
    REFUSED(TIM_ERR_CONV, TIMMsgDelete(peer, no_type, "{}", on_refused, u));
    REFUSED(TIM_ERR_JSON, TIMMsgDelete(peer, kTIMConv_C2C, "{\"msg_delete_param_msg\":", on_refused, u));
    REFUSED(TIM_ERR_PARAM, TIMMsgListDelete(peer, kTIMConv_C2C, NULL, on_refused, u));
    REFUSED(TIM_ERR_CONV, TIMMsgListDelete(peer, no_type, "[]", on_refused, u));
    REFUSED(TIM_ERR_JSON, TIMMsgListDelete(peer, kTIMConv_C2C, "[{", on_refused, u));
    REFUSED(TIM_ERR_PARAM, TIMMsgClearHistoryMessage(NULL, kTIMConv_C2C, on_refused, u));
    REFUSED(TIM_ERR_CONV, TIMMsgClearHistoryMessage(peer, no_type, on_refused, u));
    REFUSED(TIM_ERR_PARAM, TIMMsgSetLocalCustomData(NULL, on_refused, u));
    REFUSED(TIM_ERR_JSON, TIMMsgSetLocalCustomData(bad, on_refused, u));
    REFUSED(TIM_ERR_PARAM, TIMMsgSearchLocalMessages(NULL, on_refused, u));
    REFUSED(TIM_ERR_JSON, TIMMsgSearchLocalMessages("{\"msg_search_param_keyword_array\":[", on_refused, u));
    REFUSED(TIM_ERR_PARAM, TIMMsgBatchSend(NULL, on_refused, u));
    REFUSED(TIM_ERR_JSON, TIMMsgBatchSend("{\"msg_batch_send_param_identifier_array\":[\"bob\"]", on_refused, u));
    REFUSED(TIM_ERR_PARAM, TIMMsgBatchSend("{\"msg_batch_send_param_identifier_array\":[\"\"],"
                                           "\"msg_batch_send_param_msg\":{}}", on_refused, u));
}

static void alice(const char* data_dir, const char* user, const char* sig, const char* peer) {
    void* u = NULL;
    /* Before TIMInit: uninitialised; before login: not logged in. */
    REFUSED(TIM_ERR_SDKUNINIT, TIMMsgFindMessages("[]", on_refused, u));
    REFUSED(TIM_ERR_SDKUNINIT, TIMMsgMarkAllMessageAsRead(on_refused, u));
    char config[1024];
    snprintf(config, sizeof config, "{\"sdk_config_config_file_path\":\"%s\"}", data_dir);
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);
    REFUSED(TIM_ERR_NOTLOGIN, TIMMsgFindMessages("[]", on_refused, u));
    REFUSED(TIM_ERR_NOTLOGIN, TIMMsgGetMsgList(peer, kTIMConv_C2C, HISTORY, on_refused, u));
    REFUSED(TIM_ERR_NOTLOGIN, TIMMsgMarkAllMessageAsRead(on_refused, u));
    REFUSED(TIM_ERR_NOTLOGIN, TIMMsgBatchSend("{\"msg_batch_send_param_identifier_array\":[\"bob\"],"
                                              "\"msg_batch_send_param_msg\":{}}", on_refused, u));
    CHECK_EQ(TIMUninit(), TIM_SUCC);
    login(data_dir, user, sig);
    bad_input(peer);

    char* first = send_text(peer, "first message one");
    char* second = send_text(peer, "second message 今天天气很好");
    char* third = send_text(peer, "third message");
    char id1[128], id2[128], id3[128];
    copy_string_field(first, "message_msg_id", id1, sizeof id1);
    copy_string_field(second, "message_msg_id", id2, sizeof id2);
    copy_string_field(third, "message_msg_id", id3, sizeof id3);

    /* History in order (the seed's parameter: forward from the start). */
    const char* page = OK_CALL(TIMMsgGetMsgList(peer, kTIMConv_C2C, HISTORY, on_result, &g_r));
    const char *a = strstr(page, id1), *b = strstr(page, id2), *c = strstr(page, id3);
    CHECK(a && b && c && a < b && b < c);
    CHECK(page[0] == '[');

    char query[1024];
    snprintf(query, sizeof query, "[\"%s\",\"%s\",\"no-such-id\"]", id3, id1);
    const char* found = OK_CALL(TIMMsgFindMessages(query, on_result, &g_r));
    CHECK(strstr(found, id1) && strstr(found, id3) && strstr(found, id3) < strstr(found, id1));
    CHECK(!strstr(found, id2));

    snprintf(query, sizeof query,
             "[{\"message_locator_is_revoked\":false,\"message_locator_time\":%lld,\"message_locator_seq\":%lld,"
             "\"message_locator_is_self\":true,\"message_locator_rand\":%llu}]",
             int_field(second, "message_server_time"), int_field(second, "message_seq"),
             uint_field(second, "message_rand"));
    found = OK_CALL(TIMMsgFindByMsgLocatorList(peer, kTIMConv_C2C, query, on_result, &g_r));
    CHECK(strstr(found, id2) && !strstr(found, id1));

    snprintf(query, sizeof query,
             "{\"msg_search_param_keyword_array\":[\"天气\"],\"msg_search_param_message_type_array\":[0],"
             "\"msg_search_param_conv_id\":\"%s\",\"msg_search_param_conv_type\":1,"
             "\"msg_search_param_page_index\":0,\"msg_search_param_page_size\":10}", peer);
    found = OK_CALL(TIMMsgSearchLocalMessages(query, on_result, &g_r));
    CHECK_EQ(int_field(found, "msg_search_result_total_count"), 1);
    CHECK(strstr(found, id2) && !strstr(found, id1));

    snprintf(query, sizeof query, "{\"message_msg_id\":\"%s\",\"message_custom_int\":7,\"message_custom_str\":\"local-note\"}", id1);
    CHECK(strcmp(OK_CALL(TIMMsgSetLocalCustomData(query, on_result, &g_r)), "") == 0);
    snprintf(query, sizeof query, "[\"%s\"]", id1);
    found = OK_CALL(TIMMsgFindMessages(query, on_result, &g_r));
    CHECK(strstr(found, "\"message_custom_str\":\"local-note\""));

    /* Modify: the latest Message comes back. */
    char* edited = dup(third);
    char* at = strstr(edited, "third message");
    CHECK(at != NULL);
    memcpy(at, "THIRD", 5);
    const char* modified = OK_CALL(TIMMsgModifyMessage(edited, on_result, &g_r));
    CHECK(strstr(modified, "THIRD message") && strstr(modified, id3));
    char* third_now = dup(modified);

    /* Revoke: "" and the stored message is Revoked. */
    CHECK(strcmp(OK_CALL(TIMMsgRevoke(peer, kTIMConv_C2C, first, on_result, &g_r)), "") == 0);
    found = OK_CALL(TIMMsgFindMessages(query, on_result, &g_r));
    CHECK_EQ(int_field(found, "message_status"), 6); /* kTIMMsg_Revoked */

    /* Cancel of a message that was sent: TIM_SUCC, then 8020 in the one callback. */
    fresh();
    CHECK_EQ(TIMMsgCancelSend(peer, kTIMConv_C2C, id2, on_result, &g_r), TIM_SUCC);
    wait_code("cancel a sent message", 8020);

    CHECK(strcmp(OK_CALL(TIMMsgReportReaded(peer, kTIMConv_C2C, third_now, on_result, &g_r)), "") == 0);
    CHECK(strcmp(OK_CALL(TIMMsgReportReaded(peer, kTIMConv_C2C, NULL, on_result, &g_r)), "") == 0);
    CHECK(strcmp(OK_CALL(TIMMsgReportReaded(NULL, kTIMConv_C2C, "", on_result, &g_r)), "") == 0);
    CHECK(strcmp(OK_CALL(TIMMsgMarkAllMessageAsRead(on_result, &g_r)), "") == 0);

    /* Local storage: save one, import two. */
    char msg[512];
    CHECK(strcmp(OK_CALL(TIMMsgSaveMsg(peer, kTIMConv_C2C, text_message(msg, sizeof msg, "saved locally"), on_result, &g_r)), "") == 0);
    CHECK(strcmp(OK_CALL(TIMMsgImportMsgList(peer, kTIMConv_C2C,
                                              "[{\"message_elem_array\":[{\"elem_type\":0,\"text_elem_content\":\"imported A\"}]},"
                                              "{\"message_elem_array\":[{\"elem_type\":0,\"text_elem_content\":\"imported B\"}]}]",
                                              on_result, &g_r)), "") == 0);
    page = OK_CALL(TIMMsgGetMsgList(peer, kTIMConv_C2C, HISTORY, on_result, &g_r));
    CHECK(strstr(page, "saved locally") && strstr(page, "imported A") && strstr(page, "imported B"));

    /* ListDelete removes the second message; Delete the third (local). */
    char* list = malloc(strlen(second) + 3);
    CHECK(list != NULL);
    sprintf(list, "[%s]", second);
    CHECK(strcmp(OK_CALL(TIMMsgListDelete(peer, kTIMConv_C2C, list, on_result, &g_r)), "") == 0);
    snprintf(query, sizeof query, "[\"%s\"]", id2);
    CHECK(strcmp(OK_CALL(TIMMsgFindMessages(query, on_result, &g_r)), "[]") == 0);
    char* del = malloc(strlen(third_now) + 128);
    CHECK(del != NULL);
    sprintf(del, "{\"msg_delete_param_is_remble\":false,\"msg_delete_param_msg\":%s}", third_now);
    CHECK(strcmp(OK_CALL(TIMMsgDelete(peer, kTIMConv_C2C, del, on_result, &g_r)), "") == 0);
    snprintf(query, sizeof query, "[\"%s\"]", id3);
    CHECK(strcmp(OK_CALL(TIMMsgFindMessages(query, on_result, &g_r)), "[]") == 0);

    /* BatchSend: one result per recipient, in order. */
    snprintf(query, sizeof query,
             "{\"msg_batch_send_param_identifier_array\":[\"%s\",\"carol\"],\"msg_batch_send_param_msg\":"
             "{\"message_elem_array\":[{\"elem_type\":0,\"text_elem_content\":\"batch hello\"}]}}", peer);
    found = OK_CALL(TIMMsgBatchSend(query, on_result, &g_r));
    char who[128];
    snprintf(who, sizeof who, "\"msg_batch_send_result_identifier\":\"%s\"", peer);
    CHECK(strstr(found, who) && strstr(found, "\"msg_batch_send_result_identifier\":\"carol\""));
    CHECK(strstr(found, who) < strstr(found, "\"msg_batch_send_result_identifier\":\"carol\""));
    CHECK_EQ(count_of(found, "\"msg_batch_send_result_code\":0"), 2);
    CHECK_EQ(count_of(found, "batch hello"), 2);

    /* ClearHistory: the conversation is empty afterwards. */
    CHECK(strcmp(OK_CALL(TIMMsgClearHistoryMessage(peer, kTIMConv_C2C, on_result, &g_r)), "") == 0);
    CHECK(strcmp(OK_CALL(TIMMsgGetMsgList(peer, kTIMConv_C2C, HISTORY, on_result, &g_r)), "[]") == 0);

    CHECK_EQ(g_refused_calls, 0);
    OK_CALL(TIMLogout(on_result, &g_r));
    CHECK_EQ(TIMUninit(), TIM_SUCC);
    REFUSED(TIM_ERR_SDKUNINIT, TIMMsgSearchLocalMessages("{}", on_refused, u));
    CHECK_EQ(g_refused_calls, 0);
    free(first); free(second); free(third); free(edited); free(third_now); free(list); free(del);
}

/* Bob pulls the history alice left him: the revoked first message, the second (alice's list
 * delete removed only her copy), the edited third, and the batch message. */
static void bob(const char* data_dir, const char* user, const char* sig, const char* peer) {
    login(data_dir, user, sig);
    const char* ramble = "{\"msg_getmsglist_param_count\":20,\"msg_getmsglist_param_is_forward\":false,"
                         "\"msg_getmsglist_param_is_remble\":true}";
    const char* page = OK_CALL(TIMMsgGetMsgList(peer, kTIMConv_C2C, ramble, on_result, &g_r));
    CHECK(strstr(page, "今天天气很好") != NULL);
    CHECK(strstr(page, "THIRD message") != NULL);
    CHECK(strstr(page, "batch hello") != NULL);
    CHECK(strstr(page, "\"message_status\":6") != NULL);
    CHECK_EQ(g_refused_calls, 0);
    OK_CALL(TIMLogout(on_result, &g_r));
    CHECK_EQ(TIMUninit(), TIM_SUCC);
}

int main(int argc, char** argv) {
    CHECK(argc == 6);
    if (strcmp(argv[1], "alice") == 0) {
        alice(argv[2], argv[3], argv[4], argv[5]);
    } else {
        bob(argv[2], argv[3], argv[4], argv[5]);
    }
    printf("OK %s\n", argv[1]);
    return 0;
}
