/* The media, merged-message, translation and offline-push exports as a C program calls them.
 *   media <data_dir> <user> <sig> <download_path>
 * Checks every refusal (before TIMInit, before login, bad arguments: TIMResult and no
 * callback), then calls each of the six the way the seed page does and checks its one
 * callback: the push token and app state are accepted, translation without a configured
 * backend answers 7013, a merged message the server never stored answers 7011 (as for any
 * key this user may not read), and the download of an element the server does not hold fails
 * with 114000 (ERR_SVR_RES_NOT_FOUND) without creating <download_path>. */
#include <unistd.h>
#include "TIMCloud.h"
#define TIM_TEST_RESULTS
#include "test_util.h"

static const uint64_t APP = 1400000042;

/* The answers of a server without a translation backend: code, and text in the description. */
#define EXPECT_TRANSLATE_CODE 7013
#define EXPECT_TRANSLATE "translation is not configured on this server"
#define EXPECT_MERGED_CODE 7011
#define EXPECT_MERGED "was not found"
#define EXPECT_DOWNLOAD_CODE 114000
#define EXPECT_DOWNLOAD ""

static struct result g_login, g_translate, g_merged, g_merged_deep, g_token, g_token_off,
    g_background, g_foreground, g_download;


/* Any callback of a refused call sets this; it must stay 0. */
static volatile int g_refused_called;
static void on_refused(int32_t code, const char* desc, const char* json, const void* ud) {
    (void)json; (void)ud;
    g_refused_called++;
    fprintf(stderr, "a callback ran after an error code: %d %s\n", code, desc);
}

/* The seed's samples, as JSON text. */
static const char* TEXTS = "[\"send text\",\"translate text test\"]";
static const char* TOKEN = "{\"offline_push_token_token\":\"00ffab19\",\"offline_push_token_business_id\":1234578}";
static const char* DOWNLOAD = "{\"msg_download_elem_param_flag\":0,\"msg_download_elem_param_type\":1,"
                              "\"msg_download_elem_param_id\":\"file-id-1\",\"msg_download_elem_param_business_id\":1,"
                              "\"msg_download_elem_param_url\":\"https://example.invalid/file-id-1\"}";
/* A received merged message (as TIMRecvNewMsgCallback would hand it over). */
static const char* MERGED = "{\"message_conv_id\":\"bob\",\"message_conv_type\":1,\"message_sender\":\"bob\","
                            "\"message_elem_array\":[{\"elem_type\":12,\"merge_elem_title\":\"chat history\","
                            "\"merge_elem_abstract_array\":[\"bob: hi\"],\"merge_elem_compatible_text\":\"chat history\","
                            "\"merge_elem_relay_pb_key\":\"relay-key-1\"}]}";
static const char* MERGED_DEEP = "{\"message_conv_id\":\"bob\",\"message_conv_type\":1,"
                                 "\"message_elem_array\":[{\"elem_type\":12,\"merge_elem_layer_over_limit\":true,"
                                 "\"merge_elem_relay_pb_key\":\"relay-key-2\"}]}";

/* Every call with arguments that are fine, expecting `expect` (the SDK or login state). */
static void refusals(int expect, const char* path) {
    CHECK_EQ(TIMMsgDownloadElemToPath(DOWNLOAD, path, on_refused, NULL), expect);
    CHECK_EQ(TIMMsgDownloadMergerMessage(MERGED, on_refused, NULL), expect);
    CHECK_EQ(TIMMsgTranslateText(TEXTS, "", "de", on_refused, NULL), expect);
    CHECK_EQ(TIMMsgSetOfflinePushToken(TOKEN, on_refused, NULL), expect);
    CHECK_EQ(TIMMsgSetOfflinePushToken(NULL, on_refused, NULL), expect);
    CHECK_EQ(TIMMsgDoBackground(100, on_refused, NULL), expect);
    CHECK_EQ(TIMMsgDoForeground(on_refused, NULL), expect);
}

static char* huge_string(void) {
    size_t len = 4u << 20;
    char* huge = malloc(len + 1);
    CHECK(huge != NULL);
    memset(huge, 'x', len);
    huge[len] = 0;
    return huge;
}

/* Bad arguments: each its TIMResult, no callback. */
static void bad_input(const char* path) {
    const char* bad = "{not json";
    const char bad_utf8[] = {'a', (char)0xff, (char)0xfe, 0};
    char* huge = huge_string();

    CHECK_EQ(TIMMsgDownloadElemToPath(NULL, path, on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgDownloadElemToPath("", path, on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgDownloadElemToPath(bad, path, on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgDownloadElemToPath(bad_utf8, path, on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgDownloadElemToPath("[1]", path, on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgDownloadElemToPath("{\"msg_download_elem_param_id\":5}", path, on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgDownloadElemToPath("{\"msg_download_elem_param_type\":1}", path, on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgDownloadElemToPath(huge, path, on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgDownloadElemToPath(DOWNLOAD, NULL, on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgDownloadElemToPath(DOWNLOAD, "", on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgDownloadElemToPath(DOWNLOAD, bad_utf8, on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgDownloadElemToPath(DOWNLOAD, huge, on_refused, NULL), TIM_ERR_PARAM);

    CHECK_EQ(TIMMsgDownloadMergerMessage(NULL, on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgDownloadMergerMessage(bad, on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgDownloadMergerMessage(bad_utf8, on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgDownloadMergerMessage("{\"message_elem_array\":7}", on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgDownloadMergerMessage(huge, on_refused, NULL), TIM_ERR_JSON);
    /* Well-formed, but the first element is not a Merge element: a bad argument. */
    CHECK_EQ(TIMMsgDownloadMergerMessage("{\"message_elem_array\":[{\"elem_type\":0,\"text_elem_content\":\"hi\"}]}", on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgDownloadMergerMessage("{\"message_conv_id\":\"bob\"}", on_refused, NULL), TIM_ERR_PARAM);

    CHECK_EQ(TIMMsgTranslateText(NULL, "", "de", on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgTranslateText(bad, "", "de", on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgTranslateText(bad_utf8, "", "de", on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgTranslateText("[1,2]", "", "de", on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgTranslateText("{\"text\":\"a\"}", "", "de", on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgTranslateText(huge, "", "de", on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgTranslateText("[]", "", "de", on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgTranslateText(TEXTS, "", NULL, on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgTranslateText(TEXTS, "", "", on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgTranslateText(TEXTS, "", bad_utf8, on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgTranslateText(TEXTS, "", "d e", on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgTranslateText(TEXTS, "", huge, on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgTranslateText(TEXTS, bad_utf8, "de", on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgTranslateText(TEXTS, "e\"n", "de", on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgTranslateText(TEXTS, huge, "de", on_refused, NULL), TIM_ERR_PARAM);

    CHECK_EQ(TIMMsgSetOfflinePushToken(bad, on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgSetOfflinePushToken(bad_utf8, on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgSetOfflinePushToken("[\"00ff\"]", on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgSetOfflinePushToken("{\"offline_push_token_token\":5}", on_refused, NULL), TIM_ERR_JSON);
    CHECK_EQ(TIMMsgSetOfflinePushToken(huge, on_refused, NULL), TIM_ERR_JSON);
    /* The token must be hex (base16); the seed's "xxxxx" is a placeholder, not a token. */
    CHECK_EQ(TIMMsgSetOfflinePushToken("{\"offline_push_token_token\":\"xxxxx\"}", on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgSetOfflinePushToken("{\"offline_push_token_business_id\":1}", on_refused, NULL), TIM_ERR_PARAM);
    free(huge);
}

static void check_answer(struct result* r, const char* what, int code, const char* in_desc) {
    wait_for(&r->done, what);
    if (r->code != code || strstr(r->desc, in_desc) == NULL) {
        fprintf(stderr, "%s: got %d \"%s\", expected %d with \"%s\"\n", what, r->code, r->desc, code, in_desc);
        exit(1);
    }
}

int main(int argc, char** argv) {
    CHECK(argc == 5);
    const char* user = argv[2];
    const char* sig = argv[3];
    const char* path = argv[4];
    char config[1024];
    snprintf(config, sizeof config, "{\"sdk_config_config_file_path\":\"%s\"}", argv[1]);

    refusals(TIM_ERR_SDKUNINIT, path);
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);
    refusals(TIM_ERR_NOTLOGIN, path);
    /* Arguments are checked before the login: a bad one is its own code even now. */
    CHECK_EQ(TIMMsgTranslateText(NULL, "", "de", on_refused, NULL), TIM_ERR_PARAM);
    CHECK_EQ(TIMMsgDownloadElemToPath(DOWNLOAD, NULL, on_refused, NULL), TIM_ERR_PARAM);

    CHECK_EQ(TIMLogin(user, sig, on_result, &g_login), TIM_SUCC);
    wait_for(&g_login.done, "login");
    CHECK_EQ(g_login.code, 0);
    bad_input(path);

    /* As the seed calls them. */
    CHECK_EQ(TIMMsgTranslateText(TEXTS, "", "de", on_result, &g_translate), TIM_SUCC);
    CHECK_EQ(TIMMsgDownloadMergerMessage(MERGED, on_result, &g_merged), TIM_SUCC);
    CHECK_EQ(TIMMsgDownloadMergerMessage(MERGED_DEEP, on_result, &g_merged_deep), TIM_SUCC);
    CHECK_EQ(TIMMsgSetOfflinePushToken(TOKEN, on_result, &g_token), TIM_SUCC);
    CHECK_EQ(TIMMsgSetOfflinePushToken(NULL, on_result, &g_token_off), TIM_SUCC);
    CHECK_EQ(TIMMsgDoBackground(100, on_result, &g_background), TIM_SUCC);
    CHECK_EQ(TIMMsgDoForeground(on_result, &g_foreground), TIM_SUCC);
    CHECK_EQ(TIMMsgDownloadElemToPath(DOWNLOAD, path, on_result, &g_download), TIM_SUCC);
    /* A NULL callback is allowed: the call runs, nobody is told. */
    CHECK_EQ(TIMMsgDoForeground(NULL, NULL), TIM_SUCC);

    check_answer(&g_translate, "translate", EXPECT_TRANSLATE_CODE, EXPECT_TRANSLATE);
    check_answer(&g_merged, "merged download", EXPECT_MERGED_CODE, EXPECT_MERGED);
    check_answer(&g_merged_deep, "merged download nested too deep", 8005, "100");
    check_answer(&g_token, "push token", 0, "");
    check_answer(&g_token_off, "push token off", 0, "");
    check_answer(&g_background, "background", 0, "");
    check_answer(&g_foreground, "foreground", 0, "");
    check_answer(&g_download, "element download", EXPECT_DOWNLOAD_CODE, EXPECT_DOWNLOAD);
    CHECK(access(path, F_OK) != 0);

    /* TIMUninit runs what is queued on the SDK thread before it returns: every call above has
     * had all its callbacks now, so each count is final. */
    CHECK_EQ(TIMUninit(), TIM_SUCC);
    struct result* all[] = {&g_login, &g_translate, &g_merged, &g_merged_deep, &g_token,
                            &g_token_off, &g_background, &g_foreground, &g_download};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) CHECK_EQ(all[i]->done, 1);
    CHECK_EQ(g_refused_called, 0);
    CHECK(access(path, F_OK) != 0);
    printf("OK media\n");
    return 0;
}
