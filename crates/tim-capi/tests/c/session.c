#define _GNU_SOURCE
/* The session side of the C ABI, one scenario per run (the Rust driver tests/c_session.rs
 * starts the server and the peer):
 *   session config <data_dir> <user> <sig>
 *       TIMSetConfig before and after TIMInit, log lines reaching TIMSetLogCallback on the SDK
 *       thread (levels, Off, across TIMUninit/TIMInit), TIMGetServerTime.
 *   session expire <data_dir> <user> <short_sig> <fresh_sig>
 *       the UserSig expires while logged in: the expired callback, the network status, and a
 *       new TIMLogin with a fresh sig.
 *   session order <data_dir> <user> <sig> <count>
 *       <count> messages wait on the server; the login callback must come before every event
 *       of the session (messages, network status).
 *   session race <data_dir> <user> <sig>
 *       threads call TIMMsgGetMsgList in a loop while the main thread calls TIMUninit: every
 *       call that returned TIM_SUCC gets exactly one callback (0 or 6013). */
#include "TIMCloud.h"
#include "test_util.h"

static const uint64_t APP = 1400000042;

struct result { volatile int done; int code; char desc[512]; char json[8192]; pthread_t thread; };
static struct result g_login, g_cfg, g_logout;
static int g_tag;

static void on_result(int32_t code, const char* desc, const char* json, const void* user_data) {
    struct result* r = (struct result*)user_data;
    pthread_mutex_lock(&g_lock);
    r->code = code;
    snprintf(r->desc, sizeof r->desc, "%s", desc ? desc : "(null)");
    snprintf(r->json, sizeof r->json, "%s", json ? json : "(null)");
    r->thread = pthread_self();
    r->done++;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static volatile int g_refused_called;
static void on_refused(int32_t code, const char* desc, const char* json, const void* ud) {
    (void)code; (void)desc; (void)json; (void)ud;
    g_refused_called = 1;
}

static void init(const char* data_dir) {
    char config[1024];
    snprintf(config, sizeof config, "{\"sdk_config_config_file_path\":\"%s\"}", data_dir);
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);
}

static void login(const char* user, const char* sig, int expect_code) {
    memset(&g_login, 0, sizeof g_login);
    CHECK_EQ(TIMLogin(user, sig, on_result, &g_login), TIM_SUCC);
    wait_for(&g_login.done, "login");
    if (g_login.code != expect_code) {
        fprintf(stderr, "login: %d %s, expected %d\n", g_login.code, g_login.desc, expect_code);
        exit(1);
    }
}

/* ---- config ---- */

static volatile int g_log_lines, g_log_login, g_log_other_thread, g_log_low_level;
static pthread_t g_sdk_thread;
static volatile int g_sdk_thread_known;

static void on_log(enum TIMLogLevel level, const char* log, const void* ud) {
    CHECK(ud == &g_tag);
    CHECK(log != NULL);
    /* A TIM call from inside the log callback must not deadlock. */
    (void)TIMGetLoginStatus();
    pthread_mutex_lock(&g_lock);
    g_log_lines++;
    if (level < kTIMLog_Debug) g_log_low_level++;
    if (g_sdk_thread_known && !pthread_equal(pthread_self(), g_sdk_thread)) g_log_other_thread++;
    if (strstr(log, "TIMLogin") != NULL) g_log_login++;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void expect_in(const char* json, const char* part) {
    if (strstr(json, part) == NULL) {
        fprintf(stderr, "expected %s in %s\n", part, json);
        exit(1);
    }
}

static int config_scenario(const char* data_dir, const char* user, const char* sig) {
    CHECK_EQ(TIMGetServerTime(), 0);
    /* Before TIMInit: NULL reads the current (default) configuration; the callback runs before
     * TIMSetConfig returns. */
    memset(&g_cfg, 0, sizeof g_cfg);
    CHECK_EQ(TIMSetConfig(NULL, on_result, &g_cfg), TIM_SUCC);
    CHECK_EQ(g_cfg.done, 1);
    CHECK_EQ(g_cfg.code, 0);
    expect_in(g_cfg.json, "\"set_config_callback_log_level\":4");
    expect_in(g_cfg.json, "\"set_config_log_level\":4");
    CHECK_EQ(TIMSetConfig("", NULL, NULL), TIM_SUCC);

    /* Refusals: no callback. */
    CHECK_EQ(TIMSetConfig("{not json", on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMSetConfig("[1]", on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMSetConfig("{\"set_config_log_level\":\"loud\"}", on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMSetConfig("{\"set_config_callback_log_level\":42}", on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMSetConfig("{\"set_config_is_log_output_console\":1}", on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMSetConfig("{\"set_config_user_define_data\":\"0123456789012345678901234567890123456789012345678901234567890123x\"}",
                          on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMSetConfig("{\"set_config_http_proxy_info\":\"10.0.0.1\"}", on_refused, NULL), TIM_ERR_JSON);
    const char bad_utf8[] = { '{', '"', (char)0xff, '"', ':', '1', '}', 0 };
    CHECK_EQ(TIMSetConfig(bad_utf8, on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(g_refused_called, 0);

    /* Proxy settings precede TIMInit, as Tencent asks; cb may be NULL. */
    CHECK_EQ(TIMSetConfig("{\"set_config_callback_log_level\":3,\"set_config_user_define_data\":\"hello\","
                          "\"set_config_http_proxy_info\":{\"http_proxy_info_ip\":\"10.0.0.1\",\"http_proxy_info_port\":8080},"
                          "\"set_config_user_config\":{\"user_config_is_read_receipt\":true,"
                          "\"user_config_is_ingore_grouptips_unread\":true}}", NULL, NULL), TIM_SUCC);
    TIMSetLogCallback(on_log, &g_tag);
    init(data_dir);
    login(user, sig, 0);
    g_sdk_thread = g_login.thread;
    g_sdk_thread_known = 1;
    wait_for(&g_log_login, "a log line about TIMLogin");

    /* After TIMInit the callback runs on the SDK thread and echoes everything set. */
    memset(&g_cfg, 0, sizeof g_cfg);
    CHECK_EQ(TIMSetConfig("{\"set_config_log_level\":5}", on_result, &g_cfg), TIM_SUCC);
    wait_for(&g_cfg.done, "TIMSetConfig callback");
    CHECK(pthread_equal(g_cfg.thread, g_sdk_thread));
    expect_in(g_cfg.json, "\"set_config_log_level\":5");
    expect_in(g_cfg.json, "\"set_config_callback_log_level\":3");
    expect_in(g_cfg.json, "\"set_config_is_log_output_console\":false");
    expect_in(g_cfg.json, "\"set_config_user_define_data\":\"hello\"");
    expect_in(g_cfg.json, "\"http_proxy_info_ip\":\"10.0.0.1\"");
    expect_in(g_cfg.json, "\"user_config_is_read_receipt\":true");
    expect_in(g_cfg.json, "\"user_config_is_ignore_grouptips_unread\":true");

    /* Server time: this server's clock is the device's, so they agree within a few seconds. */
    uint64_t server = TIMGetServerTime();
    long long skew = (long long)server - (long long)time(NULL);
    if (skew < -5 || skew > 5) { fprintf(stderr, "server time %llu, device %lld\n", (unsigned long long)server, (long long)time(NULL)); exit(1); }

    /* Off: no more lines, although logout and login log. */
    CHECK_EQ(TIMSetConfig("{\"set_config_callback_log_level\":0}", NULL, NULL), TIM_SUCC);
    /* A round trip through the SDK thread: lines queued before Off have run. */
    memset(&g_cfg, 0, sizeof g_cfg);
    CHECK_EQ(TIMSetConfig(NULL, on_result, &g_cfg), TIM_SUCC);
    wait_for(&g_cfg.done, "TIMSetConfig round trip");
    pthread_mutex_lock(&g_lock);
    int lines = g_log_lines;
    pthread_mutex_unlock(&g_lock);
    memset(&g_logout, 0, sizeof g_logout);
    CHECK_EQ(TIMLogout(on_result, &g_logout), TIM_SUCC);
    wait_for(&g_logout.done, "logout");
    login(user, sig, 0);
    pthread_mutex_lock(&g_lock);
    CHECK_EQ(g_log_lines, lines);
    pthread_mutex_unlock(&g_lock);
    CHECK_EQ(TIMUninit(), TIM_SUCC);

    /* Across TIMUninit/TIMInit: TIMUninit forgot the callback; set it again. */
    CHECK_EQ(TIMSetConfig("{\"set_config_callback_log_level\":4,\"set_config_log_level\":4,"
                          "\"set_config_is_log_output_console\":true}", NULL, NULL), TIM_SUCC);
    pthread_mutex_lock(&g_lock);
    g_log_login = 0;
    g_sdk_thread_known = 0;
    pthread_mutex_unlock(&g_lock);
    init(data_dir);
    TIMSetLogCallback(on_log, &g_tag);
    login(user, sig, 0);
    wait_for(&g_log_login, "a log line about TIMLogin after TIMInit again");
    CHECK_EQ(TIMUninit(), TIM_SUCC);
    CHECK_EQ(TIMSetConfig("{\"set_config_is_log_output_console\":false}", NULL, NULL), TIM_SUCC);
    CHECK_EQ(g_log_other_thread, 0);
    CHECK_EQ(g_log_low_level, 0);
    printf("config ok: %d log lines\n", g_log_lines);
    return 0;
}

/* ---- expire ---- */

static volatile int g_expired, g_connected, g_disconnected_after_expiry;
static char g_statuses[64];
static int g_status_count;

static void on_expired(const void* ud) {
    CHECK(ud == &g_tag);
    pthread_mutex_lock(&g_lock);
    g_expired++;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void on_status(enum TIMNetworkStatus status, int32_t code, const char* desc, const void* ud) {
    (void)code; (void)desc;
    CHECK(ud == &g_tag);
    pthread_mutex_lock(&g_lock);
    if (g_status_count < (int)sizeof g_statuses - 1) g_statuses[g_status_count++] = (char)('0' + status);
    if (status == kTIMConnected) g_connected++;
    if (status == kTIMDisconnected && g_expired) g_disconnected_after_expiry++;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static int expire_scenario(const char* data_dir, const char* user, const char* short_sig, const char* fresh_sig) {
    init(data_dir);
    TIMSetUserSigExpiredCallback(on_expired, &g_tag);
    TIMSetNetworkStatusListenerCallback(on_status, &g_tag);
    login(user, short_sig, 0);
    wait_for(&g_connected, "connected");
    wait_for(&g_expired, "the UserSig-expired callback");
    wait_for(&g_disconnected_after_expiry, "disconnected after the UserSig expired");
    CHECK_EQ(g_expired, 1);
    /* What the app sees: Connecting, Connected, then Disconnected once the sig expired; the
     * SDK stopped reconnecting but still names the user (documented) until TIMLogin again. */
    printf("statuses after expiry: %s, login status %d\n", g_statuses, (int)TIMGetLoginStatus());
    pthread_mutex_lock(&g_lock);
    CHECK(strcmp(g_statuses, "201") == 0);
    pthread_mutex_unlock(&g_lock);
    CHECK_EQ(TIMGetLoginStatus(), kTIMLoginStatus_Logined);
    pthread_mutex_lock(&g_lock);
    g_connected = 0;
    pthread_mutex_unlock(&g_lock);
    login(user, fresh_sig, 0);
    wait_for(&g_connected, "connected again");
    CHECK_EQ(TIMGetLoginStatus(), kTIMLoginStatus_Logined);
    CHECK_EQ(g_expired, 1);
    CHECK_EQ(TIMUninit(), TIM_SUCC);
    CHECK(strncmp(g_statuses, "20120", 5) == 0);
    printf("expire ok: %s\n", g_statuses);
    return 0;
}

/* ---- order ---- */

static char g_order[256];
static int g_order_len;
static volatile int g_messages;
static int g_expected_messages;
static volatile int g_all_messages;

static void mark(char what) {
    if (g_order_len < (int)sizeof g_order - 1) g_order[g_order_len++] = what;
}

static void on_login_ordered(int32_t code, const char* desc, const char* json, const void* ud) {
    pthread_mutex_lock(&g_lock);
    mark('L');
    pthread_mutex_unlock(&g_lock);
    on_result(code, desc, json, ud);
}

static void on_new(const char* json, const void* ud) {
    CHECK(ud == &g_tag);
    pthread_mutex_lock(&g_lock);
    mark('M');
    for (const char* p = json; (p = strstr(p, "\"message_msg_id\"")) != NULL; p++) g_messages++;
    if (g_messages >= g_expected_messages) g_all_messages = 1;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void on_status_ordered(enum TIMNetworkStatus status, int32_t code, const char* desc, const void* ud) {
    (void)code; (void)desc;
    CHECK(ud == &g_tag);
    pthread_mutex_lock(&g_lock);
    mark((char)('0' + status));
    pthread_mutex_unlock(&g_lock);
}

static int order_scenario(const char* data_dir, const char* user, const char* sig, int count) {
    g_expected_messages = count;
    init(data_dir);
    TIMAddRecvNewMsgCallback(on_new, &g_tag);
    TIMSetNetworkStatusListenerCallback(on_status_ordered, &g_tag);
    memset(&g_login, 0, sizeof g_login);
    CHECK_EQ(TIMLogin(user, sig, on_login_ordered, &g_login), TIM_SUCC);
    wait_for(&g_login.done, "login");
    CHECK_EQ(g_login.code, 0);
    wait_for(&g_all_messages, "the messages that waited on the server");
    pthread_mutex_lock(&g_lock);
    g_order[g_order_len] = 0;
    printf("order: %s (%d messages)\n", g_order, g_messages);
    CHECK(g_order[0] == 'L');
    CHECK(strchr(g_order, 'M') != NULL);
    pthread_mutex_unlock(&g_lock);
    CHECK_EQ(g_messages, count);
    CHECK_EQ(TIMUninit(), TIM_SUCC);
    return 0;
}

/* ---- race ---- */

enum { THREADS = 4, CALLS = 3000 };
static volatile int g_calls[THREADS][CALLS]; /* callbacks per call, under g_lock */
static int g_returned[THREADS][CALLS];       /* what the call returned */
static volatile int g_callbacks, g_succeeded, g_cut_short, g_enough;
static int g_bad_codes, g_bad_code;
static char g_bad_desc[256];
static const char* g_peer = "nobody";
static const char* RACE_PARAM = "{\"msg_getmsglist_param_count\":5,\"msg_getmsglist_param_is_forward\":false}";

static void on_list(int32_t code, const char* desc, const char* json, const void* ud) {
    (void)json;
    volatile int* slot = (volatile int*)ud;
    pthread_mutex_lock(&g_lock);
    (*slot)++;
    g_callbacks++;
    if (code == 6013) g_cut_short++;
    else if (code != 0) {
        g_bad_codes++;
        g_bad_code = code;
        snprintf(g_bad_desc, sizeof g_bad_desc, "%s", desc ? desc : "");
    }
    if (g_callbacks >= 100) g_enough = 1;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void* caller(void* arg) {
    int t = (int)(intptr_t)arg;
    for (int i = 0; i < CALLS; i++) {
        int rc = TIMMsgGetMsgList(g_peer, kTIMConv_C2C, RACE_PARAM, on_list, (const void*)&g_calls[t][i]);
        g_returned[t][i] = rc == TIM_SUCC ? 1 : 2;
        if (rc == TIM_SUCC) {
            __atomic_add_fetch(&g_succeeded, 1, __ATOMIC_SEQ_CST);
        } else {
            CHECK(rc == TIM_ERR_SDKUNINIT || rc == TIM_ERR_NOTLOGIN);
            if (rc == TIM_ERR_SDKUNINIT) break;
        }
    }
    return NULL;
}

static int race_scenario(const char* data_dir, const char* user, const char* sig) {
    init(data_dir);
    login(user, sig, 0);
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) CHECK_EQ(pthread_create(&threads[t], NULL, caller, (void*)(intptr_t)t), 0);
    wait_for(&g_enough, "100 callbacks before TIMUninit");
    CHECK_EQ(TIMUninit(), TIM_SUCC);
    for (int t = 0; t < THREADS; t++) {
        struct timespec deadline;
        clock_gettime(CLOCK_REALTIME, &deadline);
        deadline.tv_sec += WAIT_SECONDS;
        if (pthread_timedjoin_np(threads[t], NULL, &deadline) != 0) {
            fprintf(stderr, "caller thread %d did not end\n", t);
            exit(1);
        }
    }
    /* Calls that got past the initialised check before TIMUninit may still be finishing. */
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += WAIT_SECONDS;
    pthread_mutex_lock(&g_lock);
    while (g_callbacks < g_succeeded) {
        if (pthread_cond_timedwait(&g_cond, &g_lock, &deadline) != 0) break;
    }
    int callbacks = g_callbacks;
    pthread_mutex_unlock(&g_lock);
    printf("race: %d calls returned TIM_SUCC, %d callbacks (%d with 6013)\n", g_succeeded, callbacks, g_cut_short);
    CHECK_EQ(callbacks, g_succeeded);
    if (g_bad_codes != 0) { fprintf(stderr, "%d callbacks with code %d (%s)\n", g_bad_codes, g_bad_code, g_bad_desc); exit(1); }
    pthread_mutex_lock(&g_lock);
    for (int t = 0; t < THREADS; t++) {
        for (int i = 0; i < CALLS; i++) {
            int expect = g_returned[t][i] == 1 ? 1 : 0;
            if (g_calls[t][i] != expect) {
                fprintf(stderr, "call %d/%d returned %d and got %d callbacks\n", t, i, g_returned[t][i], g_calls[t][i]);
                exit(1);
            }
        }
    }
    pthread_mutex_unlock(&g_lock);
    /* TIMInit again works, and a call gets its callback. */
    init(data_dir);
    login(user, sig, 0);
    memset(&g_cfg, 0, sizeof g_cfg);
    CHECK_EQ(TIMMsgGetMsgList(g_peer, kTIMConv_C2C, RACE_PARAM, on_result, &g_cfg), TIM_SUCC);
    wait_for(&g_cfg.done, "a call after TIMInit again");
    CHECK_EQ(g_cfg.code, 0);
    CHECK_EQ(TIMUninit(), TIM_SUCC);
    return 0;
}

int main(int argc, char** argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 5 && strcmp(argv[1], "config") == 0) return config_scenario(argv[2], argv[3], argv[4]);
    if (argc == 6 && strcmp(argv[1], "expire") == 0) return expire_scenario(argv[2], argv[3], argv[4], argv[5]);
    if (argc == 6 && strcmp(argv[1], "order") == 0) return order_scenario(argv[2], argv[3], argv[4], atoi(argv[5]));
    if (argc == 5 && strcmp(argv[1], "race") == 0) return race_scenario(argv[2], argv[3], argv[4]);
    fprintf(stderr, "usage: session config|expire|order|race <data_dir> <user> <sig> [...]\n");
    return 2;
}
