/* Translation and offline push through the C ABI, against a server that has a translation
 * backend and a push gateway (both run by the Rust side of the test on 127.0.0.1).
 *   backends <data_dir> <user> <sig>
 * Translates two texts (detecting the source) and checks one result per text in order; sets
 * a push token and goes to the background with a badge of 5, then prints READY and waits for
 * a line on standard input (the Rust side sends a message and checks the push it causes);
 * then comes back to the foreground and prints "OK backends". */
#include "TIMCloud.h"
#define TIM_TEST_RESULTS
#include "test_util.h"

static const uint64_t APP = 1400000042;

static struct result g_login, g_translate, g_token, g_background, g_foreground, g_logout;


static void expect_ok(struct result* r, const char* what) {
    wait_for(&r->done, what);
    if (r->code != 0) {
        fprintf(stderr, "%s: code %d\n", what, r->code);
        exit(1);
    }
}

int main(int argc, char** argv) {
    CHECK(argc == 4);
    char config[1024];
    snprintf(config, sizeof config, "{\"%s\":\"%s\"}", "sdk_config_config_file_path", argv[1]);
    CHECK_EQ(TIMInit(APP, config), TIM_SUCC);
    CHECK_EQ(TIMLogin(argv[2], argv[3], on_result, &g_login), TIM_SUCC);
    expect_ok(&g_login, "login");

    /* As the seed page builds it: a JSON array of texts, a source language, a target. */
    CHECK_EQ(TIMMsgTranslateText("[\"hello\",\"你好\"]", "auto", "en", on_result, &g_translate),
             TIM_SUCC);
    expect_ok(&g_translate, "translate");
    const char* first = strstr(g_translate.json, "\"msg_translate_text_target_text\":\"hello [en]\"");
    const char* second = strstr(g_translate.json, "\"msg_translate_text_target_text\":\"你好 [en]\"");
    if (first == NULL || second == NULL || second < first) {
        fprintf(stderr, "translate: unexpected results %s\n", g_translate.json);
        exit(1);
    }
    CHECK(strstr(g_translate.json, "\"msg_translate_text_source_text\":\"你好\"") != NULL);

    char token[256];
    snprintf(token, sizeof token, "{\"%s\":\"%s\",\"%s\":%d}", kTIMOfflinePushTokenToken,
             "0a1b2c3d", kTIMOfflinePushTokenBusinessID, 1234578);
    CHECK_EQ(TIMMsgSetOfflinePushToken(token, on_result, &g_token), TIM_SUCC);
    expect_ok(&g_token, "push token");
    CHECK_EQ(TIMMsgDoBackground(5, on_result, &g_background), TIM_SUCC);
    expect_ok(&g_background, "background");

    printf("READY\n");
    fflush(stdout);
    char line[64];
    CHECK(fgets(line, sizeof line, stdin) != NULL);

    CHECK_EQ(TIMMsgDoForeground(on_result, &g_foreground), TIM_SUCC);
    expect_ok(&g_foreground, "foreground");
    CHECK_EQ(TIMLogout(on_result, &g_logout), TIM_SUCC);
    expect_ok(&g_logout, "logout");
    CHECK_EQ(TIMUninit(), TIM_SUCC);
    printf("OK backends\n");
    return 0;
}
