//! Read reports and read receipts.

use crate::model::MessageReceipt;
use crate::model::enums::{ConvType, GroupMessageReadMembersFilter};
use crate::{Client, Conversation, ConversationState, GroupMemberPage, Message, Result};

impl Conversation {
    /// `TIMMsgReportReaded`: marks this conversation read up to `message`, or up to its
    /// newest message when `None`. Every device of this user gets
    /// [`Event::ConversationRead`](crate::Event::ConversationRead) and the same unread count;
    /// a C2C peer gets [`Event::ReadReceipts`](crate::Event::ReadReceipts) and sees its
    /// messages `is_peer_read`. Returns the conversation's state afterwards.
    pub async fn mark_read(&self, message: Option<&Message>) -> Result<ConversationState> {
        self.core.report_read(self.id(), message).await
    }

    /// `TIMMsgSendMessageReadReceipts`: tells the senders of `messages` (of this
    /// conversation, sent with `need_read_receipt`) that they were read.
    pub async fn send_read_receipts(&self, messages: &[Message]) -> Result<()> {
        self.core.send_message_read_receipts(messages).await
    }

    /// `TIMMsgGetMessageReadReceipts`: the receipts of `messages` of this conversation.
    pub async fn read_receipts(&self, messages: &[Message]) -> Result<Vec<MessageReceipt>> {
        self.core.get_message_read_receipts(messages).await
    }

    /// `TIMMsgGetGroupMessageReadMemberList`: a page (`count` 1..=100) of the members who
    /// read (or did not read) group `message`, from `next_seq` (0 first).
    pub async fn read_members(
        &self,
        message: &Message,
        filter: GroupMessageReadMembersFilter,
        next_seq: u64,
        count: u32,
    ) -> Result<GroupMemberPage> {
        self.core
            .get_group_message_read_member_list(message, filter, next_seq, count)
            .await
    }
}

impl Client {
    /// `TIMMsgMarkAllMessageAsRead` (`None`), or `TIMMsgReportReaded` with an empty conv_id
    /// for every C2C (`Some(ConvType::C2c)`) or group (`Some(ConvType::Group)`) conversation.
    pub async fn mark_all_read(&self, kind: Option<ConvType>) -> Result<()> {
        self.core().mark_all_read(kind).await
    }
}
