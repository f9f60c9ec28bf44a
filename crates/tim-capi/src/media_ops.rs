//! The media, merged-message, translation and offline-push exports (functions.md §5.19, §5.20,
//! §5.30-5.33): `TIMMsgDownloadElemToPath`, `TIMMsgDownloadMergerMessage`,
//! `TIMMsgTranslateText`, `TIMMsgSetOfflinePushToken`, `TIMMsgDoBackground`,
//! `TIMMsgDoForeground`. Thin facades over the `tim_rs::Client` methods of the same names.
//!
//! Every function checks its arguments synchronously, in this order: `TIM_ERR_SDKUNINIT`; the
//! arguments (`TIM_ERR_PARAM` for a NULL, empty or invalid-UTF-8 string where a value is
//! needed and for a value the engine's pure checks refuse; `TIM_ERR_JSON` for malformed JSON
//! or JSON of the wrong shape); `TIM_ERR_NOTLOGIN`. Then it calls back exactly once.
//!
//! The callback carries the engine's or server's code and description (e.g. 7013 for
//! translation on a server without a backend). `TIMMsgDownloadElemToPath` is the one call with
//! more than one callback: progress, then a final one.

use crate::call::{Failure, empty, encoded, logged_in, optional_json, required_json, sdk, spawn};
use crate::ffi::{CommCallback, TIMCommCallback, entry, read_str, required_str};
use std::ffi::{c_char, c_int, c_void};
use std::path::PathBuf;
use tim_model::codes::result::TIM_ERR_PARAM;
use tim_model::{DownloadElemParam, DownloadElemResult, Message, OfflinePushToken};
use tim_rs::Error;

/// The longest `path` taken, in bytes (Linux `PATH_MAX`, which counts the NUL).
pub const MAX_PATH: usize = 4095;

/// A refusal of the engine's pure checks, as a synchronous `TIM_ERR_PARAM`.
fn checked(result: Result<impl Sized, Error>) -> Result<(), i32> {
    result.map(|_| ()).map_err(|_| TIM_ERR_PARAM)
}

/// `TIMMsgDownloadElemToPath`: downloads the image, sound, video or file element that
/// `json_download_elem_param` (DownloadElemParam, values copied from the element: its ID or
/// `tim-media://` URL is required) names to the file `path` (UTF-8, at most [`MAX_PATH`]
/// bytes). `cb` gets MsgDownloadElemResult objects with code 0 while bytes arrive
/// (`current_size` < `total_size`, at least every 1 %), then exactly one final call: code 0
/// with `current_size` == `total_size` when the file is complete at `path`, or the error
/// (e.g. 114001 for a user outside the file's conversation) with nothing left at `path`.
/// Sizes beyond `u32::MAX` are reported as `u32::MAX`.
///
/// # Safety
/// `json_download_elem_param` and `path` are NULL or NUL-terminated strings; `cb` is NULL or a
/// `TIMCommCallback`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgDownloadElemToPath(
    json_download_elem_param: *const c_char,
    path: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = sdk()?;
        // SAFETY: the caller's contract.
        let param: DownloadElemParam = unsafe { required_json(json_download_elem_param) }?;
        // SAFETY: the caller's contract.
        let path = unsafe { required_str(path) }?;
        if path.len() > MAX_PATH {
            return Err(TIM_ERR_PARAM);
        }
        let path = PathBuf::from(path);
        checked(tim_core::Client::check_download_elem(&param, &path))?;
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        let progress_cb = CommCallback::new(cb, user_data);
        let dispatcher = sdk.dispatcher.clone();
        let work = async move {
            let mut last_total = 0;
            let result = client
                .download_elem_to_path(&param, &path, |current, total| {
                    last_total = total;
                    // The final report is the completion below, never a progress call.
                    if current < total
                        && let Some(callback) = progress_cb
                    {
                        let json = progress_json(current, total);
                        dispatcher.post(move || callback.call(0, "", &json));
                    }
                })
                .await;
            match result {
                Ok(()) => Ok(progress_json(last_total, last_total)),
                Err(err) => Err(Failure::from(err)),
            }
        };
        spawn(&sdk, cb, user_data, work);
        Ok(())
    })
}

/// A MsgDownloadElemResult object (sizes clamped to `u32`).
fn progress_json(current: u64, total: u64) -> String {
    let clamp = |size: u64| u32::try_from(size).unwrap_or(u32::MAX);
    tim_model::json::to_string(&DownloadElemResult {
        current_size: clamp(current),
        total_size: clamp(total),
    })
}

/// `TIMMsgDownloadMergerMessage`: the messages bundled in `json_single_msg` (a Message as
/// received, found or pulled, whose first element is a Merge element; otherwise
/// `TIM_ERR_PARAM`: the JSON is well-formed, the argument is wrong). Success json_params: a
/// JSON array of Message, in their original order.
///
/// # Safety
/// `json_single_msg` is NULL or a NUL-terminated string; `cb` is NULL or a `TIMCommCallback`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgDownloadMergerMessage(
    json_single_msg: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = sdk()?;
        // SAFETY: the caller's contract.
        let message: Message = unsafe { required_json(json_single_msg) }?;
        checked(tim_core::Client::merge_elem_of(&message))?;
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        let work = async move { encoded(client.download_merged_message(&message).await) };
        spawn(&sdk, cb, user_data, work);
        Ok(())
    })
}

/// `TIMMsgTranslateText`: translates the texts of `json_source_text_array` (a JSON array of
/// at least one string) from `source_language` (NULL, "" or "auto": detect; else a language
/// code) to `target_language` (a language code such as "en"; required). Success
/// json_params: a JSON array of MessageTranslateTextResult, one per text in order.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `cb` is NULL or a `TIMCommCallback`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgTranslateText(
    json_source_text_array: *const c_char,
    source_language: *const c_char,
    target_language: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = sdk()?;
        // SAFETY: the caller's contract.
        let texts: Vec<String> = unsafe { required_json(json_source_text_array) }?;
        // SAFETY: the caller's contract.
        let source = unsafe { read_str(source_language, TIM_ERR_PARAM) }?.unwrap_or_default();
        // SAFETY: the caller's contract.
        let target = unsafe { required_str(target_language) }?;
        checked(tim_core::Client::check_translate_text(
            &texts, source, target,
        ))?;
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        let (source, target) = (source.to_owned(), target.to_owned());
        let work = async move { encoded(client.translate_text(&texts, &source, &target).await) };
        spawn(&sdk, cb, user_data, work);
        Ok(())
    })
}

/// `TIMMsgSetOfflinePushToken`: registers this device's push token (`json_token`:
/// OfflinePushToken, `offline_push_token_token` as hex), which turns offline push on; NULL
/// (or "") turns it off. Success json_params: "".
///
/// # Safety
/// `json_token` is NULL or a NUL-terminated string; `cb` is NULL or a `TIMCommCallback`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgSetOfflinePushToken(
    json_token: *const c_char,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = sdk()?;
        // SAFETY: the caller's contract.
        let token: Option<OfflinePushToken> = unsafe { optional_json(json_token) }?;
        if let Some(token) = &token {
            checked(tim_core::Client::check_offline_push_token(token))?;
        }
        let sdk = logged_in(sdk)?;
        let client = sdk.client.clone();
        let work = async move { empty(client.set_offline_push_token(token.as_ref()).await) };
        spawn(&sdk, cb, user_data, work);
        Ok(())
    })
}

/// `TIMMsgDoBackground`: the app went to the background; `unread_count` is the badge number
/// offline pushes start from. Success json_params: "".
///
/// # Safety
/// `cb` is NULL or a `TIMCommCallback`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgDoBackground(
    unread_count: u32,
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = logged_in(sdk()?)?;
        let client = sdk.client.clone();
        let work = async move { empty(client.do_background(unread_count).await) };
        spawn(&sdk, cb, user_data, work);
        Ok(())
    })
}

/// `TIMMsgDoForeground`: the app is back in the foreground (offline pushes stop). Success
/// json_params: "".
///
/// # Safety
/// `cb` is NULL or a `TIMCommCallback`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TIMMsgDoForeground(
    cb: Option<TIMCommCallback>,
    user_data: *const c_void,
) -> c_int {
    entry(|| {
        let sdk = logged_in(sdk()?)?;
        let client = sdk.client.clone();
        let work = async move { empty(client.do_foreground().await) };
        spawn(&sdk, cb, user_data, work);
        Ok(())
    })
}
