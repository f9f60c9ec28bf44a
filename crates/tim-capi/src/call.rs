//! The repeated part of the `TIMMsg*` exports after argument reading: checking the
//! conversation and the login, decoding the JSON argument, and running the work with its one
//! callback. Each export in [`crate::message_ops`] and [`crate::local_ops`] is its argument
//! checks plus one [`spawn`] or [`spawn_local`].
//!
//! Contract: every check that can refuse a call happens before the work is started, so a
//! refused call never calls back; once the work is started the callback comes exactly once
//! ([`Completion`]), with code 0 and the encoded result, or the engine's code and "" (or the
//! JSON the failure carries).

use crate::ctypes::TIMConvType;
use crate::dispatch::Completion;
use crate::ffi::{CommCallback, TIMCommCallback, json_str};
use crate::runtime::{self, Sdk};
use std::ffi::{c_char, c_void};
use std::future::Future;
use std::sync::Arc;
use tim_core::{CoreError, Engine};
use tim_model::ConvId;
use tim_model::codes::result::{TIM_ERR_CONV, TIM_ERR_JSON, TIM_ERR_NOTLOGIN, TIM_ERR_PARAM};
use tim_model::enums::ConvType;
use tim_model::json::JsonValue;

/// The initialised SDK of a logged-in user: `TIM_ERR_SDKUNINIT` or `TIM_ERR_NOTLOGIN`.
pub fn logged_in(sdk: Arc<Sdk>) -> Result<Arc<Sdk>, i32> {
    if sdk.client.user().is_none() {
        return Err(TIM_ERR_NOTLOGIN);
    }
    Ok(sdk)
}

/// The initialised SDK (`TIM_ERR_SDKUNINIT` otherwise).
pub fn sdk() -> Result<Arc<Sdk>, i32> {
    runtime::current()
}

/// The conversation (`conv_id`, `conv_type`): `TIM_ERR_PARAM` for a NULL or non-UTF-8 ID,
/// `TIM_ERR_CONV` for a bad type or ID.
///
/// # Safety
/// `conv_id` is NULL or a NUL-terminated string.
pub unsafe fn conversation(conv_id: *const c_char, conv_type: TIMConvType) -> Result<ConvId, i32> {
    // SAFETY: the caller's contract.
    let id = unsafe { crate::ffi::required_str(conv_id) }?;
    let kind = conv_type_of(conv_type)?;
    ConvId::new(kind, id).map_err(|_| TIM_ERR_CONV)
}

/// The checks of a call on a conversation with a required JSON argument, in the contract's
/// order: `TIM_ERR_SDKUNINIT`, the conversation, the JSON, then `TIM_ERR_NOTLOGIN`.
///
/// # Safety
/// `conv_id` and `json` are NULL or NUL-terminated strings.
pub unsafe fn conversation_call<T: JsonValue>(
    conv_id: *const c_char,
    conv_type: TIMConvType,
    json: *const c_char,
) -> Result<(Arc<Sdk>, ConvId, T), i32> {
    let sdk = sdk()?;
    // SAFETY: the caller's contract.
    let conv = unsafe { conversation(conv_id, conv_type) }?;
    // SAFETY: the caller's contract.
    let param = unsafe { required_json(json) }?;
    Ok((logged_in(sdk)?, conv, param))
}

/// A C `enum TIMConvType` (`TIM_ERR_CONV` when it is not one).
pub fn conv_type_of(conv_type: TIMConvType) -> Result<ConvType, i32> {
    ConvType::from_value(i64::from(conv_type)).ok_or(TIM_ERR_CONV)
}

/// A JSON argument that may be NULL or "" (`None` then); malformed JSON or JSON of the wrong
/// shape is `TIM_ERR_JSON`.
///
/// # Safety
/// `json` is NULL or a NUL-terminated string.
pub unsafe fn optional_json<T: JsonValue>(json: *const c_char) -> Result<Option<T>, i32> {
    // SAFETY: the caller's contract.
    let Some(text) = unsafe { json_str(json) }? else {
        return Ok(None);
    };
    tim_model::json::from_str(text)
        .map(Some)
        .map_err(|_| TIM_ERR_JSON)
}

/// A required JSON argument: NULL or "" is `TIM_ERR_PARAM`, otherwise as [`optional_json`].
///
/// # Safety
/// As [`optional_json`].
pub unsafe fn required_json<T: JsonValue>(json: *const c_char) -> Result<T, i32> {
    // SAFETY: the caller's contract.
    unsafe { optional_json(json) }?.ok_or(TIM_ERR_PARAM)
}

/// What a finished call reports: code 0 and its JSON, or the failure.
pub type Outcome = Result<String, Failure>;

/// A failed call as its callback reports it.
#[derive(Debug)]
pub struct Failure {
    /// The TIM error code.
    pub code: i32,
    /// Its description.
    pub desc: String,
    /// The JSON the failure carries ("" for most).
    pub json: String,
}

impl From<CoreError> for Failure {
    fn from(err: CoreError) -> Self {
        let json = match &err {
            CoreError::ModifyConflict { current, .. } => tim_model::json::to_string(&**current),
            _ => String::new(),
        };
        Self {
            code: err.code(),
            desc: err.to_string(),
            json,
        }
    }
}

/// The encoded result of a call whose success reports a value.
pub fn encoded<T: JsonValue>(result: Result<T, CoreError>) -> Outcome {
    result
        .map(|value| tim_model::json::to_string(&value))
        .map_err(Failure::from)
}

/// The result of a call whose success reports "".
pub fn empty<T>(result: Result<T, CoreError>) -> Outcome {
    result.map(|_| String::new()).map_err(Failure::from)
}

fn completion(sdk: &Sdk, cb: Option<TIMCommCallback>, user_data: *const c_void) -> Completion {
    Completion::new(CommCallback::new(cb, user_data), sdk.dispatcher.clone())
}

fn report(completion: Completion, outcome: Outcome) {
    match outcome {
        Ok(json) => completion.finish(0, String::new(), json),
        Err(failure) => completion.finish(failure.code, failure.desc, failure.json),
    }
}

/// Runs networked `work` on the runtime and calls back once with its outcome.
pub fn spawn<F>(sdk: &Sdk, cb: Option<TIMCommCallback>, user_data: *const c_void, work: F)
where
    F: Future<Output = Outcome> + Send + 'static,
{
    let completion = completion(sdk, cb, user_data);
    sdk.runtime
        .spawn(async move { report(completion, work.await) });
}

/// Runs local `work` on the logged-in user's engine on a blocking thread of the runtime (store
/// and index calls block) and calls back once with its outcome.
pub fn spawn_local<F>(sdk: &Sdk, cb: Option<TIMCommCallback>, user_data: *const c_void, work: F)
where
    F: FnOnce(&Engine) -> Outcome + Send + 'static,
{
    let completion = completion(sdk, cb, user_data);
    let client = sdk.client.clone();
    sdk.runtime.spawn_blocking(move || {
        let outcome = match client.core().engine() {
            Ok(engine) => work(&engine),
            Err(err) => Err(Failure::from(err)),
        };
        report(completion, outcome);
    });
}
