//! Parameter and result objects of the message functions: locator, history page, delete,
//! batch send and element download.

use crate::enums::{ConvType, DownloadType, ElemType};
use crate::error::Result;
use crate::ids::Seq;
use crate::json::{JsonObject, JsonValue, ObjReader, ObjWriter, Path, json_object};
use crate::keys;
use crate::message::Message;
use serde_json::Value;

json_object! {
    /// What identifies a message besides its ID (`TIMMsgFindByMsgLocatorList` input, revoke
    /// notifications).
    pub struct MsgLocator {
        /// Conversation ID.
        conv_id: String = MESSAGE_LOCATOR_CONV_ID,
        /// Conversation type.
        conv_type: ConvType = MESSAGE_LOCATOR_CONV_TYPE,
        /// The message was revoked.
        is_revoked: bool = MESSAGE_LOCATOR_IS_REVOKED,
        /// Message time (server time, seconds).
        time: u64 = MESSAGE_LOCATOR_TIME,
        /// Message seq.
        seq: Seq = MESSAGE_LOCATOR_SEQ,
        /// Sent by the logged-in user.
        is_self: bool = MESSAGE_LOCATOR_IS_SELF,
        /// Message random.
        rand: u64 = MESSAGE_LOCATOR_RAND,
        /// Legacy unique ID.
        unique_id: u64 = MESSAGE_LOCATOR_UNIQUE_ID,
    }
}

/// One item of the revoke callback: the revoked message's locator plus who revoked it and why.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RevokeInfo {
    /// The revoked message.
    pub locator: MsgLocator,
    /// Who revoked it.
    pub revoker_user_id: String,
    /// Revoker's nickname.
    pub revoker_nick_name: String,
    /// Revoker's avatar.
    pub revoker_face_url: String,
    /// Why.
    pub revoke_reason: String,
}

impl JsonObject for RevokeInfo {
    fn read_fields(obj: &ObjReader<'_, '_>) -> Result<Self> {
        Ok(Self {
            locator: MsgLocator::read_fields(obj)?,
            revoker_user_id: obj
                .optional(keys::MESSAGE_REVOKER_USER_ID)?
                .unwrap_or_default(),
            revoker_nick_name: obj
                .optional(keys::MESSAGE_REVOKER_NICK_NAME)?
                .unwrap_or_default(),
            revoker_face_url: obj
                .optional(keys::MESSAGE_REVOKER_FACE_URL)?
                .unwrap_or_default(),
            revoke_reason: obj
                .optional(keys::MESSAGE_REVOKE_REASON)?
                .unwrap_or_default(),
        })
    }

    fn write_fields(&self, out: &mut ObjWriter) {
        self.locator.write_fields(out);
        out.put(
            keys::MESSAGE_REVOKER_USER_ID,
            self.revoker_user_id.to_json(),
        );
        out.put(
            keys::MESSAGE_REVOKER_NICK_NAME,
            self.revoker_nick_name.to_json(),
        );
        out.put(
            keys::MESSAGE_REVOKER_FACE_URL,
            self.revoker_face_url.to_json(),
        );
        out.put(keys::MESSAGE_REVOKE_REASON, self.revoke_reason.to_json());
    }
}

impl JsonValue for RevokeInfo {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self> {
        Self::from_object(value, path)
    }

    fn to_json(&self) -> Value {
        self.to_object()
    }
}

#[cfg(any(test, feature = "arbitrary"))]
impl crate::arb::ArbField for RevokeInfo {
    fn strategy() -> proptest::strategy::BoxedStrategy<Self> {
        use crate::arb::arbitrary;
        use proptest::prelude::*;
        (arbitrary::<MsgLocator>(), any::<[String; 4]>())
            .prop_map(|(locator, [user, nick, face, reason])| Self {
                locator,
                revoker_user_id: user,
                revoker_nick_name: nick,
                revoker_face_url: face,
                revoke_reason: reason,
            })
            .boxed()
    }
}

json_object! {
    /// Which page of history `TIMMsgGetMsgList` returns.
    pub struct GetMsgListParam {
        /// Anchor message (excluded from the result); `{}` means "no anchor".
        last_msg: Option<Message> = MSG_GETMSGLIST_PARAM_LAST_MSG,
        /// How many messages (0: the engine's default page size).
        count: u32 = MSG_GETMSGLIST_PARAM_COUNT,
        /// Also fetch cloud history when local history runs out.
        is_ramble: bool = MSG_GETMSGLIST_PARAM_IS_RAMBLE,
        /// Newer than the anchor (true) or older (false).
        is_forward: bool = MSG_GETMSGLIST_PARAM_IS_FORWARD,
        /// Anchor by seq, included in the result (groups only; 0: none).
        last_msg_seq: Seq = MSG_GETMSGLIST_PARAM_LAST_MSG_SEQ,
        /// Range start, UTC seconds (0: none).
        time_begin: u64 = MSG_GETMSGLIST_PARAM_TIME_BEGIN,
        /// Range length, seconds (0: none).
        time_period: u64 = MSG_GETMSGLIST_PARAM_TIME_PERIOD,
        /// Element-type filter (empty: all).
        message_type_array: Vec<ElemType> = MSG_GETMSGLIST_PARAM_MESSAGE_TYPE_ARRAY,
        /// Exactly these seqs (groups only; takes priority).
        message_seq_array: Vec<Seq> = MSG_GETMSGLIST_PARAM_MESSAGE_SEQ_ARRAY,
        /// Anchor by message ID.
        last_msg_id: String = MSG_LAST_MSG_ID,
    }
}

json_object! {
    /// What `TIMMsgDelete` deletes.
    pub struct MsgDeleteParam {
        /// The message to delete; absent: every local message of the conversation.
        msg: Option<Message> = MSG_DELETE_PARAM_MSG,
        /// Also delete from cloud history.
        is_ramble: bool = MSG_DELETE_PARAM_IS_RAMBLE,
    }
}

json_object! {
    /// `TIMMsgBatchSend` input: one message to many users.
    pub struct BatchSendParam {
        /// Recipients (at most 500).
        identifier_array: Vec<String> = MSG_BATCH_SEND_PARAM_IDENTIFIER_ARRAY (required),
        /// The message.
        msg: Message = MSG_BATCH_SEND_PARAM_MSG (required),
    }
}

json_object! {
    /// `TIMMsgBatchSend` result for one recipient.
    pub struct BatchSendResult {
        /// The recipient.
        identifier: String = MSG_BATCH_SEND_RESULT_IDENTIFIER,
        /// Result code (0 on success).
        code: i32 = MSG_BATCH_SEND_RESULT_CODE,
        /// Result description.
        desc: String = MSG_BATCH_SEND_RESULT_DESC,
        /// The message as sent to that recipient.
        msg: Option<Message> = MSG_BATCH_SEND_RESULT_MSG,
    }
}

json_object! {
    /// `TIMMsgDownloadElemToPath` input, copied from the element.
    pub struct DownloadElemParam {
        /// Download flag (older SDKs).
        flag: u32 = MSG_DOWNLOAD_ELEM_PARAM_FLAG,
        /// What to download.
        download_type: DownloadType = MSG_DOWNLOAD_ELEM_PARAM_TYPE,
        /// The element's file ID.
        id: String = MSG_DOWNLOAD_ELEM_PARAM_ID,
        /// The element's business ID.
        business_id: u32 = MSG_DOWNLOAD_ELEM_PARAM_BUSINESS_ID,
        /// The element's URL.
        url: String = MSG_DOWNLOAD_ELEM_PARAM_URL,
    }
}

json_object! {
    /// `TIMMsgDownloadElemToPath` progress.
    pub struct DownloadElemResult {
        /// Bytes downloaded so far.
        current_size: u32 = MSG_DOWNLOAD_ELEM_RESULT_CURRENT_SIZE,
        /// Total bytes.
        total_size: u32 = MSG_DOWNLOAD_ELEM_RESULT_TOTAL_SIZE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn the_old_is_remble_spelling_is_read() {
        let param: GetMsgListParam = json::from_str(
            r#"{"msg_getmsglist_param_is_remble":true,"msg_getmsglist_param_last_msg":{}}"#,
        )
        .unwrap();
        assert!(param.is_ramble);
        assert_eq!(param.last_msg, Some(Message::default()));
        let written = param.to_json();
        assert_eq!(written["msg_getmsglist_param_is_ramble"], true);
        assert!(written.get("msg_getmsglist_param_is_remble").is_none());
    }

    #[test]
    fn the_new_spelling_wins_when_both_are_present() {
        let param: MsgDeleteParam = json::from_str(
            r#"{"msg_delete_param_is_remble":true,"msg_delete_param_is_ramble":false}"#,
        )
        .unwrap();
        assert!(!param.is_ramble);
    }

    #[test]
    fn batch_send_needs_recipients_and_a_message() {
        let err =
            json::from_str::<BatchSendParam>(r#"{"msg_batch_send_param_msg":{}}"#).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            (6017, "msg_batch_send_param_identifier_array")
        );
    }

    #[test]
    fn revoke_info_is_a_locator_with_revoker_fields() {
        let info: RevokeInfo = json::from_str(
            r#"{"message_locator_seq":9,"message_revoker_user_id":"boss","message_revoke_reason":"oops"}"#,
        )
        .unwrap();
        assert_eq!(info.locator.seq, Seq(9));
        assert_eq!(info.revoker_user_id, "boss");
        let written = info.to_json();
        assert_eq!(written["message_locator_seq"], 9);
        assert_eq!(written["message_revoke_reason"], "oops");
    }
}
