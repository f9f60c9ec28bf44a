//! The relationship, official-account and follow callback setters (session-extras.md §4): each stores its
//! callback in a [`CallbackSlot`]; NULL unsets it; `TIMUninit` forgets it.
//! tim does not have these features yet: setting a callback is harmless and it is never
//! called (Tencent's wrappers set and clear them all).

use super::CallbackSlot;
use std::ffi::{c_char, c_void};

/// `TIMFriendAddRequestCallback`: `void(*TIMFriendAddRequestCallback)(const char* json_friend_add_request_pendency_array, const void* user_data);`
pub type TIMFriendAddRequestCallback = unsafe extern "C" fn(
    json_friend_add_request_pendency_array: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetFriendAddRequestCallback`.
pub static FRIEND_ADD_REQUEST: CallbackSlot<TIMFriendAddRequestCallback> = CallbackSlot::new();

/// `TIMSetFriendAddRequestCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (array(FriendAddPendency); every device of the user gets it); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMFriendAddRequestCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetFriendAddRequestCallback(
    cb: Option<TIMFriendAddRequestCallback>,
    user_data: *const c_void,
) {
    FRIEND_ADD_REQUEST.set(cb, user_data);
}

/// `TIMFriendApplicationListDeletedCallback`: `void(*TIMFriendApplicationListDeletedCallback)(const char* json_identifier_array, const void* user_data);`
pub type TIMFriendApplicationListDeletedCallback =
    unsafe extern "C" fn(json_identifier_array: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetFriendApplicationListDeletedCallback`.
pub static FRIEND_APPLICATION_LIST_DELETED: CallbackSlot<TIMFriendApplicationListDeletedCallback> =
    CallbackSlot::new();

/// `TIMSetFriendApplicationListDeletedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (JSON array of UserIDs whose requests disappeared (deleted, refused, accepted, or own request refused)); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMFriendApplicationListDeletedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetFriendApplicationListDeletedCallback(
    cb: Option<TIMFriendApplicationListDeletedCallback>,
    user_data: *const c_void,
) {
    FRIEND_APPLICATION_LIST_DELETED.set(cb, user_data);
}

/// `TIMFriendApplicationListReadCallback`: `void(*TIMFriendApplicationListReadCallback)(const void* user_data);`
pub type TIMFriendApplicationListReadCallback = unsafe extern "C" fn(user_data: *const c_void);

/// The callback of `TIMSetFriendApplicationListReadCallback`.
pub static FRIEND_APPLICATION_LIST_READ: CallbackSlot<TIMFriendApplicationListReadCallback> =
    CallbackSlot::new();

/// `TIMSetFriendApplicationListReadCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (no payload; after TIMFriendshipReportPendencyReaded (multi-device)); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMFriendApplicationListReadCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetFriendApplicationListReadCallback(
    cb: Option<TIMFriendApplicationListReadCallback>,
    user_data: *const c_void,
) {
    FRIEND_APPLICATION_LIST_READ.set(cb, user_data);
}

/// `TIMFriendBlackListAddedCallback`: `void(*TIMFriendBlackListAddedCallback)(const char* json_friend_black_added_array, const void* user_data);`
pub type TIMFriendBlackListAddedCallback =
    unsafe extern "C" fn(json_friend_black_added_array: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetFriendBlackListAddedCallback`.
pub static FRIEND_BLACK_LIST_ADDED: CallbackSlot<TIMFriendBlackListAddedCallback> =
    CallbackSlot::new();

/// `TIMSetFriendBlackListAddedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (array(FriendProfile)); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMFriendBlackListAddedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetFriendBlackListAddedCallback(
    cb: Option<TIMFriendBlackListAddedCallback>,
    user_data: *const c_void,
) {
    FRIEND_BLACK_LIST_ADDED.set(cb, user_data);
}

/// `TIMFriendBlackListDeletedCallback`: `void(*TIMFriendBlackListDeletedCallback)(const char* json_identifier_array, const void* user_data);`
pub type TIMFriendBlackListDeletedCallback =
    unsafe extern "C" fn(json_identifier_array: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetFriendBlackListDeletedCallback`.
pub static FRIEND_BLACK_LIST_DELETED: CallbackSlot<TIMFriendBlackListDeletedCallback> =
    CallbackSlot::new();

/// `TIMSetFriendBlackListDeletedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (JSON array of UserIDs); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMFriendBlackListDeletedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetFriendBlackListDeletedCallback(
    cb: Option<TIMFriendBlackListDeletedCallback>,
    user_data: *const c_void,
) {
    FRIEND_BLACK_LIST_DELETED.set(cb, user_data);
}

/// `TIMFriendGroupCreatedCallback`: `void(*TIMFriendGroupCreatedCallback)(const char* group_name, const char* json_friend_info_array, const void* user_data);`
pub type TIMFriendGroupCreatedCallback = unsafe extern "C" fn(
    group_name: *const c_char,
    json_friend_info_array: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetFriendGroupCreatedCallback`.
pub static FRIEND_GROUP_CREATED: CallbackSlot<TIMFriendGroupCreatedCallback> = CallbackSlot::new();

/// `TIMSetFriendGroupCreatedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (list name + array(FriendProfile) put into it (S82; 8.0+)); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMFriendGroupCreatedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetFriendGroupCreatedCallback(
    cb: Option<TIMFriendGroupCreatedCallback>,
    user_data: *const c_void,
) {
    FRIEND_GROUP_CREATED.set(cb, user_data);
}

/// `TIMFriendGroupDeletedCallback`: `void(*TIMFriendGroupDeletedCallback)(const char* json_group_name_array, const void* user_data);`
pub type TIMFriendGroupDeletedCallback =
    unsafe extern "C" fn(json_group_name_array: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetFriendGroupDeletedCallback`.
pub static FRIEND_GROUP_DELETED: CallbackSlot<TIMFriendGroupDeletedCallback> = CallbackSlot::new();

/// `TIMSetFriendGroupDeletedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (JSON array of deleted list names (S82)); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMFriendGroupDeletedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetFriendGroupDeletedCallback(
    cb: Option<TIMFriendGroupDeletedCallback>,
    user_data: *const c_void,
) {
    FRIEND_GROUP_DELETED.set(cb, user_data);
}

/// `TIMFriendGroupNameChangedCallback`: `void(*TIMFriendGroupNameChangedCallback)(const char* old_group_name, const char* new_group_name, const void* user_data);`
pub type TIMFriendGroupNameChangedCallback = unsafe extern "C" fn(
    old_group_name: *const c_char,
    new_group_name: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetFriendGroupNameChangedCallback`.
pub static FRIEND_GROUP_NAME_CHANGED: CallbackSlot<TIMFriendGroupNameChangedCallback> =
    CallbackSlot::new();

/// `TIMSetFriendGroupNameChangedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (old name, new name (S82)); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMFriendGroupNameChangedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetFriendGroupNameChangedCallback(
    cb: Option<TIMFriendGroupNameChangedCallback>,
    user_data: *const c_void,
) {
    FRIEND_GROUP_NAME_CHANGED.set(cb, user_data);
}

/// `TIMFriendsAddedToGroupCallback`: `void(*TIMFriendsAddedToGroupCallback)(const char* group_name, const char* json_friend_info_array, const void* user_data);`
pub type TIMFriendsAddedToGroupCallback = unsafe extern "C" fn(
    group_name: *const c_char,
    json_friend_info_array: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetFriendsAddedToGroupCallback`.
pub static FRIENDS_ADDED_TO_GROUP: CallbackSlot<TIMFriendsAddedToGroupCallback> =
    CallbackSlot::new();

/// `TIMSetFriendsAddedToGroupCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (list name + array(FriendProfile) (S82)); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMFriendsAddedToGroupCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetFriendsAddedToGroupCallback(
    cb: Option<TIMFriendsAddedToGroupCallback>,
    user_data: *const c_void,
) {
    FRIENDS_ADDED_TO_GROUP.set(cb, user_data);
}

/// `TIMFriendsDeletedFromGroupCallback`: `void(*TIMFriendsDeletedFromGroupCallback)(const char* group_name, const char* json_friend_id_array, const void* user_data);`
pub type TIMFriendsDeletedFromGroupCallback = unsafe extern "C" fn(
    group_name: *const c_char,
    json_friend_id_array: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetFriendsDeletedFromGroupCallback`.
pub static FRIENDS_DELETED_FROM_GROUP: CallbackSlot<TIMFriendsDeletedFromGroupCallback> =
    CallbackSlot::new();

/// `TIMSetFriendsDeletedFromGroupCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (list name + JSON array of friend UserIDs (S82)); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMFriendsDeletedFromGroupCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetFriendsDeletedFromGroupCallback(
    cb: Option<TIMFriendsDeletedFromGroupCallback>,
    user_data: *const c_void,
) {
    FRIENDS_DELETED_FROM_GROUP.set(cb, user_data);
}

/// `TIMMutualFollowersListChangedCallback`: `void (*TIMMutualFollowersListChangedCallback)(const char* json_user_info_list, bool is_add, const void* user_data);`
pub type TIMMutualFollowersListChangedCallback = unsafe extern "C" fn(
    json_user_info_list: *const c_char,
    is_add: bool,
    user_data: *const c_void,
);

/// The callback of `TIMSetMutualFollowersListChangedCallback`.
pub static MUTUAL_FOLLOWERS_LIST_CHANGED: CallbackSlot<TIMMutualFollowersListChangedCallback> =
    CallbackSlot::new();

/// `TIMSetMutualFollowersListChangedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (array of user info + `is_add`); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMMutualFollowersListChangedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetMutualFollowersListChangedCallback(
    cb: Option<TIMMutualFollowersListChangedCallback>,
    user_data: *const c_void,
) {
    MUTUAL_FOLLOWERS_LIST_CHANGED.set(cb, user_data);
}

/// `TIMMyFollowersListChangedCallback`: `void (*TIMMyFollowersListChangedCallback)(const char* json_user_info_list, bool is_add, const void* user_data);`
pub type TIMMyFollowersListChangedCallback = unsafe extern "C" fn(
    json_user_info_list: *const c_char,
    is_add: bool,
    user_data: *const c_void,
);

/// The callback of `TIMSetMyFollowersListChangedCallback`.
pub static MY_FOLLOWERS_LIST_CHANGED: CallbackSlot<TIMMyFollowersListChangedCallback> =
    CallbackSlot::new();

/// `TIMSetMyFollowersListChangedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (array of user info + `is_add`); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMMyFollowersListChangedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetMyFollowersListChangedCallback(
    cb: Option<TIMMyFollowersListChangedCallback>,
    user_data: *const c_void,
) {
    MY_FOLLOWERS_LIST_CHANGED.set(cb, user_data);
}

/// `TIMMyFollowingListChangedCallback`: `void (*TIMMyFollowingListChangedCallback)(const char* json_user_info_list, bool is_add, const void* user_data);`
pub type TIMMyFollowingListChangedCallback = unsafe extern "C" fn(
    json_user_info_list: *const c_char,
    is_add: bool,
    user_data: *const c_void,
);

/// The callback of `TIMSetMyFollowingListChangedCallback`.
pub static MY_FOLLOWING_LIST_CHANGED: CallbackSlot<TIMMyFollowingListChangedCallback> =
    CallbackSlot::new();

/// `TIMSetMyFollowingListChangedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (array of user info + `is_add`); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMMyFollowingListChangedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetMyFollowingListChangedCallback(
    cb: Option<TIMMyFollowingListChangedCallback>,
    user_data: *const c_void,
) {
    MY_FOLLOWING_LIST_CHANGED.set(cb, user_data);
}

/// `TIMOfficialAccountDeletedCallback`: `void (*TIMOfficialAccountDeletedCallback)(const char* official_account_id, const void* user_data);`
pub type TIMOfficialAccountDeletedCallback =
    unsafe extern "C" fn(official_account_id: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetOfficialAccountDeletedCallback`.
pub static OFFICIAL_ACCOUNT_DELETED: CallbackSlot<TIMOfficialAccountDeletedCallback> =
    CallbackSlot::new();

/// `TIMSetOfficialAccountDeletedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (official-account ID); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMOfficialAccountDeletedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetOfficialAccountDeletedCallback(
    cb: Option<TIMOfficialAccountDeletedCallback>,
    user_data: *const c_void,
) {
    OFFICIAL_ACCOUNT_DELETED.set(cb, user_data);
}

/// `TIMOfficialAccountInfoChangedCallback`: `void (*TIMOfficialAccountInfoChangedCallback)(const char* json_official_account_info, const void* user_data);`
pub type TIMOfficialAccountInfoChangedCallback =
    unsafe extern "C" fn(json_official_account_info: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetOfficialAccountInfoChangedCallback`.
pub static OFFICIAL_ACCOUNT_INFO_CHANGED: CallbackSlot<TIMOfficialAccountInfoChangedCallback> =
    CallbackSlot::new();

/// `TIMSetOfficialAccountInfoChangedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (OfficialAccountInfo object); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMOfficialAccountInfoChangedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetOfficialAccountInfoChangedCallback(
    cb: Option<TIMOfficialAccountInfoChangedCallback>,
    user_data: *const c_void,
) {
    OFFICIAL_ACCOUNT_INFO_CHANGED.set(cb, user_data);
}

/// `TIMOfficialAccountSubscribedCallback`: `void (*TIMOfficialAccountSubscribedCallback)(const char* json_official_account_info, const void* user_data);`
pub type TIMOfficialAccountSubscribedCallback =
    unsafe extern "C" fn(json_official_account_info: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetOfficialAccountSubscribedCallback`.
pub static OFFICIAL_ACCOUNT_SUBSCRIBED: CallbackSlot<TIMOfficialAccountSubscribedCallback> =
    CallbackSlot::new();

/// `TIMSetOfficialAccountSubscribedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (OfficialAccountInfo object); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMOfficialAccountSubscribedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetOfficialAccountSubscribedCallback(
    cb: Option<TIMOfficialAccountSubscribedCallback>,
    user_data: *const c_void,
) {
    OFFICIAL_ACCOUNT_SUBSCRIBED.set(cb, user_data);
}

/// `TIMOfficialAccountUnsubscribedCallback`: `void (*TIMOfficialAccountUnsubscribedCallback)(const char* official_account_id, const void* user_data);`
pub type TIMOfficialAccountUnsubscribedCallback =
    unsafe extern "C" fn(official_account_id: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetOfficialAccountUnsubscribedCallback`.
pub static OFFICIAL_ACCOUNT_UNSUBSCRIBED: CallbackSlot<TIMOfficialAccountUnsubscribedCallback> =
    CallbackSlot::new();

/// `TIMSetOfficialAccountUnsubscribedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (official-account ID); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMOfficialAccountUnsubscribedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetOfficialAccountUnsubscribedCallback(
    cb: Option<TIMOfficialAccountUnsubscribedCallback>,
    user_data: *const c_void,
) {
    OFFICIAL_ACCOUNT_UNSUBSCRIBED.set(cb, user_data);
}

/// `TIMOnAddFriendCallback`: `void(*TIMOnAddFriendCallback)(const char* json_identifier_array, const void* user_data);`
pub type TIMOnAddFriendCallback =
    unsafe extern "C" fn(json_identifier_array: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetOnAddFriendCallback`.
pub static ON_ADD_FRIEND: CallbackSlot<TIMOnAddFriendCallback> = CallbackSlot::new();

/// `TIMSetOnAddFriendCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (JSON array of UserIDs added as friends (multi-device sync)); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMOnAddFriendCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetOnAddFriendCallback(
    cb: Option<TIMOnAddFriendCallback>,
    user_data: *const c_void,
) {
    ON_ADD_FRIEND.set(cb, user_data);
}

/// `TIMOnDeleteFriendCallback`: `void(*TIMOnDeleteFriendCallback)(const char* json_identifier_array, const void* user_data);`
pub type TIMOnDeleteFriendCallback =
    unsafe extern "C" fn(json_identifier_array: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetOnDeleteFriendCallback`.
pub static ON_DELETE_FRIEND: CallbackSlot<TIMOnDeleteFriendCallback> = CallbackSlot::new();

/// `TIMSetOnDeleteFriendCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (JSON array of UserIDs removed (multi-device sync)); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMOnDeleteFriendCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetOnDeleteFriendCallback(
    cb: Option<TIMOnDeleteFriendCallback>,
    user_data: *const c_void,
) {
    ON_DELETE_FRIEND.set(cb, user_data);
}

/// `TIMUpdateFriendProfileCallback`: `void(*TIMUpdateFriendProfileCallback)(const char* json_friend_profile_update_array, const void* user_data);`
pub type TIMUpdateFriendProfileCallback =
    unsafe extern "C" fn(json_friend_profile_update_array: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetUpdateFriendProfileCallback`.
pub static UPDATE_FRIEND_PROFILE: CallbackSlot<TIMUpdateFriendProfileCallback> =
    CallbackSlot::new();

/// `TIMSetUpdateFriendProfileCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (array(FriendProfileUpdate) (multi-device sync)); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMUpdateFriendProfileCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetUpdateFriendProfileCallback(
    cb: Option<TIMUpdateFriendProfileCallback>,
    user_data: *const c_void,
) {
    UPDATE_FRIEND_PROFILE.set(cb, user_data);
}

/// Every slot of this module (for `TIMUninit`).
pub(super) fn clear() {
    FRIEND_ADD_REQUEST.clear();
    FRIEND_APPLICATION_LIST_DELETED.clear();
    FRIEND_APPLICATION_LIST_READ.clear();
    FRIEND_BLACK_LIST_ADDED.clear();
    FRIEND_BLACK_LIST_DELETED.clear();
    FRIEND_GROUP_CREATED.clear();
    FRIEND_GROUP_DELETED.clear();
    FRIEND_GROUP_NAME_CHANGED.clear();
    FRIENDS_ADDED_TO_GROUP.clear();
    FRIENDS_DELETED_FROM_GROUP.clear();
    MUTUAL_FOLLOWERS_LIST_CHANGED.clear();
    MY_FOLLOWERS_LIST_CHANGED.clear();
    MY_FOLLOWING_LIST_CHANGED.clear();
    OFFICIAL_ACCOUNT_DELETED.clear();
    OFFICIAL_ACCOUNT_INFO_CHANGED.clear();
    OFFICIAL_ACCOUNT_SUBSCRIBED.clear();
    OFFICIAL_ACCOUNT_UNSUBSCRIBED.clear();
    ON_ADD_FRIEND.clear();
    ON_DELETE_FRIEND.clear();
    UPDATE_FRIEND_PROFILE.clear();
}
