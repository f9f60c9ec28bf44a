//! The signaling callback setters (session-extras.md §4): each stores its
//! callback in a [`CallbackSlot`]; NULL unsets it; `TIMUninit` forgets it.
//! tim does not have these features yet: setting a callback is harmless and it is never
//! called (Tencent's wrappers set and clear them all).

use super::CallbackSlot;
use std::ffi::{c_char, c_void};

/// `TIMSignalingInvitationCancelledCallback`: `void (*TIMSignalingInvitationCancelledCallback)(const char* invite_id, const char* inviter, const char* data, const void* user_data);`
pub type TIMSignalingInvitationCancelledCallback = unsafe extern "C" fn(
    invite_id: *const c_char,
    inviter: *const c_char,
    data: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetSignalingInvitationCancelledCallback`.
pub static SIGNALING_INVITATION_CANCELLED: CallbackSlot<TIMSignalingInvitationCancelledCallback> =
    CallbackSlot::new();

/// `TIMSetSignalingInvitationCancelledCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (invite ID, inviter, custom data); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMSignalingInvitationCancelledCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetSignalingInvitationCancelledCallback(
    cb: Option<TIMSignalingInvitationCancelledCallback>,
    user_data: *const c_void,
) {
    SIGNALING_INVITATION_CANCELLED.set(cb, user_data);
}

/// `TIMSignalingInvitationModifiedCallback`: `void (*TIMSignalingInvitationModifiedCallback)(const char* invite_id, const char* data, const void* user_data);`
pub type TIMSignalingInvitationModifiedCallback =
    unsafe extern "C" fn(invite_id: *const c_char, data: *const c_char, user_data: *const c_void);

/// The callback of `TIMSetSignalingInvitationModifiedCallback`.
pub static SIGNALING_INVITATION_MODIFIED: CallbackSlot<TIMSignalingInvitationModifiedCallback> =
    CallbackSlot::new();

/// `TIMSetSignalingInvitationModifiedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (invite ID, custom data); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMSignalingInvitationModifiedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetSignalingInvitationModifiedCallback(
    cb: Option<TIMSignalingInvitationModifiedCallback>,
    user_data: *const c_void,
) {
    SIGNALING_INVITATION_MODIFIED.set(cb, user_data);
}

/// `TIMSignalingInvitationTimeoutCallback`: `void (*TIMSignalingInvitationTimeoutCallback)(const char* invite_id, const char* json_invitee_list, const void* user_data);`
pub type TIMSignalingInvitationTimeoutCallback = unsafe extern "C" fn(
    invite_id: *const c_char,
    json_invitee_list: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetSignalingInvitationTimeoutCallback`.
pub static SIGNALING_INVITATION_TIMEOUT: CallbackSlot<TIMSignalingInvitationTimeoutCallback> =
    CallbackSlot::new();

/// `TIMSetSignalingInvitationTimeoutCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (invite ID, JSON array of invitees); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMSignalingInvitationTimeoutCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetSignalingInvitationTimeoutCallback(
    cb: Option<TIMSignalingInvitationTimeoutCallback>,
    user_data: *const c_void,
) {
    SIGNALING_INVITATION_TIMEOUT.set(cb, user_data);
}

/// `TIMSignalingInviteeAcceptedCallback`: `void (*TIMSignalingInviteeAcceptedCallback)(const char* invite_id, const char* invitee, const char* data, const void* user_data);`
pub type TIMSignalingInviteeAcceptedCallback = unsafe extern "C" fn(
    invite_id: *const c_char,
    invitee: *const c_char,
    data: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetSignalingInviteeAcceptedCallback`.
pub static SIGNALING_INVITEE_ACCEPTED: CallbackSlot<TIMSignalingInviteeAcceptedCallback> =
    CallbackSlot::new();

/// `TIMSetSignalingInviteeAcceptedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (invite ID, invitee, custom data); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMSignalingInviteeAcceptedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetSignalingInviteeAcceptedCallback(
    cb: Option<TIMSignalingInviteeAcceptedCallback>,
    user_data: *const c_void,
) {
    SIGNALING_INVITEE_ACCEPTED.set(cb, user_data);
}

/// `TIMSignalingInviteeRejectedCallback`: `void (*TIMSignalingInviteeRejectedCallback)(const char* invite_id, const char* invitee, const char* data, const void* user_data);`
pub type TIMSignalingInviteeRejectedCallback = unsafe extern "C" fn(
    invite_id: *const c_char,
    invitee: *const c_char,
    data: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetSignalingInviteeRejectedCallback`.
pub static SIGNALING_INVITEE_REJECTED: CallbackSlot<TIMSignalingInviteeRejectedCallback> =
    CallbackSlot::new();

/// `TIMSetSignalingInviteeRejectedCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (invite ID, invitee, custom data); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMSignalingInviteeRejectedCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetSignalingInviteeRejectedCallback(
    cb: Option<TIMSignalingInviteeRejectedCallback>,
    user_data: *const c_void,
) {
    SIGNALING_INVITEE_REJECTED.set(cb, user_data);
}

/// `TIMSignalingReceiveNewInvitationCallback`: `void (*TIMSignalingReceiveNewInvitationCallback)(const char* invite_id, const char* inviter, const char* group_id, const char* json_invitee_list, const char* data, const void* user_data);`
pub type TIMSignalingReceiveNewInvitationCallback = unsafe extern "C" fn(
    invite_id: *const c_char,
    inviter: *const c_char,
    group_id: *const c_char,
    json_invitee_list: *const c_char,
    data: *const c_char,
    user_data: *const c_void,
);

/// The callback of `TIMSetSignalingReceiveNewInvitationCallback`.
pub static SIGNALING_RECEIVE_NEW_INVITATION: CallbackSlot<
    TIMSignalingReceiveNewInvitationCallback,
> = CallbackSlot::new();

/// `TIMSetSignalingReceiveNewInvitationCallback`: sets (NULL: unsets) the callback. tim does not produce this event yet (invite ID, inviter, group ID, JSON array of invitees, custom data); the callback is stored and never called.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMSignalingReceiveNewInvitationCallback` prototype that stays callable until
/// replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetSignalingReceiveNewInvitationCallback(
    cb: Option<TIMSignalingReceiveNewInvitationCallback>,
    user_data: *const c_void,
) {
    SIGNALING_RECEIVE_NEW_INVITATION.set(cb, user_data);
}

/// Every slot of this module (for `TIMUninit`).
pub(super) fn clear() {
    SIGNALING_INVITATION_CANCELLED.clear();
    SIGNALING_INVITATION_MODIFIED.clear();
    SIGNALING_INVITATION_TIMEOUT.clear();
    SIGNALING_INVITEE_ACCEPTED.clear();
    SIGNALING_INVITEE_REJECTED.clear();
    SIGNALING_RECEIVE_NEW_INVITATION.clear();
}
