//! The enums of the conversation module (`docs/spec/conversations.md` §2).

use super::*;

tim_enum! {
    /// What happened to the conversations of a conversation event.
    pub enum ConvEvent = "TIMConvEvent" {
        /// Conversations were created.
        #[default]
        Add = 0 => "kTIMConvEvent_Add",
        /// Conversations were deleted.
        Del = 1 => "kTIMConvEvent_Del",
        /// Conversations changed.
        Update = 2 => "kTIMConvEvent_Update",
        /// The sync of conversations from the server started.
        Start = 3 => "kTIMConvEvent_Start",
        /// The sync of conversations from the server finished.
        Finish = 4 => "kTIMConvEvent_Finish",
    }
}

tim_enum! {
    /// The standard conversation marks (bit flags of `conv_mark_array`).
    pub enum ConversationMarkType = "TIMConversationMarkType" {
        /// Starred.
        #[default]
        Star = 1 => "kTIMConversationMarkTypeStar",
        /// Marked unread.
        Unread = 2 => "kTIMConversationMarkTypeUnread",
        /// Folded.
        Fold = 4 => "kTIMConversationMarkTypeFold",
        /// Hidden.
        Hide = 8 => "kTIMConversationMarkTypeHide",
    }
}

tim_enum! {
    /// The kind of a pending @-mention of a group conversation.
    pub enum GroupAtType = "TIMGroupAtType" {
        /// Someone @-mentioned me.
        #[default]
        AtMe = 1 => "kTIMGroup_At_Me",
        /// @all.
        AtAll = 2 => "kTIMGroup_At_All",
        /// @all and @me in one message.
        AtAllAtMe = 3 => "kTIMGroup_At_All_At_ME",
    }
}
