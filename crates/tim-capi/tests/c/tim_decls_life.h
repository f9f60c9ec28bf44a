/* The lifecycle prototypes and event callback setters (functions.md §1-2, §5.16-5.29), beside
 * tim_decls.h. Stand-in until the generated header of the "C ABI" issue lands. */
#ifndef TIM_TEST_DECLS_LIFE_H
#define TIM_TEST_DECLS_LIFE_H

#include <stdbool.h>
#include "tim_decls.h"

enum TIMReceiveMessageOpt { kTIMRecvMsgOpt_Receive, kTIMRecvMsgOpt_Not_Receive, kTIMRecvMsgOpt_Not_Notify,
                            kTIMRecvMsgOpt_Not_Notify_Except_At, kTIMRecvMsgOpt_Not_Receive_Except_At };
enum TIMGroupMessageReadMembersFilter { TIM_GROUP_MESSAGE_READ_MEMBERS_FILTER_READ,
                                        TIM_GROUP_MESSAGE_READ_MEMBERS_FILTER_UNREAD };
enum TIMLogLevel { kTIMLog_Off, kTIMLog_Test, kTIMLog_Verbose, kTIMLog_Debug, kTIMLog_Info,
                   kTIMLog_Warn, kTIMLog_Error, kTIMLog_Assert };

typedef void (*TIMMsgElemUploadProgressCallback)(const char* json_msg, uint32_t index, uint32_t cur_size, uint32_t total_size, const void* user_data);
typedef void (*TIMMsgGroupMessageReadMemberListCallback)(const char* json_group_member_array, uint64_t next_seq, bool is_finished, const void* user_data);
typedef void (*TIMMsgReadedReceiptCallback)(const char* json_msg_read_receipt_array, const void* user_data);
typedef void (*TIMMsgRevokeCallback)(const char* json_msg_revoke_info_array, const void* user_data);
typedef void (*TIMMsgUpdateCallback)(const char* json_msg_array, const void* user_data);
typedef void (*TIMMsgExtensionsChangedCallback)(const char* message_id, const char* message_extension_array, const void* user_data);
typedef void (*TIMMsgExtensionsDeletedCallback)(const char* message_id, const char* message_extension_key_array, const void* user_data);
typedef void (*TIMKickedOfflineCallback)(const void* user_data);
typedef void (*TIMUserSigExpiredCallback)(const void* user_data);
typedef void (*TIMLogCallback)(enum TIMLogLevel level, const char* log, const void* user_data);

void TIMSetMsgElemUploadProgressCallback(TIMMsgElemUploadProgressCallback cb, const void* user_data);
void TIMSetMsgReadedReceiptCallback(TIMMsgReadedReceiptCallback cb, const void* user_data);
void TIMSetMsgRevokeCallback(TIMMsgRevokeCallback cb, const void* user_data);
void TIMSetMsgUpdateCallback(TIMMsgUpdateCallback cb, const void* user_data);
void TIMSetMsgExtensionsChangedCallback(TIMMsgExtensionsChangedCallback cb, const void* user_data);
void TIMSetMsgExtensionsDeletedCallback(TIMMsgExtensionsDeletedCallback cb, const void* user_data);
void TIMSetKickedOfflineCallback(TIMKickedOfflineCallback cb, const void* user_data);
void TIMSetUserSigExpiredCallback(TIMUserSigExpiredCallback cb, const void* user_data);
void TIMSetLogCallback(TIMLogCallback cb, const void* user_data);

int TIMMsgSetC2CReceiveMessageOpt(const char* json_identifier_array, enum TIMReceiveMessageOpt opt, TIMCommCallback cb, const void* user_data);
int TIMMsgGetC2CReceiveMessageOpt(const char* json_identifier_array, TIMCommCallback cb, const void* user_data);
int TIMMsgSetGroupReceiveMessageOpt(const char* group_id, enum TIMReceiveMessageOpt opt, TIMCommCallback cb, const void* user_data);
int TIMMsgSendMessageReadReceipts(const char* json_msg_array, TIMCommCallback cb, const void* user_data);
int TIMMsgGetMessageReadReceipts(const char* json_msg_array, TIMCommCallback cb, const void* user_data);
int TIMMsgGetGroupMessageReadMemberList(const char* json_msg, enum TIMGroupMessageReadMembersFilter filter, uint64_t next_seq, uint32_t count, TIMMsgGroupMessageReadMemberListCallback cb, const void* user_data);
int TIMMsgSetMessageExtensions(const char *json_msg, const char *json_extension_array, TIMCommCallback cb, const void *user_data);
int TIMMsgGetMessageExtensions(const char *json_msg, TIMCommCallback cb, const void *user_data);
int TIMMsgDeleteMessageExtensions(const char *json_msg, const char *json_extension_key_array, TIMCommCallback cb, const void *user_data);

#endif
