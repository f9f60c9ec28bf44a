//! Local message search: the query (`MessageSearchParam`) and the grouped result.

use crate::enums::{ConvType, ElemType, KeywordListMatchType};
use crate::json::json_object;
use crate::message::Message;

json_object! {
    /// `TIMMsgSearchLocalMessages` input.
    pub struct SearchParam {
        /// Keywords (1..=5).
        keyword_array: Vec<String> = MSG_SEARCH_PARAM_KEYWORD_ARRAY,
        /// Element-type filter (empty: all searchable types).
        message_type_array: Vec<ElemType> = MSG_SEARCH_PARAM_MESSAGE_TYPE_ARRAY,
        /// Conversation to search (empty: all).
        conv_id: String = MSG_SEARCH_PARAM_CONV_ID,
        /// Its type; `kTIMConv_Invalid` searches all conversations.
        conv_type: ConvType = MSG_SEARCH_PARAM_CONV_TYPE,
        /// Start instant, UTC seconds (0: now).
        search_time_position: u64 = MSG_SEARCH_PARAM_SEARCH_TIME_POSITION,
        /// Look-back window, seconds (0: unlimited).
        search_time_period: u64 = MSG_SEARCH_PARAM_SEARCH_TIME_PERIOD,
        /// Zero-based page.
        page_index: u32 = MSG_SEARCH_PARAM_PAGE_INDEX,
        /// Page size (0: no paging).
        page_size: u32 = MSG_SEARCH_PARAM_PAGE_SIZE,
        /// How keywords combine.
        keyword_list_match_type: KeywordListMatchType = MSG_SEARCH_PARAM_KEYWORD_LIST_MATCH_TYPE,
        /// Only these senders.
        sender_identifier_array: Vec<String> = MSG_SEARCH_PARAM_SEND_IDENTIFIER_ARRAY,
        /// Result count (cloud search).
        search_count: u32 = MSG_SEARCH_PARAM_SEARCH_COUNT,
        /// Cursor (cloud search).
        search_cursor: String = MSG_SEARCH_PARAM_SEARCH_CURSOR,
    }
}

json_object! {
    /// The hits in one conversation.
    pub struct SearchResultItem {
        /// Conversation ID.
        conv_id: String = MSG_SEARCH_RESULT_ITEM_CONV_ID,
        /// Conversation type.
        conv_type: ConvType = MSG_SEARCH_RESULT_ITEM_CONV_TYPE,
        /// Hits in this conversation.
        total_message_count: u32 = MSG_SEARCH_RESULT_ITEM_TOTAL_MESSAGE_COUNT,
        /// The matching messages (of the requested page).
        message_array: Vec<Message> = MSG_SEARCH_RESULT_ITEM_MESSAGE_ARRAY,
    }
}

json_object! {
    /// `TIMMsgSearchLocalMessages` result.
    pub struct SearchResult {
        /// One conversation searched: matching messages; all conversations: conversations with
        /// hits.
        total_count: u32 = MSG_SEARCH_RESULT_TOTAL_COUNT,
        /// Results grouped per conversation.
        item_array: Vec<SearchResultItem> = MSG_SEARCH_RESULT_ITEM_ARRAY,
        /// Cursor for the next cloud-search page.
        search_cursor: String = MSG_SEARCH_RESULT_SEARCH_CURSOR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn the_old_sender_array_spelling_is_read() {
        let param: SearchParam = json::from_str(
            r#"{"msg_search_param_keyword_array":["a"],"msg_search_param_send_indentifier_array":["u1"]}"#,
        )
        .unwrap();
        assert_eq!(param.sender_identifier_array, ["u1"]);
    }
}
