/* A file message through the C ABI, both ways:
 *   media_roundtrip <data_dir> <user> <sig> <peer> <file_path> <download_path>
 * Sends <file_path> to <peer> as a file element with a local path: the library uploads it
 * first, reporting progress to TIMMsgElemUploadProgressCallback, and the send callback gets
 * the message with the file's ID. Then downloads that file with TIMMsgDownloadElemToPath to
 * <download_path>: progress callbacks, then one final callback with current == total. The
 * Rust side compares the bytes and checks that the peer received the element. Last, forwards
 * the sent message to <peer> as a merged message and downloads the bundle back with
 * TIMMsgDownloadMergerMessage. */
#include "TIMCloud.h"
#define TIM_TEST_RESULTS
#include "test_util.h"

static const uint64_t APP = 1400000042;

static struct result g_login, g_send, g_merge, g_merged, g_logout;

/* Upload progress: calls, last sizes, and whether the sizes ever went down. */
static volatile int g_upload_calls, g_upload_finished, g_upload_backwards;
static uint32_t g_upload_current, g_upload_total, g_upload_index = 99;

/* Download progress: calls before the final one, and the final one. */
static volatile int g_download_progress, g_download_done, g_download_code, g_download_after;
static char g_download_final[512];


static void on_upload(const char* json_msg, uint32_t index, uint32_t cur_size, uint32_t total_size,
                      const void* user_data) {
    (void)user_data;
    CHECK(json_msg != NULL && strstr(json_msg, "file_elem_file_path") != NULL);
    pthread_mutex_lock(&g_lock);
    if (cur_size < g_upload_current || cur_size > total_size) {
        g_upload_backwards = 1;
    }
    g_upload_calls++;
    g_upload_index = index;
    g_upload_current = cur_size;
    g_upload_total = total_size;
    if (cur_size == total_size) {
        g_upload_finished = 1;
    }
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void on_download(int32_t code, const char* desc, const char* json, const void* user_data) {
    (void)user_data;
    pthread_mutex_lock(&g_lock);
    if (g_download_done) {
        g_download_after = 1; /* nothing may follow the final callback */
    } else if (code == 0 && json != NULL && strstr(json, "msg_download_elem_result_current_size") != NULL) {
        unsigned long long current = 0, total = 0;
        const char* c = strstr(json, "\"msg_download_elem_result_current_size\":");
        const char* t = strstr(json, "\"msg_download_elem_result_total_size\":");
        if (c != NULL && t != NULL) {
            current = strtoull(c + strlen("\"msg_download_elem_result_current_size\":"), NULL, 10);
            total = strtoull(t + strlen("\"msg_download_elem_result_total_size\":"), NULL, 10);
        }
        if (current < total) {
            g_download_progress++;
        } else {
            snprintf(g_download_final, sizeof g_download_final, "%s", json);
            g_download_code = code;
            g_download_done = 1;
        }
    } else {
        fprintf(stderr, "download: code %d %s\n", code, desc != NULL ? desc : "");
        g_download_code = code != 0 ? code : -1;
        g_download_done = 1;
    }
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

/* Copies the string value of "key" in json into out. */
static void string_value(const char* json, const char* key, char* out, size_t size) {
    char pattern[128];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char* start = strstr(json, pattern);
    CHECK(start != NULL);
    start += strlen(pattern);
    const char* end = strchr(start, '"');
    CHECK(end != NULL && (size_t)(end - start) < size);
    memcpy(out, start, (size_t)(end - start));
    out[end - start] = '\0';
}

int main(int argc, char** argv) {
    CHECK(argc == 7);
    const char* peer = argv[4];
    const char* file_path = argv[5];
    const char* download_path = argv[6];
    char config[1024];
    snprintf(config, sizeof config, "{\"%s\":\"%s\"}", "sdk_config_config_file_path", argv[1]);
    TIMSetMsgElemUploadProgressCallback(on_upload, NULL);
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);
    CHECK_EQ(TIMLogin(argv[2], argv[3], on_result, &g_login), TIM_SUCC);
    wait_for(&g_login.done, "login");
    CHECK_EQ(g_login.code, 0);

    char message[2048];
    snprintf(message, sizeof message,
             "{\"%s\":[{\"%s\":%d,\"%s\":\"%s\",\"%s\":\"report.bin\"}]}", kTIMMsgElemArray,
             kTIMElemType, kTIMElem_File, kTIMFileElemFilePath, file_path, kTIMFileElemFileName);
    char msg_id[128];
    CHECK_EQ(TIMMsgSendMessage(peer, kTIMConv_C2C, message, msg_id, on_result, &g_send), TIM_SUCC);
    wait_for(&g_send.done, "send with upload");
    CHECK_EQ(g_send.code, 0);
    wait_for(&g_upload_finished, "upload progress to the end");
    CHECK(!g_upload_backwards);
    CHECK_EQ(g_upload_index, 0);
    char file_id[128];
    string_value(g_send.json, kTIMFileElemFileId, file_id, sizeof file_id);
    CHECK(strlen(file_id) > 0);

    char param[512];
    snprintf(param, sizeof param, "{\"%s\":%d,\"%s\":\"%s\",\"%s\":0}",
             kTIMMsgDownloadElemParamType, kTIMDownload_File, kTIMMsgDownloadElemParamId, file_id,
             kTIMMsgDownloadElemParamBusinessId);
    CHECK_EQ(TIMMsgDownloadElemToPath(param, download_path, on_download, NULL), TIM_SUCC);
    wait_for(&g_download_done, "download");
    CHECK_EQ(g_download_code, 0);
    char expected[128];
    snprintf(expected, sizeof expected, "\"msg_download_elem_result_total_size\":%u", g_upload_total);
    CHECK(strstr(g_download_final, expected) != NULL);

    /* Forward the sent file message to the peer as one merged message, then download the
     * bundle back: the file element comes back with its ID. */
    static char merge[sizeof g_send.json + 1024];
    snprintf(merge, sizeof merge,
             "{\"%s\":[{\"%s\":%d,\"%s\":\"chat history\",\"%s\":[\"alice: report.bin\"],"
             "\"%s\":\"[chat history]\",\"%s\":[%s]}]}",
             kTIMMsgElemArray, kTIMElemType, kTIMElem_Merge, kTIMMergerElemTitle,
             kTIMMergerElemAbstractArray, kTIMMergerElemCompatibleText, kTIMMergerElemMsgArray,
             g_send.json);
    CHECK_EQ(TIMMsgSendMessage(peer, kTIMConv_C2C, merge, NULL, on_result, &g_merge), TIM_SUCC);
    wait_for(&g_merge.done, "merged send");
    CHECK_EQ(g_merge.code, 0);
    char relay_key[128];
    string_value(g_merge.json, kTIMMergerElemRelayPbKey, relay_key, sizeof relay_key);
    CHECK(strlen(relay_key) == 32);
    CHECK_EQ(TIMMsgDownloadMergerMessage(g_merge.json, on_result, &g_merged), TIM_SUCC);
    wait_for(&g_merged.done, "merged download");
    CHECK_EQ(g_merged.code, 0);
    CHECK(g_merged.json[0] == '[');
    CHECK(strstr(g_merged.json, file_id) != NULL);

    CHECK_EQ(TIMLogout(on_result, &g_logout), TIM_SUCC);
    wait_for(&g_logout.done, "logout");
    CHECK_EQ(TIMUninit(), TIM_SUCC);
    CHECK(!g_download_after);
    printf("OK media_roundtrip file=%s relay=%s upload_calls=%d download_progress=%d size=%u\n",
           file_id, relay_key, g_upload_calls, g_download_progress, g_upload_total);
    return 0;
}
