/* One user of the two-user test.
 *   peer recv <data_dir> <user> <sig> <expected_sender> <expected_text>
 *   peer send <data_dir> <user> <sig> <to> <text>
 * The server comes from TIM_SERVER_ADDRESS / TIM_SERVER_CERT (the JSON config names only the
 * data directory). `recv` prints "READY" once logged in, then waits for the message. */
#include "TIMCloud.h"
#define TIM_TEST_RESULTS
#define TIM_TEST_OWN_ON_RESULT
#include "test_util.h"

static const uint64_t APP = 1400000042;

static struct result g_login, g_send, g_logout;
static volatile int g_got_message;
static char g_messages[8192];
static int g_tag; /* its address is the user_data; must come back untouched */
static pthread_t g_main_thread;
static volatile int g_callback_on_main;

static void on_result(int32_t code, const char* desc, const char* json, const void* user_data) {
    struct result* r = (struct result*)user_data;
    if (pthread_equal(pthread_self(), g_main_thread)) g_callback_on_main = 1;
    /* Calling the API from inside a callback must work (no deadlock). */
    TIMLoginStatus status = TIMGetLoginStatus();
    CHECK(status >= kTIMLoginStatus_Logined && status <= kTIMLoginStatus_UnLogined);
    CHECK(TIMGetServerTime() > 0);
    record_result(r, code, desc, json);
}

static void on_new_messages(const char* json_msg_array, const void* user_data) {
    CHECK(user_data == &g_tag);
    pthread_mutex_lock(&g_lock);
    if (strstr(json_msg_array, "hello from C") != NULL) {
        snprintf(g_messages, sizeof g_messages, "%s", json_msg_array);
        g_got_message = 1;
    }
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void on_network(enum TIMNetworkStatus status, int32_t code, const char* desc, const void* user_data) {
    (void)status; (void)code; (void)desc;
    CHECK(user_data == &g_tag);
}

static void wait_result(struct result* r, const char* what) {
    wait_for(&r->done, what);
    if (r->code != 0) { fprintf(stderr, "%s failed: %d %s\n", what, r->code, r->desc); exit(1); }
}

int main(int argc, char** argv) {
    CHECK(argc == 7);
    const char* role = argv[1];
    const char* user = argv[3];
    const char* sig = argv[4];
    g_main_thread = pthread_self();
    char config[1024];
    snprintf(config, sizeof config, "{\"sdk_config_config_file_path\":\"%s\"}", argv[2]);

    /* Init, uninit, init again: the second life must work fully. */
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);
    CHECK_EQ(TIMUninit(), TIM_SUCC);
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);

    TIMSetNetworkStatusListenerCallback(on_network, &g_tag);
    TIMAddRecvNewMsgCallback(on_new_messages, &g_tag);
    CHECK_EQ(TIMGetLoginStatus(), kTIMLoginStatus_UnLogined);
    CHECK_EQ(TIMLogin(user, sig, on_result, &g_login), TIM_SUCC);
    wait_result(&g_login, "login");
    CHECK_EQ(g_login.done, 1);
    CHECK(strcmp(g_login.json, "") == 0);
    CHECK_EQ(TIMGetLoginStatus(), kTIMLoginStatus_Logined);
    char id[128];
    CHECK_EQ(TIMGetLoginUserID(id), TIM_SUCC);
    CHECK(strcmp(id, user) == 0);
    CHECK(TIMGetServerTime() > 1600000000ULL);

    if (strcmp(role, "recv") == 0) {
        printf("READY\n");
        fflush(stdout);
        wait_for(&g_got_message, "the new message");
        CHECK(strstr(g_messages, argv[5]) != NULL); /* the sender */
        CHECK(strstr(g_messages, argv[6]) != NULL); /* the text */
        CHECK(g_messages[0] == '[');
    } else {
        char msg[1024], msg_id[128] = {0};
        snprintf(msg, sizeof msg,
                 "{\"message_elem_array\":[{\"elem_type\":0,\"text_elem_content\":\"%s\"}]}", argv[6]);
        CHECK_EQ(TIMMsgSendMessage(argv[5], kTIMConv_C2C, msg, msg_id, on_result, &g_send), TIM_SUCC);
        CHECK(strlen(msg_id) > 0); /* filled synchronously */
        wait_result(&g_send, "send");
        CHECK_EQ(g_send.done, 1);
        CHECK(strstr(g_send.json, msg_id) != NULL);
        CHECK(strstr(g_send.json, argv[6]) != NULL);
        /* A second send without an ID buffer. */
        memset(&g_send, 0, sizeof g_send);
        CHECK_EQ(TIMMsgSendMessage(argv[5], kTIMConv_C2C, msg, NULL, on_result, &g_send), TIM_SUCC);
        wait_result(&g_send, "send without an ID buffer");
    }

    CHECK_EQ(TIMLogout(on_result, &g_logout), TIM_SUCC);
    wait_result(&g_logout, "logout");
    CHECK_EQ(TIMGetLoginStatus(), kTIMLoginStatus_UnLogined);
    TIMRemoveRecvNewMsgCallback(on_new_messages);
    CHECK_EQ(TIMUninit(), TIM_SUCC);
    CHECK(!g_callback_on_main);
    /* Every result callback ran exactly once. */
    CHECK_EQ(g_login.done, 1);
    CHECK_EQ(g_logout.done, 1);
    printf("OK %s\n", role);
    return 0;
}
