//! Property tests: any model value survives a trip through JSON text, and no JSON document,
//! however wrong, makes decoding panic.

use proptest::prelude::*;
use serde_json::{Map, Value};
use tim_model::arb::{ArbField, arbitrary};
use tim_model::json::{self, JsonValue};
use tim_model::*;

fn survives<T: JsonValue + PartialEq + std::fmt::Debug>(value: &T) -> Result<(), TestCaseError> {
    let text = json::to_string(value);
    let back: T =
        json::from_str(&text).map_err(|err| TestCaseError::fail(format!("{err}\n{text}")))?;
    prop_assert_eq!(&back, value);
    Ok(())
}

macro_rules! round_trip_tests {
    ($($name:ident: $ty:ty),* $(,)?) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]
            $(
                #[test]
                fn $name(value in arbitrary::<$ty>()) {
                    survives(&value)?;
                }
            )*
        }
    };
}

round_trip_tests! {
    message: Message,
    message_array: Vec<Message>,
    elem: Elem,
    msg_locator: MsgLocator,
    revoke_info: RevokeInfo,
    get_msg_list_param: GetMsgListParam,
    msg_delete_param: MsgDeleteParam,
    batch_send_param: BatchSendParam,
    batch_send_result: BatchSendResult,
    download_elem_param: DownloadElemParam,
    download_elem_result: DownloadElemResult,
    search_param: SearchParam,
    search_result: SearchResult,
    message_receipt: MessageReceipt,
    message_extension: MessageExtension,
    message_extension_result: MessageExtensionResult,
    extension_key_list: ExtensionKeyList,
    c2c_recv_msg_opt_result: C2cRecvMsgOptResult,
    translate_text_result: TranslateTextResult,
    offline_push_token: OfflinePushToken,
    offline_push_config: OfflinePushConfig,
    user_profile: UserProfile,
    group_member_info: GroupMemberInfo,
    sdk_config: SdkConfig,
    message_ids: Vec<MessageId>,
}

/// Any JSON document, nested a few levels, with the keys of real messages mixed in so that
/// decoding gets past the first key often enough to be exercised.
fn any_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("message_elem_array".to_owned()),
        Just("elem_type".to_owned()),
        Just("text_elem_content".to_owned()),
        Just("message_seq".to_owned()),
        Just("message_msg_id".to_owned()),
        Just("message_offline_push_config".to_owned()),
        Just("merge_elem_message_array".to_owned()),
        "[a-z_]{1,10}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        (0..14i64).prop_map(Value::from),
        ".*".prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn decodes_without_panic<T: JsonValue>(value: &Value) {
    // Whatever the answer, it is an answer: Ok, or an error with a TIM code.
    if let Err(err) = json::from_str::<T>(&value.to_string()) {
        assert!(
            matches!(err.code(), 6017 | 6027 | 7003 | 8501),
            "{err}: code {}",
            err.code()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn decoding_any_json_never_panics(value in any_json()) {
        decodes_without_panic::<Message>(&value);
        decodes_without_panic::<Vec<Message>>(&value);
        decodes_without_panic::<GetMsgListParam>(&value);
        decodes_without_panic::<SearchParam>(&value);
        decodes_without_panic::<BatchSendParam>(&value);
        decodes_without_panic::<ExtensionKeyList>(&value);
        decodes_without_panic::<Vec<MsgLocator>>(&value);
        decodes_without_panic::<SdkConfig>(&value);
    }

    #[test]
    fn a_message_with_one_key_replaced_by_anything_decodes_or_names_that_key(
        message in arbitrary::<Message>(),
        pick in any::<prop::sample::Index>(),
        replacement in any_json(),
    ) {
        let Value::Object(mut map) = message.to_json() else {
            return Err(TestCaseError::fail("a message encodes to an object"));
        };
        let keys: Vec<String> = map.keys().cloned().collect();
        let key = pick.get(&keys).clone();
        map.insert(key.clone(), replacement);
        if let Err(err) = json::from_str::<Message>(&Value::Object(map).to_string()) {
            prop_assert!(err.path().starts_with(&key), "{} does not name {}", err, key);
        }
    }

    #[test]
    fn any_bytes_decode_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        match (json::from_slice::<Message>(&bytes), std::str::from_utf8(&bytes)) {
            (Err(err), Err(_)) => prop_assert!(matches!(err, ModelError::InvalidUtf8 { .. }), "{}", err),
            (Err(err), Ok(_)) => prop_assert!(matches!(err.code(), 6017 | 6027), "{}", err),
            (Ok(_), Err(_)) => prop_assert!(false, "invalid UTF-8 was accepted"),
            (Ok(_), Ok(_)) => {}
        }
    }
}

#[test]
fn strategies_cover_every_element_type() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = Elem::strategy();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..2000 {
        if let Ok(tree) = strategy.new_tree(&mut runner) {
            seen.insert(tree.current().elem_type().value());
        }
    }
    assert_eq!(seen.len(), 13, "{seen:?}");
}
