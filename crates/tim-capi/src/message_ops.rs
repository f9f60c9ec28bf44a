//! Networked message exports (functions.md §5): `TIMMsgSendNewMsg`, `TIMMsgCancelSend`,
//! `TIMMsgReportReaded`, `TIMMsgMarkAllMessageAsRead`, `TIMMsgRevoke`, `TIMMsgModifyMessage`,
//! `TIMMsgGetMsgList`, `TIMMsgDelete`, `TIMMsgListDelete`, `TIMMsgClearHistoryMessage` and
//! `TIMMsgBatchSend`.
//!
//! Each reads and checks its arguments (synchronous codes, in this order: `TIM_ERR_SDKUNINIT`,
//! `TIM_ERR_PARAM` / `TIM_ERR_CONV` for the conversation, `TIM_ERR_PARAM` / `TIM_ERR_JSON`
//! for the JSON, `TIM_ERR_NOTLOGIN`) and hands the rest to `tim-core`; what the engine or the
//! server refuses arrives in the callback with its TIM code.
//!
//! # Safety (every export)
//! String arguments are NULL or NUL-terminated strings valid for the call; `cb` is NULL or a
//! `TIMCommCallback`; `user_data` is only handed back.

use crate::call::{
    conv_type_of, conversation, conversation_call, empty, encoded, logged_in, optional_json,
    required_json, sdk, spawn,
};
use crate::ctypes::TIMConvType;
use crate::ffi::{TIMCommCallback, entry, read_str, required_str};
use std::ffi::{c_char, c_int, c_void};
use tim_model::codes::result::{TIM_ERR_CONV, TIM_ERR_PARAM};
use tim_model::enums::ConvType;
use tim_model::{BatchSendParam, GetMsgListParam, Message, MessageId, MsgDeleteParam, UserId};

/// `TIMMsgSendNewMsg`: `TIMMsgSendMessage` without the message ID out-parameter (same checks,
/// same callback: the sent Message).
///
/// # Safety
/// See the module docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgSendNewMsg(
    conv_id: *const c_char,
    conv_type: TIMConvType,
    json_msg_param: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    // SAFETY: the same contract, with no buffer to write.
    unsafe {
        crate::message::TIMMsgSendMessage(
            conv_id,
            conv_type,
            json_msg_param,
            std::ptr::null_mut(),
            cb,
            user_data,
        )
    }
}

/// `TIMMsgCancelSend`: cancels the queued message `message_id` of the conversation. Success
/// json_params "": the message's own send then fails with 8021; a message already sent fails
/// with 8020.
///
/// # Safety
/// See the module docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgCancelSend(
    conv_id: *const c_char,
    conv_type: TIMConvType,
    message_id: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = sdk()?;
        // SAFETY: the caller's contract.
        let conv = unsafe { conversation(conv_id, conv_type) }?;
        // SAFETY: the caller's contract.
        let id = unsafe { required_str(message_id) }?;
        let id = MessageId::new(id).map_err(|_| TIM_ERR_PARAM)?;
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        spawn(&sdk, cb, user_data, async move {
            empty(client.core().cancel_send(&conv, &id).await)
        });
        Ok(())
    })
}

/// `TIMMsgReportReaded`: marks the conversation read up to `json_msg_param` (a Message), or up
/// to its newest message when that is NULL or "". A NULL or "" `conv_id` marks every C2C
/// (`conv_type` C2C) or every group (`conv_type` Group) conversation read. Success json_params
/// "".
///
/// # Safety
/// See the module docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgReportReaded(
    conv_id: *const c_char,
    conv_type: TIMConvType,
    json_msg_param: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = sdk()?;
        // SAFETY: the caller's contract.
        let id = unsafe { read_str(conv_id, TIM_ERR_PARAM) }?.filter(|id| !id.is_empty());
        let kind = conv_type_of(conv_type)?;
        let conv = match id {
            Some(id) => Some(tim_model::ConvId::new(kind, id).map_err(|_| TIM_ERR_CONV)?),
            None if matches!(kind, ConvType::C2c | ConvType::Group) => None,
            None => return Err(TIM_ERR_CONV),
        };
        // SAFETY: the caller's contract.
        let message: Option<Message> = unsafe { optional_json(json_msg_param) }?;
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        spawn(&sdk, cb, user_data, async move {
            let core = client.core();
            match conv {
                Some(conv) => empty(core.report_read(&conv, message.as_ref()).await),
                None => empty(core.mark_all_read(Some(kind)).await),
            }
        });
        Ok(())
    })
}

/// `TIMMsgMarkAllMessageAsRead`: marks every conversation read. Success json_params "".
///
/// # Safety
/// See the module docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgMarkAllMessageAsRead(
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = logged_in(sdk()?)?;
        let client = sdk.client.clone();
        spawn(&sdk, cb, user_data, async move {
            empty(client.core().mark_all_read(None).await)
        });
        Ok(())
    })
}

/// `TIMMsgRevoke`: revokes `json_msg_param` (a Message with its `message_msg_id`) of the
/// conversation. Success json_params ""; the local copy is Revoked before the callback.
///
/// # Safety
/// See the module docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgRevoke(
    conv_id: *const c_char,
    conv_type: TIMConvType,
    json_msg_param: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        // SAFETY: the caller's contract.
        let (sdk, conv, message) =
            unsafe { conversation_call::<Message>(conv_id, conv_type, json_msg_param) }?;
        let client = sdk.client.clone();
        spawn(&sdk, cb, user_data, async move {
            empty(client.core().revoke(&conv, &message).await)
        });
        Ok(())
    })
}

/// `TIMMsgModifyMessage`: `json_msg_param` is the full modified Message. Success: the Message
/// as now stored (version raised by one); a version conflict (8006) carries the current
/// Message; other failures "".
///
/// # Safety
/// See the module docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgModifyMessage(
    json_msg_param: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = sdk()?;
        // SAFETY: the caller's contract.
        let message: Message = unsafe { required_json(json_msg_param) }?;
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        spawn(&sdk, cb, user_data, async move {
            encoded(client.core().modify_message(message).await)
        });
        Ok(())
    })
}

/// `TIMMsgGetMsgList`: one page of the conversation's history (`json_get_msg_param`, a
/// MsgGetMsgListParam; NULL or "" is `{}`: the default page). Success: array(Message) in
/// walking order.
///
/// # Safety
/// See the module docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgGetMsgList(
    conv_id: *const c_char,
    conv_type: TIMConvType,
    json_get_msg_param: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = sdk()?;
        // SAFETY: the caller's contract.
        let conv = unsafe { conversation(conv_id, conv_type) }?;
        // SAFETY: the caller's contract.
        let param: Option<GetMsgListParam> = unsafe { optional_json(json_get_msg_param) }?;
        let param = param.unwrap_or_default();
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        spawn(&sdk, cb, user_data, async move {
            encoded(client.core().get_message_list(&conv, &param).await)
        });
        Ok(())
    })
}

/// `TIMMsgDelete`: `json_msgdel_param` (a MsgDeleteParam, required) names one message, or
/// none for the whole local history; `is_ramble` also deletes from the cloud. Success "".
///
/// # Safety
/// See the module docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgDelete(
    conv_id: *const c_char,
    conv_type: TIMConvType,
    json_msgdel_param: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        // SAFETY: the caller's contract.
        let (sdk, conv, param) =
            unsafe { conversation_call::<MsgDeleteParam>(conv_id, conv_type, json_msgdel_param) }?;
        let client = sdk.client.clone();
        spawn(&sdk, cb, user_data, async move {
            empty(client.core().delete_message(&conv, &param).await)
        });
        Ok(())
    })
}

/// `TIMMsgListDelete`: deletes `json_msg_array` (1..=50 Messages of the conversation) locally
/// and from the caller's cloud history, all or nothing. Success "".
///
/// # Safety
/// See the module docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgListDelete(
    conv_id: *const c_char,
    conv_type: TIMConvType,
    json_msg_array: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        // SAFETY: the caller's contract.
        let (sdk, conv, messages) =
            unsafe { conversation_call::<Vec<Message>>(conv_id, conv_type, json_msg_array) }?;
        let client = sdk.client.clone();
        spawn(&sdk, cb, user_data, async move {
            empty(client.core().delete_messages(&conv, &messages).await)
        });
        Ok(())
    })
}

/// `TIMMsgClearHistoryMessage`: clears the conversation's history, locally and for the caller
/// in the cloud. Success "".
///
/// # Safety
/// See the module docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgClearHistoryMessage(
    conv_id: *const c_char,
    conv_type: TIMConvType,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = sdk()?;
        // SAFETY: the caller's contract.
        let conv = unsafe { conversation(conv_id, conv_type) }?;
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        spawn(&sdk, cb, user_data, async move {
            empty(client.core().clear_history(&conv).await)
        });
        Ok(())
    })
}

/// `TIMMsgBatchSend`: one message (`msg_batch_send_param_msg`) to each user of
/// `msg_batch_send_param_identifier_array`. Success: array(MsgBatchSendResult), one per
/// recipient in order. A recipient that is not a valid user ID is `TIM_ERR_PARAM`.
///
/// # Safety
/// See the module docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgBatchSend(
    json_batch_send_param: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = sdk()?;
        // SAFETY: the caller's contract.
        let param: BatchSendParam = unsafe { required_json(json_batch_send_param) }?;
        let recipients = param
            .identifier_array
            .iter()
            .map(|id| UserId::new(id).map_err(|_| TIM_ERR_PARAM))
            .collect::<Result<Vec<_>, _>>()?;
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        spawn(&sdk, cb, user_data, async move {
            encoded(client.batch_send(&recipients, param.msg).await)
        });
        Ok(())
    })
}
