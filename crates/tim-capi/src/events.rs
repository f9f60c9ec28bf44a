//! Event callbacks: the registry the `TIMAdd*`/`TIMSet*` functions fill, and the task that
//! turns `tim-rs` events into calls of the registered callbacks on the SDK thread, in event
//! order.
//!
//! Contract: the registry lock is never held while a callback runs (a callback may register or
//! remove callbacks); a callback registered after an event was posted but before it ran sees
//! it. Every `TIMSet*Callback` replaces the previous function (NULL unsets it), works before
//! `TIMInit`, and `TIMUninit` forgets them all.
//!
//! Events are posted through the [`LoginGate`], so while a `TIMLogin` is under way they wait
//! behind its callback. Log lines reach `TIMSetLogCallback` through [`crate::log`].
//! `TIMSetMsgElemUploadProgressCallback` gets the engine's upload progress of media sends.

use crate::ctypes::TIMLogLevel;
use crate::dispatch::{Dispatcher, LoginGate};
use crate::ffi::{
    TIMNetworkStatusListenerCallback, TIMRecvNewMsgCallback, UserData, c_string, guard,
};
use std::ffi::{c_char, c_void};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tim_model::ExtensionKeyList;
use tim_rs::{Event, Events};

/// `TIMMsgRevokeCallback`: `void (*)(const char* json_msg_revoke_info_array, const void*
/// user_data)`.
pub type TIMMsgRevokeCallback =
    unsafe extern "C" fn(json_msg_revoke_info_array: *const c_char, user_data: *const c_void);

/// `TIMMsgUpdateCallback`: `void (*)(const char* json_msg_array, const void* user_data)`.
pub type TIMMsgUpdateCallback =
    unsafe extern "C" fn(json_msg_array: *const c_char, user_data: *const c_void);

/// `TIMMsgReadedReceiptCallback`: `void (*)(const char* json_msg_read_receipt_array, const
/// void* user_data)`.
pub type TIMMsgReadedReceiptCallback =
    unsafe extern "C" fn(json_msg_read_receipt_array: *const c_char, user_data: *const c_void);

/// `TIMMsgExtensionsChangedCallback`: `void (*)(const char* message_id, const char*
/// message_extension_array, const void* user_data)`.
pub type TIMMsgExtensionsChangedCallback = unsafe extern "C" fn(
    message_id: *const c_char,
    message_extension_array: *const c_char,
    user_data: *const c_void,
);

/// `TIMMsgExtensionsDeletedCallback`: `void (*)(const char* message_id, const char*
/// message_extension_key_array, const void* user_data)`.
pub type TIMMsgExtensionsDeletedCallback = unsafe extern "C" fn(
    message_id: *const c_char,
    message_extension_key_array: *const c_char,
    user_data: *const c_void,
);

/// `TIMKickedOfflineCallback`: `void (*)(const void* user_data)`.
pub type TIMKickedOfflineCallback = unsafe extern "C" fn(user_data: *const c_void);

/// `TIMUserSigExpiredCallback`: `void (*)(const void* user_data)`.
pub type TIMUserSigExpiredCallback = unsafe extern "C" fn(user_data: *const c_void);

/// `TIMLogCallback`: `void (*)(enum TIMLogLevel level, const char* log, const void*
/// user_data)`.
pub type TIMLogCallback =
    unsafe extern "C" fn(level: TIMLogLevel, log: *const c_char, user_data: *const c_void);

/// `TIMMsgElemUploadProgressCallback`: `void (*)(const char* json_msg, uint32_t index,
/// uint32_t cur_size, uint32_t total_size, const void* user_data)`.
pub type TIMMsgElemUploadProgressCallback = unsafe extern "C" fn(
    json_msg: *const c_char,
    index: u32,
    cur_size: u32,
    total_size: u32,
    user_data: *const c_void,
);

/// A registered `TIMSet*Callback` function and its user data.
pub type Slot<F> = Option<(F, UserData)>;

struct Registry {
    new_messages: Vec<(TIMRecvNewMsgCallback, UserData)>,
    network_status: Slot<TIMNetworkStatusListenerCallback>,
    revoke: Slot<TIMMsgRevokeCallback>,
    update: Slot<TIMMsgUpdateCallback>,
    receipts: Slot<TIMMsgReadedReceiptCallback>,
    extensions_changed: Slot<TIMMsgExtensionsChangedCallback>,
    extensions_deleted: Slot<TIMMsgExtensionsDeletedCallback>,
    kicked_offline: Slot<TIMKickedOfflineCallback>,
    user_sig_expired: Slot<TIMUserSigExpiredCallback>,
    log: Slot<TIMLogCallback>,
    upload_progress: Slot<TIMMsgElemUploadProgressCallback>,
}

impl Registry {
    const EMPTY: Self = Self {
        new_messages: Vec::new(),
        network_status: None,
        revoke: None,
        update: None,
        receipts: None,
        extensions_changed: None,
        extensions_deleted: None,
        kicked_offline: None,
        user_sig_expired: None,
        log: None,
        upload_progress: None,
    };
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry::EMPTY);

fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Forgets every registered callback (`TIMUninit`).
pub fn clear() {
    *registry() = Registry::EMPTY;
}

/// Whether a log callback is registered (lets [`crate::log`] skip lines nobody reads).
pub fn has_log_callback() -> bool {
    registry().log.is_some()
}

/// The registered log callback.
pub fn log_callback() -> Slot<TIMLogCallback> {
    registry().log
}

/// Forwards `events` to the registered callbacks until the client is gone, through `gate`
/// (held back while a login is under way).
pub async fn forward(
    client: tim_rs::Client,
    mut events: Events,
    dispatcher: Dispatcher,
    gate: Arc<LoginGate>,
) {
    let dispatcher = gate.sender(dispatcher);
    while let Some(event) = events.next().await {
        if crate::conv_events::forward(&event, &client, &dispatcher).await {
            continue;
        }
        match event {
            Event::NewMessages(messages) => {
                let json = tim_model::json::to_string(&messages);
                dispatcher.post(move || deliver_new_messages(&json));
                // Each group-tips element also goes to TIMSetGroupTipsEventCallback.
                for elem in messages.iter().flat_map(|m| &m.elems) {
                    if matches!(elem, tim_model::Elem::GroupTips(_)) {
                        let tip = tim_model::json::to_string(elem);
                        dispatcher.post(move || {
                            deliver_json(|_| crate::setters::group::GROUP_TIPS_EVENT.get(), &tip)
                        });
                    }
                }
            }
            Event::NetworkStatus { status, code, desc } => {
                dispatcher.post(move || deliver_network_status(status.value(), code, &desc));
            }
            Event::MessageRevoked(info) => {
                let json = tim_model::json::to_string(&vec![info]);
                dispatcher.post(move || deliver_json(|r| r.revoke, &json));
            }
            Event::MessageModified(message) => {
                let json = tim_model::json::to_string(&vec![message]);
                dispatcher.post(move || deliver_json(|r| r.update, &json));
            }
            Event::ReadReceipts(receipts) => {
                let json = tim_model::json::to_string(&receipts);
                dispatcher.post(move || deliver_json(|r| r.receipts, &json));
            }
            Event::ExtensionsChanged { msg_id, extensions } => {
                let json = tim_model::json::to_string(&extensions);
                dispatcher.post(move || deliver_id_json(|r| r.extensions_changed, &msg_id, &json));
            }
            Event::ExtensionsDeleted { msg_id, keys } => {
                let json = tim_model::json::to_string(&ExtensionKeyList(keys));
                dispatcher.post(move || deliver_id_json(|r| r.extensions_deleted, &msg_id, &json));
            }
            Event::KickedOffline => dispatcher.post(|| deliver_plain(|r| r.kicked_offline)),
            Event::UserSigExpired => dispatcher.post(|| deliver_plain(|r| r.user_sig_expired)),
            Event::UploadProgress {
                message,
                elem_index,
                current,
                total,
            } => {
                let json = tim_model::json::to_string(&message);
                let clamp = |size: u64| u32::try_from(size).unwrap_or(u32::MAX);
                let (current, total) = (clamp(current), clamp(total));
                dispatcher.post(move || deliver_upload_progress(&json, elem_index, current, total));
            }
            _ => {}
        }
    }
}

fn deliver_new_messages(json: &str) {
    let callbacks = registry().new_messages.clone();
    let json = c_string(json);
    for (cb, user_data) in callbacks {
        // SAFETY: registered with this prototype; the string outlives the call.
        unsafe { cb(json.as_ptr(), user_data.ptr()) }
    }
}

fn deliver_upload_progress(json: &str, index: u32, current: u32, total: u32) {
    let Some((cb, user_data)) = registry().upload_progress else {
        return;
    };
    let json = c_string(json);
    // SAFETY: registered with this prototype; the string outlives the call.
    unsafe { cb(json.as_ptr(), index, current, total, user_data.ptr()) }
}

fn deliver_network_status(status: i32, code: i32, desc: &str) {
    let Some((cb, user_data)) = registry().network_status else {
        return;
    };
    let desc = c_string(desc);
    // SAFETY: registered with this prototype; the string outlives the call.
    unsafe { cb(status, code, desc.as_ptr(), user_data.ptr()) }
}

/// Calls the `(json, user_data)` callback `pick` chooses, if one is registered.
fn deliver_json(
    pick: impl FnOnce(&Registry) -> Slot<unsafe extern "C" fn(*const c_char, *const c_void)>,
    json: &str,
) {
    let Some((cb, user_data)) = pick(&registry()) else {
        return;
    };
    let json = c_string(json);
    // SAFETY: registered with this prototype; the string outlives the call.
    unsafe { cb(json.as_ptr(), user_data.ptr()) }
}

/// Calls the `(message_id, json, user_data)` callback `pick` chooses, if one is registered.
fn deliver_id_json(
    pick: impl FnOnce(
        &Registry,
    ) -> Slot<unsafe extern "C" fn(*const c_char, *const c_char, *const c_void)>,
    msg_id: &str,
    json: &str,
) {
    let Some((cb, user_data)) = pick(&registry()) else {
        return;
    };
    let msg_id = c_string(msg_id);
    let json = c_string(json);
    // SAFETY: registered with this prototype; the strings outlive the call.
    unsafe { cb(msg_id.as_ptr(), json.as_ptr(), user_data.ptr()) }
}

/// Calls the `(user_data)` callback `pick` chooses, if one is registered.
fn deliver_plain(pick: impl FnOnce(&Registry) -> Slot<unsafe extern "C" fn(*const c_void)>) {
    let Some((cb, user_data)) = pick(&registry()) else {
        return;
    };
    // SAFETY: registered with this prototype.
    unsafe { cb(user_data.ptr()) }
}

fn same(a: TIMRecvNewMsgCallback, b: TIMRecvNewMsgCallback) -> bool {
    // Identity of the C function, as Tencent's remove-by-pointer compares it.
    a as usize == b as usize
}

/// `TIMAddRecvNewMsgCallback`: adds `cb` (called with a JSON array of Message for messages
/// this device did not have). Adding a function already added only replaces its user data;
/// NULL is ignored. Works before `TIMInit`.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMRecvNewMsgCallback` prototype that stays callable
/// until removed or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMAddRecvNewMsgCallback(
    cb: Option<TIMRecvNewMsgCallback>,
    user_data: *const c_void,
) {
    guard((), || {
        let Some(cb) = cb else { return };
        let user_data = UserData::new(user_data);
        let mut registry = registry();
        match registry.new_messages.iter_mut().find(|(f, _)| same(*f, cb)) {
            Some(entry) => entry.1 = user_data,
            None => registry.new_messages.push((cb, user_data)),
        }
    })
}

/// `TIMRemoveRecvNewMsgCallback`: removes `cb` (the same function pointer given to
/// `TIMAddRecvNewMsgCallback`); NULL removes them all.
///
/// # Safety
/// None beyond the C prototype; the pointer is only compared.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMRemoveRecvNewMsgCallback(cb: Option<TIMRecvNewMsgCallback>) {
    guard((), || {
        let mut registry = registry();
        match cb {
            Some(cb) => registry.new_messages.retain(|(f, _)| !same(*f, cb)),
            None => registry.new_messages.clear(),
        }
    })
}

/// `TIMSetNetworkStatusListenerCallback`: sets (NULL: unsets) the network status callback,
/// called with `kTIMConnected`/`kTIMDisconnected`/`kTIMConnecting`/`kTIMConnectFailed`.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMNetworkStatusListenerCallback` prototype that stays
/// callable until replaced or `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetNetworkStatusListenerCallback(
    cb: Option<TIMNetworkStatusListenerCallback>,
    user_data: *const c_void,
) {
    guard((), || {
        registry().network_status = cb.map(|cb| (cb, UserData::new(user_data)));
    })
}

/// `TIMSetMsgRevokeCallback`: sets (NULL: unsets) the revoke callback, called with a JSON array of MsgLocator (plus `message_revoker_*` and `message_revoke_reason`) when a message of a conversation of this user is revoked, by anyone. Runs on the SDK thread.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMMsgRevokeCallback` prototype that stays callable until replaced or
/// `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetMsgRevokeCallback(
    cb: Option<TIMMsgRevokeCallback>,
    user_data: *const c_void,
) {
    guard((), || {
        registry().revoke = cb.map(|cb| (cb, UserData::new(user_data)));
    })
}

/// `TIMSetMsgUpdateCallback`: sets (NULL: unsets) the update callback, called with a JSON array of one Message when a message was modified (`TIMMsgModifyMessage` by any party, this device included). Runs on the SDK thread.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMMsgUpdateCallback` prototype that stays callable until replaced or
/// `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetMsgUpdateCallback(
    cb: Option<TIMMsgUpdateCallback>,
    user_data: *const c_void,
) {
    guard((), || {
        registry().update = cb.map(|cb| (cb, UserData::new(user_data)));
    })
}

/// `TIMSetMsgReadedReceiptCallback`: sets (NULL: unsets) the read-receipt callback, called with a JSON array of MessageReceipt: a C2C peer read the conversation (`msg_receipt_time_stamp`) or a message (`msg_receipt_is_peer_read`), or group members read messages (`msg_receipt_read_count`/`msg_receipt_unread_count`). Runs on the SDK thread.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMMsgReadedReceiptCallback` prototype that stays callable until replaced or
/// `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetMsgReadedReceiptCallback(
    cb: Option<TIMMsgReadedReceiptCallback>,
    user_data: *const c_void,
) {
    guard((), || {
        registry().receipts = cb.map(|cb| (cb, UserData::new(user_data)));
    })
}

/// `TIMSetMsgExtensionsChangedCallback`: sets (NULL: unsets) the extensions-changed callback, called with the message ID and a JSON array of MessageExtension (the keys added or changed). Runs on the SDK thread.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMMsgExtensionsChangedCallback` prototype that stays callable until replaced or
/// `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetMsgExtensionsChangedCallback(
    cb: Option<TIMMsgExtensionsChangedCallback>,
    user_data: *const c_void,
) {
    guard((), || {
        registry().extensions_changed = cb.map(|cb| (cb, UserData::new(user_data)));
    })
}

/// `TIMSetMsgExtensionsDeletedCallback`: sets (NULL: unsets) the extensions-deleted callback, called with the message ID and a JSON array of `{"message_extension_key": ...}` objects. Runs on the SDK thread.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMMsgExtensionsDeletedCallback` prototype that stays callable until replaced or
/// `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetMsgExtensionsDeletedCallback(
    cb: Option<TIMMsgExtensionsDeletedCallback>,
    user_data: *const c_void,
) {
    guard((), || {
        registry().extensions_deleted = cb.map(|cb| (cb, UserData::new(user_data)));
    })
}

/// `TIMSetKickedOfflineCallback`: sets (NULL: unsets) the kicked-offline callback, called when this account logged in elsewhere with this device's ID (or the server ended the session); the SDK stopped reconnecting. Runs on the SDK thread.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMKickedOfflineCallback` prototype that stays callable until replaced or
/// `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetKickedOfflineCallback(
    cb: Option<TIMKickedOfflineCallback>,
    user_data: *const c_void,
) {
    guard((), || {
        registry().kicked_offline = cb.map(|cb| (cb, UserData::new(user_data)));
    })
}

/// `TIMSetUserSigExpiredCallback`: sets (NULL: unsets) the UserSig-expired callback, called when a reconnect found the UserSig expired; the SDK stopped reconnecting and needs `TIMLogin`. Runs on the SDK thread.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMUserSigExpiredCallback` prototype that stays callable until replaced or
/// `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetUserSigExpiredCallback(
    cb: Option<TIMUserSigExpiredCallback>,
    user_data: *const c_void,
) {
    guard((), || {
        registry().user_sig_expired = cb.map(|cb| (cb, UserData::new(user_data)));
    })
}

/// `TIMSetLogCallback`: sets (NULL: unsets) the log callback, called with each SDK log line at or above `set_config_callback_log_level` (`kTIMLog_Info` by default) between `TIMInit` and `TIMUninit`; see [`crate::log`]. Runs on the SDK thread.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMLogCallback` prototype that stays callable until replaced or
/// `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetLogCallback(cb: Option<TIMLogCallback>, user_data: *const c_void) {
    guard((), || {
        registry().log = cb.map(|cb| (cb, UserData::new(user_data)));
    })
}

/// `TIMSetMsgElemUploadProgressCallback`: sets (NULL: unsets) the upload-progress callback: the message being sent, the index of the element whose file uploads, and bytes done of its size (at least every 1 %, ending at the size; sizes beyond `u32::MAX` are reported as `u32::MAX`). Runs on the SDK thread.
///
/// # Safety
/// `cb` is NULL or a function of the `TIMMsgElemUploadProgressCallback` prototype that stays callable until replaced or
/// `TIMUninit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetMsgElemUploadProgressCallback(
    cb: Option<TIMMsgElemUploadProgressCallback>,
    user_data: *const c_void,
) {
    guard((), || {
        registry().upload_progress = cb.map(|cb| (cb, UserData::new(user_data)));
    })
}
