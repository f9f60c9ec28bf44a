//! The conversation module's JSON objects (`docs/spec/conversations.md` §5): what
//! `TIMConvGetConvList` and the conversation event return ([`ConvInfo`]), drafts, the list
//! filter and the batch results, and the `c2c_<user>`/`group_<group>` conversation-ID form.

use crate::enums::{ConvType, GroupAtType, GroupType, ReceiveMessageOpt};
use crate::error::{ModelError, Result};
use crate::ids::ConvId;
use crate::json::json_object;
use crate::message::Message;

json_object! {
    /// A draft: the user's unsent input of a conversation (`TIMConvSetDraft`).
    pub struct Draft {
        /// The draft content as a message (usually only its elements).
        msg: Option<Message> = DRAFT_MSG,
        /// Free-form application data.
        user_define: String = DRAFT_USER_DEFINE,
        /// When the draft was set, UTC seconds (the caller supplies it).
        edit_time: u64 = DRAFT_EDIT_TIME,
    }
}

json_object! {
    /// A pending @-mention of a group conversation.
    pub struct GroupAtInfo {
        /// The seq of the message that mentioned.
        seq: u64 = CONV_GROUP_AT_INFO_SEQ,
        /// @me, @all or both.
        at_type: GroupAtType = CONV_GROUP_AT_INFO_AT_TYPE,
    }
}

json_object! {
    /// A conversation as the list, `TIMConvGetConvInfo` and the conversation event show it.
    pub struct ConvInfo {
        /// The peer's user ID or the group ID (not the `c2c_` form).
        conv_id: String = CONV_ID,
        /// C2C or group.
        conv_type: ConvType = CONV_TYPE,
        /// The group's or peer's avatar.
        face_url: String = CONV_FACE_URL,
        /// Unread messages.
        unread_num: u64 = CONV_UNREAD_NUM,
        /// When the conversation was last active (its newest message, draft or pin), seconds.
        active_time: u64 = CONV_ACTIVE_TIME,
        /// Whether `last_msg` is present.
        is_has_lastmsg: bool = CONV_IS_HAS_LASTMSG,
        /// The newest message.
        last_msg: Option<Message> = CONV_LAST_MSG,
        /// Whether `draft` is present.
        is_has_draft: bool = CONV_IS_HAS_DRAFT,
        /// The draft.
        draft: Option<Draft> = CONV_DRAFT,
        /// The receive option.
        recv_opt: ReceiveMessageOpt = CONV_RECV_OPT,
        /// The group type (group conversations).
        group_type: Option<GroupType> = CONV_GROUP_TYPE,
        /// Pending @-mentions (group conversations).
        group_at_info_array: Vec<GroupAtInfo> = CONV_GROUP_AT_INFO_ARRAY,
        /// Pinned to the top.
        is_pinned: bool = CONV_IS_PINNED,
        /// The name to show: the group's name or the peer's nickname, else the ID.
        show_name: String = CONV_SHOW_NAME,
        /// The marks set, one bit each.
        mark_array: Vec<u64> = CONV_MARK_ARRAY,
        /// Custom data (`TIMConvSetConversationCustomData`).
        custom_data: String = CONV_CUSTOM_DATA,
        /// The conversation groups it belongs to.
        conversation_group_array: Vec<String> = CONV_CONVERSATION_GROUP_ARRAY,
        /// C2C: the newest message read is up to this time.
        c2c_read_timestamp: u64 = CONV_C2C_READ_TIMESTAMP,
        /// Group: messages up to this seq are read.
        group_read_sequence: u64 = CONV_GROUP_READ_SEQUENCE,
    }
}

json_object! {
    /// Which conversations a list, an unread count or a subscription covers; an absent field
    /// does not filter.
    pub struct ConversationListFilter {
        /// Only this type (absent or `kTIMConv_Invalid`: any type).
        conv_type: ConvType = CONVERSATION_LIST_FILTER_CONV_TYPE,
        /// Only conversations of this conversation group (`""`: those in no group).
        conversation_group: Option<String> = CONVERSATION_LIST_FILTER_CONVERSATION_GROUP,
        /// Only conversations with this mark (0: those with no mark).
        mark_type: Option<u64> = CONVERSATION_LIST_FILTER_MARK_TYPE,
        /// Only conversations with (true) or without (false) unread messages.
        has_unread_count: Option<bool> = CONVERSATION_LIST_FILTER_HAS_UNREAD_COUNT,
        /// Only conversations with (true) or without (false) pending @-mentions.
        has_group_at_info: Option<bool> = CONVERSATION_LIST_FILTER_HAS_GROUP_AT_INFO,
        /// The paging cursor of the 6.5 form (the call's `next_seq` wins when not 0).
        next_seq: u64 = CONVERSATION_LIST_FILTER_NEXT_SEQ,
        /// The page size of the 6.5 form (the call's `count` wins when not 0).
        count: u32 = CONVERSATION_LIST_FILTER_COUNT,
    }
}

json_object! {
    /// One page of `TIMConvGetConversationListByFilter`.
    pub struct ConversationListResult {
        /// The conversations of the page.
        conv_list: Vec<ConvInfo> = CONVERSATION_LIST_RESULT_CONV_LIST,
        /// The cursor of the next page.
        next_seq: u64 = CONVERSATION_LIST_RESULT_NEXT_SEQ,
        /// No further page.
        is_finished: bool = CONVERSATION_LIST_RESULT_IS_FINISHED,
    }
}

json_object! {
    /// One conversation asked of `TIMConvGetConvInfo`.
    pub struct GetConversationListParam {
        /// The peer's user ID or the group ID.
        conv_id: String = GET_CONVERSATION_LIST_PARAM_CONV_ID (required),
        /// C2C or group.
        conv_type: ConvType = GET_CONVERSATION_LIST_PARAM_CONV_TYPE (required),
    }
}

json_object! {
    /// The result of `TIMConvGetTotalUnreadMessageCount` and
    /// `TIMConvGetUnreadMessageCountByFilter`.
    pub struct TotalUnreadResult {
        /// The unread count.
        unread_count: u64 = CONV_GET_TOTAL_UNREAD_MESSAGE_COUNT_RESULT_UNREAD_COUNT,
    }
}

json_object! {
    /// The outcome of a batch call for one conversation.
    pub struct ConversationOperationResult {
        /// The conversation, `c2c_<user>` or `group_<group>`.
        conversation_id: String = CONVERSATION_OPERATION_RESULT_CONVERSATION_ID,
        /// 0, or the TIM code of the failure.
        result_code: i32 = CONVERSATION_OPERATION_RESULT_RESULT_CODE,
        /// The failure's description.
        result_info: String = CONVERSATION_OPERATION_RESULT_RESULT_INFO,
    }
}

json_object! {
    /// The input of `TIMProfileGetUserProfileList`.
    pub struct GetProfileListParam {
        /// The users whose profiles are wanted.
        identifier_array: Vec<String> = FRIENDSHIP_GETPROFILELIST_PARAM_IDENTIFIER_ARRAY (required),
        /// Deprecated; accepted and ignored (profiles always come from the server).
        force_update: bool = FRIENDSHIP_GETPROFILELIST_PARAM_FORCE_UPDATE,
    }
}

impl ConvId {
    /// Parses the `c2c_<userID>` / `group_<groupID>` form (the inverse of `Display`).
    pub fn parse_prefixed(text: &str) -> Result<Self> {
        if let Some(user) = text.strip_prefix("c2c_") {
            Self::new(ConvType::C2c, user)
        } else if let Some(group) = text.strip_prefix("group_") {
            Self::new(ConvType::Group, group)
        } else {
            Err(ModelError::invalid(
                "conversation_id",
                format!("{text:?} is neither c2c_<userID> nor group_<groupID>"),
            ))
        }
    }
}

/// The highest mark bit an application may use: marks travel as JSON numbers, which
/// JavaScript reads exactly only up to 2^53 - 1 (Tencent allows bits 32..63; we allow 32..52).
pub const MAX_MARK_BIT: u32 = 52;

/// Whether `mark` is a mark [`ConversationMarkType`](crate::enums::ConversationMarkType) or an
/// application mark (one or more bits 32..=52) we store: a non-zero combination of those bits.
pub fn valid_mark(mark: u64) -> bool {
    const STANDARD: u64 = 0xf;
    const APP: u64 = ((1u64 << (MAX_MARK_BIT + 1)) - 1) & !((1u64 << 32) - 1);
    mark != 0 && mark & !(STANDARD | APP) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixed_ids_round_trip_and_bad_ones_are_refused() {
        for text in ["c2c_alice", "group_g1"] {
            let conv = ConvId::parse_prefixed(text).unwrap();
            assert_eq!(conv.to_string(), text);
        }
        for bad in ["", "c2c_", "alice", "group_", "C2C_alice"] {
            assert!(ConvId::parse_prefixed(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn marks_are_the_standard_bits_or_application_bits_up_to_52() {
        assert!(valid_mark(1) && valid_mark(8) && valid_mark(1 << 32) && valid_mark(1 << 52));
        assert!(valid_mark(0x3));
        assert!(
            !valid_mark(0) && !valid_mark(0x10) && !valid_mark(1 << 53) && !valid_mark(1 << 63)
        );
    }
}
