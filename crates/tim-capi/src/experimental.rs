//! `callExperimentalAPI` (session-extras.md §1-2): the internal operations Tencent's Electron
//! and Unity wrappers send before `TIMInit` and during a session.
//!
//! Every operation string the headers define is accepted. What each does here:
//! - `internal_operation_write_log`: writes the line into the SDK log (so it reaches
//!   `TIMSetLogCallback` and the console like every SDK line), at its `TIMLogLevel`.
//! - `internal_operation_set_ui_platform`: recorded in the log; the number or string form
//!   is accepted (Tencent uses it for statistics, we have none).
//! - `internal_operation_set_offline_push_state` / `_get_offline_push_state`: kept for the
//!   process and read back (0 unset, 1 on, 2 off).
//! - `internal_operation_is_commercial_ability_enabled`: true (tim has no paid tiers).
//! - `internal_operation_set_env`: echoed in `response_set_env_res` (tim has one
//!   environment: the server the app names).
//! - Settings that concern Tencent's cloud, transport or local files (custom server info,
//!   IPv6, QUIC, retry counts, timeouts, SM4, database encryption, COS regions, proxies,
//!   application ID, TUIKit usage reports, ...): accepted and without effect.
//! - Operations that need a service tim does not run (SSO passthrough, tiny IDs, TRTC and
//!   room data, live-group long polling, server config, merged-message lookup, brief member
//!   lists, revoker lookup, local history clearing by time range):
//!   `ERR_SDK_INTERFACE_NOT_SUPPORT` (7013) in the callback.
//! - An unknown or missing operation: `ERR_INVALID_PARAMETERS` (6017) in the callback.
//!
//! Works before `TIMInit` and without login; a NULL `cb` is allowed. The callback always
//! carries `{"response_internal_operation": <op>}` and the reply keys of its operation. The
//! call returns `TIM_ERR_PARAM` for NULL or empty JSON and `TIM_ERR_JSON` for JSON that is not
//! an object; nothing else is refused synchronously.

use crate::ffi::{CommCallback, TIMCommCallback, entry, json_str};
use crate::runtime;
use serde_json::{Map, Value};
use std::ffi::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicU32, Ordering};
use tim_model::codes::{self, result::TIM_ERR_JSON, result::TIM_ERR_PARAM};
use tim_model::keys;

/// `internal_operation_set_offline_push_state`'s value (0 unset).
static OFFLINE_PUSH_STATE: AtomicU32 = AtomicU32::new(0);

/// Operations accepted without effect (their settings concern Tencent's cloud).
const NO_EFFECT: &[&str] = &[
    "internal_operation_set_ipv6_prior",
    "internal_operation_set_max_retry_count",
    "internal_operation_set_packet_request_timeout",
    "internal_operation_set_custom_server_info",
    "internal_operation_set_quic_channel_info",
    "internal_operation_set_sm4_gcm_callback",
    "internal_operation_init_local_storage",
    "internal_operation_set_cos_save_region_for_conversation",
    "internal_operation_set_database_encrypt_info",
    "internal_operation_update_proxy_info",
    "internal_operation_report_tuicomponent_usage",
    "internal_operation_enable_quic_channel",
    "internal_operation_set_application_id",
    "internal_operation_set_ignore_repeat_login",
    "internal_operation_set_custom_login_info",
    "internal_operation_disable_http_request",
    "internal_operation_disable_crash_report",
    "internal_operation_set_log_setting",
    "internal_operation_set_network_info",
    "internal_operation_set_privatization_info",
];

/// Operations that need a service tim does not run.
const NOT_SUPPORTED: &[&str] = &[
    "internal_operation_sso_data",
    "internal_operation_userid_tinyid",
    "internal_operation_tinyid_userid",
    "internal_operation_get_message_revoker",
    "internal_operation_clear_local_history_message",
    "internal_operation_send_trtc_custom_data",
    "internal_operation_send_room_custom_data",
    "internal_operation_get_server_config",
    "internal_operation_start_message_long_polling",
    "internal_operation_stop_message_long_polling",
    "internal_operation_find_merger_messages",
    "internal_operation_get_brief_group_member_list",
];

/// What an operation answers: code, description and the reply object.
#[derive(Debug, PartialEq)]
pub struct Answer {
    /// 0 or the TIM code.
    pub code: i32,
    /// The failure's description ("" on success).
    pub desc: String,
    /// The ResponseInfo JSON.
    pub json: String,
}

/// Runs the operation `request` asks for (no I/O beyond the log line and the push state).
pub fn run(request: &Map<String, Value>) -> Answer {
    let op = request
        .get(keys::REQUEST_INTERNAL_OPERATION.name)
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut reply = Map::new();
    reply.insert(
        keys::RESPONSE_INTERNAL_OPERATION.name.to_owned(),
        Value::from(op),
    );
    let failure = |code: i32, desc: String, reply: Map<String, Value>| Answer {
        code,
        desc,
        json: Value::Object(reply).to_string(),
    };
    match op {
        "internal_operation_write_log" => write_log(request),
        "internal_operation_set_ui_platform" => {
            let platform = request
                .get(keys::REQUEST_SET_UI_PLATFORM_PARAM.name)
                .map(Value::to_string)
                .unwrap_or_default();
            tracing::info!(platform = %platform, "UI platform set");
        }
        "internal_operation_set_offline_push_state" => {
            let state = request
                .get(keys::REQUEST_SET_OFFLINE_PUSH_STATE_PARAM.name)
                .and_then(Value::as_u64)
                .unwrap_or(0);
            match state {
                0 => {}
                1 | 2 => OFFLINE_PUSH_STATE.store(state as u32, Ordering::Relaxed),
                _ => {
                    return failure(
                        codes::ERR_INVALID_PARAMETERS,
                        format!("request_set_offline_push_state_param: {state} is not 0, 1 or 2"),
                        reply,
                    );
                }
            }
        }
        "internal_operation_get_offline_push_state" => {
            reply.insert(
                keys::RESPONSE_GET_OFFLINE_PUSH_STATE_RES.name.to_owned(),
                Value::from(OFFLINE_PUSH_STATE.load(Ordering::Relaxed)),
            );
        }
        "internal_operation_is_commercial_ability_enabled" => {
            reply.insert(
                keys::COMMERCIAL_ABILITY_RESULT_ENABLED.name.to_owned(),
                Value::from(true),
            );
        }
        "internal_operation_set_env" => {
            let test = request
                .get(keys::REQUEST_SET_ENV_PARAM.name)
                .and_then(Value::as_bool)
                .unwrap_or(false);
            reply.insert(
                keys::RESPONSE_SET_ENV_RES.name.to_owned(),
                Value::from(test),
            );
        }
        op if NO_EFFECT.contains(&op) => {}
        op if NOT_SUPPORTED.contains(&op) => {
            return failure(
                codes::ERR_SDK_INTERFACE_NOT_SUPPORT,
                format!("{op} needs a service tim does not run"),
                reply,
            );
        }
        "" => {
            return failure(
                codes::ERR_INVALID_PARAMETERS,
                "request_internal_operation: missing or not a string".to_owned(),
                reply,
            );
        }
        op => {
            return failure(
                codes::ERR_INVALID_PARAMETERS,
                format!("request_internal_operation: unknown operation {op:?}"),
                reply,
            );
        }
    }
    Answer {
        code: 0,
        desc: String::new(),
        json: Value::Object(reply).to_string(),
    }
}

/// `internal_operation_write_log`: one SDK log line at the given `TIMLogLevel`.
fn write_log(request: &Map<String, Value>) {
    let text = |key: tim_model::keys::Key| {
        request
            .get(key.name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let content = text(keys::REQUEST_WRITE_LOG_LOG_CONTENT_PARAM);
    let file = text(keys::REQUEST_WRITE_LOG_FILE_NAME_PARAM);
    let func = text(keys::REQUEST_WRITE_LOG_FUNC_NAME_PARAM);
    let line = request
        .get(keys::REQUEST_WRITE_LOG_LINE_NUMBER_PARAM.name)
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let level = request
        .get(keys::REQUEST_WRITE_LOG_LOG_LEVEL_PARAM.name)
        .and_then(Value::as_i64)
        .unwrap_or(4);
    match level {
        ..=2 => tracing::trace!(target: "app", file, func, line, "{content}"),
        3 => tracing::debug!(target: "app", file, func, line, "{content}"),
        4 => tracing::info!(target: "app", file, func, line, "{content}"),
        5 => tracing::warn!(target: "app", file, func, line, "{content}"),
        _ => tracing::error!(target: "app", file, func, line, "{content}"),
    }
}

/// `callExperimentalAPI`: runs one internal operation (see the module documentation); the
/// callback comes on the SDK thread, or on a thread of its own before `TIMInit`.
///
/// # Safety
/// `json_param` is NULL or a NUL-terminated string; `cb` is NULL or a function of the
/// `TIMCommCallback` prototype.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn callExperimentalAPI(
    json_param: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        // SAFETY: the caller's contract.
        let text = unsafe { json_str(json_param) }?.ok_or(TIM_ERR_PARAM)?;
        let request: Map<String, Value> = serde_json::from_str(text).map_err(|_| TIM_ERR_JSON)?;
        let answer = run(&request);
        let Some(callback) = CommCallback::new(cb, user_data) else {
            return Ok(());
        };
        let call = move || callback.call(answer.code, &answer.desc, &answer.json);
        match runtime::current() {
            Ok(sdk) => sdk.dispatcher.post(call),
            Err(_) => {
                // Before TIMInit there is no SDK thread: a thread of its own keeps the call
                // asynchronous, as every other callback is.
                std::thread::Builder::new()
                    .name("tim-experimental".to_owned())
                    .spawn(call)
                    .map_err(|_| codes::ERR_SDK_INTERNAL_ERROR)?;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(json: &str) -> Answer {
        let request: Map<String, Value> = serde_json::from_str(json).unwrap();
        run(&request)
    }

    #[test]
    fn the_wrappers_operations_succeed_in_both_ui_platform_forms() {
        for json in [
            r#"{"request_internal_operation":"internal_operation_set_ui_platform","request_set_ui_platform_param":5}"#,
            r#"{"request_internal_operation":"internal_operation_set_ui_platform","request_set_ui_platform_param":"electron"}"#,
            r#"{"request_internal_operation":"internal_operation_write_log","request_write_log_log_level_param":4,"request_write_log_log_content_param":"hi","request_write_log_func_name_param":"f"}"#,
        ] {
            let got = answer(json);
            assert_eq!(got.code, 0, "{json}");
            let reply: Value = serde_json::from_str(&got.json).unwrap();
            assert!(
                reply["response_internal_operation"]
                    .as_str()
                    .unwrap()
                    .starts_with("internal_operation_")
            );
        }
    }

    #[test]
    fn unknown_missing_and_unsupported_operations_get_codes() {
        assert_eq!(
            answer(r#"{"request_internal_operation":"internal_operation_nope"}"#).code,
            codes::ERR_INVALID_PARAMETERS
        );
        assert_eq!(answer("{}").code, codes::ERR_INVALID_PARAMETERS);
        assert_eq!(
            answer(r#"{"request_internal_operation":7}"#).code,
            codes::ERR_INVALID_PARAMETERS
        );
        assert_eq!(
            answer(r#"{"request_internal_operation":"internal_operation_sso_data"}"#).code,
            codes::ERR_SDK_INTERFACE_NOT_SUPPORT
        );
    }

    #[test]
    fn set_env_is_echoed() {
        let got = answer(
            r#"{"request_internal_operation":"internal_operation_set_env","request_set_env_param":true}"#,
        );
        let reply: Value = serde_json::from_str(&got.json).unwrap();
        assert_eq!(reply["response_set_env_res"], true);
    }

    #[test]
    fn offline_push_state_is_read_back() {
        let set = answer(
            r#"{"request_internal_operation":"internal_operation_set_offline_push_state","request_set_offline_push_state_param":2}"#,
        );
        assert_eq!(set.code, 0);
        let got =
            answer(r#"{"request_internal_operation":"internal_operation_get_offline_push_state"}"#);
        let reply: Value = serde_json::from_str(&got.json).unwrap();
        assert_eq!(reply["response_get_offline_push_state_res"], 2);
        let bad = answer(
            r#"{"request_internal_operation":"internal_operation_set_offline_push_state","request_set_offline_push_state_param":9}"#,
        );
        assert_eq!(bad.code, codes::ERR_INVALID_PARAMETERS);
    }
}
