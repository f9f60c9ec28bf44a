/* Test support shared by the C programs: the libc headers they use, fail-loudly checks, and
 * waiting on a condition with a bounded timeout (no sleeps). The TIM declarations come from
 * the generated header, TIMCloud.h. */
#ifndef TIM_TEST_UTIL_H
#define TIM_TEST_UTIL_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); exit(1); } } while (0)
#define CHECK_EQ(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); if (a_ != b_) { fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, #a, a_, #b, b_); exit(1); } } while (0)

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;
static const int WAIT_SECONDS = 20;

/* Waits until *flag is non-zero (set under g_lock), at most WAIT_SECONDS; exits on timeout. */
static inline void wait_for(volatile int* flag, const char* what) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += WAIT_SECONDS;
    pthread_mutex_lock(&g_lock);
    while (!*flag) {
        if (pthread_cond_timedwait(&g_cond, &g_lock, &deadline) != 0 && !*flag) {
            fprintf(stderr, "timed out after %ds waiting for %s\n", WAIT_SECONDS, what);
            exit(1);
        }
    }
    pthread_mutex_unlock(&g_lock);
}

/* With TIM_TEST_RESULTS defined before this header: `struct result` and `on_result`, the
 * TIMCommCallback that records one call's code, description and JSON into the struct result
 * passed as user_data and wakes wait_for (done counts the callbacks). */
#ifdef TIM_TEST_RESULTS
struct result { volatile int done; int code; char desc[512]; char json[65536]; };

static inline void record_result(struct result* r, int32_t code, const char* desc, const char* json) {
    pthread_mutex_lock(&g_lock);
    r->code = code;
    snprintf(r->desc, sizeof r->desc, "%s", desc ? desc : "(null)");
    snprintf(r->json, sizeof r->json, "%s", json ? json : "(null)");
    r->done++;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

#ifndef TIM_TEST_OWN_ON_RESULT
static inline void on_result(int32_t code, const char* desc, const char* json, const void* user_data) {
    record_result((struct result*)user_data, code, desc, json);
}
#endif
#endif

#endif
