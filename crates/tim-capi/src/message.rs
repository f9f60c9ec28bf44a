//! Message exports (functions.md §5): `TIMMsgSendMessage`.

use crate::ctypes::TIMConvType;
use crate::dispatch::Completion;
use crate::ffi::{CommCallback, TIMCommCallback, entry, json_str, required_str, write_id};
use crate::runtime;
use std::ffi::{c_char, c_int, c_void};
use tim_model::codes::result::{TIM_ERR_CONV, TIM_ERR_JSON, TIM_ERR_NOTLOGIN, TIM_ERR_PARAM};
use tim_model::enums::ConvType;
use tim_model::{ConvId, Message, codes};

/// `TIMMsgSendMessage`: stores `json_msg_param` (a Message) as Sending in conversation
/// (`conv_id`, `conv_type`), writes its message ID into `message_id_buffer` (≥128 bytes, may
/// be NULL) before returning, and calls `cb` once the server answered: code 0 with the sent
/// Message JSON (SendSucc, seq, server time), or the failure code with the Message as stored
/// (SendFail), or "" when there is none.
///
/// Synchronous codes: `TIM_ERR_PARAM` (NULL or non-UTF-8 `conv_id`, NULL `json_msg_param`),
/// `TIM_ERR_CONV` (bad `conv_type` or ID), `TIM_ERR_JSON` (malformed Message JSON),
/// `TIM_ERR_NOTLOGIN`. A message the send rules refuse (too long, wrong elements) returns
/// `TIM_SUCC` and its TIM code arrives in the callback, as Tencent reports it.
///
/// # Safety
/// `conv_id` and `json_msg_param` are NULL or NUL-terminated strings; `message_id_buffer` is
/// NULL or writable for 128 bytes; `cb` is NULL or a `TIMCommCallback`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgSendMessage(
    conv_id: *const c_char,
    conv_type: TIMConvType,
    json_msg_param: *const c_char,
    message_id_buffer: *mut c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = runtime::current()?;
        // SAFETY: the caller's contract.
        let conv_id = unsafe { required_str(conv_id) }?;
        let conv_type = ConvType::from_value(i64::from(conv_type)).ok_or(TIM_ERR_CONV)?;
        let conv = ConvId::new(conv_type, conv_id).map_err(|_| TIM_ERR_CONV)?;
        // SAFETY: the caller's contract.
        let json = unsafe { json_str(json_msg_param) }?.ok_or(TIM_ERR_PARAM)?;
        let message: Message = tim_model::json::from_str(json).map_err(|_| TIM_ERR_JSON)?;
        if sdk.client.user().is_none() {
            return Err(TIM_ERR_NOTLOGIN);
        }
        let completion =
            || Completion::new(CommCallback::new(cb, user_data), sdk.dispatcher.clone());
        let (stored, handle) = match sdk.client.conversation(conv).send(message) {
            Ok(sent) => sent,
            Err(err) if err.code() == codes::ERR_SDK_NOT_LOGGED_IN => {
                // Not a callback outcome: the caller hears it synchronously.
                return Err(TIM_ERR_NOTLOGIN);
            }
            Err(err) => {
                completion().finish(err.code(), err.to_string(), String::new());
                return Ok(());
            }
        };
        if !message_id_buffer.is_null() {
            let id = stored.msg_id.as_ref().map_or("", |id| id.as_str());
            // SAFETY: non-NULL, and the caller guarantees 128 writable bytes.
            unsafe { write_id(message_id_buffer, id) };
        }
        let completion = completion();
        sdk.runtime.spawn(async move {
            match handle.await {
                Ok(sent) => completion.finish(0, String::new(), tim_model::json::to_string(&sent)),
                Err(err) => {
                    let json = err
                        .message
                        .as_deref()
                        .map(tim_model::json::to_string)
                        .unwrap_or_default();
                    completion.finish(err.code, err.desc, json);
                }
            }
        });
        Ok(())
    })
}
