//! The conversation exports (conversations.md §4), part two: conversation groups (folders),
//! unread counts with their subscriptions, and clearing unread counts. Checks and callbacks as
//! in [`crate::conversation_ops`].
//!
//! Unread subscriptions: `TIMConvGetTotalUnreadMessageCount` once called switches on
//! `TIMConvTotalUnreadMessageCountChangedCallback`; each filter subscribed with
//! `TIMConvSubscribeUnreadMessageCountByFilter` is recounted after every change of the list
//! and reported through `TIMConvUnreadMessageCountChangedByFilterCallback` with the filter's
//! JSON as given, when its count changed (see [`crate::conv_events`]).

use crate::call::{self, empty, encoded, logged_in, spawn, spawn_local};
use crate::conv_events;
use crate::conversation_ops::{conversation_ids, single};
use crate::ffi::{TIMCommCallback, entry, read_str, required_str};
use std::ffi::{c_char, c_int, c_void};
use tim_core::{ConversationChange, GroupOp, UnreadScope};
use tim_model::codes::result::TIM_ERR_PARAM;
use tim_model::{ConversationListFilter, TotalUnreadResult};

/// A required conversation-group name (NULL or invalid UTF-8: `TIM_ERR_PARAM`; the server
/// checks its length, 51011).
///
/// # Safety
/// `name` is NULL or a NUL-terminated string.
unsafe fn group_name(name: *const c_char) -> Result<String, i32> {
    // SAFETY: the caller's contract.
    Ok(unsafe { required_str(name) }?.to_owned())
}

/// Runs a group operation on `ids` and answers per-conversation results.
///
/// # Safety
/// The pointers are NULL or NUL-terminated strings.
unsafe fn group_batch(
    name: *const c_char,
    conversation_id_array: *const c_char,
    op: fn(String) -> GroupOp,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = call::sdk()?;
        // SAFETY: the caller's contract.
        let name = unsafe { group_name(name) }?;
        // SAFETY: the caller's contract.
        let ids = unsafe { conversation_ids(conversation_id_array) }?;
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        spawn(&sdk, cb, user_data, async move {
            encoded(
                client
                    .core()
                    .update_conversations_by_id(ids, ConversationChange::Group(op(name)))
                    .await,
            )
        });
        Ok(())
    })
}

/// Runs a group operation naming no conversation and answers "".
fn group_whole(
    op: GroupOp,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> Result<(), i32> {
    let sdk = logged_in(call::sdk()?)?;
    let client = sdk.client.clone();
    spawn(&sdk, cb, user_data, async move {
        single(
            client
                .core()
                .update_conversations(&[], ConversationChange::Group(op))
                .await,
        )
    });
    Ok(())
}

/// `TIMConvCreateConversationGroup`: creates the conversation group `group_name` (1..=32
/// bytes; at most 20 groups) with 1..=100 conversations. Answers one
/// TIMConversationOperationResult per ID; the user's devices get
/// `TIMConvConversationGroupCreatedCallback`.
///
/// # Safety
/// `group_name` and `conversation_id_array` are NULL or NUL-terminated strings; `cb` as for
/// every call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvCreateConversationGroup(
    group_name: *const c_char,
    conversation_id_array: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe {
        group_batch(
            group_name,
            conversation_id_array,
            GroupOp::Create,
            cb,
            user_data,
        )
    }
}

/// `TIMConvAddConversationsToGroup`: adds 1..=100 conversations to an existing group (51009
/// when missing). Answers one TIMConversationOperationResult per ID.
///
/// # Safety
/// As [`TIMConvCreateConversationGroup`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvAddConversationsToGroup(
    group_name: *const c_char,
    conversation_id_array: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe {
        group_batch(
            group_name,
            conversation_id_array,
            GroupOp::Add,
            cb,
            user_data,
        )
    }
}

/// `TIMConvDeleteConversationsFromGroup`: removes 1..=100 conversations from a group. Answers
/// one TIMConversationOperationResult per ID.
///
/// # Safety
/// As [`TIMConvCreateConversationGroup`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvDeleteConversationsFromGroup(
    group_name: *const c_char,
    conversation_id_array: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe {
        group_batch(
            group_name,
            conversation_id_array,
            GroupOp::Remove,
            cb,
            user_data,
        )
    }
}

/// `TIMConvDeleteConversationGroup`: deletes a conversation group (its conversations stay).
/// Answers "".
///
/// # Safety
/// `group_name` is NULL or a NUL-terminated string; `cb` as for every call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvDeleteConversationGroup(
    group_name: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        call::sdk()?;
        // SAFETY: the caller's contract.
        let name = unsafe { self::group_name(group_name) }?;
        group_whole(GroupOp::Delete(name), cb, user_data)
    })
}

/// `TIMConvRenameConversationGroup`: renames a conversation group. Answers "".
///
/// # Safety
/// `old_name` and `new_name` are NULL or NUL-terminated strings; `cb` as for every call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvRenameConversationGroup(
    old_name: *const c_char,
    new_name: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        call::sdk()?;
        // SAFETY: the caller's contract.
        let (old, new) = unsafe { (group_name(old_name)?, group_name(new_name)?) };
        group_whole(GroupOp::Rename(old, new), cb, user_data)
    })
}

/// `TIMConvGetConversationGroupList`: the conversation-group names (JSON array of strings),
/// from the device.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMCommCallback` prototype.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvGetConversationGroupList(
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = logged_in(call::sdk()?)?;
        spawn_local(&sdk, cb, user_data, |engine| {
            encoded(engine.conversation_group_names())
        });
        Ok(())
    })
}

/// `TIMConvGetTotalUnreadMessageCount`: the total unread count of the shown conversations
/// (leaving out Not_Receive, Not_Notify and Not_Notify_Except_At conversations) as
/// GetTotalUnreadNumberResult; from now on every change is reported through
/// `TIMConvTotalUnreadMessageCountChangedCallback`.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMCommCallback` prototype.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvGetTotalUnreadMessageCount(
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = logged_in(call::sdk()?)?;
        conv_events::watch_total();
        let client = sdk.client.clone();
        spawn_local(&sdk, cb, user_data, move |_| {
            encoded(
                client
                    .total_unread(None)
                    .map(|unread_count| TotalUnreadResult { unread_count }),
            )
        });
        Ok(())
    })
}

/// `TIMConvGetUnreadMessageCountByFilter`: the unread count of the conversations passing
/// `filter` (a TIMConversationListFilter) as GetTotalUnreadNumberResult.
///
/// # Safety
/// `filter` is NULL or a NUL-terminated string; `cb` as for every call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvGetUnreadMessageCountByFilter(
    filter: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = call::sdk()?;
        // SAFETY: the caller's contract.
        let filter: ConversationListFilter = unsafe { call::required_json(filter) }?;
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        spawn_local(&sdk, cb, user_data, move |_| {
            encoded(
                client
                    .total_unread(Some(&filter))
                    .map(|unread_count| TotalUnreadResult { unread_count }),
            )
        });
        Ok(())
    })
}

/// `TIMConvSubscribeUnreadMessageCountByFilter`: reports the unread count of the
/// conversations passing `filter` through
/// `TIMConvUnreadMessageCountChangedByFilterCallback` whenever it changes; synchronous.
/// Subscribing the same filter again does nothing.
///
/// # Safety
/// `filter` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvSubscribeUnreadMessageCountByFilter(
    filter: *const c_char,
) -> c_int {
    entry(|| {
        call::sdk()?;
        // SAFETY: the caller's contract.
        let text = unsafe { required_str(filter) }?;
        let parsed: ConversationListFilter =
            tim_model::json::from_str(text).map_err(|_| tim_model::codes::result::TIM_ERR_JSON)?;
        conv_events::subscribe(text, parsed);
        Ok(())
    })
}

/// `TIMConvUnsubscribeUnreadMessageCountByFilter`: ends the subscription of an equal filter;
/// synchronous.
///
/// # Safety
/// `filter` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvUnsubscribeUnreadMessageCountByFilter(
    filter: *const c_char,
) -> c_int {
    entry(|| {
        call::sdk()?;
        // SAFETY: the caller's contract.
        let text = unsafe { required_str(filter) }?;
        let parsed: ConversationListFilter =
            tim_model::json::from_str(text).map_err(|_| tim_model::codes::result::TIM_ERR_JSON)?;
        conv_events::unsubscribe(&parsed);
        Ok(())
    })
}

/// `TIMConvCleanConversationUnreadMessageCount`: marks the conversation read (`c2c_…` or
/// `group_…`; `"c2c"` every C2C conversation, `"group"` every group, `""` or NULL all) on every
/// device of the user. `clean_timestamp`/`clean_sequence` are accepted; the whole
/// conversation is marked read (tim's read marks move to the newest message). Answers "".
///
/// # Safety
/// `conversation_id` is NULL or a NUL-terminated string; `cb` as for every call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvCleanConversationUnreadMessageCount(
    conversation_id: *const c_char,
    clean_timestamp: u64,
    clean_sequence: u64,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    let _ = (clean_timestamp, clean_sequence);
    entry(|| {
        let sdk = call::sdk()?;
        // SAFETY: the caller's contract.
        let id = unsafe { read_str(conversation_id, TIM_ERR_PARAM) }?
            .unwrap_or_default()
            .to_owned();
        let scope = UnreadScope::parse(&id).map_err(|_| tim_model::codes::result::TIM_ERR_CONV)?;
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        spawn(&sdk, cb, user_data, async move {
            empty(client.core().clean_unread(scope).await)
        });
        Ok(())
    })
}
