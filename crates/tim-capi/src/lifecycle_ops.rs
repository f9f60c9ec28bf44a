//! Message-lifecycle exports (functions.md §5.16-5.18, §5.24-5.29): receive options, read
//! receipts, the group read-member list and message extensions. Thin facades over the
//! `tim_core::Client` methods of the same names.
//!
//! Every function checks its arguments synchronously (`TIM_ERR_SDKUNINIT`, `TIM_ERR_PARAM` for
//! a NULL where a value is needed, `TIM_ERR_JSON` for malformed JSON, `TIM_ERR_CONV` /
//! `TIM_ERR_GROUP` for a bad conversation or group ID, `TIM_ERR_NOTLOGIN`) and then calls back
//! exactly once. Limits the engine checks (31 users, 21 extension keys, a count over 100) are
//! not synchronous codes: they arrive in the callback as their TIM code, as Tencent's server
//! reports them.

use crate::ctypes::{TIMGroupMessageReadMembersFilter, TIMReceiveMessageOpt};
use crate::dispatch::{Completion, Dispatcher};
use crate::ffi::{
    CommCallback, TIMCommCallback, UserData, c_string, entry, json_str, required_str,
};
use crate::runtime::{self, Sdk};
use std::ffi::{c_char, c_int, c_void};
use std::sync::Arc;
use tim_model::codes::result::{
    TIM_ERR_CONV, TIM_ERR_GROUP, TIM_ERR_JSON, TIM_ERR_NOTLOGIN, TIM_ERR_PARAM,
};
use tim_model::enums::{GroupMessageReadMembersFilter, ReceiveMessageOpt};
use tim_model::json::JsonValue;
use tim_model::{ConvId, ExtensionKeyList, GroupId, Message, MessageExtension, UserId};

/// `TIMMsgGroupMessageReadMemberListCallback`: `void (*)(const char* json_group_member_array,
/// uint64_t next_seq, bool is_finished, const void* user_data)` (C `bool` is Rust `bool`).
pub type TIMMsgGroupMessageReadMemberListCallback = unsafe extern "C" fn(
    json_group_member_array: *const c_char,
    next_seq: u64,
    is_finished: bool,
    user_data: *const c_void,
);

/// The SDK, when a user is logged in.
fn logged_in() -> Result<Arc<Sdk>, i32> {
    let sdk = runtime::current()?;
    if sdk.client.user().is_none() {
        return Err(TIM_ERR_NOTLOGIN);
    }
    Ok(sdk)
}

/// A required JSON argument decoded as `T`: NULL or "" is `TIM_ERR_PARAM`, malformed JSON
/// `TIM_ERR_JSON`.
///
/// # Safety
/// `ptr` is NULL or a NUL-terminated string.
unsafe fn required_json<T: JsonValue>(ptr: *const c_char) -> Result<T, i32> {
    // SAFETY: the caller's contract.
    let text = unsafe { json_str(ptr) }?.ok_or(TIM_ERR_PARAM)?;
    tim_model::json::from_str(text).map_err(|_| TIM_ERR_JSON)
}

/// The conversation `message` belongs to.
fn conv_of(message: &Message) -> Result<ConvId, i32> {
    ConvId::new(message.conv_type, &message.conv_id).map_err(|_| TIM_ERR_CONV)
}

/// A `TIMReceiveMessageOpt` value.
fn receive_opt(opt: c_int) -> Result<ReceiveMessageOpt, i32> {
    ReceiveMessageOpt::from_value(i64::from(opt)).ok_or(TIM_ERR_PARAM)
}

/// A JSON array of UserIDs; an ID that is not a valid UserID is `TIM_ERR_PARAM`.
///
/// # Safety
/// `ptr` is NULL or a NUL-terminated string.
unsafe fn user_ids(ptr: *const c_char) -> Result<Vec<UserId>, i32> {
    // SAFETY: the caller's contract.
    let ids: Vec<String> = unsafe { required_json(ptr) }?;
    ids.iter()
        .map(|id| UserId::new(id).map_err(|_| TIM_ERR_PARAM))
        .collect()
}

/// Runs `work` on the runtime and calls `cb` once with its outcome: 0 and `encode(value)`, or
/// the TIM code, its description and "".
fn spawn<T, F>(
    sdk: &Sdk,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
    work: F,
    encode: fn(T) -> String,
) where
    T: Send + 'static,
    F: Future<Output = tim_core::Result<T>> + Send + 'static,
{
    let completion = Completion::new(CommCallback::new(cb, user_data), sdk.dispatcher.clone());
    sdk.runtime.spawn(async move {
        match work.await {
            Ok(value) => completion.finish(0, String::new(), encode(value)),
            Err(err) => completion.finish(err.code(), err.to_string(), String::new()),
        }
    });
}

fn empty(_: ()) -> String {
    String::new()
}

fn json<T: JsonValue>(value: T) -> String {
    tim_model::json::to_string(&value)
}

/// `TIMMsgSetC2CReceiveMessageOpt`: sets this user's receive option for the C2C conversations
/// with the users of `json_identifier_array` (a JSON array of 1..=30 UserIDs). Success
/// json_params: "".
///
/// # Safety
/// `json_identifier_array` is NULL or a NUL-terminated string; `cb` is NULL or a
/// `TIMCommCallback`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgSetC2CReceiveMessageOpt(
    json_identifier_array: *const c_char,
    opt: TIMReceiveMessageOpt,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        runtime::current()?;
        // SAFETY: the caller's contract.
        let users = unsafe { user_ids(json_identifier_array) }?;
        let opt = receive_opt(opt)?;
        let sdk = logged_in()?;
        let client = sdk.client.core().clone();
        let work = async move { client.set_c2c_receive_message_opt(&users, opt).await };
        spawn(&sdk, cb, user_data, work, empty);
        Ok(())
    })
}

/// `TIMMsgGetC2CReceiveMessageOpt`: this user's receive option for the C2C conversations with
/// the users of `json_identifier_array` (1..=30 UserIDs). Success json_params: a JSON array of
/// GetC2CRecvMsgOptResult, one per user in order.
///
/// # Safety
/// As [`TIMMsgSetC2CReceiveMessageOpt`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgGetC2CReceiveMessageOpt(
    json_identifier_array: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        runtime::current()?;
        // SAFETY: the caller's contract.
        let users = unsafe { user_ids(json_identifier_array) }?;
        let sdk = logged_in()?;
        let client = sdk.client.core().clone();
        let work = async move { client.get_c2c_receive_message_opt(&users).await };
        spawn(&sdk, cb, user_data, work, json);
        Ok(())
    })
}

/// `TIMMsgSetGroupReceiveMessageOpt`: sets this user's receive option for group `group_id`.
/// Success json_params: "". A NULL `group_id` is `TIM_ERR_PARAM`, an invalid one
/// `TIM_ERR_GROUP`.
///
/// # Safety
/// `group_id` is NULL or a NUL-terminated string; `cb` is NULL or a `TIMCommCallback`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgSetGroupReceiveMessageOpt(
    group_id: *const c_char,
    opt: TIMReceiveMessageOpt,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        runtime::current()?;
        // SAFETY: the caller's contract.
        let group = unsafe { required_str(group_id) }?;
        let group = GroupId::new(group).map_err(|_| TIM_ERR_GROUP)?;
        let opt = receive_opt(opt)?;
        let sdk = logged_in()?;
        let client = sdk.client.core().clone();
        let work = async move { client.set_group_receive_message_opt(&group, opt).await };
        spawn(&sdk, cb, user_data, work, empty);
        Ok(())
    })
}

/// `TIMMsgSendMessageReadReceipts`: tells the senders of `json_msg_array` (a JSON array of
/// Message, all of one conversation, sent with `message_need_read_receipt`) that this user read
/// them; they get `TIMMsgReadedReceiptCallback`. Success json_params: "".
///
/// # Safety
/// `json_msg_array` is NULL or a NUL-terminated string; `cb` is NULL or a `TIMCommCallback`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgSendMessageReadReceipts(
    json_msg_array: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        runtime::current()?;
        // SAFETY: the caller's contract.
        let messages: Vec<Message> = unsafe { required_json(json_msg_array) }?;
        let sdk = logged_in()?;
        let client = sdk.client.core().clone();
        let work = async move { client.send_message_read_receipts(&messages).await };
        spawn(&sdk, cb, user_data, work, empty);
        Ok(())
    })
}

/// `TIMMsgGetMessageReadReceipts`: the read receipts of `json_msg_array` (Messages of one
/// conversation) from the server. Success json_params: a JSON array of MessageReceipt.
///
/// # Safety
/// As [`TIMMsgSendMessageReadReceipts`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgGetMessageReadReceipts(
    json_msg_array: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        runtime::current()?;
        // SAFETY: the caller's contract.
        let messages: Vec<Message> = unsafe { required_json(json_msg_array) }?;
        let sdk = logged_in()?;
        let client = sdk.client.core().clone();
        let work = async move { client.get_message_read_receipts(&messages).await };
        spawn(&sdk, cb, user_data, work, json);
        Ok(())
    })
}

/// The one call of a `TIMMsgGroupMessageReadMemberListCallback`. Its prototype has no code, so
/// a failure (and `TIMUninit` ending the call) is reported as an empty finished page:
/// `"[]"`, the `next_seq` the caller passed, `is_finished` true.
struct MemberListCompletion {
    callback: Option<(TIMMsgGroupMessageReadMemberListCallback, UserData)>,
    next_seq: u64,
    dispatcher: Dispatcher,
}

impl MemberListCompletion {
    fn finish(mut self, json: String, next_seq: u64, is_finished: bool) {
        self.post(json, next_seq, is_finished);
    }

    fn post(&mut self, json: String, next_seq: u64, is_finished: bool) {
        if let Some((cb, user_data)) = self.callback.take() {
            self.dispatcher.post(move || {
                let json = c_string(&json);
                // SAFETY: the caller passed a function of this prototype; the string outlives
                // the call.
                unsafe { cb(json.as_ptr(), next_seq, is_finished, user_data.ptr()) }
            });
        }
    }
}

impl Drop for MemberListCompletion {
    fn drop(&mut self) {
        self.post("[]".to_owned(), self.next_seq, true);
    }
}

/// `TIMMsgGetGroupMessageReadMemberList`: one page (`count` 1..=100) of the members who read
/// (`filter` 0) or did not read (1) group message `json_msg`, from `next_seq` (0 first). `cb`
/// gets a JSON array of GroupMemberInfo, the next cursor and whether the list is finished; a
/// failure (which this prototype cannot report) arrives as `"[]"`, the `next_seq` passed in,
/// and `is_finished` true. A bad `filter` is `TIM_ERR_PARAM`, a non-group message
/// `TIM_ERR_CONV`.
///
/// # Safety
/// `json_msg` is NULL or a NUL-terminated string; `cb` is NULL or a
/// `TIMMsgGroupMessageReadMemberListCallback`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgGetGroupMessageReadMemberList(
    json_msg: *const c_char,
    filter: TIMGroupMessageReadMembersFilter,
    next_seq: u64,
    count: u32,
    cb: Option<TIMMsgGroupMessageReadMemberListCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        runtime::current()?;
        // SAFETY: the caller's contract.
        let message: Message = unsafe { required_json(json_msg) }?;
        let filter =
            GroupMessageReadMembersFilter::from_value(i64::from(filter)).ok_or(TIM_ERR_PARAM)?;
        if message.conv_type != tim_model::enums::ConvType::Group {
            return Err(TIM_ERR_CONV);
        }
        let sdk = logged_in()?;
        let completion = MemberListCompletion {
            callback: cb.map(|cb| (cb, UserData::new(user_data))),
            next_seq,
            dispatcher: sdk.dispatcher.clone(),
        };
        let client = sdk.client.core().clone();
        sdk.runtime.spawn(async move {
            match client
                .get_group_message_read_member_list(&message, filter, next_seq, count)
                .await
            {
                Ok(page) => completion.finish(json(page.members), page.next_seq, page.is_finished),
                Err(_) => completion.finish("[]".to_owned(), next_seq, true),
            }
        });
        Ok(())
    })
}

/// `TIMMsgSetMessageExtensions`: sets the extensions of `json_extension_array` (a JSON array
/// of MessageExtension) on message `json_msg`. Success json_params: a JSON array of
/// MessageExtensionResult, one per key in order: 0, or 23001 (a concurrent write won) with the
/// key's current state. Others get `TIMMsgExtensionsChangedCallback`.
///
/// # Safety
/// `json_msg` and `json_extension_array` are NULL or NUL-terminated strings; `cb` is NULL or a
/// `TIMCommCallback`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgSetMessageExtensions(
    json_msg: *const c_char,
    json_extension_array: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        runtime::current()?;
        // SAFETY: the caller's contract.
        let message: Message = unsafe { required_json(json_msg) }?;
        // SAFETY: the caller's contract.
        let extensions: Vec<MessageExtension> = unsafe { required_json(json_extension_array) }?;
        let conv = conv_of(&message)?;
        let sdk = logged_in()?;
        let client = sdk.client.core().clone();
        let work = async move {
            client
                .set_message_extensions(&conv, &message, extensions)
                .await
        };
        spawn(&sdk, cb, user_data, work, json);
        Ok(())
    })
}

/// `TIMMsgGetMessageExtensions`: every extension of message `json_msg` (the cached list when
/// the network is down). Success json_params: a JSON array of MessageExtension.
///
/// # Safety
/// `json_msg` is NULL or a NUL-terminated string; `cb` is NULL or a `TIMCommCallback`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgGetMessageExtensions(
    json_msg: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        runtime::current()?;
        // SAFETY: the caller's contract.
        let message: Message = unsafe { required_json(json_msg) }?;
        let conv = conv_of(&message)?;
        let sdk = logged_in()?;
        let client = sdk.client.core().clone();
        let work = async move { client.get_message_extensions(&conv, &message).await };
        spawn(&sdk, cb, user_data, work, json);
        Ok(())
    })
}

/// `TIMMsgDeleteMessageExtensions`: deletes the keys of `json_extension_key_array` (a JSON
/// array of strings or of `{"message_extension_key": ...}` objects; NULL, "" or `[]` deletes
/// every key) from message `json_msg`. Success json_params: a JSON array of
/// MessageExtensionResult: 0, or 23004 for a key that did not exist. Others get
/// `TIMMsgExtensionsDeletedCallback`.
///
/// # Safety
/// `json_msg` and `json_extension_key_array` are NULL or NUL-terminated strings; `cb` is NULL
/// or a `TIMCommCallback`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgDeleteMessageExtensions(
    json_msg: *const c_char,
    json_extension_key_array: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        runtime::current()?;
        // SAFETY: the caller's contract.
        let message: Message = unsafe { required_json(json_msg) }?;
        // SAFETY: the caller's contract.
        let keys = match unsafe { json_str(json_extension_key_array) }? {
            None => Vec::new(),
            Some(text) => {
                let list: ExtensionKeyList =
                    tim_model::json::from_str(text).map_err(|_| TIM_ERR_JSON)?;
                list.0
            }
        };
        let conv = conv_of(&message)?;
        let sdk = logged_in()?;
        let client = sdk.client.core().clone();
        let work = async move {
            client
                .delete_message_extensions(&conv, &message, keys)
                .await
        };
        spawn(&sdk, cb, user_data, work, json);
        Ok(())
    })
}
