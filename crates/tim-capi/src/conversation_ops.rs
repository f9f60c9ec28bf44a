//! The conversation exports (conversations.md §4), part one: the list, info, create, delete,
//! drafts, pin, marks and custom data. Thin facades over `tim_rs::Client` (the list rules are
//! tim-core's `conversations::list`).
//!
//! Checks before any work (a refused call never calls back), in this order:
//! `TIM_ERR_SDKUNINIT`; the arguments (`TIM_ERR_PARAM` for NULL where a value is needed or an
//! array of conversation IDs that is empty or longer than 100, `TIM_ERR_JSON` for malformed or
//! wrongly typed JSON, `TIM_ERR_CONV` for a bad `conv_id`/`conv_type`); `TIM_ERR_NOTLOGIN`.
//! Then the callback comes once. In the batch calls a conversation ID that is neither
//! `c2c_<userID>` nor `group_<groupID>` gets its own result with `ERR_INVALID_CONVERSATION`
//! (6004) while the others are still changed; limits the server checks (pins, marks, custom
//! data size) come back per conversation with their codes.

use crate::call::{self, Outcome, conversation, encoded, logged_in, spawn, spawn_local};
use crate::ctypes::TIMConvType;
use crate::ffi::{TIMCommCallback, entry, read_str};
use std::ffi::{c_char, c_int, c_void};
use tim_core::ConversationChange;
use tim_model::codes::result::TIM_ERR_PARAM;
use tim_model::{
    ConvId, ConversationListFilter, ConversationOperationResult, Draft, GetConversationListParam,
};

/// Conversation IDs per batch call.
pub const MAX_BATCH: usize = 100;

/// A required JSON array of 1..=100 conversation IDs.
///
/// # Safety
/// `json` is NULL or a NUL-terminated string.
pub unsafe fn conversation_ids(json: *const c_char) -> Result<Vec<String>, i32> {
    // SAFETY: the caller's contract.
    let ids: Vec<String> = unsafe { call::required_json(json) }?;
    if ids.is_empty() || ids.len() > MAX_BATCH {
        return Err(TIM_ERR_PARAM);
    }
    Ok(ids)
}

/// The result of a single-conversation change: "" on success, its code otherwise.
pub fn single(result: Result<Vec<ConversationOperationResult>, tim_core::CoreError>) -> Outcome {
    let results = result.map_err(call::Failure::from)?;
    match results.into_iter().find(|r| r.result_code != 0) {
        Some(failed) => Err(call::Failure {
            code: failed.result_code,
            desc: failed.result_info,
            json: String::new(),
        }),
        None => Ok(String::new()),
    }
}

/// `TIMConvGetConvList`: the conversation list (JSON array of ConvInfo), pinned first, then
/// the most recently active; read from the device.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMCommCallback` prototype.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvGetConvList(
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = logged_in(call::sdk()?)?;
        spawn_local(&sdk, cb, user_data, |engine| {
            encoded(engine.conversation_list())
        });
        Ok(())
    })
}

/// `TIMConvGetConvInfo`: the ConvInfo of each conversation of the JSON array of
/// GetConversationListParam (1..=100) that shows in the list, in the order asked (unknown or
/// deleted ones and invalid IDs are left out).
///
/// # Safety
/// `json_get_conv_list_param` is NULL or a NUL-terminated string; `cb` as for every call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvGetConvInfo(
    json_get_conv_list_param: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = call::sdk()?;
        // SAFETY: the caller's contract.
        let params: Vec<GetConversationListParam> =
            unsafe { call::required_json(json_get_conv_list_param) }?;
        if params.is_empty() || params.len() > MAX_BATCH {
            return Err(TIM_ERR_PARAM);
        }
        let sdk = logged_in(sdk)?;
        let convs: Vec<ConvId> = params
            .iter()
            .filter_map(|p| ConvId::new(p.conv_type, &p.conv_id).ok())
            .collect();
        spawn_local(&sdk, cb, user_data, move |engine| {
            encoded(engine.conversation_infos(&convs))
        });
        Ok(())
    })
}

/// `TIMConvGetConversationListByFilter`: one page (TIMConversationListResult) of the
/// conversations passing `filter`, from `next_seq` (0 first), `count` long (0: all the rest).
/// The 6.5 form (paging inside the filter) is read when both arguments are 0.
///
/// # Safety
/// `filter` is NULL or a NUL-terminated string; `cb` as for every call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvGetConversationListByFilter(
    filter: *const c_char,
    next_seq: u64,
    count: u32,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = call::sdk()?;
        // SAFETY: the caller's contract.
        let filter: ConversationListFilter =
            unsafe { call::optional_json(filter) }?.unwrap_or_default();
        let sdk = logged_in(sdk)?;
        let (next_seq, count) = if next_seq == 0 && count == 0 {
            (filter.next_seq, filter.count)
        } else {
            (next_seq, count)
        };
        let client = sdk.client.clone();
        spawn_local(&sdk, cb, user_data, move |_| {
            encoded(client.conversations_by_filter(&filter, next_seq, count))
        });
        Ok(())
    })
}

/// `TIMConvCreate`: makes the conversation show (with no messages) and answers its ConvInfo.
///
/// # Safety
/// `conv_id` is NULL or a NUL-terminated string; `cb` as for every call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvCreate(
    conv_id: *const c_char,
    conv_type: TIMConvType,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = call::sdk()?;
        // SAFETY: the caller's contract.
        let conv = unsafe { conversation(conv_id, conv_type) }?;
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        spawn_local(&sdk, cb, user_data, move |_| {
            encoded(client.create_conversation(&conv))
        });
        Ok(())
    })
}

/// `TIMConvDelete`: deletes the conversation and its history, locally and on the server (the
/// user's other devices drop it too; a newer message brings it back). Answers "".
///
/// # Safety
/// `conv_id` is NULL or a NUL-terminated string; `cb` as for every call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvDelete(
    conv_id: *const c_char,
    conv_type: TIMConvType,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = call::sdk()?;
        // SAFETY: the caller's contract.
        let conv = unsafe { conversation(conv_id, conv_type) }?;
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        spawn(&sdk, cb, user_data, async move {
            let result = client.delete_conversation(&conv, true).await;
            single(result.map(|r| vec![r]))
        });
        Ok(())
    })
}

/// `TIMConvDeleteConversationList`: deletes 1..=100 conversations (`c2c_…`/`group_…`), with
/// their history on the server when `clear_message`. Answers one
/// TIMConversationOperationResult per ID.
///
/// # Safety
/// `conversation_id_array` is NULL or a NUL-terminated string; `cb` as for every call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvDeleteConversationList(
    conversation_id_array: *const c_char,
    clear_message: bool,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = call::sdk()?;
        // SAFETY: the caller's contract.
        let ids = unsafe { conversation_ids(conversation_id_array) }?;
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        spawn(&sdk, cb, user_data, async move {
            let results = client
                .core()
                .delete_conversations_by_id(ids, clear_message)
                .await;
            Ok(tim_model::json::to_string(&results))
        });
        Ok(())
    })
}

/// `TIMConvSetDraft`: sets the conversation's draft (a Draft object), kept on this device;
/// synchronous (no callback).
///
/// # Safety
/// `conv_id` and `json_draft_param` are NULL or NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvSetDraft(
    conv_id: *const c_char,
    conv_type: TIMConvType,
    json_draft_param: *const c_char,
) -> c_int {
    entry(|| {
        let sdk = call::sdk()?;
        // SAFETY: the caller's contract.
        let conv = unsafe { conversation(conv_id, conv_type) }?;
        // SAFETY: the caller's contract.
        let draft: Draft = unsafe { call::required_json(json_draft_param) }?;
        let sdk = logged_in(sdk)?;
        sdk.client
            .set_draft(&conv, Some(&draft))
            .map_err(|err| err.code())
    })
}

/// `TIMConvCancelDraft`: removes the conversation's draft; synchronous (no callback).
///
/// # Safety
/// `conv_id` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvCancelDraft(
    conv_id: *const c_char,
    conv_type: TIMConvType,
) -> c_int {
    entry(|| {
        let sdk = call::sdk()?;
        // SAFETY: the caller's contract.
        let conv = unsafe { conversation(conv_id, conv_type) }?;
        let sdk = logged_in(sdk)?;
        sdk.client.set_draft(&conv, None).map_err(|err| err.code())
    })
}

/// `TIMConvPinConversation`: pins (`is_pinned`) or unpins the conversation on every device
/// of the user (at most 50 pinned: 51008 beyond). Answers "".
///
/// # Safety
/// `conv_id` is NULL or a NUL-terminated string; `cb` as for every call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvPinConversation(
    conv_id: *const c_char,
    conv_type: TIMConvType,
    is_pinned: bool,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = call::sdk()?;
        // SAFETY: the caller's contract.
        let conv = unsafe { conversation(conv_id, conv_type) }?;
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        spawn(&sdk, cb, user_data, async move {
            single(
                client
                    .core()
                    .update_conversations(&[conv], ConversationChange::Pin(is_pinned))
                    .await,
            )
        });
        Ok(())
    })
}

/// `TIMConvMarkConversation`: sets (`enable_mark`) or clears the mark bits `mark_type`
/// (TIMConversationMarkType bits, or application bits 32..=52 so the JSON stays exact in
/// JavaScript) on 1..=100 conversations. Answers one TIMConversationOperationResult per ID.
///
/// # Safety
/// `conversation_id_array` is NULL or a NUL-terminated string; `cb` as for every call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvMarkConversation(
    conversation_id_array: *const c_char,
    mark_type: u64,
    enable_mark: bool,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = call::sdk()?;
        // SAFETY: the caller's contract.
        let ids = unsafe { conversation_ids(conversation_id_array) }?;
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        let change = ConversationChange::Mark {
            marks: mark_type,
            enable: enable_mark,
        };
        spawn(&sdk, cb, user_data, async move {
            encoded(client.core().update_conversations_by_id(ids, change).await)
        });
        Ok(())
    })
}

/// `TIMConvSetConversationCustomData`: sets the custom data (a plain string, at most 256
/// bytes; NULL clears) of 1..=100 conversations on every device of the user. Answers one
/// TIMConversationOperationResult per ID.
///
/// # Safety
/// `conversation_id_array` and `custom_data` are NULL or NUL-terminated strings; `cb` as for
/// every call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMConvSetConversationCustomData(
    conversation_id_array: *const c_char,
    custom_data: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = call::sdk()?;
        // SAFETY: the caller's contract.
        let ids = unsafe { conversation_ids(conversation_id_array) }?;
        // SAFETY: the caller's contract.
        let data = unsafe { read_str(custom_data, TIM_ERR_PARAM) }?
            .unwrap_or_default()
            .to_owned();
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        spawn(&sdk, cb, user_data, async move {
            encoded(
                client
                    .core()
                    .update_conversations_by_id(ids, ConversationChange::CustomData(data))
                    .await,
            )
        });
        Ok(())
    })
}
