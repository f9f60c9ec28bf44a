/* Group read receipts through the C ABI: one program per user of group <group>.
 *   group_receipts sender <data_dir> <user> <sig> <group> <reader> <non_reader>
 *   group_receipts reader <data_dir> <user> <sig> <group> <sender> <send_receipt: 0|1>
 * A reader logs in, sets the group's receive option, prints "READY" and waits for the
 * sender's group message that asks for read receipts; with send_receipt 1 it reports the
 * conversation read and sends the receipt. The sender logs in, sends that message, waits for
 * the read-receipt callback with read 1 / unread 1, then checks TIMMsgGetMessageReadReceipts and
 * the read / unread member lists (reader / non_reader), reports the group read and changes its
 * receive option. Prints "OK <role> <user>". */
#include "TIMCloud.h"
#define TIM_TEST_RESULTS
#include "test_util.h"

static const uint64_t APP = 1400000042;
#define JSON_SIZE 65536

static struct result g_r;
static volatile int g_got_message, g_got_receipt, g_members_done;
static char g_message[JSON_SIZE], g_receipt[JSON_SIZE], g_members[JSON_SIZE];
static uint64_t g_members_next;
static bool g_members_finished;
static const char* g_expected_text = "group message, please read";
static int g_tag;


static const char* call_ok(int rc, const char* what) {
    CHECK_EQ(rc, TIM_SUCC);
    wait_for(&g_r.done, what);
    CHECK_EQ(g_r.done, 1);
    if (g_r.code != 0) { fprintf(stderr, "%s failed: %d %s\n", what, g_r.code, g_r.desc); exit(1); }
    return g_r.json;
}

static struct result* fresh(void) {
    pthread_mutex_lock(&g_lock);
    memset(&g_r, 0, sizeof g_r);
    pthread_mutex_unlock(&g_lock);
    return &g_r;
}

#define OK_CALL(call) ({ fresh(); call_ok((call), #call); })

/* Keeps the one message carrying the expected text (the array's element, as an object). */
static void on_new_messages(const char* json, const void* user_data) {
    CHECK(user_data == &g_tag);
    const char* text = strstr(json, g_expected_text);
    if (text == NULL) return;
    /* The array holds only this message in this test: copy the array without its brackets. */
    size_t len = strlen(json);
    CHECK(json[0] == '[' && json[len - 1] == ']' && len < sizeof g_message);
    pthread_mutex_lock(&g_lock);
    memcpy(g_message, json + 1, len - 2);
    g_message[len - 2] = 0;
    g_got_message = 1;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void on_receipt(const char* json, const void* user_data) {
    CHECK(user_data == &g_tag);
    pthread_mutex_lock(&g_lock);
    if (strstr(json, "\"msg_receipt_read_count\":1") != NULL) {
        snprintf(g_receipt, sizeof g_receipt, "%s", json);
        g_got_receipt = 1;
    }
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void on_members(const char* json, uint64_t next_seq, bool is_finished, const void* user_data) {
    CHECK(user_data == &g_tag);
    pthread_mutex_lock(&g_lock);
    snprintf(g_members, sizeof g_members, "%s", json);
    g_members_next = next_seq;
    g_members_finished = is_finished;
    g_members_done++;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

/* The sample's paging: the callback asks for the next page itself until is_finished, with the
 * next_seq it got and the same user_data; pages of one member each. */
static const char* g_paged_msg;
static volatile int g_paged_done;
static int g_pages, g_paged_rc;
static char g_paged[JSON_SIZE];
static void on_member_page(const char* json, uint64_t next_seq, bool is_finished, const void* user_data) {
    CHECK(user_data == &g_tag);
    g_pages++;
    if (strlen(g_paged) + strlen(json) + 1 < sizeof g_paged) strcat(g_paged, json);
    if (!is_finished && g_pages < 10) {
        g_paged_rc = TIMMsgGetGroupMessageReadMemberList(g_paged_msg, TIM_GROUP_MESSAGE_READ_MEMBERS_FILTER_UNREAD,
                                                         next_seq, 1, on_member_page, user_data);
        if (g_paged_rc == TIM_SUCC) return;
    }
    pthread_mutex_lock(&g_lock);
    g_paged_done = 1;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void login(const char* data_dir, const char* user, const char* sig) {
    char config[1024];
    snprintf(config, sizeof config, "{\"sdk_config_config_file_path\":\"%s\"}", data_dir);
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);
    TIMAddRecvNewMsgCallback(on_new_messages, &g_tag);
    TIMSetMsgReadedReceiptCallback(on_receipt, &g_tag);
    OK_CALL(TIMLogin(user, sig, on_result, &g_r));
}

static void logout(void) {
    OK_CALL(TIMLogout(on_result, &g_r));
    CHECK_EQ(TIMUninit(), TIM_SUCC);
}

/* One page of the read (filter 0) or unread (1) members; must name exactly `who`. */
static void members(const char* msg, enum TIMGroupMessageReadMembersFilter filter, const char* who) {
    pthread_mutex_lock(&g_lock);
    g_members_done = 0;
    pthread_mutex_unlock(&g_lock);
    CHECK_EQ(TIMMsgGetGroupMessageReadMemberList(msg, filter, 0, 100, on_members, &g_tag), TIM_SUCC);
    wait_for(&g_members_done, "the read-member list");
    CHECK_EQ(g_members_done, 1);
    char expected[256];
    snprintf(expected, sizeof expected, "\"group_member_info_identifier\":\"%s\"", who);
    int listed = 0;
    for (const char* at = strstr(g_members, "\"group_member_info_identifier\""); at; at = strstr(at + 1, "\"group_member_info_identifier\"")) listed++;
    if (g_members[0] != '[' || strstr(g_members, expected) == NULL || listed != 1) {
        fprintf(stderr, "filter %d: %s, expected only %s\n", filter, g_members, who);
        exit(1);
    }
    CHECK(g_members_finished);
}

static void reader(const char* group, const char* sender, int send_receipt) {
    OK_CALL(TIMMsgSetGroupReceiveMessageOpt(group, kTIMRecvMsgOpt_Receive, on_result, &g_r));
    printf("READY\n");
    fflush(stdout);
    wait_for(&g_got_message, "the group message");
    char sender_key[128];
    snprintf(sender_key, sizeof sender_key, "\"message_sender\":\"%s\"", sender);
    CHECK(strstr(g_message, sender_key) != NULL);
    CHECK(strstr(g_message, "\"message_conv_type\":2") != NULL);
    CHECK(strstr(g_message, "\"message_need_read_receipt\":true") != NULL);
    if (send_receipt) {
        OK_CALL(TIMMsgReportReaded(group, kTIMConv_Group, g_message, on_result, &g_r));
        char array[JSON_SIZE + 2];
        snprintf(array, sizeof array, "[%s]", g_message);
        CHECK(strcmp(OK_CALL(TIMMsgSendMessageReadReceipts(array, on_result, &g_r)), "") == 0);
    }
}

static void sender(const char* group, const char* who_reads, const char* who_does_not) {
    char param[512], msg_id[128] = {0};
    snprintf(param, sizeof param,
             "{\"message_elem_array\":[{\"elem_type\":0,\"text_elem_content\":\"%s\"}],"
             "\"message_need_read_receipt\":true}", g_expected_text);
    const char* sent = OK_CALL(TIMMsgSendMessage(group, kTIMConv_Group, param, msg_id, on_result, &g_r));
    CHECK(strstr(sent, msg_id) != NULL);
    static char msg[JSON_SIZE];
    snprintf(msg, sizeof msg, "%s", sent);

    /* The reader's receipt: read 1 (the reader), unread 2 (the other reader, dave). */
    wait_for(&g_got_receipt, "the group read receipt");
    char id_key[256];
    snprintf(id_key, sizeof id_key, "\"msg_receipt_msg_id\":\"%s\"", msg_id);
    CHECK(g_receipt[0] == '[');
    CHECK(strstr(g_receipt, id_key) != NULL);
    CHECK(strstr(g_receipt, "\"msg_receipt_conv_type\":2") != NULL);
    CHECK(strstr(g_receipt, "\"msg_receipt_read_count\":1") != NULL);
    CHECK(strstr(g_receipt, "\"msg_receipt_unread_count\":2") != NULL);

    static char array[JSON_SIZE + 2];
    snprintf(array, sizeof array, "[%s]", msg);
    const char* receipts = OK_CALL(TIMMsgGetMessageReadReceipts(array, on_result, &g_r));
    CHECK(receipts[0] == '[' && strstr(receipts, id_key) != NULL);
    CHECK(strstr(receipts, "\"msg_receipt_read_count\":1") != NULL);
    CHECK(strstr(receipts, "\"msg_receipt_unread_count\":2") != NULL);

    members(msg, TIM_GROUP_MESSAGE_READ_MEMBERS_FILTER_READ, who_reads);
    /* The unread members one per page: the non-reader and a member who never logs in. */
    g_paged_msg = msg;
    CHECK_EQ(TIMMsgGetGroupMessageReadMemberList(msg, TIM_GROUP_MESSAGE_READ_MEMBERS_FILTER_UNREAD, 0, 1,
                                                 on_member_page, &g_tag), TIM_SUCC);
    wait_for(&g_paged_done, "the paged unread-member list");
    CHECK_EQ(g_paged_rc, TIM_SUCC);
    char expected[256];
    snprintf(expected, sizeof expected, "\"group_member_info_identifier\":\"%s\"", who_does_not);
    CHECK(strstr(g_paged, expected) != NULL);
    CHECK(strstr(g_paged, "\"group_member_info_identifier\":\"dave\"") != NULL);
    CHECK(strstr(g_paged, "\"group_member_info_identifier\":\"alice\"") == NULL); /* not the sender */
    CHECK(g_pages >= 2 && g_pages < 10);

    /* The group conversation: report it read (NULL message: up to the newest), mute it. */
    CHECK(strcmp(OK_CALL(TIMMsgReportReaded(group, kTIMConv_Group, NULL, on_result, &g_r)), "") == 0);
    CHECK(strcmp(OK_CALL(TIMMsgSetGroupReceiveMessageOpt(group, kTIMRecvMsgOpt_Not_Notify, on_result, &g_r)), "") == 0);
}

int main(int argc, char** argv) {
    CHECK(argc == 8);
    login(argv[2], argv[3], argv[4]);
    if (strcmp(argv[1], "sender") == 0) {
        sender(argv[5], argv[6], argv[7]);
    } else {
        reader(argv[5], argv[6], atoi(argv[7]));
    }
    logout();
    printf("OK %s %s\n", argv[1], argv[3]);
    return 0;
}
