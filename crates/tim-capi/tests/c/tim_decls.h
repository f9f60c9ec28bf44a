/* The prototypes this slice exports, copied from functions.md. Stand-in until the generated
 * header of the "C ABI" issue lands; the C tests include only this. */
#ifndef TIM_TEST_DECLS_H
#define TIM_TEST_DECLS_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum TIMResult { TIM_SUCC = 0, TIM_ERR_SDKUNINIT = -1, TIM_ERR_NOTLOGIN = -2, TIM_ERR_JSON = -3,
                 TIM_ERR_PARAM = -4, TIM_ERR_CONV = -5, TIM_ERR_GROUP = -6 };
enum TIMConvType { kTIMConv_Invalid, kTIMConv_C2C, kTIMConv_Group, kTIMConv_System };
enum TIMNetworkStatus { kTIMConnected, kTIMDisconnected, kTIMConnecting, kTIMConnectFailed };
typedef enum TIMLoginStatus { kTIMLoginStatus_Logined = 1, kTIMLoginStatus_Logining = 2,
                              kTIMLoginStatus_UnLogined = 3, kTIMLoginStatus_Logouting = 4 } TIMLoginStatus;

typedef void (*TIMCommCallback)(int32_t code, const char* desc, const char* json_params, const void* user_data);
typedef void (*TIMRecvNewMsgCallback)(const char* json_msg_array, const void* user_data);
typedef void (*TIMNetworkStatusListenerCallback)(enum TIMNetworkStatus status, int32_t code, const char* desc, const void* user_data);

int TIMInit(uint64_t sdk_app_id, const char* json_sdk_config);
int TIMUninit(void);
const char* TIMGetSDKVersion(void);
uint64_t TIMGetServerTime();
int TIMLogin(const char* user_id, const char* user_sig, TIMCommCallback cb, const void* user_data);
int TIMLogout(TIMCommCallback cb, const void* user_data);
int TIMGetLoginUserID(char* user_id_buffer);
TIMLoginStatus TIMGetLoginStatus();
void TIMSetNetworkStatusListenerCallback(TIMNetworkStatusListenerCallback cb, const void* user_data);
void TIMAddRecvNewMsgCallback(TIMRecvNewMsgCallback cb, const void* user_data);
void TIMRemoveRecvNewMsgCallback(TIMRecvNewMsgCallback cb);
int TIMMsgSendMessage(const char* conv_id, enum TIMConvType conv_type, const char* json_msg_param, char* message_id_buffer, TIMCommCallback cb, const void* user_data);

/* Test support: fail loudly, and wait on a condition with a bounded timeout (no sleeps). */
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

#endif
