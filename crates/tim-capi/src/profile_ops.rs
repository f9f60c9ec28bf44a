//! The profile exports (profiles.md §1): `TIMProfileGetUserProfileList` and
//! `TIMProfileModifySelfUserProfile`. Checks and callbacks as in [`crate::conversation_ops`];
//! limits the server checks (500-byte texts, 16-byte location, custom keys of 1..=8 letters,
//! 20 custom fields) come back in the callback with their codes (40601, 9001, 40001).

use crate::call::{self, empty, encoded, logged_in, spawn};
use crate::ffi::{TIMCommCallback, entry};
use std::ffi::{c_char, c_int, c_void};
use tim_model::codes::result::TIM_ERR_PARAM;
use tim_model::{GetProfileListParam, UserId, UserProfileItem};

/// `TIMProfileGetUserProfileList`: the UserProfile of each of 1..=100 users (anyone of the
/// app; one who never set a profile has the empty one with their ID), from the server.
///
/// # Safety
/// `json_get_user_profile_list_param` is NULL or a NUL-terminated string; `cb` as for every
/// call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMProfileGetUserProfileList(
    json_get_user_profile_list_param: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = call::sdk()?;
        // SAFETY: the caller's contract.
        let param: GetProfileListParam =
            unsafe { call::required_json(json_get_user_profile_list_param) }?;
        if param.identifier_array.is_empty() || param.identifier_array.len() > 100 {
            return Err(TIM_ERR_PARAM);
        }
        let users = param
            .identifier_array
            .iter()
            .map(|id| UserId::new(id).map_err(|_| TIM_ERR_PARAM))
            .collect::<Result<Vec<_>, _>>()?;
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        spawn(&sdk, cb, user_data, async move {
            encoded(client.profiles(&users).await)
        });
        Ok(())
    })
}

/// `TIMProfileModifySelfUserProfile`: changes the fields of this user's profile that the
/// UserProfileItem carries (custom keys with or without `Tag_Profile_Custom_`; an empty value
/// removes a custom field). Answers ""; every device of the user then gets
/// `TIMSetSelfInfoUpdatedCallback`, and messages sent afterwards carry the profile.
///
/// # Safety
/// `json_modify_self_user_profile_param` is NULL or a NUL-terminated string; `cb` as for every
/// call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMProfileModifySelfUserProfile(
    json_modify_self_user_profile_param: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = call::sdk()?;
        // SAFETY: the caller's contract.
        let item: UserProfileItem =
            unsafe { call::required_json(json_modify_self_user_profile_param) }?;
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        spawn(&sdk, cb, user_data, async move {
            empty(client.set_profile(item).await)
        });
        Ok(())
    })
}
