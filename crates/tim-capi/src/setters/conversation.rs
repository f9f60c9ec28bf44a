//! The conversation callback setters (session-extras.md §4): each stores its
//! callback in a [`CallbackSlot`]; NULL unsets it; `TIMUninit` forgets it.
//! The slots are fired by the conversation events of [`crate::events`].

use super::CallbackSlot;
use crate::ctypes::TIMConvEvent;
use std::ffi::{c_char, c_int, c_void};

/// `TIMConvConversationGroupCreatedCallback`: `void (*TIMConvConversationGroupCreatedCallback)(const char* group_name, const char* conversation_array, const void* user_data);`
pub type TIMConvConversationGroupCreatedCallback = unsafe extern "C" fn(
    group_name: *const c_char,
    conversation_array: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetConvConversationGroupCreatedCallback`.
pub static CONV_CONVERSATION_GROUP_CREATED: CallbackSlot<TIMConvConversationGroupCreatedCallback> =
    CallbackSlot::new();

/// `TIMSetConvConversationGroupCreatedCallback`: sets (NULL: unsets) the callback. Called with the name and a JSON array of conversation IDs when a conversation group is created (on any device of the user).
///
/// # Safety
/// `cb` is NULL or a function of the `TIMConvConversationGroupCreatedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetConvConversationGroupCreatedCallback(
    cb: Option<TIMConvConversationGroupCreatedCallback>,
    user_data: *const c_void,
) {
    CONV_CONVERSATION_GROUP_CREATED.set(cb, user_data);
}

/// `TIMConvConversationGroupDeletedCallback`: `void (*TIMConvConversationGroupDeletedCallback)(const char* group_name, const void* user_data);`
pub type TIMConvConversationGroupDeletedCallback =
    unsafe extern "C" fn(group_name: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetConvConversationGroupDeletedCallback`.
pub static CONV_CONVERSATION_GROUP_DELETED: CallbackSlot<TIMConvConversationGroupDeletedCallback> =
    CallbackSlot::new();

/// `TIMSetConvConversationGroupDeletedCallback`: sets (NULL: unsets) the callback. Called with the name of a deleted conversation group.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMConvConversationGroupDeletedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetConvConversationGroupDeletedCallback(
    cb: Option<TIMConvConversationGroupDeletedCallback>,
    user_data: *const c_void,
) {
    CONV_CONVERSATION_GROUP_DELETED.set(cb, user_data);
}

/// `TIMConvConversationGroupNameChangedCallback`: `void (*TIMConvConversationGroupNameChangedCallback)(const char* old_name, const char* new_name, const void* user_data);`
pub type TIMConvConversationGroupNameChangedCallback = unsafe extern "C" fn(
    old_name: *const c_char,
    new_name: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetConvConversationGroupNameChangedCallback`.
pub static CONV_CONVERSATION_GROUP_NAME_CHANGED: CallbackSlot<
    TIMConvConversationGroupNameChangedCallback,
> = CallbackSlot::new();

/// `TIMSetConvConversationGroupNameChangedCallback`: sets (NULL: unsets) the callback. Called with the old and new name of a renamed conversation group.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMConvConversationGroupNameChangedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetConvConversationGroupNameChangedCallback(
    cb: Option<TIMConvConversationGroupNameChangedCallback>,
    user_data: *const c_void,
) {
    CONV_CONVERSATION_GROUP_NAME_CHANGED.set(cb, user_data);
}

/// `TIMConvConversationsAddedToGroupCallback`: `void (*TIMConvConversationsAddedToGroupCallback)(const char* group_name, const char* conversation_array, const void* user_data);`
pub type TIMConvConversationsAddedToGroupCallback = unsafe extern "C" fn(
    group_name: *const c_char,
    conversation_array: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetConvConversationsAddedToGroupCallback`.
pub static CONV_CONVERSATIONS_ADDED_TO_GROUP: CallbackSlot<
    TIMConvConversationsAddedToGroupCallback,
> = CallbackSlot::new();

/// `TIMSetConvConversationsAddedToGroupCallback`: sets (NULL: unsets) the callback. Called with a group name and a JSON array of the conversation IDs added to it.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMConvConversationsAddedToGroupCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetConvConversationsAddedToGroupCallback(
    cb: Option<TIMConvConversationsAddedToGroupCallback>,
    user_data: *const c_void,
) {
    CONV_CONVERSATIONS_ADDED_TO_GROUP.set(cb, user_data);
}

/// `TIMConvConversationsDeletedFromGroupCallback`: `void (*TIMConvConversationsDeletedFromGroupCallback)(const char* group_name, const char* conversation_array, uint32_t reason, const void* user_data);`
pub type TIMConvConversationsDeletedFromGroupCallback = unsafe extern "C" fn(
    group_name: *const c_char,
    conversation_array: *const c_char,
    reason: u32,
    user_data: *const c_void,
);

/// The callback of `TIMSetConvConversationsDeletedFromGroupCallback`.
pub static CONV_CONVERSATIONS_DELETED_FROM_GROUP: CallbackSlot<
    TIMConvConversationsDeletedFromGroupCallback,
> = CallbackSlot::new();

/// `TIMSetConvConversationsDeletedFromGroupCallback`: sets (NULL: unsets) the callback. Called with a group name, a JSON array of the conversation IDs removed from it and the reason (0: removed by a call).
///
/// # Safety
/// `cb` is NULL or a function of the `TIMConvConversationsDeletedFromGroupCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetConvConversationsDeletedFromGroupCallback(
    cb: Option<TIMConvConversationsDeletedFromGroupCallback>,
    user_data: *const c_void,
) {
    CONV_CONVERSATIONS_DELETED_FROM_GROUP.set(cb, user_data);
}

/// `TIMConvEventCallback`: `void (*TIMConvEventCallback)(enum TIMConvEvent conv_event, const char* json_conv_array, const void* user_data);`
pub type TIMConvEventCallback = unsafe extern "C" fn(
    conv_event: TIMConvEvent,
    json_conv_array: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetConvEventCallback`.
pub static CONV_EVENT: CallbackSlot<TIMConvEventCallback> = CallbackSlot::new();

/// `TIMSetConvEventCallback`: sets (NULL: unsets) the callback. Called with a TIMConvEvent and a JSON array of ConvInfo (`""` for Start/Finish) when conversations are added, updated or deleted, on this device or another of the same user.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMConvEventCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetConvEventCallback(
    cb: Option<TIMConvEventCallback>,
    user_data: *const c_void,
) {
    CONV_EVENT.set(cb, user_data);
}

/// `TIMConvTotalUnreadMessageCountChangedCallback`: `void (*TIMConvTotalUnreadMessageCountChangedCallback)(int total_unread_count, const void* user_data);`
pub type TIMConvTotalUnreadMessageCountChangedCallback =
    unsafe extern "C" fn(total_unread_count: c_int, user_data: *const c_void);

/// The callback of `TIMSetConvTotalUnreadMessageCountChangedCallback`.
pub static CONV_TOTAL_UNREAD_MESSAGE_COUNT_CHANGED: CallbackSlot<
    TIMConvTotalUnreadMessageCountChangedCallback,
> = CallbackSlot::new();

/// `TIMSetConvTotalUnreadMessageCountChangedCallback`: sets (NULL: unsets) the callback. Called with the new total unread count once `TIMConvGetTotalUnreadMessageCount` was called, whenever it changes.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMConvTotalUnreadMessageCountChangedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetConvTotalUnreadMessageCountChangedCallback(
    cb: Option<TIMConvTotalUnreadMessageCountChangedCallback>,
    user_data: *const c_void,
) {
    CONV_TOTAL_UNREAD_MESSAGE_COUNT_CHANGED.set(cb, user_data);
}

/// `TIMConvTotalUnreadMessageCountChangedByFilterCallback`: `void (*TIMConvTotalUnreadMessageCountChangedByFilterCallback)(const char* filter, int total_unread_count, const void* user_data);`
pub type TIMConvTotalUnreadMessageCountChangedByFilterCallback = unsafe extern "C" fn(
    filter: *const c_char,
    total_unread_count: c_int,
    user_data: *const c_void,
);

/// The callback of `TIMSetConvUnreadMessageCountChangedByFilterCallback`.
pub static CONV_UNREAD_MESSAGE_COUNT_CHANGED_BY_FILTER: CallbackSlot<
    TIMConvTotalUnreadMessageCountChangedByFilterCallback,
> = CallbackSlot::new();

/// `TIMSetConvUnreadMessageCountChangedByFilterCallback`: sets (NULL: unsets) the callback. Called with the filter JSON given to `TIMConvSubscribeUnreadMessageCountByFilter` and its new unread count whenever that count changes.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMConvTotalUnreadMessageCountChangedByFilterCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetConvUnreadMessageCountChangedByFilterCallback(
    cb: Option<TIMConvTotalUnreadMessageCountChangedByFilterCallback>,
    user_data: *const c_void,
) {
    CONV_UNREAD_MESSAGE_COUNT_CHANGED_BY_FILTER.set(cb, user_data);
}

/// Every slot of this module (for `TIMUninit`).
pub(super) fn clear() {
    CONV_CONVERSATION_GROUP_CREATED.clear();
    CONV_CONVERSATION_GROUP_DELETED.clear();
    CONV_CONVERSATION_GROUP_NAME_CHANGED.clear();
    CONV_CONVERSATIONS_ADDED_TO_GROUP.clear();
    CONV_CONVERSATIONS_DELETED_FROM_GROUP.clear();
    CONV_EVENT.clear();
    CONV_TOTAL_UNREAD_MESSAGE_COUNT_CHANGED.clear();
    CONV_UNREAD_MESSAGE_COUNT_CHANGED_BY_FILTER.clear();
}
