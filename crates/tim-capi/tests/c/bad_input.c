/* Bad input to every export of this slice, before TIMInit, before login and after: each call
 * returns its TIMResult and never calls its callback.
 *   bad_input <data_dir>
 * The server comes from TIM_SERVER_ADDRESS / TIM_SERVER_CERT (nothing here connects). */
#include "TIMCloud.h"
#include "test_util.h"

static const uint64_t APP = 1400000042;
static volatile int g_calls;

static void never(int32_t code, const char* desc, const char* json, const void* user_data) {
    (void)code; (void)desc; (void)json; (void)user_data;
    g_calls++;
    fprintf(stderr, "a callback ran after an error code: %d %s\n", code, desc);
}

/* A refused login's callback that uninitialises the SDK from inside the SDK thread. */
static volatile int g_refused_done;
static int g_refused_code, g_uninit_in_callback, g_refused_tag;
static void uninit_from_callback(int32_t code, const char* desc, const char* json, const void* user_data) {
    (void)desc; (void)json;
    CHECK(user_data == &g_refused_tag);
    g_uninit_in_callback = TIMUninit();
    pthread_mutex_lock(&g_lock);
    g_refused_code = code;
    g_refused_done++;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void on_msgs(const char* json, const void* user_data) { (void)json; (void)user_data; }

static const char* TEXT = "{\"message_elem_array\":[{\"elem_type\":0,\"text_elem_content\":\"hi\"}]}";

int main(int argc, char** argv) {
    CHECK(argc == 2);
    char config[1024];
    snprintf(config, sizeof config, "{\"sdk_config_config_file_path\":\"%s\"}", argv[1]);
    char buf[128];
    const char bad_utf8[] = {'a', (char)0xff, (char)0xfe, 0};

    /* Anytime. */
    CHECK(TIMGetSDKVersion() != NULL && strlen(TIMGetSDKVersion()) > 0);
    TIMAddRecvNewMsgCallback(NULL, NULL);
    TIMRemoveRecvNewMsgCallback(NULL);
    TIMRemoveRecvNewMsgCallback(on_msgs); /* never added */
    TIMSetNetworkStatusListenerCallback(NULL, NULL);

    /* Before TIMInit. */
    CHECK_EQ(TIMLogin("alice", "sig", never, NULL), TIM_ERR_SDKUNINIT);
    CHECK_EQ(TIMLogout(never, NULL), TIM_ERR_SDKUNINIT);
    CHECK_EQ(TIMGetLoginUserID(buf), TIM_ERR_SDKUNINIT);
    CHECK_EQ(TIMMsgSendMessage("bob", kTIMConv_C2C, TEXT, buf, never, NULL), TIM_ERR_SDKUNINIT);
    CHECK_EQ(TIMGetLoginStatus(), kTIMLoginStatus_UnLogined);
    CHECK_EQ(TIMGetServerTime(), 0);
    CHECK_EQ(TIMUninit(), TIM_ERR_SDKUNINIT);

    /* TIMInit's own input. */
    CHECK_EQ(TIMInit(0, config), TIM_ERR_PARAM);
    CHECK_EQ(TIMInit(APP, "{not json"), TIM_ERR_JSON);
    CHECK_EQ(TIMInit(APP, "[1,2]"), TIM_ERR_JSON);
    CHECK_EQ(TIMInit(APP, bad_utf8), TIM_ERR_JSON);
    CHECK_EQ(TIMInit(APP, "{\"sdk_config_config_file_path\":42}"), TIM_ERR_JSON);
    CHECK_EQ(TIMInit(APP, "{\"sdk_config_server_certificate\":\"ab:cd\"}"), TIM_ERR_PARAM);
    CHECK_EQ(TIMGetLoginStatus(), kTIMLoginStatus_UnLogined);
    /* NULL and "" mean all defaults (the server still comes from the environment). */
    CHECK_EQ(TIMInit(APP, NULL), TIM_SUCC);
    CHECK_EQ(TIMUninit(), TIM_SUCC);
    CHECK_EQ(TIMInit(APP, ""), TIM_SUCC);
    CHECK_EQ(TIMUninit(), TIM_SUCC);
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC); /* again while initialised: no change */

    /* Initialised, not logged in. */
    CHECK(TIMGetServerTime() > 1600000000ULL);
    CHECK_EQ(TIMLogin(NULL, "sig", never, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMLogin("alice", NULL, never, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMLogin(bad_utf8, "sig", never, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMLogin("alice", bad_utf8, never, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMLogout(never, NULL), TIM_ERR_NOTLOGIN);
    CHECK_EQ(TIMGetLoginUserID(NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMGetLoginUserID(buf), TIM_ERR_NOTLOGIN);
    CHECK_EQ(TIMGetLoginStatus(), kTIMLoginStatus_UnLogined);
    CHECK_EQ(TIMMsgSendMessage(NULL, kTIMConv_C2C, TEXT, buf, never, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgSendMessage(bad_utf8, kTIMConv_C2C, TEXT, buf, never, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgSendMessage("bob", (enum TIMConvType)99, TEXT, buf, never, NULL), TIM_ERR_CONV);
    CHECK_EQ(TIMMsgSendMessage("bob", kTIMConv_Invalid, TEXT, buf, never, NULL), TIM_ERR_CONV);
    CHECK_EQ(TIMMsgSendMessage("", kTIMConv_C2C, TEXT, buf, never, NULL), TIM_ERR_CONV);
    CHECK_EQ(TIMMsgSendMessage("bob", kTIMConv_C2C, NULL, buf, never, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgSendMessage("bob", kTIMConv_C2C, "{\"message_elem_array\":", buf, never, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgSendMessage("bob", kTIMConv_C2C, bad_utf8, buf, never, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgSendMessage("bob", kTIMConv_C2C, "{\"message_elem_array\":7}", buf, never, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgSendMessage("bob", kTIMConv_C2C, TEXT, buf, never, NULL), TIM_ERR_NOTLOGIN);
    CHECK_EQ(TIMMsgSendMessage("bob", kTIMConv_C2C, TEXT, NULL, NULL, NULL), TIM_ERR_NOTLOGIN);

    /* Huge strings are refused as values, not crashes. */
    size_t huge_len = 4u << 20;
    char* huge = malloc(huge_len + 1);
    CHECK(huge != NULL);
    memset(huge, 'x', huge_len);
    huge[huge_len] = 0;
    CHECK_EQ(TIMMsgSendMessage(huge, kTIMConv_C2C, TEXT, buf, never, NULL), TIM_ERR_CONV);
    CHECK_EQ(TIMMsgSendMessage("bob", kTIMConv_C2C, huge, buf, never, NULL), TIM_ERR_JSON);
    free(huge);

    CHECK_EQ(TIMUninit(), TIM_SUCC);
    CHECK_EQ(TIMUninit(), TIM_ERR_SDKUNINIT);

    /* A forged UserSig: TIM_SUCC, then one callback with the server's code; TIMUninit from
     * inside that callback neither deadlocks nor breaks a later TIMInit. */
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);
    CHECK_EQ(TIMLogin("alice", "not-a-usersig", uninit_from_callback, &g_refused_tag), TIM_SUCC);
    wait_for(&g_refused_done, "the refused login's callback");
    CHECK(g_refused_code != 0);
    CHECK_EQ(g_uninit_in_callback, TIM_SUCC);
    CHECK_EQ(g_refused_done, 1);
    CHECK_EQ(TIMGetLoginStatus(), kTIMLoginStatus_UnLogined);
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);
    CHECK_EQ(TIMUninit(), TIM_SUCC);
    CHECK_EQ(TIMLogin("alice", "sig", never, NULL), TIM_ERR_SDKUNINIT);
    CHECK_EQ(g_calls, 0);
    printf("OK bad_input\n");
    return 0;
}
