//! The profile, status, message-module and experimental callback setters (session-extras.md §4): each stores its
//! callback in a [`CallbackSlot`]; NULL unsets it; `TIMUninit` forgets it.
//! `TIMSetSelfInfoUpdatedCallback` is fired by [`crate::events`]; the others wait for
//! features tim does not have yet (setting them is harmless, they are never called).

use super::CallbackSlot;
use std::ffi::{c_char, c_void};

/// `TIMSelfInfoUpdatedCallback`: `void (*TIMSelfInfoUpdatedCallback)(const char* json_user_profile, const void* user_data);`
pub type TIMSelfInfoUpdatedCallback =
    unsafe extern "C" fn(json_user_profile: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetSelfInfoUpdatedCallback`.
pub static SELF_INFO_UPDATED: CallbackSlot<TIMSelfInfoUpdatedCallback> = CallbackSlot::new();

/// `TIMSetSelfInfoUpdatedCallback`: sets (NULL: unsets) the callback. Called with this user's UserProfile JSON when their profile changed (on this or another device).
///
/// # Safety
/// `cb` is NULL or a function of the `TIMSelfInfoUpdatedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetSelfInfoUpdatedCallback(
    cb: Option<TIMSelfInfoUpdatedCallback>,
    user_data: *const c_void,
) {
    SELF_INFO_UPDATED.set(cb, user_data);
}

/// `TIMUserInfoChangedCallback`: `void (*TIMUserInfoChangedCallback)(const char* json_user_info_array, const void* user_data);`
pub type TIMUserInfoChangedCallback =
    unsafe extern "C" fn(json_user_info_array: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetUserInfoChangedCallback`.
pub static USER_INFO_CHANGED: CallbackSlot<TIMUserInfoChangedCallback> = CallbackSlot::new();

/// `TIMSetUserInfoChangedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (array(UserProfile) of subscribed non-friend users (TIMSubscribeUserInfo)); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMUserInfoChangedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetUserInfoChangedCallback(
    cb: Option<TIMUserInfoChangedCallback>,
    user_data: *const c_void,
) {
    USER_INFO_CHANGED.set(cb, user_data);
}

/// `TIMUserStatusChangedCallback`: `void (*TIMUserStatusChangedCallback)(const char* json_user_status_array, const void* user_data);`
pub type TIMUserStatusChangedCallback =
    unsafe extern "C" fn(json_user_status_array: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetUserStatusChangedCallback`.
pub static USER_STATUS_CHANGED: CallbackSlot<TIMUserStatusChangedCallback> = CallbackSlot::new();

/// `TIMSetUserStatusChangedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (array(TIMUserStatus); fires for subscribed users, for friends when the console switch is on, and on all own devices when one changes the custom status); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMUserStatusChangedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetUserStatusChangedCallback(
    cb: Option<TIMUserStatusChangedCallback>,
    user_data: *const c_void,
) {
    USER_STATUS_CHANGED.set(cb, user_data);
}

/// `TIMMsgAllMessageReceiveOptionCallback`: `void (*TIMMsgAllMessageReceiveOptionCallback)(const char* json_receive_message_option_info, const void* user_data);`
pub type TIMMsgAllMessageReceiveOptionCallback =
    unsafe extern "C" fn(json_receive_message_option_info: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetMsgAllMessageReceiveOptionCallback`.
pub static MSG_ALL_MESSAGE_RECEIVE_OPTION: CallbackSlot<TIMMsgAllMessageReceiveOptionCallback> =
    CallbackSlot::new();

/// `TIMSetMsgAllMessageReceiveOptionCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (functions.md §1); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMMsgAllMessageReceiveOptionCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetMsgAllMessageReceiveOptionCallback(
    cb: Option<TIMMsgAllMessageReceiveOptionCallback>,
    user_data: *const c_void,
) {
    MSG_ALL_MESSAGE_RECEIVE_OPTION.set(cb, user_data);
}

/// `TIMMsgGroupPinnedMessageChangedCallback`: `void (*TIMMsgGroupPinnedMessageChangedCallback)(const char *group_id, const char* json_msg, bool is_pinned, const char *op_user, const void* user_data);`
pub type TIMMsgGroupPinnedMessageChangedCallback = unsafe extern "C" fn(
    group_id: *const c_char,
    json_msg: *const c_char,
    is_pinned: bool,
    op_user: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetMsgGroupPinnedMessageChangedCallback`.
pub static MSG_GROUP_PINNED_MESSAGE_CHANGED: CallbackSlot<TIMMsgGroupPinnedMessageChangedCallback> =
    CallbackSlot::new();

/// `TIMSetMsgGroupPinnedMessageChangedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (group ID, the Message (for unpinning only the message key fields, not the full body), pinned true/false, operator info (S79+)); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMMsgGroupPinnedMessageChangedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetMsgGroupPinnedMessageChangedCallback(
    cb: Option<TIMMsgGroupPinnedMessageChangedCallback>,
    user_data: *const c_void,
) {
    MSG_GROUP_PINNED_MESSAGE_CHANGED.set(cb, user_data);
}

/// `TIMMsgReactionsChangedCallback`: `void (*TIMMsgReactionsChangedCallback)(const char* message_reaction_change_info_array, const void* user_data);`
pub type TIMMsgReactionsChangedCallback = unsafe extern "C" fn(
    message_reaction_change_info_array: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetMsgReactionsChangedCallback`.
pub static MSG_REACTIONS_CHANGED: CallbackSlot<TIMMsgReactionsChangedCallback> =
    CallbackSlot::new();

/// `TIMSetMsgReactionsChangedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (functions.md §1); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMMsgReactionsChangedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetMsgReactionsChangedCallback(
    cb: Option<TIMMsgReactionsChangedCallback>,
    user_data: *const c_void,
) {
    MSG_REACTIONS_CHANGED.set(cb, user_data);
}

/// `TIMExperimentalNotifyCallback`: `void (*TIMExperimentalNotifyCallback)(const char* key, const char* data, const void* user_data);`
pub type TIMExperimentalNotifyCallback =
    unsafe extern "C" fn(key: *const c_char, data: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetExperimentalNotifyCallback`.
pub static EXPERIMENTAL_NOTIFY: CallbackSlot<TIMExperimentalNotifyCallback> = CallbackSlot::new();

/// `TIMSetExperimentalNotifyCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (free-form key/data pair (7.4+); keys not documented); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMExperimentalNotifyCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetExperimentalNotifyCallback(
    cb: Option<TIMExperimentalNotifyCallback>,
    user_data: *const c_void,
) {
    EXPERIMENTAL_NOTIFY.set(cb, user_data);
}

/// Every slot of this module (for `TIMUninit`).
pub(super) fn clear() {
    SELF_INFO_UPDATED.clear();
    USER_INFO_CHANGED.clear();
    USER_STATUS_CHANGED.clear();
    MSG_ALL_MESSAGE_RECEIVE_OPTION.clear();
    MSG_GROUP_PINNED_MESSAGE_CHANGED.clear();
    MSG_REACTIONS_CHANGED.clear();
    EXPERIMENTAL_NOTIFY.clear();
}
