//! The group and community callback setters (session-extras.md §4): each stores its
//! callback in a [`CallbackSlot`]; NULL unsets it; `TIMUninit` forgets it.
//! `TIMSetGroupTipsEventCallback` is fired by [`crate::events`] for the group-tips elements of
//! received messages; tim does not have the other features yet: setting their callbacks is
//! harmless and they are never called (Tencent's wrappers set and clear them all).

use super::CallbackSlot;
use std::ffi::{c_char, c_void};

/// `TIMGroupAttributeChangedCallback`: `void (*TIMGroupAttributeChangedCallback)(const char *group_id, const char* json_group_attribute_array, const void* user_data);`
pub type TIMGroupAttributeChangedCallback = unsafe extern "C" fn(
    group_id: *const c_char,
    json_group_attribute_array: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetGroupAttributeChangedCallback`.
pub static GROUP_ATTRIBUTE_CHANGED: CallbackSlot<TIMGroupAttributeChangedCallback> =
    CallbackSlot::new();

/// `TIMSetGroupAttributeChangedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (groups.md §2.2); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMGroupAttributeChangedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetGroupAttributeChangedCallback(
    cb: Option<TIMGroupAttributeChangedCallback>,
    user_data: *const c_void,
) {
    GROUP_ATTRIBUTE_CHANGED.set(cb, user_data);
}

/// `TIMGroupCounterChangedCallback`: `void (*TIMGroupCounterChangedCallback)(const char *group_id, const char *group_counter_key, int64_t group_counter_new_value, const void *user_data);`
pub type TIMGroupCounterChangedCallback = unsafe extern "C" fn(
    group_id: *const c_char,
    group_counter_key: *const c_char,
    group_counter_new_value: i64,
    user_data: *const c_void,
);

/// The callback of `TIMSetGroupCounterChangedCallback`.
pub static GROUP_COUNTER_CHANGED: CallbackSlot<TIMGroupCounterChangedCallback> =
    CallbackSlot::new();

/// `TIMSetGroupCounterChangedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (groups.md §2.2); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMGroupCounterChangedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetGroupCounterChangedCallback(
    cb: Option<TIMGroupCounterChangedCallback>,
    user_data: *const c_void,
) {
    GROUP_COUNTER_CHANGED.set(cb, user_data);
}

/// `TIMGroupTipsEventCallback`: `void (*TIMGroupTipsEventCallback)(const char* json_group_tip, const void* user_data);`
pub type TIMGroupTipsEventCallback =
    unsafe extern "C" fn(json_group_tip: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetGroupTipsEventCallback`.
pub static GROUP_TIPS_EVENT: CallbackSlot<TIMGroupTipsEventCallback> = CallbackSlot::new();

/// `TIMSetGroupTipsEventCallback`: sets (NULL: unsets) the callback, called with one GroupTipsElem object (as the element of the message carries it) for each group-tips element of a received group message: joins, quits, kicks, role and group changes.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMGroupTipsEventCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetGroupTipsEventCallback(
    cb: Option<TIMGroupTipsEventCallback>,
    user_data: *const c_void,
) {
    GROUP_TIPS_EVENT.set(cb, user_data);
}

/// `TIMGroupTopicChangedCallback`: `void (*TIMGroupTopicChangedCallback)(const char *group_id, const char *topic_info, const void* user_data);`
pub type TIMGroupTopicChangedCallback = unsafe extern "C" fn(
    group_id: *const c_char,
    topic_info: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetGroupTopicChangedCallback`.
pub static GROUP_TOPIC_CHANGED: CallbackSlot<TIMGroupTopicChangedCallback> = CallbackSlot::new();

/// `TIMSetGroupTopicChangedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (groups.md §2.2); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMGroupTopicChangedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetGroupTopicChangedCallback(
    cb: Option<TIMGroupTopicChangedCallback>,
    user_data: *const c_void,
) {
    GROUP_TOPIC_CHANGED.set(cb, user_data);
}

/// `TIMGroupTopicCreatedCallback`: `void (*TIMGroupTopicCreatedCallback)(const char *group_id, const char *topic_id, const void* user_data);`
pub type TIMGroupTopicCreatedCallback = unsafe extern "C" fn(
    group_id: *const c_char,
    topic_id: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetGroupTopicCreatedCallback`.
pub static GROUP_TOPIC_CREATED: CallbackSlot<TIMGroupTopicCreatedCallback> = CallbackSlot::new();

/// `TIMSetGroupTopicCreatedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (groups.md §2.2); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMGroupTopicCreatedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetGroupTopicCreatedCallback(
    cb: Option<TIMGroupTopicCreatedCallback>,
    user_data: *const c_void,
) {
    GROUP_TOPIC_CREATED.set(cb, user_data);
}

/// `TIMGroupTopicDeletedCallback`: `void (*TIMGroupTopicDeletedCallback)(const char *group_id, const char *topic_id_array, const void* user_data);`
pub type TIMGroupTopicDeletedCallback = unsafe extern "C" fn(
    group_id: *const c_char,
    topic_id_array: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetGroupTopicDeletedCallback`.
pub static GROUP_TOPIC_DELETED: CallbackSlot<TIMGroupTopicDeletedCallback> = CallbackSlot::new();

/// `TIMSetGroupTopicDeletedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (groups.md §2.2); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMGroupTopicDeletedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetGroupTopicDeletedCallback(
    cb: Option<TIMGroupTopicDeletedCallback>,
    user_data: *const c_void,
) {
    GROUP_TOPIC_DELETED.set(cb, user_data);
}

/// `TIMCommunityAddMembersToPermissionGroupCallback`: `void (*TIMCommunityAddMembersToPermissionGroupCallback)(const char* group_id, const char* json_result, const void* user_data);`
pub type TIMCommunityAddMembersToPermissionGroupCallback = unsafe extern "C" fn(
    group_id: *const c_char,
    json_result: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetCommunityAddMembersToPermissionGroupCallback`.
pub static COMMUNITY_ADD_MEMBERS_TO_PERMISSION_GROUP: CallbackSlot<
    TIMCommunityAddMembersToPermissionGroupCallback,
> = CallbackSlot::new();

/// `TIMSetCommunityAddMembersToPermissionGroupCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (community ID, {`permission_group_id`, `member_id_list`}); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMCommunityAddMembersToPermissionGroupCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetCommunityAddMembersToPermissionGroupCallback(
    cb: Option<TIMCommunityAddMembersToPermissionGroupCallback>,
    user_data: *const c_void,
) {
    COMMUNITY_ADD_MEMBERS_TO_PERMISSION_GROUP.set(cb, user_data);
}

/// `TIMCommunityAddTopicPermissionCallback`: `void (*TIMCommunityAddTopicPermissionCallback)(const char* group_id, const char* json_result, const void* user_data);`
pub type TIMCommunityAddTopicPermissionCallback = unsafe extern "C" fn(
    group_id: *const c_char,
    json_result: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetCommunityAddTopicPermissionCallback`.
pub static COMMUNITY_ADD_TOPIC_PERMISSION: CallbackSlot<TIMCommunityAddTopicPermissionCallback> =
    CallbackSlot::new();

/// `TIMSetCommunityAddTopicPermissionCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (community ID, {`permission_group_id`, `topic_permission_map`}); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMCommunityAddTopicPermissionCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetCommunityAddTopicPermissionCallback(
    cb: Option<TIMCommunityAddTopicPermissionCallback>,
    user_data: *const c_void,
) {
    COMMUNITY_ADD_TOPIC_PERMISSION.set(cb, user_data);
}

/// `TIMCommunityChangePermissionGroupInfoCallback`: `void (*TIMCommunityChangePermissionGroupInfoCallback)(const char* group_id, const char* permission_group_info, const void* user_data);`
pub type TIMCommunityChangePermissionGroupInfoCallback = unsafe extern "C" fn(
    group_id: *const c_char,
    permission_group_info: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetCommunityChangePermissionGroupInfoCallback`.
pub static COMMUNITY_CHANGE_PERMISSION_GROUP_INFO: CallbackSlot<
    TIMCommunityChangePermissionGroupInfoCallback,
> = CallbackSlot::new();

/// `TIMSetCommunityChangePermissionGroupInfoCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (community ID, PermissionGroupInfo); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMCommunityChangePermissionGroupInfoCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetCommunityChangePermissionGroupInfoCallback(
    cb: Option<TIMCommunityChangePermissionGroupInfoCallback>,
    user_data: *const c_void,
) {
    COMMUNITY_CHANGE_PERMISSION_GROUP_INFO.set(cb, user_data);
}

/// `TIMCommunityChangeTopicInfoCallback`: `void (*TIMCommunityChangeTopicInfoCallback)(const char* group_id, const char* topic_info, const void* user_data);`
pub type TIMCommunityChangeTopicInfoCallback = unsafe extern "C" fn(
    group_id: *const c_char,
    topic_info: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetCommunityChangeTopicInfoCallback`.
pub static COMMUNITY_CHANGE_TOPIC_INFO: CallbackSlot<TIMCommunityChangeTopicInfoCallback> =
    CallbackSlot::new();

/// `TIMSetCommunityChangeTopicInfoCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (community ID, topic info); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMCommunityChangeTopicInfoCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetCommunityChangeTopicInfoCallback(
    cb: Option<TIMCommunityChangeTopicInfoCallback>,
    user_data: *const c_void,
) {
    COMMUNITY_CHANGE_TOPIC_INFO.set(cb, user_data);
}

/// `TIMCommunityCreatePermissionGroupCallback`: `void (*TIMCommunityCreatePermissionGroupCallback)(const char* group_id, const char* permission_group_info, const void* user_data);`
pub type TIMCommunityCreatePermissionGroupCallback = unsafe extern "C" fn(
    group_id: *const c_char,
    permission_group_info: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetCommunityCreatePermissionGroupCallback`.
pub static COMMUNITY_CREATE_PERMISSION_GROUP: CallbackSlot<
    TIMCommunityCreatePermissionGroupCallback,
> = CallbackSlot::new();

/// `TIMSetCommunityCreatePermissionGroupCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (community ID, PermissionGroupInfo); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMCommunityCreatePermissionGroupCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetCommunityCreatePermissionGroupCallback(
    cb: Option<TIMCommunityCreatePermissionGroupCallback>,
    user_data: *const c_void,
) {
    COMMUNITY_CREATE_PERMISSION_GROUP.set(cb, user_data);
}

/// `TIMCommunityCreateTopicCallback`: `void (*TIMCommunityCreateTopicCallback)(const char* group_id, const char* topic_id, const void* user_data);`
pub type TIMCommunityCreateTopicCallback = unsafe extern "C" fn(
    group_id: *const c_char,
    topic_id: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetCommunityCreateTopicCallback`.
pub static COMMUNITY_CREATE_TOPIC: CallbackSlot<TIMCommunityCreateTopicCallback> =
    CallbackSlot::new();

/// `TIMSetCommunityCreateTopicCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (community ID, topic ID); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMCommunityCreateTopicCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetCommunityCreateTopicCallback(
    cb: Option<TIMCommunityCreateTopicCallback>,
    user_data: *const c_void,
) {
    COMMUNITY_CREATE_TOPIC.set(cb, user_data);
}

/// `TIMCommunityDeletePermissionGroupCallback`: `void (*TIMCommunityDeletePermissionGroupCallback)(const char* group_id, const char* permission_group_id_array, const void* user_data);`
pub type TIMCommunityDeletePermissionGroupCallback = unsafe extern "C" fn(
    group_id: *const c_char,
    permission_group_id_array: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetCommunityDeletePermissionGroupCallback`.
pub static COMMUNITY_DELETE_PERMISSION_GROUP: CallbackSlot<
    TIMCommunityDeletePermissionGroupCallback,
> = CallbackSlot::new();

/// `TIMSetCommunityDeletePermissionGroupCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (community ID, JSON array of permission-group IDs); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMCommunityDeletePermissionGroupCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetCommunityDeletePermissionGroupCallback(
    cb: Option<TIMCommunityDeletePermissionGroupCallback>,
    user_data: *const c_void,
) {
    COMMUNITY_DELETE_PERMISSION_GROUP.set(cb, user_data);
}

/// `TIMCommunityDeleteTopicCallback`: `void (*TIMCommunityDeleteTopicCallback)(const char* group_id, const char* topic_id_array, const void* user_data);`
pub type TIMCommunityDeleteTopicCallback = unsafe extern "C" fn(
    group_id: *const c_char,
    topic_id_array: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetCommunityDeleteTopicCallback`.
pub static COMMUNITY_DELETE_TOPIC: CallbackSlot<TIMCommunityDeleteTopicCallback> =
    CallbackSlot::new();

/// `TIMSetCommunityDeleteTopicCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (community ID, JSON array of topic IDs); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMCommunityDeleteTopicCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetCommunityDeleteTopicCallback(
    cb: Option<TIMCommunityDeleteTopicCallback>,
    user_data: *const c_void,
) {
    COMMUNITY_DELETE_TOPIC.set(cb, user_data);
}

/// `TIMCommunityDeleteTopicPermissionCallback`: `void (*TIMCommunityDeleteTopicPermissionCallback)(const char* group_id, const char* json_result, const void* user_data);`
pub type TIMCommunityDeleteTopicPermissionCallback = unsafe extern "C" fn(
    group_id: *const c_char,
    json_result: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetCommunityDeleteTopicPermissionCallback`.
pub static COMMUNITY_DELETE_TOPIC_PERMISSION: CallbackSlot<
    TIMCommunityDeleteTopicPermissionCallback,
> = CallbackSlot::new();

/// `TIMSetCommunityDeleteTopicPermissionCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (community ID, {`permission_group_id`, `topic_id_list`}); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMCommunityDeleteTopicPermissionCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetCommunityDeleteTopicPermissionCallback(
    cb: Option<TIMCommunityDeleteTopicPermissionCallback>,
    user_data: *const c_void,
) {
    COMMUNITY_DELETE_TOPIC_PERMISSION.set(cb, user_data);
}

/// `TIMCommunityModifyTopicPermissionCallback`: `void (*TIMCommunityModifyTopicPermissionCallback)(const char* group_id, const char* json_result, const void* user_data);`
pub type TIMCommunityModifyTopicPermissionCallback = unsafe extern "C" fn(
    group_id: *const c_char,
    json_result: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetCommunityModifyTopicPermissionCallback`.
pub static COMMUNITY_MODIFY_TOPIC_PERMISSION: CallbackSlot<
    TIMCommunityModifyTopicPermissionCallback,
> = CallbackSlot::new();

/// `TIMSetCommunityModifyTopicPermissionCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (community ID, {`permission_group_id`, `topic_permission_map`}); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMCommunityModifyTopicPermissionCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetCommunityModifyTopicPermissionCallback(
    cb: Option<TIMCommunityModifyTopicPermissionCallback>,
    user_data: *const c_void,
) {
    COMMUNITY_MODIFY_TOPIC_PERMISSION.set(cb, user_data);
}

/// `TIMCommunityReceiveTopicRESTCustomDataCallback`: `void (*TIMCommunityReceiveTopicRESTCustomDataCallback)(const char* topic_id, const char* custom_data, const void* user_data);`
pub type TIMCommunityReceiveTopicRESTCustomDataCallback = unsafe extern "C" fn(
    topic_id: *const c_char,
    custom_data: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetCommunityReceiveTopicRESTCustomDataCallback`.
pub static COMMUNITY_RECEIVE_TOPIC_R_E_S_T_CUSTOM_DATA: CallbackSlot<
    TIMCommunityReceiveTopicRESTCustomDataCallback,
> = CallbackSlot::new();

/// `TIMSetCommunityReceiveTopicRESTCustomDataCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (topic ID (first parameter, though the doc says community ID), custom data sent by REST API); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMCommunityReceiveTopicRESTCustomDataCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetCommunityReceiveTopicRESTCustomDataCallback(
    cb: Option<TIMCommunityReceiveTopicRESTCustomDataCallback>,
    user_data: *const c_void,
) {
    COMMUNITY_RECEIVE_TOPIC_R_E_S_T_CUSTOM_DATA.set(cb, user_data);
}

/// `TIMCommunityRemoveMembersFromPermissionGroupCallback`: `void (*TIMCommunityRemoveMembersFromPermissionGroupCallback)(const char* group_id, const char* json_result, const void* user_data);`
pub type TIMCommunityRemoveMembersFromPermissionGroupCallback = unsafe extern "C" fn(
    group_id: *const c_char,
    json_result: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetCommunityRemoveMembersFromPermissionGroupCallback`.
pub static COMMUNITY_REMOVE_MEMBERS_FROM_PERMISSION_GROUP: CallbackSlot<
    TIMCommunityRemoveMembersFromPermissionGroupCallback,
> = CallbackSlot::new();

/// `TIMSetCommunityRemoveMembersFromPermissionGroupCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (community ID, {`permission_group_id`, `member_id_list`}); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMCommunityRemoveMembersFromPermissionGroupCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetCommunityRemoveMembersFromPermissionGroupCallback(
    cb: Option<TIMCommunityRemoveMembersFromPermissionGroupCallback>,
    user_data: *const c_void,
) {
    COMMUNITY_REMOVE_MEMBERS_FROM_PERMISSION_GROUP.set(cb, user_data);
}

/// Every slot of this module (for `TIMUninit`).
pub(super) fn clear() {
    GROUP_ATTRIBUTE_CHANGED.clear();
    GROUP_COUNTER_CHANGED.clear();
    GROUP_TIPS_EVENT.clear();
    GROUP_TOPIC_CHANGED.clear();
    GROUP_TOPIC_CREATED.clear();
    GROUP_TOPIC_DELETED.clear();
    COMMUNITY_ADD_MEMBERS_TO_PERMISSION_GROUP.clear();
    COMMUNITY_ADD_TOPIC_PERMISSION.clear();
    COMMUNITY_CHANGE_PERMISSION_GROUP_INFO.clear();
    COMMUNITY_CHANGE_TOPIC_INFO.clear();
    COMMUNITY_CREATE_PERMISSION_GROUP.clear();
    COMMUNITY_CREATE_TOPIC.clear();
    COMMUNITY_DELETE_PERMISSION_GROUP.clear();
    COMMUNITY_DELETE_TOPIC.clear();
    COMMUNITY_DELETE_TOPIC_PERMISSION.clear();
    COMMUNITY_MODIFY_TOPIC_PERMISSION.clear();
    COMMUNITY_RECEIVE_TOPIC_R_E_S_T_CUSTOM_DATA.clear();
    COMMUNITY_REMOVE_MEMBERS_FROM_PERMISSION_GROUP.clear();
}
