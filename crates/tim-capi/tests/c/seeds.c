/* The code samples of the seed pages (003: newest Chinese, 001: newest English) that no other C
 * test does the same way, written as the samples write them: JSON as jsoncpp's
 * toStyledString() prints it (or compact, where the sample serialises with json::Serialize),
 * the sample's IDs ("test_win_03", "user2", ...), NULL / nullptr user data, and the calls the
 * samples make from inside a callback with the callback's json_param and user_data.
 *   seeds <data_dir> <user> <sig> <peer>
 * The driver's <peer> sent this user a message asking for a read receipt before it started.
 * Literal key strings until the generated header (kTIM... constants) lands.
 * Prints "OK seeds". */
#include "TIMCloud.h"
#include "test_util.h"

static const uint64_t APP = 1400000042;
#define JSON_SIZE 65536

struct result { volatile int done; int code; char desc[512]; char json[JSON_SIZE]; const void* user_data; };
static struct result g_r;
static int g_this; /* the samples' `this` */

static void on_result(int32_t code, const char* desc, const char* json, const void* user_data) {
    struct result* r = user_data == &g_this ? &g_r : (struct result*)user_data;
    if (r == NULL) r = &g_r; /* the samples pass nullptr */
    pthread_mutex_lock(&g_lock);
    r->code = code;
    r->user_data = user_data;
    snprintf(r->desc, sizeof r->desc, "%s", desc ? desc : "(null)");
    snprintf(r->json, sizeof r->json, "%s", json ? json : "(null)");
    r->done++;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void fresh(void) {
    pthread_mutex_lock(&g_lock);
    memset(&g_r, 0, sizeof g_r);
    pthread_mutex_unlock(&g_lock);
}

/* Waits for the one callback of the call just made (rc must be TIM_SUCC); returns its code. */
static int wait_any(int rc, const char* what) {
    CHECK_EQ(rc, TIM_SUCC);
    wait_for(&g_r.done, what);
    CHECK_EQ(g_r.done, 1);
    return g_r.code;
}

static const char* wait_ok(int rc, const char* what) {
    int code = wait_any(rc, what);
    if (code != 0) { fprintf(stderr, "%s: code %d (%s)\n", what, code, g_r.desc); exit(1); }
    return g_r.json;
}

#define OK_CALL(call) ({ fresh(); wait_ok((call), #call); })
#define ANY_CALL(call) ({ fresh(); wait_any((call), #call); })

/* ---- Calls made from inside a callback, as the samples chain them. ---- */

/* The outer call's result and the inner call's rc; the inner callback lands in g_r. */
static struct { volatile int done; int code; int inner_rc; char json[JSON_SIZE]; } g_outer;
typedef int (*inner_call)(const char* json_param, const void* user_data);
static inner_call g_inner;

/* The outer callback: records, then makes the inner call with json_param and the user_data it
 * got (as the samples do), from the SDK thread. */
static void on_outer(int32_t code, const char* desc, const char* json_param, const void* user_data) {
    (void)desc;
    g_outer.code = code;
    snprintf(g_outer.json, sizeof g_outer.json, "%s", json_param);
    g_outer.inner_rc = code == 0 ? g_inner(json_param, user_data) : -100;
    pthread_mutex_lock(&g_lock);
    g_outer.done = 1;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

/* Runs `outer` (which calls back on_outer with user_data &g_this), then `inner` from inside
 * that callback; returns the inner call's json_params (code 0 required for both). */
static const char* chained(int outer_rc, const char* what) {
    CHECK_EQ(outer_rc, TIM_SUCC);
    wait_for(&g_outer.done, what);
    if (g_outer.code != 0) { fprintf(stderr, "%s: outer code %d\n", what, g_outer.code); exit(1); }
    CHECK_EQ(g_outer.inner_rc, TIM_SUCC);
    wait_for(&g_r.done, what);
    CHECK_EQ(g_r.done, 1);
    CHECK(g_r.user_data == &g_this); /* user_data passed through untouched */
    if (g_r.code != 0) { fprintf(stderr, "%s: inner code %d (%s)\n", what, g_r.code, g_r.desc); exit(1); }
    return g_r.json;
}

static void start_chain(inner_call inner) {
    fresh();
    memset(&g_outer, 0, sizeof g_outer);
    g_inner = inner;
}

/* The first (only) element of a one-element JSON array, as json_message_array[0]. */
static char* first_element(const char* array) {
    size_t len = strlen(array);
    CHECK(len > 2 && array[0] == '[' && array[len - 1] == ']');
    char* element = malloc(len);
    CHECK(element != NULL);
    memcpy(element, array + 1, len - 2);
    element[len - 2] = 0;
    CHECK(strstr(element, "},{") == NULL);
    return element;
}

/* json_obj[key] = value: replaces the value of "key" (a string or number) in a flat object. */
static char* set_key(const char* json, const char* key, const char* value) {
    char pattern[128];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char* at = strstr(json, pattern);
    CHECK(at != NULL);
    const char* start = at + strlen(pattern);
    const char* end = start;
    if (*end == '"') {
        end = strchr(end + 1, '"');
        CHECK(end != NULL);
        end++;
    } else {
        while (*end && *end != ',' && *end != '}') end++;
    }
    char* out = malloc(strlen(json) + strlen(value) + 1);
    CHECK(out != NULL);
    sprintf(out, "%.*s%s%s", (int)(start - json), json, value, end);
    return out;
}

static int send_read_receipts(const char* json_params, const void* ud) {
    return TIMMsgSendMessageReadReceipts(json_params, on_result, ud);
}
static int get_read_receipts(const char* json_params, const void* ud) {
    return TIMMsgGetMessageReadReceipts(json_params, on_result, ud);
}
static int revoke(const char* json_param, const void* ud) {
    return TIMMsgRevoke("test_win_03", kTIMConv_C2C, json_param, on_result, ud);
}
static int modify(const char* json_param, const void* ud) {
    return TIMMsgModifyMessage(json_param, on_result, ud);
}
static int set_local_custom_data(const char* json_params, const void* ud) {
    char* json_obj_msg = first_element(json_params);
    char* with_str = set_key(json_obj_msg, "message_custom_str", "\"custom Str\"");
    char* with_int = set_key(with_str, "message_custom_int", "\"custom int\"");
    int rc = TIMMsgSetLocalCustomData(with_int, on_result, ud);
    free(json_obj_msg); free(with_str); free(with_int);
    return rc;
}
static int set_extensions(const char* json_param, const void* ud) {
    return TIMMsgSetMessageExtensions(json_param,
                                      "[{\"message_extension_key\":\"extension_key\",\"message_extension_value\":\"extension_value\"}]",
                                      on_result, ud);
}
static int get_extensions(const char* json_params, const void* ud) {
    char* json_message = first_element(json_params);
    int rc = TIMMsgGetMessageExtensions(json_message, on_result, ud);
    free(json_message);
    return rc;
}
static int delete_extensions(const char* json_params, const void* ud) {
    char* json_param = first_element(json_params);
    int rc = TIMMsgDeleteMessageExtensions(json_param, "[{\"message_extension_key\":\"extension_key\"}]", on_result, ud);
    free(json_param);
    return rc;
}

/* The styled message of the SendMessage / SendNewMsg / ImportMsgList / BatchSend samples. */
static void styled_message(char* out, size_t size, const char* login_id, const char* text) {
    long now = (long)time(NULL);
    snprintf(out, size,
             "{\n   \"message_client_time\" : %ld,\n   \"message_elem_array\" : [\n      {\n"
             "         \"elem_type\" : 0,\n         \"text_elem_content\" : \"%s\"\n      }\n   ],\n"
             "   \"message_sender\" : \"%s\",\n   \"message_server_time\" : %ld\n}\n",
             now, text, login_id, now);
}

static int count_of(const char* json, const char* needle) {
    int n = 0;
    for (const char* at = strstr(json, needle); at; at = strstr(at + 1, needle)) n++;
    return n;
}

int main(int argc, char** argv) {
    CHECK(argc == 5);
    const char* login_id = argv[2];
    const char* peer = argv[4]; /* GetC2CReceiver() */
    char config[1024];
    snprintf(config, sizeof config, "{\"sdk_config_config_file_path\":\"%s\"}", argv[1]);
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);
    OK_CALL(TIMLogin(login_id, argv[3], on_result, NULL));

    /* 003 TIMMsgSendMessageReadReceipts / TIMMsgGetMessageReadReceipts: the json_params of a
     * one-message GetMsgList (json::Serialize, no last_msg) passed straight on. The newest
     * message is the peer's, sent with message_need_read_receipt. */
    const char* newest = "{\"msg_getmsglist_param_count\":1,\"msg_getmsglist_param_is_forward\":false,"
                         "\"msg_getmsglist_param_is_remble\":true}";
    start_chain(send_read_receipts);
    CHECK(strcmp(chained(TIMMsgGetMsgList(peer, kTIMConv_C2C, newest, on_outer, &g_this), "SendMessageReadReceipts"), "") == 0);
    CHECK(strstr(g_outer.json, "please read") != NULL);
    start_chain(get_read_receipts);
    const char* receipts = chained(TIMMsgGetMsgList(peer, kTIMConv_C2C, newest, on_outer, &g_this), "GetMessageReadReceipts");
    CHECK(receipts[0] == '[' && strstr(receipts, "\"msg_receipt_msg_id\"") != NULL);

    /* TIMMsgSendMessage (003, 001): sender, client and server time, a 128-byte ID buffer, nullptr. */
    char json_value_msg[2048];
    styled_message(json_value_msg, sizeof json_value_msg, login_id, "send text");
    char message_id_buffer[128] = {0};
    const char* sent = OK_CALL(TIMMsgSendMessage(peer, kTIMConv_C2C, json_value_msg, message_id_buffer, on_result, NULL));
    CHECK(strlen(message_id_buffer) > 0 && strstr(sent, message_id_buffer) != NULL);
    CHECK(strstr(sent, "\"message_status\":2") != NULL);
    /* The JSON the SendMessage sample prints (with the comma it lacks): "message_id" is no key
     * of Message; an unknown key is ignored, as jsoncpp-built input may carry extra keys. */
    const char* printed = "{\n   \"message_id\" : \"14400111550110000_1551446728_45598731\",\n"
                          "   \"message_client_time\" : 1551446728,\n   \"message_elem_array\" : [\n      {\n"
                          "         \"elem_type\" : 0,\n         \"text_elem_content\" : \"send text\"\n      }\n   ],\n"
                          "   \"message_sender\" : \"user1\",\n   \"message_server_time\" : 1551446728\n}";
    sent = OK_CALL(TIMMsgSendMessage(peer, kTIMConv_C2C, printed, message_id_buffer, on_result, NULL));
    CHECK(strstr(sent, "14400111550110000_1551446728_45598731") == NULL);
    char sender_key[160];
    snprintf(sender_key, sizeof sender_key, "\"message_sender\":\"%s\"", login_id);
    CHECK(strstr(sent, sender_key) != NULL); /* the SDK sets the sender, not "user1" */
    /* TIMMsgSendNewMsg (003, 001): the same JSON, user_data `this`. */
    sent = OK_CALL(TIMMsgSendNewMsg(peer, kTIMConv_C2C, json_value_msg, on_result, &g_this));
    CHECK(g_r.user_data == &g_this && strstr(sent, "send text") != NULL);

    /* TIMMsgRevoke (001): send to "test_win_03", revoke from the send callback with json_param. */
    const char* json_value_text_msg = "{\n   \"message_elem_array\" : [\n      {\n         \"elem_type\" : 0,\n"
                                      "         \"text_elem_content\" : \"send text\"\n      }\n   ]\n}\n";
    start_chain(revoke);
    CHECK(strcmp(chained(TIMMsgSendNewMsg("test_win_03", kTIMConv_C2C, json_value_text_msg, on_outer, &g_this), "Revoke"), "") == 0);
    /* 003 writes the same with TIMMsgSendMessage (NULL message ID buffer). */
    start_chain(revoke);
    CHECK(strcmp(chained(TIMMsgSendMessage("test_win_03", kTIMConv_C2C, json_value_text_msg, NULL, on_outer, &g_this), "Revoke (003)"), "") == 0);
    /* TIMMsgModifyMessage (003): modify with the send callback's json_param, unchanged. */
    start_chain(modify);
    const char* modified = chained(TIMMsgSendNewMsg("test_win_03", kTIMConv_C2C, json_value_text_msg, on_outer, &g_this), "ModifyMessage");
    CHECK(strstr(modified, "send text") != NULL);

    /* TIMMsgCancelSend (003, 001): an ID that names no message: TIM_SUCC, then 8020. */
    int code = ANY_CALL(TIMMsgCancelSend("test_win_03", kTIMConv_C2C, "message_id_1", on_result, NULL));
    CHECK_EQ(code, 8020); /* not waiting to be sent */

    /* TIMMsgFindMessages (003, 001): styled array of IDs that name nothing: "[]". */
    CHECK(strcmp(OK_CALL(TIMMsgFindMessages("[\n   \"id_clienttime_rand_1\",\n   \"id_clienttime_rand_2\"\n]\n", on_result, NULL)), "[]") == 0);

    /* TIMMsgFindByMsgLocatorList (003, 001): a made-up locator in "user2": "[]". */
    const char* locators = "[\n   {\n      \"message_locator_is_revoked\" : false,\n      \"message_locator_is_self\" : false,\n"
                           "      \"message_locator_rand\" : 12345678,\n      \"message_locator_seq\" : 1,\n"
                           "      \"message_locator_time\" : 123\n   }\n]\n";
    CHECK(strcmp(OK_CALL(TIMMsgFindByMsgLocatorList("user2", kTIMConv_C2C, locators, on_result, NULL)), "[]") == 0);

    /* TIMMsgImportMsgList (003, 001): sender and times set, into "user2". */
    char msg[2048], msgs[2100];
    styled_message(msg, sizeof msg, login_id, "this is import msg");
    snprintf(msgs, sizeof msgs, "[\n%s]\n", msg);
    CHECK(strcmp(OK_CALL(TIMMsgImportMsgList("user2", kTIMConv_C2C, msgs, on_result, NULL)), "") == 0);

    /* TIMMsgGetMsgList (003, 001): the styled parameter, last_msg {}; "Windows-02" is empty. */
    const char* json_get_msg_param = "{\n   \"msg_getmsglist_param_count\" : 100,\n   \"msg_getmsglist_param_is_forward\" : true,\n"
                                     "   \"msg_getmsglist_param_is_remble\" : false,\n   \"msg_getmsglist_param_last_msg\" : {}\n}\n";
    CHECK(strcmp(OK_CALL(TIMMsgGetMsgList("Windows-02", kTIMConv_C2C, json_get_msg_param, on_result, &g_this)), "[]") == 0);
    const char* page = OK_CALL(TIMMsgGetMsgList("user2", kTIMConv_C2C, json_get_msg_param, on_result, NULL));
    CHECK(strstr(page, "this is import msg") != NULL);

    /* TIMMsgListDelete (003, 001): a message built by hand has no message ID, so it names no
     * stored message: TIM_SUCC, then 6017 (invalid parameters) in the one callback. */
    code = ANY_CALL(TIMMsgListDelete("user2", kTIMConv_C2C, msgs, on_result, NULL));
    CHECK_EQ(code, 6017);
    CHECK(strstr(g_r.desc, "message_msg_id") != NULL);
    /* TIMMsgDelete (003, 001): {"msg_delete_param_msg" : {}} deletes the local history. */
    CHECK(strcmp(OK_CALL(TIMMsgDelete("user2", kTIMConv_C2C, "{\n  \"msg_delete_param_is_remble\" : false,\n  \"msg_delete_param_msg\" : {}\n}\n", on_result, NULL)), "") == 0);
    CHECK(strcmp(OK_CALL(TIMMsgGetMsgList("user2", kTIMConv_C2C, json_get_msg_param, on_result, NULL)), "[]") == 0);
    /* TIMMsgClearHistoryMessage (003, 001). */
    CHECK(strcmp(OK_CALL(TIMMsgClearHistoryMessage("user2", kTIMConv_C2C, on_result, NULL)), "") == 0);

    /* TIMMsgSet/GetC2CReceiveMessageOpt (003, 001): a styled array of two users. */
    const char* json_identifier_array = "[ \"user1\", \"user2\" ]\n";
    CHECK(strcmp(OK_CALL(TIMMsgSetC2CReceiveMessageOpt(json_identifier_array, kTIMRecvMsgOpt_Receive, on_result, &g_this)), "") == 0);
    const char* opts = OK_CALL(TIMMsgGetC2CReceiveMessageOpt(json_identifier_array, on_result, &g_this));
    CHECK(strstr(opts, "\"msg_recv_msg_opt_result_identifier\":\"user1\"") != NULL);
    CHECK(strstr(opts, "\"msg_recv_msg_opt_result_identifier\":\"user2\"") != NULL);
    CHECK_EQ(count_of(opts, "\"msg_recv_msg_opt_result_opt\":0"), 2);
    /* TIMMsgSetGroupReceiveMessageOpt (003, 001): "group_id" is no group of this user. */
    code = ANY_CALL(TIMMsgSetGroupReceiveMessageOpt("group_id", kTIMRecvMsgOpt_Receive, on_result, &g_this));
    CHECK_EQ(code, 10010); /* the group does not exist */

    /* TIMMsgSearchLocalMessages (003, 001): two keywords, text and image types, group "xxxxx". */
    const char* search = "{\n   \"msg_search_param_conv_id\" : \"xxxxx\",\n   \"msg_search_param_conv_type\" : 2,\n"
                         "   \"msg_search_param_keyword_array\" : [ \"keyword1\", \"keyword2\" ],\n"
                         "   \"msg_search_param_message_type_array\" : [ 0, 1 ],\n"
                         "   \"msg_search_param_page_index\" : 0,\n   \"msg_search_param_page_size\" : 10\n}\n";
    const char* found = OK_CALL(TIMMsgSearchLocalMessages(search, on_result, &g_this));
    CHECK(strstr(found, "\"msg_search_result_total_count\":0") != NULL);

    /* TIMMsgSetLocalCustomData (003, 001): the newest message of a one-message GetMsgList, with
     * custom_str "custom Str" and custom_int set to the string "custom int". */
    start_chain(set_local_custom_data);
    CHECK(strcmp(chained(TIMMsgGetMsgList(peer, kTIMConv_C2C, newest, on_outer, &g_this), "SetLocalCustomData"), "") == 0);
    char* newest_msg = first_element(g_outer.json);
    char id_key[256], query[512];
    const char* id_at = strstr(newest_msg, "\"message_msg_id\":\"");
    CHECK(id_at != NULL);
    snprintf(id_key, sizeof id_key, "%.*s", (int)(strchr(id_at + 18, '"') - (id_at + 18)), id_at + 18);
    snprintf(query, sizeof query, "[\"%s\"]", id_key);
    found = OK_CALL(TIMMsgFindMessages(query, on_result, NULL));
    CHECK(strstr(found, "\"message_custom_str\":\"custom Str\"") != NULL);
    free(newest_msg);

    /* TIMMsgBatchSend (003, 001): sender and times set, "user2" and "user3". */
    styled_message(msg, sizeof msg, login_id, "this is batch send msg");
    char batch[2600];
    snprintf(batch, sizeof batch, "{\n   \"msg_batch_send_param_identifier_array\" : [ \"user2\", \"user3\" ],\n"
                                  "   \"msg_batch_send_param_msg\" : %s}\n", msg);
    const char* results = OK_CALL(TIMMsgBatchSend(batch, on_result, NULL));
    CHECK_EQ(count_of(results, "\"msg_batch_send_result_code\":0"), 2);

    /* TIMMsgSetMessageExtensions (003): json::Serialize'd message with support_message_extension,
     * sender and client time; set from the send callback with its json_param. */
    char extension_msg[1024];
    snprintf(extension_msg, sizeof extension_msg,
             "{\"message_client_time\":%llu,\"message_elem_array\":[{\"elem_type\":0,\"text_elem_content\":\"send text\"}],"
             "\"message_sender\":\"%s\",\"message_support_message_extension\":true}",
             (unsigned long long)time(NULL), login_id);
    char ext_id[128] = {0};
    start_chain(set_extensions);
    const char* set = chained(TIMMsgSendMessage(peer, kTIMConv_C2C, extension_msg, ext_id, on_outer, &g_this), "SetMessageExtensions");
    CHECK(strstr(set, "\"message_extension_result_code\":0") != NULL);
    /* TIMMsgGetMessageExtensions (003): the newest message (last_msg {}), from the callback. */
    const char* with_anchor = "{\"msg_getmsglist_param_count\":1,\"msg_getmsglist_param_is_forward\":false,"
                              "\"msg_getmsglist_param_is_remble\":true,\"msg_getmsglist_param_last_msg\":{}}";
    start_chain(get_extensions);
    const char* extensions = chained(TIMMsgGetMsgList(peer, kTIMConv_C2C, with_anchor, on_outer, &g_this), "GetMessageExtensions");
    CHECK(strstr(g_outer.json, ext_id) != NULL);
    CHECK(strstr(extensions, "\"message_extension_value\":\"extension_value\"") != NULL);
    /* TIMMsgDeleteMessageExtensions (003): keys as {"message_extension_key": ...} objects. */
    start_chain(delete_extensions);
    const char* deleted = chained(TIMMsgGetMsgList(peer, kTIMConv_C2C, with_anchor, on_outer, &g_this), "DeleteMessageExtensions");
    CHECK(strstr(deleted, "\"message_extension_result_code\":0") != NULL);

    OK_CALL(TIMLogout(on_result, NULL));
    CHECK_EQ(TIMUninit(), TIM_SUCC);
    printf("OK seeds\n");
    return 0;
}
