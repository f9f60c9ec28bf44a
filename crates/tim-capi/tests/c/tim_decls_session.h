/* The session prototypes beside tim_decls_life.h and tim_decls_msg.h (functions.md §3).
 * Stand-in until the generated header of the "C ABI" issue lands. */
#ifndef TIM_TEST_DECLS_SESSION_H
#define TIM_TEST_DECLS_SESSION_H

#include "tim_decls_life.h"
#include "tim_decls_msg.h"

int TIMSetConfig(const char* json_config, TIMCommCallback cb, const void* user_data);

#endif
