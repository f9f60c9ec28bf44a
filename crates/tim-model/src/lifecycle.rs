//! Payloads of the message-lifecycle functions: read receipts, extensions, receive options
//! and translation.

use crate::enums::{ConvType, ReceiveMessageOpt};
use crate::error::Result;
use crate::json::{JsonValue, Path, json_object, wrong_type};
use crate::keys;
use serde_json::Value;

json_object! {
    /// A read receipt (receipt callback item; `TIMMsgGetMessageReadReceipts` result).
    pub struct MessageReceipt {
        /// Conversation ID.
        conv_id: String = MSG_RECEIPT_CONV_ID,
        /// Conversation type.
        conv_type: ConvType = MSG_RECEIPT_CONV_TYPE,
        /// Message ID (per-message receipts).
        msg_id: String = MSG_RECEIPT_MSG_ID,
        /// Read time (C2C conversation-level receipts).
        time_stamp: u64 = MSG_RECEIPT_TIME_STAMP,
        /// C2C: the peer has read the message.
        is_peer_read: bool = MSG_RECEIPT_IS_PEER_READ,
        /// Group: members who read it.
        read_count: u64 = MSG_RECEIPT_READ_COUNT,
        /// Group: members who have not.
        unread_count: u64 = MSG_RECEIPT_UNREAD_COUNT,
    }
}

json_object! {
    /// One message extension: a key/value pair any party may set.
    pub struct MessageExtension {
        /// Key (at most 100 bytes).
        key: String = MESSAGE_EXTENSION_KEY,
        /// Value (at most 1 KB).
        value: String = MESSAGE_EXTENSION_VALUE,
    }
}

json_object! {
    /// The result of setting or deleting one extension key.
    pub struct MessageExtensionResult {
        /// Result code (0 on success, 23001 on a conflict).
        code: u32 = MESSAGE_EXTENSION_RESULT_CODE,
        /// Result text.
        info: String = MESSAGE_EXTENSION_RESULT_INFO,
        /// The key/value the result refers to.
        item: Option<MessageExtension> = MESSAGE_EXTENSION_ITEM,
    }
}

json_object! {
    /// One user's C2C receive option (`TIMMsgGetC2CReceiveMessageOpt` result item).
    pub struct C2cRecvMsgOptResult {
        /// The user.
        identifier: String = MSG_RECV_MSG_OPT_RESULT_IDENTIFIER,
        /// The option.
        opt: ReceiveMessageOpt = MSG_RECV_MSG_OPT_RESULT_OPT,
    }
}

json_object! {
    /// One translated text (`TIMMsgTranslateText` result item).
    pub struct TranslateTextResult {
        /// The input text.
        source_text: String = MSG_TRANSLATE_TEXT_SOURCE_TEXT,
        /// Its translation.
        target_text: String = MSG_TRANSLATE_TEXT_TARGET_TEXT,
    }
}

/// `TIMMsgDeleteMessageExtensions` key list. The newest seed sends an array of
/// `{"message_extension_key": ...}` objects, the 2023 header's sample an array of strings;
/// both are accepted, and it is written as objects (the shape of the deleted-extensions
/// callback).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExtensionKeyList(pub Vec<String>);

impl JsonValue for ExtensionKeyList {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self> {
        let Value::Array(items) = value else {
            return Err(wrong_type(path, "an array", value));
        };
        items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let item_path = path.index(index);
                match item {
                    Value::String(key) => Ok(key.clone()),
                    Value::Object(_) => {
                        MessageExtension::from_json(item, &item_path).map(|extension| extension.key)
                    }
                    other => Err(wrong_type(&item_path, "a string or an object", other)),
                }
            })
            .collect::<Result<_>>()
            .map(Self)
    }

    fn to_json(&self) -> Value {
        Value::Array(
            self.0
                .iter()
                .map(|key| {
                    let mut object = serde_json::Map::new();
                    object.insert(
                        keys::MESSAGE_EXTENSION_KEY.name.to_owned(),
                        Value::String(key.clone()),
                    );
                    Value::Object(object)
                })
                .collect(),
        )
    }
}

#[cfg(any(test, feature = "arbitrary"))]
impl crate::arb::ArbField for ExtensionKeyList {
    fn strategy() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        Vec::<String>::strategy().prop_map(Self).boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn extension_keys_come_as_objects_or_strings() {
        let objects: ExtensionKeyList =
            json::from_str(r#"[{"message_extension_key":"a"},{"message_extension_key":"b"}]"#)
                .unwrap();
        let strings: ExtensionKeyList = json::from_str(r#"["a","b"]"#).unwrap();
        assert_eq!(objects, strings);
        assert_eq!(
            json::to_string(&strings),
            r#"[{"message_extension_key":"a"},{"message_extension_key":"b"}]"#
        );
        let err = json::from_str::<ExtensionKeyList>(r#"["a",3]"#).unwrap_err();
        assert_eq!((err.code(), err.path()), (6027, "[1]"));
    }
}
