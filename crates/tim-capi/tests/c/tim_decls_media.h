/* The media, merged-message, translation and offline-push prototypes (functions.md §5.19,
 * §5.20, §5.30-5.33), copied exactly, beside tim_decls.h. Stand-in until the generated header
 * of the "C ABI" issue lands. */
#ifndef TIM_TEST_DECLS_MEDIA_H
#define TIM_TEST_DECLS_MEDIA_H

#include "tim_decls.h"

#ifndef TIM_DECL
#define TIM_DECL
#endif

enum TIMDownloadType { kTIMDownload_VideoThumb = 0, kTIMDownload_File = 1, kTIMDownload_Video = 2,
                       kTIMDownload_Sound = 3 };

TIM_DECL int TIMMsgDownloadElemToPath(const char* json_download_elem_param, const char* path, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMMsgDownloadMergerMessage(const char* json_single_msg, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMMsgTranslateText(const char *json_source_text_array, const char *source_language, const char *target_language, TIMCommCallback cb, const void *user_data);
TIM_DECL int TIMMsgSetOfflinePushToken(const char *json_token, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMMsgDoBackground(uint32_t unread_count, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMMsgDoForeground(TIMCommCallback cb, const void* user_data);

#endif
