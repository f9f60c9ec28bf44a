//! Lifecycle payloads: [`MessageReceipt`], [`MessageExtension`], [`MessageExtensionResult`],
//! [`C2cRecvMsgOptResult`] and [`TranslateTextResult`].

use super::convert_struct;
use crate::v1 as wire;
use tim_model::{
    C2cRecvMsgOptResult, MessageExtension, MessageExtensionResult, MessageReceipt,
    TranslateTextResult,
};

convert_struct!(MessageReceipt => wire::MessageReceipt {
    conv_id: plain,
    conv_type: tim_enum,
    msg_id: plain,
    time_stamp: plain,
    is_peer_read: plain,
    read_count: plain,
    unread_count: plain,
});

// The wire's per-key `version` has no JSON key: a model extension travels with version 0,
// and the engine that keeps versions sets them on the wire type itself.
impl From<MessageExtension> for wire::MessageExtension {
    fn from(value: MessageExtension) -> Self {
        Self {
            key: value.key,
            value: value.value,
            version: 0,
        }
    }
}

impl TryFrom<wire::MessageExtension> for MessageExtension {
    type Error = crate::ProtoError;

    fn try_from(value: wire::MessageExtension) -> crate::Result<Self> {
        Ok(Self {
            key: value.key,
            value: value.value,
        })
    }
}

convert_struct!(MessageExtensionResult => wire::MessageExtensionResult {
    code: plain,
    info: plain,
    item: nested,
});

convert_struct!(C2cRecvMsgOptResult => wire::C2cRecvMsgOptResult {
    identifier: plain,
    opt: tim_enum,
});

convert_struct!(TranslateTextResult => wire::TranslateTextResult {
    source_text: plain,
    target_text: plain,
});
