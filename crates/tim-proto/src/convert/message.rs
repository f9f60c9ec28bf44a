//! The message and what identifies it: [`Message`], [`ConvId`] (the wire's `ConversationId`),
//! [`MsgLocator`], [`RevokeInfo`], and the batch-send request and result that carry messages.

use super::convert_struct;
use crate::v1 as wire;
use crate::{ProtoError, Result, WireEnum};
use tim_model::enums::ConvType;
use tim_model::{BatchSendParam, BatchSendResult, ConvId, Message, MsgLocator, RevokeInfo};

convert_struct!(Message => wire::Message {
    recursive elems: list,
    conv_id: plain,
    conv_type: tim_enum,
    sender: plain,
    priority: tim_enum,
    client_time: plain,
    server_time: plain,
    is_from_self: plain,
    platform: tim_enum,
    is_read: plain,
    is_online_msg: plain,
    is_peer_read: plain,
    receipt_peer_read: plain,
    need_read_receipt: plain,
    support_message_extension: plain,
    is_broadcast_message: plain,
    has_sent_receipt: plain,
    group_receipt_read_count: plain,
    group_receipt_unread_count: plain,
    version: plain,
    status: opt_enum,
    unique_id: plain,
    msg_id: opt_msg_id,
    rand: plain,
    seq: seq,
    custom_int: plain,
    custom_str: plain,
    cloud_custom_str: plain,
    is_excluded_from_unread_count: plain,
    group_at_user_array: plain,
    is_forward_message: plain,
    sender_profile: nested,
    sender_group_member_info: nested,
    offline_push_config: nested,
    excluded_from_last_message: plain,
    excluded_from_content_moderation: plain,
    custom_moderation_configuration_id: plain,
    has_risk_content: plain,
    risk_type_identified: plain,
    target_group_member_array: plain,
    revoker_user_id: plain,
    revoker_nick_name: plain,
    revoker_face_url: plain,
    revoke_reason: plain,
    disable_cloud_message_pre_hook: plain,
    disable_cloud_message_post_hook: plain,
    pinner_user_id: plain,
    pinner_nick_name: plain,
    pinner_friend_remark: plain,
    pinner_name_card: plain,
    pinner_face_url: plain,
    sender_tiny_id: plain,
    receiver_tiny_id: plain,
});

convert_struct!(MsgLocator => wire::MsgLocator {
    conv_id: plain,
    conv_type: tim_enum,
    is_revoked: plain,
    time: plain,
    seq: seq,
    is_self: plain,
    rand: plain,
    unique_id: plain,
});

convert_struct!(RevokeInfo => wire::RevokeInfo {
    locator: required,
    revoker_user_id: plain,
    revoker_nick_name: plain,
    revoker_face_url: plain,
    revoke_reason: plain,
});

convert_struct!(BatchSendParam => wire::BatchSendRequest {
    identifier_array: plain,
    msg: required,
});

convert_struct!(BatchSendResult => wire::BatchSendResult {
    identifier: plain,
    code: plain,
    desc: plain,
    msg: nested,
});

impl From<ConvId> for wire::ConversationId {
    fn from(conversation: ConvId) -> Self {
        let conv_type = conversation.conv_type().to_wire();
        let conv_id = match conversation {
            ConvId::C2c(user) => user.into_string(),
            ConvId::Group(group) => group.into_string(),
        };
        Self { conv_type, conv_id }
    }
}

impl TryFrom<wire::ConversationId> for ConvId {
    type Error = ProtoError;

    /// Validates the type (C2C or group only) and the peer or group ID.
    fn try_from(conversation: wire::ConversationId) -> Result<Self> {
        let conv_type = ConvType::from_wire(conversation.conv_type, "conv_type")?;
        ConvId::new(conv_type, &conversation.conv_id)
            .map_err(|error| ProtoError::from_model("", &error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tim_model::{Elem, MessageId, Seq, TextElem};

    fn text_message() -> Message {
        Message {
            elems: vec![Elem::Text(TextElem {
                content: "hi".into(),
            })],
            conv_id: "bob".into(),
            conv_type: ConvType::C2c,
            msg_id: MessageId::new("m-1").ok(),
            seq: Seq(7),
            ..Message::default()
        }
    }

    #[test]
    fn a_message_keeps_its_identity_on_the_wire() {
        let wire = wire::Message::from(text_message());
        assert_eq!(wire.msg_id.as_deref(), Some("m-1"));
        assert_eq!((wire.seq, wire.conv_type, wire.status), (7, 1, None));
        assert_eq!(Message::try_from(wire), Ok(text_message()));
    }

    #[test]
    fn an_invalid_message_id_names_the_field() {
        let mut wire = wire::Message::from(text_message());
        wire.msg_id = Some(String::new());
        let error = Message::try_from(wire).unwrap_err();
        assert_eq!(error.field(), "msg_id");
        assert!(matches!(error, ProtoError::InvalidField { .. }), "{error}");
    }

    #[test]
    fn a_revoke_info_needs_its_locator() {
        let wire = wire::RevokeInfo {
            locator: None,
            revoker_user_id: "boss".into(),
            ..Default::default()
        };
        assert_eq!(
            RevokeInfo::try_from(wire),
            Err(ProtoError::missing("locator"))
        );
    }

    #[test]
    fn conversations_are_validated() {
        let group = ConvId::new(ConvType::Group, "team").unwrap();
        let wire = wire::ConversationId::from(group.clone());
        assert_eq!((wire.conv_type, wire.conv_id.as_str()), (2, "team"));
        assert_eq!(ConvId::try_from(wire), Ok(group));

        let system = wire::ConversationId {
            conv_type: 3,
            conv_id: "x".into(),
        };
        assert_eq!(ConvId::try_from(system).unwrap_err().field(), "conv_type");
        let unknown = wire::ConversationId {
            conv_type: 9,
            conv_id: "x".into(),
        };
        assert!(matches!(
            ConvId::try_from(unknown),
            Err(ProtoError::UnknownEnum { value: 9, .. })
        ));
        let empty_user = wire::ConversationId {
            conv_type: 1,
            conv_id: String::new(),
        };
        assert_eq!(ConvId::try_from(empty_user).unwrap_err().field(), "conv_id");
    }
}
