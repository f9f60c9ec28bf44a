//! Any bytes a C caller may pass as a JSON parameter: decoding gives a value or a TIM error,
//! never a panic, and whatever decodes encodes and decodes back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tim_model::json::{self, JsonValue};
use tim_model::{
    BatchSendParam, ExtensionKeyList, GetMsgListParam, Message, MessageExtension, MsgDeleteParam,
    MsgLocator, SearchParam, limits,
};

fn check<T: JsonValue + PartialEq + std::fmt::Debug>(data: &[u8]) -> Option<T> {
    match json::from_slice::<T>(data) {
        Ok(value) => {
            let again: T = json::from_str(&json::to_string(&value)).ok()?;
            assert_eq!(again, value, "decode(encode(x)) != x");
            Some(value)
        }
        Err(err) => {
            assert!(err.code() > 0 && !err.to_string().is_empty());
            None
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Some(message) = check::<Message>(data) {
        let _ = limits::validate_send(&message);
    }
    if let Some(messages) = check::<Vec<Message>>(data) {
        let _ = limits::validate_list_delete(&messages);
    }
    let _ = check::<GetMsgListParam>(data);
    let _ = check::<MsgDeleteParam>(data);
    if let Some(param) = check::<SearchParam>(data) {
        let _ = limits::validate_search(&param);
    }
    if let Some(param) = check::<BatchSendParam>(data) {
        let _ = limits::validate_batch_send(&param);
    }
    let _ = check::<Vec<MsgLocator>>(data);
    if let Some(extensions) = check::<Vec<MessageExtension>>(data) {
        let _ = limits::validate_extensions(&extensions);
    }
    let _ = check::<ExtensionKeyList>(data);
});
