//! The message (`Message`): every key of json-keys.md §2.
//!
//! The same struct is the input of send/save/import/revoke/modify and the output of every
//! callback. Which keys a caller may set is a question for the operation (the engine trusts
//! none of the read-only ones on send); the model carries them all so that a message JSON
//! obtained from a callback can be handed back unchanged, as the TIM samples do.

use crate::elem::Elem;
use crate::enums::{ConvType, MsgPriority, MsgStatus, Platform};
use crate::ids::{MessageId, Seq};
use crate::json::json_object;
use crate::params::MsgLocator;
use crate::profile::{GroupMemberInfo, UserProfile};
use crate::push::OfflinePushConfig;

json_object! {
    /// A message.
    pub struct Message {
        /// The elements; each one's shape is chosen by its `elem_type`.
        elems: Vec<Elem> = MESSAGE_ELEM_ARRAY,
        /// Conversation: peer user ID (C2C) or group ID.
        conv_id: String = MESSAGE_CONV_ID,
        /// Conversation type.
        conv_type: ConvType = MESSAGE_CONV_TYPE,
        /// Sender user ID (`@TIM#SYSTEM` for system tips and reports).
        sender: String = MESSAGE_SENDER,
        /// Delivery priority.
        priority: MsgPriority = MESSAGE_PRIORITY,
        /// Client time, seconds.
        client_time: u64 = MESSAGE_CLIENT_TIME,
        /// Server time, seconds.
        server_time: u64 = MESSAGE_SERVER_TIME,
        /// Sent by the logged-in user.
        is_from_self: bool = MESSAGE_IS_FROM_SELF,
        /// Sender platform.
        platform: Platform = MESSAGE_PLATFORM,
        /// Read locally.
        is_read: bool = MESSAGE_IS_READ,
        /// Online-only: delivered to online devices, never stored, never unread.
        is_online_msg: bool = MESSAGE_IS_ONLINE_MSG,
        /// The C2C peer marked the conversation read at or after this message.
        is_peer_read: bool = MESSAGE_IS_PEER_READ,
        /// The peer sent a read receipt for this message.
        receipt_peer_read: bool = MESSAGE_RECEIPT_PEER_READ,
        /// Read receipts requested.
        need_read_receipt: bool = MESSAGE_NEED_READ_RECEIPT,
        /// Extensions allowed on this message.
        support_message_extension: bool = MESSAGE_SUPPORT_MESSAGE_EXTENSION,
        /// Broadcast message (AVChatRoom only).
        is_broadcast_message: bool = MESSAGE_IS_BROADCAST_MESSAGE,
        /// This user already sent a read receipt (group messages).
        has_sent_receipt: bool = MESSAGE_HAS_SENT_RECEIPT,
        /// Cached group read count.
        group_receipt_read_count: i32 = MESSAGE_GROUP_RECEIPT_READ_COUNT,
        /// Cached group unread count.
        group_receipt_unread_count: i32 = MESSAGE_GROUP_RECEIPT_UNREAD_COUNT,
        /// Version counter, raised by every modification.
        version: u64 = MESSAGE_VERSION,
        /// State; `None` until the SDK has given it one.
        status: Option<MsgStatus> = MESSAGE_STATUS,
        /// Legacy numeric unique ID.
        unique_id: u64 = MESSAGE_UNIQUE_ID,
        /// Message ID; `None` until the SDK has assigned one.
        msg_id: Option<MessageId> = MESSAGE_MSG_ID,
        /// Random number, part of the message's identity.
        rand: u64 = MESSAGE_RAND,
        /// Sequence number in its conversation.
        seq: Seq = MESSAGE_SEQ,
        /// Local-only integer; a seed sample sets it from a word, which is ignored.
        custom_int: u32 = MESSAGE_CUSTOM_INT (lenient),
        /// Local-only string.
        custom_str: String = MESSAGE_CUSTOM_STR,
        /// Custom data stored in the cloud and delivered to peers.
        cloud_custom_str: String = MESSAGE_CLOUD_CUSTOM_STR,
        /// Does not count towards unread.
        is_excluded_from_unread_count: bool = MESSAGE_IS_EXCLUDED_FROM_UNREAD_COUNT,
        /// Mentioned user IDs (`__kImSDK_MessageAtALL__` for everyone).
        group_at_user_array: Vec<String> = MESSAGE_GROUP_AT_USER_ARRAY,
        /// Re-send an existing message as a forward.
        is_forward_message: bool = MESSAGE_IS_FORWARD_MESSAGE,
        /// Sender's profile snapshot.
        sender_profile: Option<UserProfile> = MESSAGE_SENDER_PROFILE,
        /// Sender's group-member info (group messages).
        sender_group_member_info: Option<GroupMemberInfo> = MESSAGE_SENDER_GROUP_MEMBER_INFO,
        /// Offline push settings.
        offline_push_config: Option<OfflinePushConfig> = MESSAGE_OFFLINE_PUSH_CONFIG,
        /// Not used as the conversation's last message.
        excluded_from_last_message: bool = MESSAGE_EXCLUDED_FROM_LAST_MESSAGE,
        /// Skip content moderation.
        excluded_from_content_moderation: bool = MESSAGE_EXCLUDED_FROM_CONTENT_MODERATION,
        /// Custom moderation configuration (send time only).
        custom_moderation_configuration_id: String = MESSAGE_CUSTOM_MODERATION_CONFIGURATION_ID,
        /// Flagged by asynchronous moderation.
        has_risk_content: bool = MESSAGE_HAS_RISK_CONTENT,
        /// Internal risk type.
        risk_type_identified: i32 = MESSAGE_RISK_TYPE_IDENTIFIED,
        /// Targeted group message: only these members receive it.
        target_group_member_array: Vec<String> = MESSAGE_TARGET_GROUP_MEMBER_ARRAY,
        /// Who revoked it.
        revoker_user_id: String = MESSAGE_REVOKER_USER_ID,
        /// Revoker's nickname.
        revoker_nick_name: String = MESSAGE_REVOKER_NICK_NAME,
        /// Revoker's avatar.
        revoker_face_url: String = MESSAGE_REVOKER_FACE_URL,
        /// Why it was revoked.
        revoke_reason: String = MESSAGE_REVOKE_REASON,
        /// Skip the server's before-send webhook.
        disable_cloud_message_pre_hook: bool = MESSAGE_DISABLE_CLOUD_MESSAGE_PRE_HOOK,
        /// Skip the server's after-send webhook.
        disable_cloud_message_post_hook: bool = MESSAGE_DISABLE_CLOUD_MESSAGE_POST_HOOK,
        /// Who pinned it (pinned-message lists).
        pinner_user_id: String = MESSAGE_PINNER_USER_ID,
        /// Pinner's nickname.
        pinner_nick_name: String = MESSAGE_PINNER_NICK_NAME,
        /// Pinner's friend remark.
        pinner_friend_remark: String = MESSAGE_PINNER_FRIEND_REMARK,
        /// Pinner's name card.
        pinner_name_card: String = MESSAGE_PINNER_NAME_CARD,
        /// Pinner's avatar.
        pinner_face_url: String = MESSAGE_PINNER_FACE_URL,
        /// Internal numeric sender ID.
        sender_tiny_id: u64 = MESSAGE_SENDER_TINY_ID,
        /// Internal numeric receiver ID.
        receiver_tiny_id: u64 = MESSAGE_RECEIVER_TINY_ID,
    }
}

impl Message {
    /// The message's locator: what identifies it besides its message ID.
    pub fn locator(&self) -> MsgLocator {
        MsgLocator {
            conv_id: self.conv_id.clone(),
            conv_type: self.conv_type,
            is_revoked: self.status == Some(MsgStatus::Revoked),
            time: self.server_time,
            seq: self.seq,
            is_self: self.is_from_self,
            rand: self.rand,
            unique_id: self.unique_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{self, JsonValue};

    #[test]
    fn an_empty_object_is_a_message_with_defaults() {
        let message: Message = json::from_str("{}").unwrap();
        assert_eq!(message, Message::default());
        assert_eq!(message.priority, MsgPriority::Normal);
    }

    #[test]
    fn the_old_push_config_spelling_is_read_and_the_new_one_written() {
        let message: Message =
            json::from_str(r#"{"message_offlie_push_config":{"offline_push_config_desc":"hi"}}"#)
                .unwrap();
        assert_eq!(
            message
                .offline_push_config
                .as_ref()
                .map(|c| c.desc.as_str()),
            Some("hi")
        );
        let written = message.to_json();
        assert!(written.get("message_offline_push_config").is_some());
        assert!(written.get("message_offlie_push_config").is_none());
    }

    #[test]
    fn custom_int_accepts_numbers_in_strings_and_ignores_words() {
        let message: Message = json::from_str(r#"{"message_custom_int":"42"}"#).unwrap();
        assert_eq!(message.custom_int, 42);
        let message: Message = json::from_str(
            r#"{"message_custom_int":"custom int","message_custom_str":"custom Str"}"#,
        )
        .unwrap();
        assert_eq!(
            (message.custom_int, message.custom_str.as_str()),
            (0, "custom Str")
        );
        let err = json::from_str::<Message>(r#"{"message_custom_int":-3}"#).unwrap_err();
        assert_eq!((err.code(), err.path()), (6017, "message_custom_int"));
    }

    #[test]
    fn nested_errors_carry_the_full_path() {
        let err = json::from_str::<Message>(
            r#"{"message_elem_array":[{"elem_type":0,"text_elem_content":"a"},{"elem_type":0,"text_elem_content":5}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.path(), "message_elem_array[1].text_elem_content");
        assert_eq!(err.code(), 6027);
    }
}
