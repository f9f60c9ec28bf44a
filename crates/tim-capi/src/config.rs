//! `TIMSetConfig` (functions.md §3, json-keys.md §21): the process-wide SetConfig.
//!
//! The configuration lives for the process, not for one `TIMInit`: Tencent asks for proxy
//! settings before `TIMInit`, so `TIMSetConfig` works before it, and `TIMInit` (and the log
//! forwarding of [`crate::log`]) reads what is set at that moment and later. `TIMUninit`
//! keeps it.
//!
//! What has an effect: `set_config_log_level` and `set_config_is_log_output_console` (SDK log
//! lines at or above the level are written to stderr when console output is on),
//! `set_config_callback_log_level` (lines at or above it reach `TIMSetLogCallback`). What is
//! stored and echoed without effect: `set_config_user_config` (tim always delivers read
//! receipts and counts group tips like other messages), `set_config_user_define_data`, the
//! proxy keys and `set_config_is_only_local_dns_source` (tim speaks QUIC to its own server,
//! directly).
//!
//! The success `json_params` is the whole current configuration as one SetConfig object with
//! every key above (proxy keys only once set), so `TIMSetConfig(NULL, cb, ...)` reads it.

use crate::dispatch::Completion;
use crate::ffi::{CommCallback, TIMCommCallback, entry, json_str};
use crate::runtime;
use serde_json::{Map, Value};
use std::ffi::{c_char, c_void};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{LazyLock, Mutex, PoisonError};
use tim_model::codes::result::{TIM_ERR_JSON, TIM_ERR_PARAM};

/// `set_config_log_level`.
pub const LOG_LEVEL: &str = "set_config_log_level";
/// `set_config_callback_log_level`.
pub const CALLBACK_LOG_LEVEL: &str = "set_config_callback_log_level";
/// `set_config_is_log_output_console`.
pub const LOG_OUTPUT_CONSOLE: &str = "set_config_is_log_output_console";
/// `set_config_user_config`.
pub const USER_CONFIG: &str = "set_config_user_config";
/// `set_config_user_define_data`.
pub const USER_DEFINE_DATA: &str = "set_config_user_define_data";
/// The proxy and DNS keys: stored and echoed, not used.
pub const PROXY_KEYS: [&str; 3] = [
    "set_config_http_proxy_info",
    "set_config_socks5_proxy_info",
    "set_config_pac_proxy_info",
];
/// `set_config_is_only_local_dns_source`.
pub const ONLY_LOCAL_DNS: &str = "set_config_is_only_local_dns_source";

/// The UserConfig keys that hold a boolean (`..._ingore_...` is the old spelling of
/// `..._ignore_...`; it is read and written under the new one).
const USER_CONFIG_BOOLS: [&str; 4] = [
    "user_config_is_read_receipt",
    "user_config_is_sync_report",
    "user_config_is_ignore_grouptips_unread",
    "user_config_is_is_disable_storage",
];
/// The old spelling of `user_config_is_ignore_grouptips_unread`.
const IGNORE_GROUPTIPS_OLD: &str = "user_config_is_ingore_grouptips_unread";
/// The UserConfig keys that hold an option object.
const USER_CONFIG_OBJECTS: [&str; 2] = [
    "user_config_group_getinfo_option",
    "user_config_group_member_getinfo_option",
];

/// The most bytes of `set_config_user_define_data`.
pub const USER_DEFINE_DATA_MAX: usize = 64;

/// `kTIMLog_Info`: the default of both log levels.
pub const DEFAULT_LOG_LEVEL: i32 = 4;
/// `kTIMLog_Assert`, the highest `TIMLogLevel`.
const MAX_LOG_LEVEL: i64 = 7;

/// The level of lines written to the console (`set_config_log_level`), read by [`crate::log`]
/// without a lock.
pub static LOG_LEVEL_NOW: AtomicI32 = AtomicI32::new(DEFAULT_LOG_LEVEL);
/// The level of lines handed to the log callback (`set_config_callback_log_level`).
pub static CALLBACK_LEVEL_NOW: AtomicI32 = AtomicI32::new(DEFAULT_LOG_LEVEL);
/// Whether lines are written to stderr (`set_config_is_log_output_console`).
pub static CONSOLE_NOW: AtomicBool = AtomicBool::new(false);

/// The stored keys other than the three above (they live in the atomics).
struct Stored {
    user_config: Map<String, Value>,
    user_define_data: String,
    others: Map<String, Value>,
}

static STORED: LazyLock<Mutex<Stored>> = LazyLock::new(|| {
    Mutex::new(Stored {
        user_config: Map::new(),
        user_define_data: String::new(),
        others: Map::new(),
    })
});

fn stored() -> std::sync::MutexGuard<'static, Stored> {
    STORED.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A checked SetConfig: only the keys given, each of the right type.
#[derive(Debug, Default)]
struct Update {
    log_level: Option<i32>,
    callback_level: Option<i32>,
    console: Option<bool>,
    user_config: Option<Map<String, Value>>,
    user_define_data: Option<String>,
    others: Map<String, Value>,
}

fn level(value: &Value) -> Result<i32, i32> {
    let level = value.as_i64().ok_or(TIM_ERR_JSON)?;
    if !(0..=MAX_LOG_LEVEL).contains(&level) {
        return Err(TIM_ERR_PARAM);
    }
    i32::try_from(level).map_err(|_| TIM_ERR_PARAM)
}

fn boolean(value: &Value) -> Result<bool, i32> {
    value.as_bool().ok_or(TIM_ERR_JSON)
}

fn user_config(value: &Value) -> Result<Map<String, Value>, i32> {
    let given = value.as_object().ok_or(TIM_ERR_JSON)?;
    let mut checked = Map::new();
    for key in USER_CONFIG_BOOLS {
        if let Some(value) = given.get(key).filter(|v| !v.is_null()) {
            checked.insert(key.to_owned(), Value::Bool(boolean(value)?));
        }
    }
    if !checked.contains_key(USER_CONFIG_BOOLS[2])
        && let Some(value) = given.get(IGNORE_GROUPTIPS_OLD).filter(|v| !v.is_null())
    {
        checked.insert(
            USER_CONFIG_BOOLS[2].to_owned(),
            Value::Bool(boolean(value)?),
        );
    }
    for key in USER_CONFIG_OBJECTS {
        if let Some(value) = given.get(key).filter(|v| !v.is_null()) {
            if !value.is_object() {
                return Err(TIM_ERR_JSON);
            }
            checked.insert(key.to_owned(), value.clone());
        }
    }
    Ok(checked)
}

/// Checks `text` as a SetConfig object: malformed JSON or a key of the wrong type is
/// `TIM_ERR_JSON`, a value out of range (a log level outside 0..=7, user data over 64 bytes)
/// `TIM_ERR_PARAM`. Unknown keys are ignored.
fn parse(text: &str) -> Result<Update, i32> {
    let value: Value = serde_json::from_str(text).map_err(|_| TIM_ERR_JSON)?;
    let object = value.as_object().ok_or(TIM_ERR_JSON)?;
    let get = |key: &str| object.get(key).filter(|value| !value.is_null());
    let mut update = Update {
        log_level: get(LOG_LEVEL).map(level).transpose()?,
        callback_level: get(CALLBACK_LOG_LEVEL).map(level).transpose()?,
        console: get(LOG_OUTPUT_CONSOLE).map(boolean).transpose()?,
        user_config: get(USER_CONFIG).map(user_config).transpose()?,
        ..Update::default()
    };
    if let Some(value) = get(USER_DEFINE_DATA) {
        let data = value.as_str().ok_or(TIM_ERR_JSON)?;
        if data.len() > USER_DEFINE_DATA_MAX {
            return Err(TIM_ERR_PARAM);
        }
        update.user_define_data = Some(data.to_owned());
    }
    for key in PROXY_KEYS {
        if let Some(value) = get(key) {
            if !value.is_object() {
                return Err(TIM_ERR_JSON);
            }
            update.others.insert(key.to_owned(), value.clone());
        }
    }
    if let Some(value) = get(ONLY_LOCAL_DNS) {
        update
            .others
            .insert(ONLY_LOCAL_DNS.to_owned(), Value::Bool(boolean(value)?));
    }
    Ok(update)
}

/// Applies a checked update (keys absent from it keep their value).
fn apply(update: Update) {
    if let Some(level) = update.log_level {
        LOG_LEVEL_NOW.store(level, Ordering::Relaxed);
    }
    if let Some(level) = update.callback_level {
        CALLBACK_LEVEL_NOW.store(level, Ordering::Relaxed);
    }
    if let Some(console) = update.console {
        CONSOLE_NOW.store(console, Ordering::Relaxed);
    }
    let mut stored = stored();
    if let Some(user_config) = update.user_config {
        stored.user_config.extend(user_config);
    }
    if let Some(data) = update.user_define_data {
        stored.user_define_data = data;
    }
    stored.others.extend(update.others);
}

/// The current configuration as the SetConfig JSON object `TIMSetConfig` reports.
pub fn current_json() -> String {
    let mut object = Map::new();
    object.insert(
        LOG_LEVEL.to_owned(),
        LOG_LEVEL_NOW.load(Ordering::Relaxed).into(),
    );
    object.insert(
        CALLBACK_LOG_LEVEL.to_owned(),
        CALLBACK_LEVEL_NOW.load(Ordering::Relaxed).into(),
    );
    object.insert(
        LOG_OUTPUT_CONSOLE.to_owned(),
        CONSOLE_NOW.load(Ordering::Relaxed).into(),
    );
    let stored = stored();
    object.insert(
        USER_CONFIG.to_owned(),
        Value::Object(stored.user_config.clone()),
    );
    object.insert(
        USER_DEFINE_DATA.to_owned(),
        stored.user_define_data.clone().into(),
    );
    object.extend(stored.others.clone());
    Value::Object(object).to_string()
}

/// `TIMSetConfig`: applies the SetConfig keys `json_config` gives (NULL or "" changes
/// nothing) and reports the whole current configuration as `json_params` (code 0). `cb` may be
/// NULL. Works before `TIMInit`: the callback then runs on the calling thread before this
/// returns (there is no SDK thread yet); after `TIMInit` it runs on the SDK thread. Malformed
/// JSON or a wrongly typed key returns `TIM_ERR_JSON`, an out-of-range value `TIM_ERR_PARAM`,
/// and nothing is applied or called.
///
/// # Safety
/// `json_config` is NULL or a NUL-terminated string; `cb` is NULL or a function of the
/// `TIMCommCallback` prototype.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMSetConfig(
    json_config: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> std::ffi::c_int {
    entry(|| {
        // SAFETY: the caller's contract.
        let text = unsafe { json_str(json_config) }?;
        if let Some(text) = text {
            apply(parse(text)?);
        }
        let json = current_json();
        let callback = CommCallback::new(cb, user_data);
        match runtime::current() {
            Ok(sdk) => {
                Completion::new(callback, sdk.dispatcher.clone()).finish(0, String::new(), json)
            }
            Err(_) => {
                if let Some(callback) = callback {
                    callback.call(0, "", &json);
                }
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_types_and_ranges_are_refused() {
        assert_eq!(parse("{").err(), Some(TIM_ERR_JSON));
        assert_eq!(parse("[]").err(), Some(TIM_ERR_JSON));
        assert_eq!(
            parse(r#"{"set_config_log_level":"x"}"#).err(),
            Some(TIM_ERR_JSON)
        );
        assert_eq!(
            parse(r#"{"set_config_log_level":9}"#).err(),
            Some(TIM_ERR_PARAM)
        );
        assert_eq!(
            parse(r#"{"set_config_user_config":{"user_config_is_read_receipt":1}}"#).err(),
            Some(TIM_ERR_JSON)
        );
        let long = format!(r#"{{"set_config_user_define_data":"{}"}}"#, "x".repeat(65));
        assert_eq!(parse(&long).err(), Some(TIM_ERR_PARAM));
        assert_eq!(
            parse(r#"{"set_config_http_proxy_info":5}"#).err(),
            Some(TIM_ERR_JSON)
        );
    }

    #[test]
    fn the_old_spelling_is_read_under_the_new_key() {
        let update =
            parse(r#"{"set_config_user_config":{"user_config_is_ingore_grouptips_unread":true}}"#)
                .unwrap_or_else(|code| panic!("refused: {code}"));
        let user = update.user_config.unwrap_or_default();
        assert_eq!(
            user.get("user_config_is_ignore_grouptips_unread"),
            Some(&Value::Bool(true))
        );
    }
}
