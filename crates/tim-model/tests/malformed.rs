//! Malformed input for every top-level type: broken JSON, the wrong root, every key given a
//! value of the wrong type or out of range, missing required keys, invalid UTF-8, deep nesting
//! and huge values. Each gives a typed error with the right TIM code naming the key, never a
//! panic.

use serde_json::{Value, json};
use tim_model::json::{self, JsonValue};
use tim_model::*;

/// Decodes a document as one model type, keeping only whether it was accepted.
type Decode = fn(&str) -> Result<()>;

/// A value of each top-level type with every optional part present, so every key is written.
fn samples() -> Vec<(&'static str, Value, Decode)> {
    fn check<T: JsonValue>(text: &str) -> Result<()> {
        json::from_str::<T>(text).map(drop)
    }
    let text = Elem::Text(TextElem {
        content: "hi".into(),
    });
    let message = Message {
        elems: vec![
            text.clone(),
            Elem::Image(ImageElem::default()),
            Elem::Location(LocationElem::default()),
        ],
        msg_id: MessageId::new("m-1").ok(),
        status: Some(enums::MsgStatus::SendSucc),
        sender_profile: Some(UserProfile::default()),
        sender_group_member_info: Some(GroupMemberInfo::default()),
        offline_push_config: Some(OfflinePushConfig {
            ios_config: Some(IosOfflinePushConfig::default()),
            android_config: Some(AndroidOfflinePushConfig::default()),
            ..Default::default()
        }),
        ..Default::default()
    };
    vec![
        ("Message", message.to_json(), check::<Message>),
        (
            "MsgLocator",
            MsgLocator::default().to_json(),
            check::<MsgLocator>,
        ),
        (
            "RevokeInfo",
            RevokeInfo::default().to_json(),
            check::<RevokeInfo>,
        ),
        (
            "GetMsgListParam",
            GetMsgListParam {
                last_msg: Some(Message::default()),
                ..Default::default()
            }
            .to_json(),
            check::<GetMsgListParam>,
        ),
        (
            "MsgDeleteParam",
            MsgDeleteParam {
                msg: Some(Message::default()),
                ..Default::default()
            }
            .to_json(),
            check::<MsgDeleteParam>,
        ),
        (
            "BatchSendParam",
            BatchSendParam::default().to_json(),
            check::<BatchSendParam>,
        ),
        (
            "BatchSendResult",
            BatchSendResult {
                msg: Some(Message::default()),
                ..Default::default()
            }
            .to_json(),
            check::<BatchSendResult>,
        ),
        (
            "DownloadElemParam",
            DownloadElemParam::default().to_json(),
            check::<DownloadElemParam>,
        ),
        (
            "DownloadElemResult",
            DownloadElemResult::default().to_json(),
            check::<DownloadElemResult>,
        ),
        (
            "SearchParam",
            SearchParam::default().to_json(),
            check::<SearchParam>,
        ),
        (
            "SearchResult",
            SearchResult {
                item_array: vec![SearchResultItem::default()],
                ..Default::default()
            }
            .to_json(),
            check::<SearchResult>,
        ),
        (
            "MessageReceipt",
            MessageReceipt::default().to_json(),
            check::<MessageReceipt>,
        ),
        (
            "MessageExtension",
            MessageExtension::default().to_json(),
            check::<MessageExtension>,
        ),
        (
            "MessageExtensionResult",
            MessageExtensionResult {
                item: Some(MessageExtension::default()),
                ..Default::default()
            }
            .to_json(),
            check::<MessageExtensionResult>,
        ),
        (
            "C2cRecvMsgOptResult",
            C2cRecvMsgOptResult::default().to_json(),
            check::<C2cRecvMsgOptResult>,
        ),
        (
            "TranslateTextResult",
            TranslateTextResult::default().to_json(),
            check::<TranslateTextResult>,
        ),
        (
            "OfflinePushToken",
            OfflinePushToken::default().to_json(),
            check::<OfflinePushToken>,
        ),
        (
            "SdkConfig",
            SdkConfig::default().to_json(),
            check::<SdkConfig>,
        ),
        ("TextElem", text.to_json(), check::<Elem>),
        (
            "GroupTipsElem",
            Elem::GroupTips(GroupTipsElem::default()).to_json(),
            check::<Elem>,
        ),
        (
            "GroupReportElem",
            Elem::GroupReport(GroupReportElem::default()).to_json(),
            check::<Elem>,
        ),
        (
            "MergeElem",
            Elem::Merge(MergeElem::default()).to_json(),
            check::<Elem>,
        ),
        (
            "FriendChangeElem",
            Elem::FriendChange(FriendChangeElem::default()).to_json(),
            check::<Elem>,
        ),
        (
            "VideoElem",
            Elem::Video(VideoElem::default()).to_json(),
            check::<Elem>,
        ),
        (
            "FileElem",
            Elem::File(FileElem::default()).to_json(),
            check::<Elem>,
        ),
        (
            "SoundElem",
            Elem::Sound(SoundElem::default()).to_json(),
            check::<Elem>,
        ),
        (
            "CustomElem",
            Elem::Custom(CustomElem::default()).to_json(),
            check::<Elem>,
        ),
        (
            "FaceElem",
            Elem::Face(FaceElem::default()).to_json(),
            check::<Elem>,
        ),
    ]
}

/// Every `(path, value)` of the object tree below `value`.
fn leaves(value: &Value, path: String, into: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                into.push((child.clone(), item.clone()));
                leaves(item, child, into);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                leaves(item, format!("{path}[{index}]"), into);
            }
        }
        _ => {}
    }
}

/// `value` with the value at `path` replaced by `replacement`.
fn replaced(value: &Value, path: &str, replacement: Value) -> Value {
    let mut out = value.clone();
    let mut cursor = &mut out;
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => (key, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        cursor = &mut cursor[key];
        if let Some(index) = index {
            cursor = &mut cursor[index];
        }
    }
    *cursor = replacement;
    out
}

#[test]
fn every_key_of_every_type_refuses_a_value_of_the_wrong_type_naming_it() {
    let mut checked = 0;
    for (name, sample, decode) in samples() {
        decode(&sample.to_string())
            .unwrap_or_else(|err| panic!("{name}: the sample itself: {err}"));
        let mut all = Vec::new();
        leaves(&sample, String::new(), &mut all);
        for (path, original) in all {
            let wrong = match original {
                Value::Array(_) => json!("not an array"),
                Value::Object(_) => json!(5),
                _ => json!({ "not": "a scalar" }),
            };
            let err = decode(&replaced(&sample, &path, wrong).to_string())
                .err()
                .unwrap_or_else(|| panic!("{name}: {path} accepted a value of the wrong type"));
            assert_eq!(err.code(), 6027, "{name}: {path}: {err}");
            assert_eq!(err.path(), path, "{name}: {err}");
            checked += 1;
        }
    }
    assert!(checked > 400, "{checked}");
}

#[test]
fn every_integer_key_refuses_numbers_out_of_range_naming_it() {
    let mut checked = 0;
    for (name, sample, decode) in samples() {
        let mut all = Vec::new();
        leaves(&sample, String::new(), &mut all);
        for (path, original) in all {
            let Value::Number(number) = original else {
                continue;
            };
            if number.is_f64() {
                continue; // latitude and longitude take any finite number
            }
            for too_big in [json!(1e30), json!(-1e30), json!("99999999999999999999999")] {
                let err = decode(&replaced(&sample, &path, too_big.clone()).to_string())
                    .err()
                    .unwrap_or_else(|| panic!("{name}: {path} accepted {too_big}"));
                assert_eq!(
                    (err.code(), err.path()),
                    (6017, path.as_str()),
                    "{name}: {err}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn broken_documents_are_invalid_json() {
    for (name, _, decode) in samples() {
        for text in [
            "",
            "{",
            "{\"message_seq\":}",
            "[1,]",
            "nul",
            "{'a':1}",
            "\"\\ud800\"",
        ] {
            let err = decode(text)
                .err()
                .unwrap_or_else(|| panic!("{name}: accepted {text:?}"));
            assert_eq!(err.code(), 6027, "{name}: {text:?}: {err}");
        }
        for root in ["[]", "1", "\"text\"", "true", "null"] {
            let err = decode(root)
                .err()
                .unwrap_or_else(|| panic!("{name}: accepted {root}"));
            assert_eq!(
                (err.code(), err.path()),
                (6027, ""),
                "{name}: {root}: {err}"
            );
        }
    }
}

#[test]
fn invalid_utf8_is_refused() {
    let err = json::from_slice::<Message>(b"{\"message_sender\":\"\xff\xfe\"}").unwrap_err();
    assert_eq!(err, ModelError::InvalidUtf8 { offset: 19 });
    assert_eq!(err.code(), 6027);
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(json::from_str::<Message>(&deep).unwrap_err().code(), 6027);
    let mut nested = String::from("{}");
    for _ in 0..200 {
        nested = format!(
            r#"{{"message_elem_array":[{{"elem_type":12,"merge_elem_compatible_text":"x","merge_elem_message_array":[{nested}]}}]}}"#
        );
    }
    assert_eq!(json::from_str::<Message>(&nested).unwrap_err().code(), 6027);
}

#[test]
fn huge_values_decode_and_are_refused_by_the_limits() {
    let big = "字".repeat(1_000_000);
    let text =
        json!({ "message_elem_array": [{ "elem_type": 0, "text_elem_content": big }] }).to_string();
    let message: Message = json::from_str(&text).unwrap();
    let err = limits::validate_send(&message).unwrap_err();
    assert_eq!(err.code(), 8001);
    assert!(err.to_string().contains("3000000 bytes"), "{err}");
}

#[test]
fn missing_required_keys_are_named() {
    for (text, path) in [
        (
            r#"{"message_elem_array":[{"elem_type":6}]}"#,
            "message_elem_array[0].face_elem_index",
        ),
        (
            r#"{"message_elem_array":[{"elem_type":7,"location_elem_latitude":1}]}"#,
            "message_elem_array[0].location_elem_longitude",
        ),
        (
            r#"{"message_elem_array":[{}]}"#,
            "message_elem_array[0].elem_type",
        ),
        (
            r#"{"message_elem_array":[{"elem_type":null}]}"#,
            "message_elem_array[0].elem_type",
        ),
    ] {
        let err = json::from_str::<Message>(text).unwrap_err();
        assert_eq!((err.code(), err.path()), (6017, path), "{err}");
    }
    let err =
        json::from_str::<BatchSendParam>(r#"{"msg_batch_send_param_identifier_array":["u"]}"#)
            .unwrap_err();
    assert_eq!((err.code(), err.path()), (6017, "msg_batch_send_param_msg"));
}

#[test]
fn invalid_identities_inside_documents_are_refused_with_their_codes() {
    let err = json::from_str::<Message>(&json!({ "message_msg_id": "x".repeat(128) }).to_string())
        .unwrap_err();
    assert_eq!((err.code(), err.path()), (6017, "message_msg_id"));
    let err = json::from_str::<Vec<MessageId>>(r#"["ok", ""]"#).unwrap_err();
    assert_eq!((err.code(), err.path()), (6017, "[1]"));
    let err =
        json::from_str::<Message>(r#"{"message_elem_array":[{"elem_type":13}]}"#).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        (6017, "message_elem_array[0].elem_type")
    );
    assert!(err.to_string().contains("TIMElemType"), "{err}");
}

#[test]
fn unknown_keys_and_nulls_are_ignored() {
    let message: Message = json::from_str(
        r#"{"message_id":"14400111550110000_1551446728_45598731","future_key":{"a":[1]},"message_seq":null,"message_sender":"u"}"#,
    )
    .unwrap();
    assert_eq!(message.sender, "u");
    assert_eq!(message.seq, Seq(0));
    assert!(message.msg_id.is_none());
}
