//! Session exports (functions.md §3): init, version, time, login, logout, login state.

use crate::ctypes::TIMLoginStatus;
use crate::dispatch::Completion;
use crate::ffi::{CommCallback, TIMCommCallback, entry, guard, json_str, required_str, write_id};
use crate::runtime::{self, Sdk};
use std::ffi::{c_char, c_int, c_void};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tim_model::codes::result::{TIM_ERR_NOTLOGIN, TIM_ERR_PARAM, TIM_SUCC};

/// `kTIMLoginStatus_Logined`.
pub const LOGIN_STATUS_LOGINED: c_int = 1;
/// `kTIMLoginStatus_Logining`.
pub const LOGIN_STATUS_LOGINING: c_int = 2;
/// `kTIMLoginStatus_UnLogined`.
pub const LOGIN_STATUS_UNLOGINED: c_int = 3;

/// The version `TIMGetSDKVersion` reports: this crate's.
static SDK_VERSION: &std::ffi::CStr = c"0.1.0";

/// Posts `work` on the runtime; its result is the callback's `(code, desc)`, json "".
fn spawn_unit<F>(sdk: &Sdk, callback: Option<CommCallback>, work: F)
where
    F: Future<Output = tim_rs::Result<()>> + Send + 'static,
{
    let completion = Completion::new(callback, sdk.dispatcher.clone());
    sdk.runtime.spawn(async move {
        match work.await {
            Ok(()) => completion.finish(0, String::new(), String::new()),
            Err(err) => completion.finish(err.code(), err.to_string(), String::new()),
        }
    });
}

/// `TIMInit`: starts the SDK. `json_sdk_config` may be NULL or "" (all defaults); its keys are
/// `sdk_config_config_file_path` (data directory), `sdk_config_log_file_path` (accepted, no
/// log files yet), `sdk_config_server_address` and `sdk_config_server_certificate`, the last two
/// falling back to the environment variables `TIM_SERVER_ADDRESS` and `TIM_SERVER_CERT`.
///
/// # Safety
/// `json_sdk_config` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMInit(sdk_app_id: u64, json_sdk_config: *const c_char) -> c_int {
    entry(|| {
        // SAFETY: the caller's contract.
        let config = unsafe { json_str(json_sdk_config) }?;
        match runtime::init(sdk_app_id, config) {
            TIM_SUCC => Ok(()),
            code => Err(code),
        }
    })
}

/// `TIMUninit`: stops every SDK thread and releases everything; `TIMInit` may follow.
#[unsafe(no_mangle)]
pub extern "C" fn TIMUninit() -> c_int {
    entry(|| match runtime::uninit() {
        TIM_SUCC => Ok(()),
        code => Err(code),
    })
}

/// `TIMGetSDKVersion`: a static NUL-terminated string (valid for the library's lifetime).
#[unsafe(no_mangle)]
pub extern "C" fn TIMGetSDKVersion() -> *const c_char {
    SDK_VERSION.as_ptr()
}

/// `TIMGetServerTime`: the server's clock, seconds since the epoch: the device clock plus the
/// offset the server reported at the last login or heartbeat (the device clock before any
/// login); 0 before `TIMInit`.
#[unsafe(no_mangle)]
pub extern "C" fn TIMGetServerTime() -> u64 {
    guard(0, || {
        runtime::current().map_or(0, |sdk| sdk.client.server_time())
    })
}

/// `TIMLogin`: logs `user_id` in with `user_sig`; the callback gets code 0 and json "" on
/// success, else the server's or the network's code. `cb` may be NULL. The callback comes
/// before every event callback of the session it starts (see [`crate::dispatch::LoginGate`]).
///
/// # Safety
/// `user_id` and `user_sig` are NULL or NUL-terminated strings; `cb` is NULL or a function of
/// the `TIMCommCallback` prototype.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMLogin(
    user_id: *const c_char,
    user_sig: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = runtime::current()?;
        // SAFETY: the caller's contract.
        let (user_id, user_sig) = unsafe { (required_str(user_id)?, required_str(user_sig)?) };
        let (user_id, user_sig) = (user_id.to_owned(), user_sig.to_owned());
        let client = sdk.client.clone();
        let login_sdk = Arc::clone(&sdk);
        let completion = Completion::new(CommCallback::new(cb, user_data), sdk.dispatcher.clone());
        sdk.logging_in.store(true, Ordering::SeqCst);
        sdk.gate.begin();
        tracing::info!("TIMLogin: logging in {user_id}");
        sdk.runtime.spawn(async move {
            let result = client.login(&user_id, &user_sig).await;
            login_sdk.logging_in.store(false, Ordering::SeqCst);
            match &result {
                Ok(()) => tracing::info!("TIMLogin: {user_id} logged in"),
                Err(err) => tracing::warn!("TIMLogin: {user_id} not logged in: {err}"),
            }
            // The callback is queued before the events this login produced (LoginGate).
            login_sdk
                .gate
                .finish(&login_sdk.dispatcher, move || match result {
                    Ok(()) => completion.finish(0, String::new(), String::new()),
                    Err(err) => completion.finish(err.code(), err.to_string(), String::new()),
                });
        });
        Ok(())
    })
}

/// `TIMLogout`: logs the user out; the callback gets code 0 and json "".
///
/// # Safety
/// `cb` is NULL or a function of the `TIMCommCallback` prototype.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMLogout(cb: Option<TIMCommCallback>, user_data: *const c_void) -> c_int {
    entry(|| {
        let sdk = runtime::current()?;
        if sdk.client.user().is_none() {
            return Err(TIM_ERR_NOTLOGIN);
        }
        let client = sdk.client.clone();
        spawn_unit(&sdk, CommCallback::new(cb, user_data), async move {
            client.logout().await
        });
        Ok(())
    })
}

/// `TIMGetLoginUserID`: writes the logged-in user's ID, NUL-terminated, into a caller buffer
/// of at least 128 bytes.
///
/// # Safety
/// `user_id_buffer` is NULL or writable for 128 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMGetLoginUserID(user_id_buffer: *mut c_char) -> c_int {
    entry(|| {
        let sdk = runtime::current()?;
        if user_id_buffer.is_null() {
            return Err(TIM_ERR_PARAM);
        }
        let user = sdk.client.user().ok_or(TIM_ERR_NOTLOGIN)?;
        // SAFETY: non-NULL, and the caller guarantees 128 writable bytes.
        unsafe { write_id(user_id_buffer, user.as_str()) };
        Ok(())
    })
}

/// `TIMGetLoginStatus`: `kTIMLoginStatus_Logined` (1), `_Logining` (2) or `_UnLogined` (3,
/// also before `TIMInit`).
#[unsafe(no_mangle)]
pub extern "C" fn TIMGetLoginStatus() -> TIMLoginStatus {
    guard(LOGIN_STATUS_UNLOGINED, || {
        let Ok(sdk) = runtime::current() else {
            return LOGIN_STATUS_UNLOGINED;
        };
        if sdk.client.user().is_some() {
            LOGIN_STATUS_LOGINED
        } else if sdk.logging_in.load(Ordering::SeqCst) {
            LOGIN_STATUS_LOGINING
        } else {
            LOGIN_STATUS_UNLOGINED
        }
    })
}
