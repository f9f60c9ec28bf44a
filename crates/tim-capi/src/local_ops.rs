//! Purely local message exports (functions.md §5, "L"): `TIMMsgFindMessages`,
//! `TIMMsgFindByMsgLocatorList`, `TIMMsgImportMsgList`, `TIMMsgSaveMsg`,
//! `TIMMsgSetLocalCustomData` and `TIMMsgSearchLocalMessages`, over the logged-in user's
//! `tim_core::Engine`.
//!
//! Synchronous codes as in [`crate::message_ops`]; the store work runs on a blocking thread of
//! the runtime and its outcome arrives in the callback.
//!
//! # Safety (every export)
//! String arguments are NULL or NUL-terminated strings valid for the call; `cb` is NULL or a
//! `TIMCommCallback`; `user_data` is only handed back.

use crate::call::{conversation_call, empty, encoded, logged_in, required_json, sdk, spawn_local};
use crate::ctypes::TIMConvType;
use crate::ffi::{TIMCommCallback, entry};
use std::ffi::{c_char, c_int, c_void};
use tim_model::{Message, MessageId, MsgLocator, SearchParam};

/// `TIMMsgFindMessages`: `json_message_id_array` is an array of message IDs. Success:
/// array(Message) of those stored locally, in the order asked (unknown IDs left out).
///
/// # Safety
/// See the module docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgFindMessages(
    json_message_id_array: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = sdk()?;
        // SAFETY: the caller's contract.
        let ids: Vec<MessageId> = unsafe { required_json(json_message_id_array) }?;
        let sdk = logged_in(sdk)?;
        spawn_local(&sdk, cb, user_data, move |engine| {
            encoded(engine.find_messages(&ids))
        });
        Ok(())
    })
}

/// `TIMMsgFindByMsgLocatorList`: `json_msg_Locator_array` (the spec's name) is an array of MsgLocator of the
/// conversation. Success: array(Message) found, in the order asked.
///
/// # Safety
/// See the module docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgFindByMsgLocatorList(
    conv_id: *const c_char,
    conv_type: TIMConvType,
    json_msg_locator_array: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        // SAFETY: the caller's contract.
        let (sdk, conv, locators) = unsafe {
            conversation_call::<Vec<MsgLocator>>(conv_id, conv_type, json_msg_locator_array)
        }?;
        spawn_local(&sdk, cb, user_data, move |engine| {
            encoded(engine.find_by_locators(&conv, &locators))
        });
        Ok(())
    })
}

/// `TIMMsgImportMsgList`: stores `json_msg_array` (Messages) in the conversation, in one
/// transaction, as LocalImported. Success "".
///
/// # Safety
/// See the module docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgImportMsgList(
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
        spawn_local(&sdk, cb, user_data, move |engine| {
            empty(engine.import_messages(&conv, messages))
        });
        Ok(())
    })
}

/// `TIMMsgSaveMsg`: stores `json_msg_param` (a Message) in the conversation as LocalImported.
/// Success "".
///
/// # Safety
/// See the module docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgSaveMsg(
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
        spawn_local(&sdk, cb, user_data, move |engine| {
            empty(engine.save_message(&conv, message))
        });
        Ok(())
    })
}

/// `TIMMsgSetLocalCustomData`: keeps `message_custom_int` and `message_custom_str` of
/// `json_msg_param` (a stored Message, found by its ID) locally. Success "".
///
/// # Safety
/// See the module docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgSetLocalCustomData(
    json_msg_param: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = sdk()?;
        // SAFETY: the caller's contract.
        let message: Message = unsafe { required_json(json_msg_param) }?;
        let sdk = logged_in(sdk)?;
        spawn_local(&sdk, cb, user_data, move |engine| {
            empty(engine.set_local_custom_data(&message))
        });
        Ok(())
    })
}

/// `TIMMsgSearchLocalMessages`: `json_search_message_param` is a MessageSearchParam. Success:
/// a MessageSearchResult.
///
/// # Safety
/// See the module docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgSearchLocalMessages(
    json_search_message_param: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = sdk()?;
        // SAFETY: the caller's contract.
        let param: SearchParam = unsafe { required_json(json_search_message_param) }?;
        let sdk = logged_in(sdk)?;
        spawn_local(&sdk, cb, user_data, move |engine| {
            encoded(engine.search_local(&param))
        });
        Ok(())
    })
}
