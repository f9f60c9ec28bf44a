/* The API from several threads at once while callbacks fire (one user of two).
 *   threads <data_dir> <user> <sig> <peer>
 * Logs in, prints "READY", waits for "GO" on stdin (both users are then online), then runs
 * SENDERS threads each sending PER_SENDER numbered messages to the peer without waiting, and
 * HAMMERS threads calling GetMsgList, FindMessages, SearchLocalMessages, ReportReaded,
 * GetLoginStatus, GetLoginUserID and adding/removing a second RecvNewMsg callback, while the
 * receive callback (which itself calls TIM functions) counts the peer's messages.
 * Checks: every call that returned TIM_SUCC got exactly one callback with code 0; every peer
 * message arrived exactly once and in order per sending thread; every callback ran on one
 * thread, not ours. Prints "OK threads <user>". */
#include <stdatomic.h>
#include "TIMCloud.h"
#include "test_util.h"

static const uint64_t APP = 1400000042;
#define SENDERS 4
#define PER_SENDER 12
#define HAMMERS 3
#define ROUNDS 10
#define MAX_CALLS 4096
/* Longest wait for one call of a hammer round: generous, as sends and read reports queue
 * behind search-index commits on a loaded machine (a slow call, not a lost one). */
#define CALL_WAIT_SECONDS 60

/* One asynchronous call: how often its callback ran. */
struct call { atomic_int callbacks; atomic_int code; const char* what; };
static struct call g_calls[MAX_CALLS];
static atomic_int g_next_call;
static atomic_int g_expected;  /* calls that returned TIM_SUCC (counted before the call) */
static atomic_int g_completed; /* callbacks of those calls */

static const char* g_user;
static const char* g_peer;
static pthread_t g_workers[SENDERS + HAMMERS + 1];
static int g_worker_count;

/* The thread callbacks run on (set by the first callback). */
static pthread_t g_cb_thread;
static int g_cb_thread_set;
static atomic_int g_wrong_thread;

static int g_next_seq[SENDERS];     /* next expected number per sending thread of the peer */
static atomic_int g_received;       /* peer messages received */
static atomic_int g_out_of_order;   /* a number that was not the next one (dup, gap or reorder) */
static atomic_int g_own_echoed;     /* own messages handed to the receive callback */
static atomic_int g_second_calls;   /* runs of the second RecvNewMsg callback */
static atomic_int g_receipts;       /* read-receipt callbacks */
static char g_first_id[128];        /* a message ID of ours, for FindMessages */

/* Records the callback thread: all must be the same, and none of ours. */
static void on_sdk_thread(void) {
    pthread_t self = pthread_self();
    pthread_mutex_lock(&g_lock);
    if (!g_cb_thread_set) {
        g_cb_thread = self;
        g_cb_thread_set = 1;
    } else if (!pthread_equal(g_cb_thread, self)) {
        atomic_fetch_add(&g_wrong_thread, 1);
    }
    for (int i = 0; i < g_worker_count; i++) {
        if (pthread_equal(g_workers[i], self)) atomic_fetch_add(&g_wrong_thread, 1);
    }
    pthread_mutex_unlock(&g_lock);
}

static void wake(void) {
    pthread_mutex_lock(&g_lock);
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void on_call(int32_t code, const char* desc, const char* json, const void* user_data) {
    (void)json;
    on_sdk_thread();
    struct call* c = (struct call*)user_data;
    if (code != 0) fprintf(stderr, "%s: code %d (%s)\n", c->what, code, desc ? desc : "(null)");
    atomic_store(&c->code, code);
    atomic_fetch_add(&c->callbacks, 1);
    atomic_fetch_add(&g_completed, 1);
    wake();
}

static struct call* new_call(const char* what) {
    int i = atomic_fetch_add(&g_next_call, 1);
    CHECK(i < MAX_CALLS);
    g_calls[i].what = what;
    atomic_fetch_add(&g_expected, 1);
    return &g_calls[i];
}

/* A call that returned: TIM_SUCC expected (a refusal would never call back). */
static void issued(int rc, const char* what) {
    if (rc != TIM_SUCC) {
        fprintf(stderr, "%s returned %d\n", what, rc);
        exit(1);
    }
}

#define ASYNC(what, call_expr) do { struct call* c_ = new_call(what); (void)c_; issued((call_expr), what); } while (0)

static const char* HISTORY = "{\"msg_getmsglist_param_count\":20,\"msg_getmsglist_param_is_forward\":false,"
                             "\"msg_getmsglist_param_is_remble\":false}";

static void on_second(const char* json, const void* user_data) {
    (void)json;
    on_sdk_thread();
    CHECK(user_data == &g_second_calls);
    atomic_fetch_add(&g_second_calls, 1);
}

static void on_receipt(const char* json, const void* user_data) {
    on_sdk_thread();
    CHECK(user_data == &g_receipts);
    CHECK(json[0] == '[');
    atomic_fetch_add(&g_receipts, 1);
}

/* Messages carry "TS|<user>|<thread>|<n>|". */
static void on_new_messages(const char* json, const void* user_data) {
    on_sdk_thread();
    CHECK(user_data == &g_received);
    CHECK(json[0] == '[');
    int got = 0;
    for (const char* at = strstr(json, "TS|"); at; at = strstr(at + 1, "TS|")) {
        char who[64];
        int thread = -1, n = -1;
        CHECK(sscanf(at, "TS|%63[^|]|%d|%d|", who, &thread, &n) == 3);
        if (strcmp(who, g_user) == 0) {
            atomic_fetch_add(&g_own_echoed, 1);
            continue;
        }
        CHECK(strcmp(who, g_peer) == 0);
        CHECK(thread >= 0 && thread < SENDERS);
        if (n != g_next_seq[thread]) {
            fprintf(stderr, "from %s thread %d: got %d, expected %d\n", who, thread, n, g_next_seq[thread]);
            atomic_fetch_add(&g_out_of_order, 1);
        }
        g_next_seq[thread] = n + 1;
        got++;
    }
    /* TIM calls from inside the callback while the other threads hammer. */
    CHECK_EQ(TIMGetLoginStatus(), kTIMLoginStatus_Logined);
    ASYNC("GetMsgList in the receive callback",
          TIMMsgGetMsgList(g_peer, kTIMConv_C2C, HISTORY, on_call, c_));
    ASYNC("FindMessages in the receive callback", TIMMsgFindMessages("[]", on_call, c_));
    atomic_fetch_add(&g_received, got);
    wake();
}

static void* sender(void* arg) {
    int thread = (int)(intptr_t)arg;
    for (int n = 0; n < PER_SENDER; n++) {
        char msg[256], id[128] = {0};
        snprintf(msg, sizeof msg,
                 "{\"message_elem_array\":[{\"elem_type\":0,\"text_elem_content\":\"TS|%s|%d|%d| hello\"}]}",
                 g_user, thread, n);
        ASYNC("SendMessage", TIMMsgSendMessage(g_peer, kTIMConv_C2C, msg, id, on_call, c_));
        CHECK(strlen(id) > 0);
    }
    return NULL;
}

/* Waits (bounded) until `c` got its callback. */
static void wait_call(struct call* c) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += CALL_WAIT_SECONDS;
    pthread_mutex_lock(&g_lock);
    while (atomic_load(&c->callbacks) == 0) {
        if (pthread_cond_timedwait(&g_cond, &g_lock, &deadline) != 0) {
            fprintf(stderr, "%s: no callback within %ds\n", c->what, CALL_WAIT_SECONDS);
            exit(1);
        }
    }
    pthread_mutex_unlock(&g_lock);
}

#define ROUND_CALL(i, what, call_expr) do { struct call* c_ = new_call(what); round[i] = c_; issued((call_expr), what); } while (0)

/* Rounds of calls, each waited for (so the rounds span the peer's messages and receipts) except
 * the search (slow while messages are being indexed: its callback is counted at the end), with
 * a second receive callback registered for the duration of the round. */
static void* hammer(void* arg) {
    (void)arg;
    char search[512], find[256];
    snprintf(search, sizeof search,
             "{\"msg_search_param_keyword_array\":[\"hello\"],\"msg_search_param_conv_id\":\"%s\","
             "\"msg_search_param_conv_type\":1,\"msg_search_param_page_index\":0,\"msg_search_param_page_size\":10}",
             g_peer);
    snprintf(find, sizeof find, "[\"%s\",\"no-such-id\"]", g_first_id);
    for (int r = 0; r < ROUNDS; r++) {
        struct call* round[4];
        TIMAddRecvNewMsgCallback(on_second, &g_second_calls);
        ROUND_CALL(0, "GetMsgList", TIMMsgGetMsgList(g_peer, kTIMConv_C2C, HISTORY, on_call, c_));
        ROUND_CALL(1, "FindMessages", TIMMsgFindMessages(find, on_call, c_));
        /* A search commits the search index, which stalls the writes meanwhile: every 5th round. */
        if (r % 5 == 0) {
            ROUND_CALL(2, "SearchLocalMessages", TIMMsgSearchLocalMessages(search, on_call, c_));
        } else {
            ROUND_CALL(2, "FindMessages", TIMMsgFindMessages(find, on_call, c_));
        }
        ROUND_CALL(3, "ReportReaded", TIMMsgReportReaded(g_peer, kTIMConv_C2C, NULL, on_call, c_));
        CHECK_EQ(TIMGetLoginStatus(), kTIMLoginStatus_Logined);
        char id[128] = {0};
        CHECK_EQ(TIMGetLoginUserID(id), TIM_SUCC);
        CHECK(strcmp(id, g_user) == 0);
        wait_call(round[0]);
        wait_call(round[1]);
        wait_call(round[3]);
        TIMRemoveRecvNewMsgCallback(on_second);
    }
    return NULL;
}

/* Waits until every issued call completed and every peer message arrived: at most
 * WAIT_SECONDS without progress (a bounded number of steps, each bounded). */
static void wait_all(void) {
    struct timespec deadline;
    int last = -1;
    pthread_mutex_lock(&g_lock);
    while (atomic_load(&g_completed) < atomic_load(&g_expected) ||
           atomic_load(&g_received) < SENDERS * PER_SENDER) {
        int progress = atomic_load(&g_completed) + atomic_load(&g_received);
        if (progress != last) {
            last = progress;
            clock_gettime(CLOCK_REALTIME, &deadline);
            deadline.tv_sec += WAIT_SECONDS;
        }
        if (pthread_cond_timedwait(&g_cond, &g_lock, &deadline) != 0 &&
            atomic_load(&g_completed) + atomic_load(&g_received) == last) {
            fprintf(stderr, "no progress for %ds: %d of %d callbacks, %d of %d messages\n", WAIT_SECONDS,
                    atomic_load(&g_completed), atomic_load(&g_expected), atomic_load(&g_received),
                    SENDERS * PER_SENDER);
            exit(1);
        }
    }
    pthread_mutex_unlock(&g_lock);
}

static void check_calls(void) {
    int n = atomic_load(&g_next_call);
    for (int i = 0; i < n; i++) {
        if (atomic_load(&g_calls[i].callbacks) != 1 || atomic_load(&g_calls[i].code) != 0) {
            fprintf(stderr, "call %d (%s): %d callbacks, code %d\n", i, g_calls[i].what,
                    atomic_load(&g_calls[i].callbacks), atomic_load(&g_calls[i].code));
            exit(1);
        }
    }
    CHECK_EQ(atomic_load(&g_completed), n);
}

static void on_plain(int32_t code, const char* desc, const char* json, const void* user_data) {
    (void)json;
    on_sdk_thread();
    struct call* c = (struct call*)user_data;
    if (code != 0) fprintf(stderr, "%s: code %d (%s)\n", c->what, code, desc ? desc : "(null)");
    atomic_store(&c->code, code);
    atomic_fetch_add(&c->callbacks, 1);
    wake();
}

/* One call from the main thread, waited for (login, the first send, logout). */
static void call_and_wait(struct call* c, int rc) {
    CHECK_EQ(rc, TIM_SUCC);
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += WAIT_SECONDS;
    pthread_mutex_lock(&g_lock);
    while (atomic_load(&c->callbacks) == 0) {
        if (pthread_cond_timedwait(&g_cond, &g_lock, &deadline) != 0) {
            fprintf(stderr, "timed out waiting for %s\n", c->what);
            exit(1);
        }
    }
    pthread_mutex_unlock(&g_lock);
    CHECK_EQ(atomic_load(&c->code), 0);
}

int main(int argc, char** argv) {
    CHECK(argc == 5);
    g_user = argv[2];
    g_peer = argv[4];
    char config[1024];
    snprintf(config, sizeof config, "{\"sdk_config_config_file_path\":\"%s\"}", argv[1]);
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);
    TIMAddRecvNewMsgCallback(on_new_messages, &g_received);
    TIMSetMsgReadedReceiptCallback(on_receipt, &g_receipts);
    static struct call login = { .what = "login" }, first = { .what = "first send" }, logout = { .what = "logout" };
    call_and_wait(&login, TIMLogin(g_user, argv[3], on_plain, &login));
    /* A message of ours for FindMessages (no "TS|": the peer does not count it). */
    call_and_wait(&first, TIMMsgSendMessage(g_peer, kTIMConv_C2C,
                                            "{\"message_elem_array\":[{\"elem_type\":0,\"text_elem_content\":\"warm-up\"}]}",
                                            g_first_id, on_plain, &first));
    printf("READY\n");
    fflush(stdout);
    char line[64];
    CHECK(fgets(line, sizeof line, stdin) != NULL && strncmp(line, "GO", 2) == 0);

    /* g_workers is read by the callbacks under g_lock. */
    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < SENDERS; i++) {
        CHECK_EQ(pthread_create(&g_workers[i], NULL, sender, (void*)(intptr_t)i), 0);
    }
    for (int i = 0; i < HAMMERS; i++) {
        CHECK_EQ(pthread_create(&g_workers[SENDERS + i], NULL, hammer, NULL), 0);
    }
    g_workers[SENDERS + HAMMERS] = pthread_self();
    g_worker_count = SENDERS + HAMMERS + 1;
    pthread_mutex_unlock(&g_lock);
    for (int i = 0; i < SENDERS + HAMMERS; i++) CHECK_EQ(pthread_join(g_workers[i], NULL), 0);
    wait_all();
    check_calls();
    CHECK_EQ(atomic_load(&g_received), SENDERS * PER_SENDER);
    for (int i = 0; i < SENDERS; i++) CHECK_EQ(g_next_seq[i], PER_SENDER);
    CHECK_EQ(atomic_load(&g_out_of_order), 0);
    CHECK_EQ(atomic_load(&g_own_echoed), 0);

    call_and_wait(&logout, TIMLogout(on_plain, &logout));
    CHECK_EQ(TIMUninit(), TIM_SUCC);
    /* TIMUninit ran what was queued: still exactly one callback per call. */
    check_calls();
    CHECK_EQ(atomic_load(&g_wrong_thread), 0);
    CHECK(g_cb_thread_set);
    CHECK_EQ(login.callbacks, 1);
    CHECK_EQ(logout.callbacks, 1);
    printf("OK threads %s: %d calls, %d messages received, %d receipts, %d second-callback runs\n", g_user,
           atomic_load(&g_next_call), atomic_load(&g_received), atomic_load(&g_receipts),
           atomic_load(&g_second_calls));
    return 0;
}
