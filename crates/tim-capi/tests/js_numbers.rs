//! The numbers of the JSON this library hands callbacks survive a JavaScript caller (property
//! test over real messages through a real tim-server on 127.0.0.1):
//! - no integer in any callback's JSON is above 2^53 - 1 (`Number.MAX_SAFE_INTEGER`): seqs,
//!   times, rands, unique IDs, tiny IDs, versions, counts, whatever the message carries;
//! - a locator made from a received message, and one from a sent message, after the JSON went
//!   through IEEE doubles as `JSON.parse` and `JSON.stringify` take it, finds the message with
//!   `TIMMsgFindByMsgLocatorList`.
//!
//! The library runs in this process through its exported functions (one SDK per process: this
//! file is its own test binary with one test). Bob is the C ABI's user; alice, a tim-rs client,
//! sends him C2C and group messages and changes an extension of each; bob answers each batch
//! with a message of his own and reads the history.

mod common;

use common::{rs_client, rs_login, server, sig};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value, json};
use std::ffi::{CStr, CString, c_char, c_void};
use std::sync::Mutex;
use std::sync::mpsc::{self, Sender};
use std::time::{Duration, Instant};
use tim_capi::events::{
    TIMAddRecvNewMsgCallback, TIMSetMsgExtensionsChangedCallback, TIMSetMsgUpdateCallback,
};
use tim_capi::local_ops::TIMMsgFindByMsgLocatorList;
use tim_capi::message::TIMMsgSendMessage;
use tim_capi::message_ops::TIMMsgGetMsgList;
use tim_capi::session::{TIMInit, TIMLogin, TIMLogout, TIMUninit};
use tim_rs::model::enums::{ConvType, GroupAddOption, GroupType};
use tim_rs::model::{ConvId, MessageExtension};
use tim_rs::{CreateGroupParam, GroupId, UserId};

/// `Number.MAX_SAFE_INTEGER`.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;
const STEP: Duration = Duration::from_secs(20);
const GROUP: &str = "numbers";
/// `kTIMConv_C2C`, `kTIMConv_Group`.
const C2C: i32 = 1;
const GROUP_CONV: i32 = 2;

/// Every JSON document a callback got: (which callback, the text).
static SEEN: Mutex<Vec<(&'static str, String)>> = Mutex::new(Vec::new());
/// Where bob's receive callback forwards each message array.
static RECEIVED: Mutex<Option<Sender<String>>> = Mutex::new(None);

fn record(callback: &'static str, json: &str) {
    SEEN.lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .push((callback, json.to_owned()));
}

/// # Safety
/// `ptr` is NULL or a NUL-terminated string valid for the call.
unsafe fn text(ptr: *const c_char) -> String {
    if ptr.is_null() {
        return String::new();
    }
    // SAFETY: the caller's contract.
    unsafe { CStr::from_ptr(ptr) }
        .to_string_lossy()
        .into_owned()
}

unsafe extern "C" fn on_new_messages(json: *const c_char, _user_data: *const c_void) {
    // SAFETY: the library passes a NUL-terminated string.
    let json = unsafe { text(json) };
    record("TIMRecvNewMsgCallback", &json);
    if let Some(tx) = RECEIVED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .as_ref()
    {
        let _ = tx.send(json);
    }
}

unsafe extern "C" fn on_conv_event(_kind: i32, json: *const c_char, _user_data: *const c_void) {
    // SAFETY: the library passes a NUL-terminated string.
    record("TIMConvEventCallback", &unsafe { text(json) });
}

unsafe extern "C" fn on_group_tip(json: *const c_char, _user_data: *const c_void) {
    // SAFETY: the library passes a NUL-terminated string.
    record("TIMGroupTipsEventCallback", &unsafe { text(json) });
}

unsafe extern "C" fn on_update(json: *const c_char, _user_data: *const c_void) {
    // SAFETY: the library passes a NUL-terminated string.
    record("TIMMsgUpdateCallback", &unsafe { text(json) });
}

unsafe extern "C" fn on_extensions(
    _msg_id: *const c_char,
    json: *const c_char,
    _user_data: *const c_void,
) {
    // SAFETY: the library passes a NUL-terminated string.
    record("TIMMsgExtensionsChangedCallback", &unsafe { text(json) });
}

/// A call's callback: code, description, JSON.
type Reply = (i32, String, String);

unsafe extern "C" fn on_result(
    code: i32,
    desc: *const c_char,
    json: *const c_char,
    user_data: *const c_void,
) {
    // SAFETY: the library passes NUL-terminated strings.
    let (desc, json) = unsafe { (text(desc), text(json)) };
    record("TIMCommCallback", &json);
    // SAFETY: `user_data` is the sender that `call` keeps alive until this one callback came.
    let tx = unsafe { &*user_data.cast::<Sender<Reply>>() };
    let _ = tx.send((code, desc, json));
}

/// Makes a call (`start` gets the callback and its user data) and returns the JSON of its one
/// callback, which must report success.
fn call(what: &str, start: impl FnOnce(*const c_void) -> i32) -> String {
    let (tx, rx) = mpsc::channel::<Reply>();
    let tx = Box::into_raw(Box::new(tx));
    let code = start(tx.cast_const().cast());
    assert_eq!(code, 0, "{what} returned {code}");
    let Ok((code, desc, json)) = rx.recv_timeout(STEP) else {
        // The sender stays leaked: a late callback still finds it.
        panic!("{what}: no callback within {STEP:?}");
    };
    // SAFETY: made by Box::into_raw above; the library calls back once per call, and did.
    drop(unsafe { Box::from_raw(tx) });
    assert_eq!(code, 0, "{what}: {code} {desc}");
    json
}

fn c(text: &str) -> CString {
    CString::new(text).unwrap_or_else(|err| panic!("{err}"))
}

/// `value` as a JavaScript program has it after `JSON.parse` and gives it back with
/// `JSON.stringify`: every number an IEEE double, an integral one printed without a fraction.
fn through_f64(value: Value) -> Value {
    match value {
        Value::Number(number) => {
            let double = number.as_f64().unwrap_or(f64::NAN);
            // Integral doubles below 2^64 come back as integers (JSON.stringify prints them
            // without a fraction); anything else as a double.
            if double.fract() == 0.0 && double.abs() < 18_446_744_073_709_551_616.0 {
                if double >= 0.0 {
                    Value::from(double as u64)
                } else {
                    Value::from(double as i64)
                }
            } else {
                Value::from(double)
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(through_f64).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| (key, through_f64(value)))
                .collect(),
        ),
        other => other,
    }
}

/// The integers of `value` beyond ±(2^53 - 1), with their paths.
fn unsafe_integers(value: &Value, path: &str, found: &mut Vec<String>) {
    match value {
        Value::Number(number) => {
            let beyond = match (number.as_u64(), number.as_i64()) {
                (Some(unsigned), _) => unsigned > MAX_SAFE_INTEGER,
                (None, Some(signed)) => signed.unsigned_abs() > MAX_SAFE_INTEGER,
                (None, None) => false,
            };
            if beyond {
                found.push(format!("{path} = {number}"));
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                unsafe_integers(item, &format!("{path}[{index}]"), found);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                unsafe_integers(item, &format!("{path}.{key}"), found);
            }
        }
        _ => {}
    }
}

/// The locator of a message (TIM JSON) as a caller builds it from the message's fields.
fn locator_of(message: &Value) -> Value {
    json!([{
        "message_locator_conv_id": message["message_conv_id"],
        "message_locator_conv_type": message["message_conv_type"],
        "message_locator_is_revoked": false,
        "message_locator_time": message["message_server_time"],
        "message_locator_seq": message["message_seq"],
        "message_locator_rand": message["message_rand"],
        "message_locator_is_self": message["message_is_from_self"],
        "message_locator_unique_id": message["message_unique_id"],
    }])
}

/// Finds `message` (TIM JSON, already through doubles) by its locator, through doubles too.
fn find_by_locator(message: &Value) -> Result<(), TestCaseError> {
    let locator = through_f64(locator_of(message)).to_string();
    let conv_id = message["message_conv_id"].as_str().unwrap_or_default();
    let conv_type = message["message_conv_type"].as_i64().unwrap_or_default();
    let (conv_id, json) = (c(conv_id), c(&locator));
    let found = call("TIMMsgFindByMsgLocatorList", |user_data| {
        // SAFETY: NUL-terminated strings living past the call; `on_result` matches `user_data`.
        unsafe {
            TIMMsgFindByMsgLocatorList(
                conv_id.as_ptr(),
                i32::try_from(conv_type).unwrap_or(0),
                json.as_ptr(),
                Some(on_result),
                user_data,
            )
        }
    });
    let found: Value =
        serde_json::from_str(&found).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let ids: Vec<&Value> = found
        .as_array()
        .map(|messages| messages.iter().map(|m| &m["message_msg_id"]).collect())
        .unwrap_or_default();
    prop_assert_eq!(
        ids,
        vec![&message["message_msg_id"]],
        "locator {} found {}",
        locator,
        found
    );
    Ok(())
}

/// One case: what alice sends, where, and what bob answers.
#[derive(Debug, Clone)]
struct Case {
    /// (in the group, text, modified afterwards) per message alice sends.
    messages: Vec<(bool, String, bool)>,
    /// Bob's answer (C2C).
    answer: String,
}

fn cases() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec((any::<bool>(), "[a-z0-9 你好]{1,16}", any::<bool>()), 1..=3),
        "[a-z0-9 ]{1,12}",
    )
        .prop_map(|(messages, answer)| Case { messages, answer })
}

#[test]
fn callback_numbers_are_safe_in_javascript_and_locators_survive_doubles() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|err| panic!("runtime: {err}"));
    let _context = runtime.enter();
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (server, _env) = runtime.block_on(server(dir.path()));
    let started = Instant::now();

    // Bob: the C ABI, in this process.
    let config = json!({
        "sdk_config_config_file_path": dir.path().join("bob-data"),
        "sdk_config_server_address": server.local_addr().to_string(),
        "sdk_config_server_certificate": server.certificate().sha256_hex,
    })
    .to_string();
    let config = c(&config);
    // SAFETY: a NUL-terminated string living past the call; the callbacks have the C types.
    unsafe {
        assert_eq!(TIMInit(common::APP, config.as_ptr()), 0);
        TIMAddRecvNewMsgCallback(Some(on_new_messages), std::ptr::null());
        TIMSetMsgUpdateCallback(Some(on_update), std::ptr::null());
        tim_capi::setters::group::TIMSetGroupTipsEventCallback(
            Some(on_group_tip),
            std::ptr::null(),
        );
        tim_capi::setters::conversation::TIMSetConvEventCallback(
            Some(on_conv_event),
            std::ptr::null(),
        );
        TIMSetMsgExtensionsChangedCallback(Some(on_extensions), std::ptr::null());
    }
    let (received_tx, received) = mpsc::channel();
    *RECEIVED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(received_tx);
    let (bob, bob_sig) = (c("bob"), c(&sig("bob")));
    call("TIMLogin", |user_data| {
        // SAFETY: as above.
        unsafe { TIMLogin(bob.as_ptr(), bob_sig.as_ptr(), Some(on_result), user_data) }
    });

    // Alice: a tim-rs client, with a group that bob is in.
    let alice = rs_client(&server, &dir.path().join("alice-data"));
    runtime.block_on(rs_login(&alice, "alice"));
    let user = |id: &str| UserId::new(id).unwrap_or_else(|err| panic!("user: {err}"));
    let param = CreateGroupParam {
        group_id: Some(GroupId::new(GROUP).unwrap_or_else(|err| panic!("group: {err}"))),
        group_type: GroupType::Public,
        name: "Numbers".into(),
        add_option: GroupAddOption::Any,
        member_ids: vec![user("bob")],
        ..CreateGroupParam::default()
    };
    runtime
        .block_on(tokio::time::timeout(STEP, alice.create_group(param)))
        .unwrap_or_else(|_| panic!("create_group took too long"))
        .unwrap_or_else(|err| panic!("create_group: {err}"));
    // Carol joins by invitation: bob gets a group tip (TIMGroupTipsEventCallback).
    let club = alice
        .group(GROUP)
        .unwrap_or_else(|err| panic!("group: {err}"));
    runtime
        .block_on(tokio::time::timeout(
            STEP,
            club.add_members(&[user("carol")]),
        ))
        .unwrap_or_else(|_| panic!("add_members took too long"))
        .unwrap_or_else(|err| panic!("add_members: {err}"));
    let conversation = |group: bool| {
        let id = if group {
            ConvId::new(ConvType::Group, GROUP)
        } else {
            ConvId::new(ConvType::C2c, "bob")
        };
        alice.conversation(id.unwrap_or_else(|err| panic!("conv: {err}")))
    };

    let mut runner = TestRunner::new(Config {
        cases: 10,
        failure_persistence: None,
        ..Config::default()
    });
    let outcome = runner.run(&cases(), |case| {
        // Alice sends; bob must receive each message.
        let mut expected = Vec::new();
        for (group, text, modify) in &case.messages {
            let mut message = tim_rs::text_message(text);
            message.support_message_extension = true;
            let conv = conversation(*group);
            let sent = runtime
                .block_on(tokio::time::timeout(STEP, async {
                    let (_, handle) = conv.send(message).map_err(|err| err.to_string())?;
                    handle.await.map_err(|err| format!("{err:?}"))
                }))
                .map_err(|_| TestCaseError::fail("alice's send took too long"))?
                .map_err(TestCaseError::fail)?;
            let extension = MessageExtension {
                key: "k".into(),
                value: text.clone(),
            };
            runtime
                .block_on(conv.set_message_extensions(&sent, vec![extension]))
                .map_err(|err| TestCaseError::fail(format!("extension: {err}")))?;
            if *modify {
                // Modified messages reach bob's update callback, with a new version.
                let mut edited = sent.clone();
                edited.cloud_custom_str = format!("edited: {text}");
                runtime
                    .block_on(conv.modify(edited))
                    .map_err(|err| TestCaseError::fail(format!("modify: {err}")))?;
            }
            let id = sent
                .msg_id
                .map(|id| id.as_str().to_owned())
                .unwrap_or_default();
            expected.push(id);
        }
        let deadline = Instant::now() + STEP;
        let mut got: Vec<Value> = Vec::new();
        while got.len() < expected.len() {
            let left = deadline.saturating_duration_since(Instant::now());
            let batch = received.recv_timeout(left).map_err(|_| {
                TestCaseError::fail(format!("bob got {} of {expected:?}", got.len()))
            })?;
            let batch: Value = serde_json::from_str(&batch)
                .map_err(|err| TestCaseError::fail(format!("{err}: {batch}")))?;
            for message in batch.as_array().into_iter().flatten() {
                let id = message["message_msg_id"].as_str().unwrap_or_default();
                if expected.iter().any(|e| e == id) {
                    got.push(through_f64(message.clone()));
                }
            }
        }

        // Bob answers and reads the history of each conversation.
        let answer = json!({
            "message_elem_array": [{"elem_type": 0, "text_elem_content": case.answer}],
            "message_need_read_receipt": true,
        })
        .to_string();
        let (alice_id, answer) = (c("alice"), c(&answer));
        let sent = call("TIMMsgSendMessage", |user_data| {
            // SAFETY: as above; a NULL message ID buffer is allowed.
            unsafe {
                TIMMsgSendMessage(
                    alice_id.as_ptr(),
                    C2C,
                    answer.as_ptr(),
                    std::ptr::null_mut(),
                    Some(on_result),
                    user_data,
                )
            }
        });
        let sent: Value = serde_json::from_str(&sent)
            .map_err(|err| TestCaseError::fail(format!("{err}: {sent}")))?;
        let history =
            c(r#"{"msg_getmsglist_param_count":20,"msg_getmsglist_param_is_remble":true}"#);
        for (conv_id, conv_type) in [(c("alice"), C2C), (c(GROUP), GROUP_CONV)] {
            call("TIMMsgGetMsgList", |user_data| {
                // SAFETY: as above.
                unsafe {
                    TIMMsgGetMsgList(
                        conv_id.as_ptr(),
                        conv_type,
                        history.as_ptr(),
                        Some(on_result),
                        user_data,
                    )
                }
            });
        }

        for message in got.iter().chain([&through_f64(sent)]) {
            find_by_locator(message)?;
        }
        Ok(())
    });

    // The conversation list after all cases (its JSON is checked with the callbacks').
    let list = call("TIMConvGetConvList", |user_data| {
        // SAFETY: a valid callback and user data.
        unsafe { tim_capi::conversation_ops::TIMConvGetConvList(Some(on_result), user_data) }
    });
    assert!(list.contains("\"conv_id\":\"alice\""), "{list}");
    record("TIMConvGetConvList", &list);

    // Every JSON any callback got, over all cases.
    let seen = std::mem::take(&mut *SEEN.lock().unwrap_or_else(|p| p.into_inner()));
    let tips: Vec<Value> = seen
        .iter()
        .filter(|(callback, _)| *callback == "TIMGroupTipsEventCallback")
        .map(|(_, json)| serde_json::from_str(json).unwrap_or_else(|err| panic!("{err}: {json}")))
        .collect();
    let carol = tips
        .iter()
        .find(|tip| tip["group_tips_elem_user_array"] == json!(["carol"]))
        .unwrap_or_else(|| panic!("bob got no group tip for carol's invitation: {tips:?}"));
    assert_eq!(carol["group_tips_elem_group_id"], GROUP);
    assert_eq!(carol["elem_type"], 5);
    let mut beyond = Vec::new();
    for (callback, text) in &seen {
        if text.is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(text)
            .unwrap_or_else(|err| panic!("{callback} got JSON that does not parse: {err}: {text}"));
        unsafe_integers(&value, callback, &mut beyond);
    }

    // SAFETY: no pointer argument.
    unsafe {
        let _ = TIMLogout(None, std::ptr::null());
        TIMUninit();
    }
    runtime.block_on(server.shutdown());
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    assert!(
        beyond.is_empty(),
        "integers a JavaScript caller cannot hold: {beyond:?}"
    );
    assert!(
        seen.len() > 20,
        "too few callbacks to mean anything: {}",
        seen.len()
    );
    let mut per_callback = std::collections::BTreeMap::new();
    for (callback, _) in &seen {
        *per_callback.entry(*callback).or_insert(0) += 1;
    }
    eprintln!(
        "callback documents checked: {per_callback:?}, in {:?}",
        started.elapsed()
    );
}
