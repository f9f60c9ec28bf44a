/* Bob's side of the lifecycle test; the Rust driver is Alice (tim-rs).
 *   lifecycle <data_dir> <data_dir_2> <user> <sig> <peer>
 * Checks refusals, sends Alice a message that wants read receipts and allows extensions,
 * prints "READY <msg_id>", then waits for the events Alice causes: a read receipt, an
 * extension set and delete, and a modified then revoked message. Then exercises the calls
 * itself (extensions, receive options, receipts) and, from a second data directory (a second
 * device with an empty extension cache), a conflicting extension set (23001); then prints
 * "KICK-ME" and waits to be kicked offline by a login with its device ID. */
#include "TIMCloud.h"
#define TIM_TEST_RESULTS
#include "test_util.h"

static const uint64_t APP = 1400000042;

struct event { volatile int done; char id[256]; char json[16384]; };
static struct result g_login, g_send, g_call, g_logout;
static struct event g_receipt, g_changed, g_deleted, g_update, g_revoke;
static volatile int g_members_done;
static char g_members_json[1024];
static uint64_t g_members_next;
static bool g_members_finished;
static int g_tag;


static void note(struct event* e, const char* id, const char* json) {
    pthread_mutex_lock(&g_lock);
    snprintf(e->id, sizeof e->id, "%s", id ? id : "");
    snprintf(e->json, sizeof e->json, "%s", json ? json : "(null)");
    e->done++;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void on_receipt(const char* json, const void* ud) { CHECK(ud == &g_tag); note(&g_receipt, NULL, json); }
static void on_update(const char* json, const void* ud) { CHECK(ud == &g_tag); note(&g_update, NULL, json); }
static void on_revoke(const char* json, const void* ud) { CHECK(ud == &g_tag); note(&g_revoke, NULL, json); }
static void on_changed(const char* id, const char* json, const void* ud) {
    CHECK(ud == &g_tag);
    /* Our own sets raise it too; keep Alice's. */
    if (strstr(json, "from-alice") != NULL) note(&g_changed, id, json);
}
static void on_deleted(const char* id, const char* json, const void* ud) { CHECK(ud == &g_tag); note(&g_deleted, id, json); }
static volatile int g_kicked;
static void on_kicked(const void* ud) {
    CHECK(ud == &g_tag);
    pthread_mutex_lock(&g_lock);
    g_kicked++;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}
static void on_sig_expired(const void* ud) { (void)ud; }
static void on_log(enum TIMLogLevel level, const char* log, const void* ud) { (void)level; (void)log; (void)ud; }
static void on_progress(const char* m, uint32_t i, uint32_t c, uint32_t t, const void* ud) { (void)m; (void)i; (void)c; (void)t; (void)ud; }

static void on_members(const char* json, uint64_t next_seq, bool is_finished, const void* ud) {
    CHECK(ud == &g_tag);
    pthread_mutex_lock(&g_lock);
    snprintf(g_members_json, sizeof g_members_json, "%s", json);
    g_members_next = next_seq;
    g_members_finished = is_finished;
    g_members_done++;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

/* Any callback of a refused call sets this; it must stay 0. */
static volatile int g_refused_called;
static void on_refused(int32_t code, const char* desc, const char* json, const void* ud) {
    (void)code; (void)desc; (void)json; (void)ud;
    g_refused_called = 1;
}
static void on_refused_members(const char* json, uint64_t next_seq, bool is_finished, const void* ud) {
    (void)json; (void)next_seq; (void)is_finished; (void)ud;
    g_refused_called = 1;
}

static void call_ok(int rc, const char* what) {
    CHECK_EQ(rc, TIM_SUCC);
    wait_for(&g_call.done, what);
    if (g_call.code != 0) { fprintf(stderr, "%s failed: %d %s\n", what, g_call.code, g_call.desc); exit(1); }
}

static void reset_call(void) { memset(&g_call, 0, sizeof g_call); }

static void login(const char* config, const char* user, const char* sig) {
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);
    memset(&g_login, 0, sizeof g_login);
    CHECK_EQ(TIMLogin(user, sig, on_result, &g_login), TIM_SUCC);
    wait_for(&g_login.done, "login");
    CHECK_EQ(g_login.code, 0);
}

static void refusals(int expect, const char* msg) {
    const char* users = "[\"alice\"]";
    CHECK_EQ(TIMMsgSetC2CReceiveMessageOpt(users, kTIMRecvMsgOpt_Receive, on_refused, NULL), expect);
    CHECK_EQ(TIMMsgGetC2CReceiveMessageOpt(users, on_refused, NULL), expect);
    CHECK_EQ(TIMMsgSetGroupReceiveMessageOpt("g1", kTIMRecvMsgOpt_Receive, on_refused, NULL), expect);
    char array[4096];
    snprintf(array, sizeof array, "[%s]", msg);
    CHECK_EQ(TIMMsgSendMessageReadReceipts(array, on_refused, NULL), expect);
    CHECK_EQ(TIMMsgGetMessageReadReceipts(array, on_refused, NULL), expect);
    CHECK_EQ(TIMMsgSetMessageExtensions(msg, "[{\"message_extension_key\":\"k\",\"message_extension_value\":\"v\"}]", on_refused, NULL), expect);
    CHECK_EQ(TIMMsgGetMessageExtensions(msg, on_refused, NULL), expect);
    CHECK_EQ(TIMMsgDeleteMessageExtensions(msg, "[\"k\"]", on_refused, NULL), expect);
}

static void bad_input(const char* msg) {
    const char* bad = "{not json";
    CHECK_EQ(TIMMsgSetC2CReceiveMessageOpt(NULL, kTIMRecvMsgOpt_Receive, on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgSetC2CReceiveMessageOpt(bad, kTIMRecvMsgOpt_Receive, on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgSetC2CReceiveMessageOpt("[\"alice\"]", (enum TIMReceiveMessageOpt)99, on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgGetC2CReceiveMessageOpt(NULL, on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgGetC2CReceiveMessageOpt(bad, on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgSetGroupReceiveMessageOpt(NULL, kTIMRecvMsgOpt_Receive, on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgSetGroupReceiveMessageOpt("", kTIMRecvMsgOpt_Receive, on_refused, NULL), TIM_ERR_GROUP);
    CHECK_EQ(TIMMsgSendMessageReadReceipts(NULL, on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgSendMessageReadReceipts(bad, on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgGetMessageReadReceipts(NULL, on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgGetMessageReadReceipts(bad, on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgGetGroupMessageReadMemberList(NULL, TIM_GROUP_MESSAGE_READ_MEMBERS_FILTER_READ, 0, 10, on_refused_members, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgGetGroupMessageReadMemberList(bad, TIM_GROUP_MESSAGE_READ_MEMBERS_FILTER_READ, 0, 10, on_refused_members, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgGetGroupMessageReadMemberList(msg, TIM_GROUP_MESSAGE_READ_MEMBERS_FILTER_READ, 0, 10, on_refused_members, NULL), TIM_ERR_CONV);
    CHECK_EQ(TIMMsgSetMessageExtensions(NULL, "[]", on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgSetMessageExtensions(msg, NULL, on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgSetMessageExtensions(bad, "[]", on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgSetMessageExtensions(msg, bad, on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgGetMessageExtensions(NULL, on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgGetMessageExtensions(bad, on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgDeleteMessageExtensions(NULL, "[]", on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgDeleteMessageExtensions(msg, bad, on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgDeleteMessageExtensions(msg, "[1]", on_refused, NULL), TIM_ERR_JSON);
}

int main(int argc, char** argv) {
    CHECK(argc == 6);
    const char* user = argv[3];
    const char* sig = argv[4];
    const char* peer = argv[5];
    char config[1024], config2[1024];
    snprintf(config, sizeof config, "{\"sdk_config_config_file_path\":\"%s\"}", argv[1]);
    snprintf(config2, sizeof config2, "{\"sdk_config_config_file_path\":\"%s\"}", argv[2]);
    const char* fake = "{\"message_conv_type\":1,\"message_conv_id\":\"alice\",\"message_msg_id\":\"m1\"}";

    /* The setters work before TIMInit. */
    TIMSetMsgReadedReceiptCallback(on_receipt, &g_tag);
    TIMSetMsgUpdateCallback(on_update, &g_tag);
    TIMSetMsgRevokeCallback(on_revoke, &g_tag);
    TIMSetMsgExtensionsChangedCallback(on_changed, &g_tag);
    TIMSetMsgExtensionsDeletedCallback(on_deleted, &g_tag);
    TIMSetKickedOfflineCallback(on_kicked, &g_tag);
    TIMSetUserSigExpiredCallback(on_sig_expired, &g_tag);
    TIMSetLogCallback(on_log, &g_tag);
    TIMSetMsgElemUploadProgressCallback(on_progress, &g_tag);
    TIMSetLogCallback(NULL, NULL); /* unsetting is fine */

    refusals(TIM_ERR_SDKUNINIT, fake);
    CHECK_EQ(TIMMsgGetGroupMessageReadMemberList(fake, TIM_GROUP_MESSAGE_READ_MEMBERS_FILTER_READ, 0, 10, on_refused_members, NULL), TIM_ERR_SDKUNINIT);
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);
    refusals(TIM_ERR_NOTLOGIN, fake);
    CHECK_EQ(TIMUninit(), TIM_SUCC);

    /* TIMUninit forgot the callbacks: register again for this life. */
    login(config, user, sig);
    TIMSetMsgReadedReceiptCallback(on_receipt, &g_tag);
    TIMSetMsgUpdateCallback(on_update, &g_tag);
    TIMSetMsgRevokeCallback(on_revoke, &g_tag);
    TIMSetMsgExtensionsChangedCallback(on_changed, &g_tag);
    TIMSetMsgExtensionsDeletedCallback(on_deleted, &g_tag);
    bad_input(fake);

    /* The message Alice acts on. */
    const char* text = "{\"message_elem_array\":[{\"elem_type\":0,\"text_elem_content\":\"lifecycle\"}],"
                       "\"message_need_read_receipt\":true,\"message_support_message_extension\":true}";
    char msg_id[128] = {0};
    CHECK_EQ(TIMMsgSendMessage(peer, kTIMConv_C2C, text, msg_id, on_result, &g_send), TIM_SUCC);
    wait_for(&g_send.done, "send");
    CHECK_EQ(g_send.code, 0);
    static char msg[sizeof g_send.json];
    snprintf(msg, sizeof msg, "%s", g_send.json);
    static char array[sizeof g_send.json + 8];
    snprintf(array, sizeof array, "[%s]", msg);
    printf("READY %s\n", msg_id);
    fflush(stdout);

    /* Alice: read receipt, extension set, extension delete, modify, revoke. */
    wait_for(&g_receipt.done, "the read receipt");
    CHECK(g_receipt.json[0] == '[');
    CHECK(strstr(g_receipt.json, "\"msg_receipt_conv_id\":\"alice\"") != NULL);
    wait_for(&g_changed.done, "the extensions-changed callback");
    CHECK(strcmp(g_changed.id, msg_id) == 0);
    CHECK(strstr(g_changed.json, "\"message_extension_key\":\"k1\"") != NULL);
    wait_for(&g_deleted.done, "the extensions-deleted callback");
    CHECK(strcmp(g_deleted.id, msg_id) == 0);
    CHECK(strstr(g_deleted.json, "[{\"message_extension_key\":\"k1\"}]") != NULL);
    wait_for(&g_update.done, "the update callback");
    CHECK(strstr(g_update.json, "edited by alice") != NULL);
    CHECK(g_update.json[0] == '[');
    wait_for(&g_revoke.done, "the revoke callback");
    CHECK(g_revoke.json[0] == '[');
    CHECK(strstr(g_revoke.json, "\"message_locator_conv_id\":\"alice\"") != NULL);
    CHECK(strstr(g_revoke.json, "\"message_revoker_user_id\":\"alice\"") != NULL);

    /* Receipts from here: Alice read it. */
    reset_call();
    call_ok(TIMMsgGetMessageReadReceipts(array, on_result, &g_call), "get receipts");
    CHECK(strstr(g_call.json, "\"msg_receipt_is_peer_read\":true") != NULL);

    /* Extensions: set, get, delete (both key-list shapes). */
    reset_call();
    call_ok(TIMMsgSetMessageExtensions(msg, "[{\"message_extension_key\":\"k2\",\"message_extension_value\":\"v2\"},"
                                            "{\"message_extension_key\":\"k3\",\"message_extension_value\":\"v3\"}]",
                                       on_result, &g_call), "set extensions");
    CHECK(strstr(g_call.json, "\"message_extension_result_code\":0") != NULL);
    CHECK(strstr(g_call.json, "k3") != NULL);
    reset_call();
    call_ok(TIMMsgGetMessageExtensions(msg, on_result, &g_call), "get extensions");
    CHECK(strstr(g_call.json, "\"message_extension_value\":\"v2\"") != NULL);
    CHECK(strstr(g_call.json, "k1") == NULL);
    reset_call();
    call_ok(TIMMsgDeleteMessageExtensions(msg, "[\"k3\"]", on_result, &g_call), "delete extensions (strings)");
    CHECK(strstr(g_call.json, "\"message_extension_result_code\":0") != NULL);
    reset_call();
    call_ok(TIMMsgDeleteMessageExtensions(msg, "[{\"message_extension_key\":\"nope\"}]", on_result, &g_call), "delete extensions (objects)");
    CHECK(strstr(g_call.json, "\"message_extension_result_code\":23004") != NULL);
    /* 21 keys: the limit arrives in the callback. */
    char many[4096] = "[";
    for (int i = 0; i < 21; i++) {
        char item[128];
        snprintf(item, sizeof item, "%s{\"message_extension_key\":\"m%d\",\"message_extension_value\":\"x\"}", i ? "," : "", i);
        strcat(many, item);
    }
    strcat(many, "]");
    reset_call();
    CHECK_EQ(TIMMsgSetMessageExtensions(msg, many, on_result, &g_call), TIM_SUCC);
    wait_for(&g_call.done, "21 keys");
    CHECK(g_call.code != 0);

    /* Receive options: set, get, 31 users. */
    reset_call();
    call_ok(TIMMsgSetC2CReceiveMessageOpt("[\"alice\"]", kTIMRecvMsgOpt_Not_Notify, on_result, &g_call), "set c2c opt");
    reset_call();
    call_ok(TIMMsgGetC2CReceiveMessageOpt("[\"alice\"]", on_result, &g_call), "get c2c opt");
    CHECK(strstr(g_call.json, "\"msg_recv_msg_opt_result_identifier\":\"alice\"") != NULL);
    CHECK(strstr(g_call.json, "\"msg_recv_msg_opt_result_opt\":2") != NULL);
    char users[2048] = "[";
    for (int i = 0; i < 31; i++) {
        char item[32];
        snprintf(item, sizeof item, "%s\"u%d\"", i ? "," : "", i);
        strcat(users, item);
    }
    strcat(users, "]");
    reset_call();
    CHECK_EQ(TIMMsgSetC2CReceiveMessageOpt(users, kTIMRecvMsgOpt_Receive, on_result, &g_call), TIM_SUCC);
    wait_for(&g_call.done, "31 users");
    CHECK(g_call.code != 0);
    reset_call();
    CHECK_EQ(TIMMsgSetGroupReceiveMessageOpt("no-such-group", kTIMRecvMsgOpt_Receive, on_result, &g_call), TIM_SUCC);
    wait_for(&g_call.done, "group opt of an unknown group");
    CHECK(g_call.code != 0);

    /* The read-member list of a group message that does not exist: an empty finished page. */
    const char* group_msg = "{\"message_conv_type\":2,\"message_conv_id\":\"no-such-group\",\"message_msg_id\":\"m1\"}";
    CHECK_EQ(TIMMsgGetGroupMessageReadMemberList(group_msg, TIM_GROUP_MESSAGE_READ_MEMBERS_FILTER_READ, 7, 10, on_members, &g_tag), TIM_SUCC);
    wait_for(&g_members_done, "the read-member list");
    CHECK(strcmp(g_members_json, "[]") == 0);
    CHECK_EQ(g_members_next, 7);
    CHECK(g_members_finished);

    CHECK_EQ(TIMLogout(on_result, &g_logout), TIM_SUCC);
    wait_for(&g_logout.done, "logout");
    CHECK_EQ(TIMUninit(), TIM_SUCC);

    /* A second device (empty extension cache) sets k2 without knowing its version: 23001. */
    login(config2, user, sig);
    reset_call();
    call_ok(TIMMsgSetMessageExtensions(msg, "[{\"message_extension_key\":\"k2\",\"message_extension_value\":\"late\"}]",
                                       on_result, &g_call), "conflicting set");
    CHECK(strstr(g_call.json, "\"message_extension_result_code\":23001") != NULL);
    CHECK(strstr(g_call.json, "\"message_extension_value\":\"v2\"") != NULL);
    /* The driver logs in as this user with this device's ID: this device is kicked. */
    TIMSetKickedOfflineCallback(on_kicked, &g_tag);
    printf("KICK-ME\n");
    fflush(stdout);
    wait_for(&g_kicked, "the kicked-offline callback");
    CHECK_EQ(TIMUninit(), TIM_SUCC);

    CHECK(!g_refused_called);
    CHECK_EQ(g_kicked, 1);
    CHECK_EQ(g_send.done, 1);
    CHECK_EQ(g_members_done, 1);
    printf("OK lifecycle\n");
    return 0;
}
