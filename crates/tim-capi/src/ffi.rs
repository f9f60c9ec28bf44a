//! The repeated part of every exported function: the panic guard, reading C strings, writing
//! into caller buffers, and the C callback types of functions.md §1.
//!
//! Contract: nothing here keeps a pointer it was handed past the call that handed it over.

use crate::ctypes::TIMNetworkStatus;
use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use tim_model::codes::result::{TIM_ERR_JSON, TIM_ERR_PARAM, TIM_SUCC};

/// `TIMCommCallback`: `void (*)(int32_t code, const char* desc, const char* json_params,
/// const void* user_data)`.
pub type TIMCommCallback = unsafe extern "C" fn(
    code: i32,
    desc: *const c_char,
    json_params: *const c_char,
    user_data: *const c_void,
);

/// `TIMRecvNewMsgCallback`: `void (*)(const char* json_msg_array, const void* user_data)`.
pub type TIMRecvNewMsgCallback =
    unsafe extern "C" fn(json_msg_array: *const c_char, user_data: *const c_void);

/// `TIMNetworkStatusListenerCallback`: `void (*)(enum TIMNetworkStatus status, int32_t code,
/// const char* desc, const void* user_data)` (a C enum is an `int`).
pub type TIMNetworkStatusListenerCallback = unsafe extern "C" fn(
    status: TIMNetworkStatus,
    code: i32,
    desc: *const c_char,
    user_data: *const c_void,
);

/// The code an `int`-returning export answers when it panicked: TIMResult has no code for
/// "internal error", and `TIM_ERR_PARAM` is the closest a caller can act on.
pub const PANIC_RESULT: i32 = TIM_ERR_PARAM;

/// Runs `body`, turning a panic into `on_panic`: no panic crosses the C boundary. Every export
/// body runs inside it.
pub fn guard<T>(on_panic: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(on_panic)
}

/// Runs an `int`-returning export body: panics become [`PANIC_RESULT`], `Err(code)` the code.
pub fn entry(body: impl FnOnce() -> Result<(), i32>) -> c_int {
    guard(PANIC_RESULT, || match body() {
        Ok(()) => TIM_SUCC,
        Err(code) => code,
    })
}

/// Reads a NUL-terminated UTF-8 string: `Ok(None)` for NULL, `Err(invalid)` for invalid UTF-8.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that stays valid and unchanged for `'a`.
pub unsafe fn read_str<'a>(ptr: *const c_char, invalid: i32) -> Result<Option<&'a str>, i32> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL, and the caller guarantees a NUL-terminated string living for 'a.
    let bytes = unsafe { CStr::from_ptr(ptr) };
    bytes.to_str().map(Some).map_err(|_| invalid)
}

/// A required string argument: NULL or invalid UTF-8 is `TIM_ERR_PARAM`.
///
/// # Safety
/// As [`read_str`].
pub unsafe fn required_str<'a>(ptr: *const c_char) -> Result<&'a str, i32> {
    // SAFETY: forwarded contract.
    unsafe { read_str(ptr, TIM_ERR_PARAM) }?.ok_or(TIM_ERR_PARAM)
}

/// A JSON argument: NULL or "" is `None` where the spec allows it; invalid UTF-8 is
/// `TIM_ERR_JSON`.
///
/// # Safety
/// As [`read_str`].
pub unsafe fn json_str<'a>(ptr: *const c_char) -> Result<Option<&'a str>, i32> {
    // SAFETY: forwarded contract.
    let text = unsafe { read_str(ptr, TIM_ERR_JSON) }?;
    Ok(text.filter(|text| !text.trim().is_empty()))
}

/// Copies `text` and a NUL into a caller buffer of at least 128 bytes (the spec's size for
/// user and message IDs); text longer than 127 bytes is cut there (IDs never are that long).
///
/// # Safety
/// `buffer` is non-NULL and writable for 128 bytes.
pub unsafe fn write_id(buffer: *mut c_char, text: &str) {
    const BUFFER: usize = 128;
    let len = text.len().min(BUFFER - 1);
    // SAFETY: the caller guarantees 128 writable bytes; we write len + 1 <= 128 of them, from
    // a source that cannot overlap a caller-owned buffer.
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr().cast::<c_char>(), buffer, len);
        *buffer.add(len) = 0;
    }
}

/// `text` as a C string; interior NULs (which valid TIM text never has) are dropped rather
/// than failing.
pub fn c_string(text: &str) -> CString {
    CString::new(text).unwrap_or_else(|err| {
        let mut bytes = err.into_vec();
        bytes.retain(|&byte| byte != 0);
        CString::new(bytes).unwrap_or_default()
    })
}

/// A C caller's `user_data`, kept as an address: it is only ever handed back, never read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserData(pub usize);

impl UserData {
    /// From the pointer the caller passed.
    pub fn new(ptr: *const c_void) -> Self {
        Self(ptr as usize)
    }

    /// The pointer to hand back.
    pub fn ptr(self) -> *const c_void {
        self.0 as *const c_void
    }
}

/// A result callback and its user data.
#[derive(Debug, Clone, Copy)]
pub struct CommCallback {
    /// The function.
    pub cb: TIMCommCallback,
    /// Handed back untouched.
    pub user_data: UserData,
}

impl CommCallback {
    /// `None` when the caller passed a NULL function (then nothing is called).
    pub fn new(cb: Option<TIMCommCallback>, user_data: *const c_void) -> Option<Self> {
        cb.map(|cb| Self {
            cb,
            user_data: UserData::new(user_data),
        })
    }

    /// Calls it; the strings live for this call only. Runs on the SDK thread.
    pub fn call(self, code: i32, desc: &str, json_params: &str) {
        let desc = c_string(desc);
        let json = c_string(json_params);
        // SAFETY: the caller registered a function of this prototype; the strings outlive the
        // call.
        unsafe { (self.cb)(code, desc.as_ptr(), json.as_ptr(), self.user_data.ptr()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_the_error_code() {
        let code = guard(PANIC_RESULT, || -> i32 { panic!("boom") });
        assert_eq!(code, PANIC_RESULT);
        assert_eq!(guard(-9, || 0), 0);
    }

    #[test]
    fn strings_are_checked() {
        let bad = [0xffu8 as c_char, 0];
        // SAFETY: NUL-terminated local buffers.
        unsafe {
            assert_eq!(read_str(std::ptr::null(), TIM_ERR_PARAM), Ok(None));
            assert_eq!(required_str(bad.as_ptr()), Err(TIM_ERR_PARAM));
            assert_eq!(json_str(bad.as_ptr()), Err(TIM_ERR_JSON));
            assert_eq!(json_str(c" ".as_ptr()), Ok(None));
            assert_eq!(required_str(c"alice".as_ptr()), Ok("alice"));
        }
        assert_eq!(c_string("a\0b").as_bytes(), b"ab");
    }
}
