//! Read reports and read receipts: TIMMsgReportReaded, TIMMsgMarkAllMessageAsRead,
//! TIMMsgSendMessageReadReceipts, TIMMsgGetMessageReadReceipts,
//! TIMMsgGetGroupMessageReadMemberList, and the read pushes.
//!
//! Decisions:
//! - A report marks the local store at once (the unread count drops before the call
//!   returns), then tells the server; the server's answer (its marks, 0s resolved to its time
//!   and newest seq) is applied too. Offline, the local mark stays and the call fails with the
//!   network code; the report is not queued for later (another report, or the next one from
//!   any device, carries the mark).
//! - Every device of the reporting user, the reporting one included, gets the
//!   `ConversationReadPush` (pushed, or synced after being offline), applies the marks
//!   (forward only, so applying twice changes nothing) and raises
//!   [`Event::ConversationRead`] per conversation: unread counts agree across devices.
//! - The C2C peer gets a conversation-level receipt: its store remembers the read time and
//!   sets `is_peer_read` on the peer's own messages up to it, then raises
//!   [`Event::ReadReceipts`]. Own messages stored later at or before that time (acked or
//!   synced from another device after the receipt) are stored peer-read.
//! - C2C marks are server times in seconds, as Tencent's: a report without a message marks up
//!   to the newest message's time, so a message of that same second arriving later counts as
//!   read. A mark that does not move notifies nobody.
//! - Message receipts: every message must be of one conversation and sent with
//!   `need_read_receipt` (6017 otherwise, checked by the server; nothing recorded); receipts
//!   for this user's own messages are ignored. The sender's devices get
//!   [`Event::ReadReceipts`] with the new counts, which are also written on their stored
//!   message (`is_peer_read` for C2C, `group_receipt_read_count`/`_unread_count` for groups).
//!   The reader's stored copies get `has_sent_receipt`.

use super::connection::{Request, Response};
use super::persist::blocking;
use super::session::{Session, unexpected};
use crate::client::Client;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::net::GroupMemberPage;
use tim_model::enums::{ConvType, GroupMessageReadMembersFilter};
use tim_model::{ConvId, GroupMemberInfo, Message, MessageReceipt, limits};
use tim_proto::v1 as wire;
use tim_proto::v1::sync_event;
use tim_store::ConversationState;

/// The marks of an answer or push as (conversation, read time, read seq); undecodable ones
/// are skipped.
fn decode_marks(marks: Vec<wire::ReadMark>) -> Vec<(ConvId, u64, u64)> {
    marks
        .into_iter()
        .filter_map(|mark| {
            let conv = ConvId::try_from(mark.conversation?).ok()?;
            Some((conv, mark.read_time, mark.read_seq))
        })
        .collect()
}

fn decode_receipts(receipts: Vec<wire::MessageReceipt>) -> Vec<MessageReceipt> {
    receipts
        .into_iter()
        .filter_map(|receipt| match MessageReceipt::try_from(receipt) {
            Ok(receipt) => Some(receipt),
            Err(err) => {
                tracing::warn!("tim: undecodable read receipt skipped: {err}");
                None
            }
        })
        .collect()
}

/// The conversation of `messages` (all must be of one) and their IDs.
fn one_conversation(messages: &[Message]) -> Result<(ConvId, Vec<String>)> {
    let Some(first) = messages.first() else {
        return Err(CoreError::invalid("json_msg_array: at least one message"));
    };
    if messages.len() > limits::READ_RECEIPT_MSG_MAX {
        return Err(CoreError::invalid(format!(
            "json_msg_array: {} messages; the limit is {}",
            messages.len(),
            limits::READ_RECEIPT_MSG_MAX
        )));
    }
    let conv = ConvId::new(first.conv_type, &first.conv_id)?;
    let mut ids = Vec::with_capacity(messages.len());
    for (index, message) in messages.iter().enumerate() {
        if message.conv_type != first.conv_type || message.conv_id != first.conv_id {
            return Err(CoreError::invalid(format!(
                "json_msg_array[{index}]: all messages must be of one conversation"
            )));
        }
        let Some(id) = &message.msg_id else {
            return Err(CoreError::invalid(format!(
                "json_msg_array[{index}].message_msg_id: required"
            )));
        };
        ids.push(id.as_str().to_owned());
    }
    Ok((conv, ids))
}

impl Client {
    /// `TIMMsgReportReaded`: marks `conv` read up to `message` (its server time for C2C, its
    /// seq for a group), or up to the newest message when `None`. The local store is marked
    /// first; the server then tells this user's other devices and, for C2C, the peer. Returns
    /// the conversation's state afterwards.
    pub async fn report_read(
        &self,
        conv: &ConvId,
        message: Option<&Message>,
    ) -> Result<ConversationState> {
        let local = conv.clone();
        let upto = message.cloned();
        self.with_engine(move |engine| engine.mark_read(&local, upto.as_ref()))
            .await?;
        let (read_time, read_seq) = match (conv, message) {
            (ConvId::C2c(_), Some(m)) => (m.server_time, 0),
            (ConvId::Group(_), Some(m)) => (0, m.seq.0),
            (_, None) => (0, 0),
        };
        let request = wire::ReportReadRequest {
            scope: Some(wire::report_read_request::Scope::Conversation(
                wire::ReadMark {
                    conversation: Some(conv.clone().into()),
                    read_time,
                    read_seq,
                },
            )),
        };
        self.report(request).await?;
        let conv = conv.clone();
        self.with_engine(move |engine| engine.conversation_state(&conv))
            .await
    }

    /// `TIMMsgMarkAllMessageAsRead` (`None`) and `TIMMsgReportReaded` with an empty conv_id
    /// (`Some(ConvType::C2c)` or `Some(ConvType::Group)`): marks every conversation of that
    /// kind read, locally at once and then on the server (which tells this user's other
    /// devices and the C2C peers).
    pub async fn mark_all_read(&self, kind: Option<ConvType>) -> Result<()> {
        let all_of_conv_type = match kind {
            None => 0,
            Some(kind @ (ConvType::C2c | ConvType::Group)) => kind.value(),
            Some(other) => {
                return Err(CoreError::refused(
                    tim_model::codes::ERR_INVALID_CONVERSATION,
                    format!("conv_type: {} cannot be marked read", other.value()),
                ));
            }
        };
        self.with_engine(move |engine| engine.mark_all_read_local(kind))
            .await?;
        let request = wire::ReportReadRequest {
            scope: Some(wire::report_read_request::Scope::AllOfConvType(
                all_of_conv_type,
            )),
        };
        self.report(request).await
    }

    async fn report(&self, request: wire::ReportReadRequest) -> Result<()> {
        let marks = match self.request(Request::ReportRead(request)).await? {
            Response::ReportRead(response) => decode_marks(response.marks),
            other => return Err(unexpected(&other)),
        };
        self.with_engine(move |engine| engine.apply_read_marks(&marks))
            .await
    }

    /// `TIMMsgSendMessageReadReceipts`: tells the senders of `messages` (all of one
    /// conversation, each sent with `need_read_receipt`) that this user read them. Does not
    /// change unread counts.
    pub async fn send_message_read_receipts(&self, messages: &[Message]) -> Result<()> {
        let (conv, msg_ids) = one_conversation(messages)?;
        let request = wire::SendReadReceiptsRequest {
            conversation: Some(conv.into()),
            msg_ids,
        };
        match self.request(Request::SendReadReceipts(request)).await? {
            Response::SendReadReceipts(_) => {}
            other => return Err(unexpected(&other)),
        }
        let sent = messages.to_vec();
        self.with_engine(move |engine| engine.mark_receipts_sent(&sent))
            .await
    }

    /// `TIMMsgGetMessageReadReceipts`: the receipts of `messages` (all of one conversation)
    /// from the server: C2C `is_peer_read`, group read and unread counts. The stored copies
    /// take the answer.
    pub async fn get_message_read_receipts(
        &self,
        messages: &[Message],
    ) -> Result<Vec<MessageReceipt>> {
        let (conv, msg_ids) = one_conversation(messages)?;
        let request = wire::GetReadReceiptsRequest {
            conversation: Some(conv.into()),
            msg_ids,
        };
        let receipts = match self.request(Request::GetReadReceipts(request)).await? {
            Response::GetReadReceipts(response) => decode_receipts(response.receipts),
            other => return Err(unexpected(&other)),
        };
        let apply = receipts.clone();
        self.with_engine(move |engine| engine.apply_receipts(&apply))
            .await?;
        Ok(receipts)
    }

    /// `TIMMsgGetGroupMessageReadMemberList`: one page (`count` 1..=100) of the members who
    /// read (or did not read) group `message`, from join-order position `next_seq` (0 first).
    pub async fn get_group_message_read_member_list(
        &self,
        message: &Message,
        filter: GroupMessageReadMembersFilter,
        next_seq: u64,
        count: u32,
    ) -> Result<GroupMemberPage> {
        limits::validate_read_member_count(count)?;
        if message.conv_type != ConvType::Group {
            return Err(CoreError::invalid(
                "json_msg.message_conv_type: a group message is needed",
            ));
        }
        let Some(id) = &message.msg_id else {
            return Err(CoreError::invalid("json_msg.message_msg_id: required"));
        };
        let request = wire::GetGroupReadMembersRequest {
            group_id: message.conv_id.clone(),
            msg_id: id.as_str().to_owned(),
            filter: filter.value(),
            next_seq,
            count,
        };
        let response = match self.request(Request::GetGroupReadMembers(request)).await? {
            Response::GetGroupReadMembers(response) => response,
            other => return Err(unexpected(&other)),
        };
        let members = response
            .members
            .into_iter()
            .map(GroupMemberInfo::try_from)
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(GroupMemberPage {
            members,
            next_seq: response.next_seq,
            is_finished: response.is_finished,
        })
    }
}

impl Session {
    /// Applies a logged event of this area (push or sync), in log order.
    pub(crate) async fn read_state_notice(&mut self, event: sync_event::Event) -> Result<()> {
        match event {
            sync_event::Event::ConversationRead(push) => {
                let marks = decode_marks(push.marks);
                let convs: Vec<ConvId> = marks.iter().map(|(conv, ..)| conv.clone()).collect();
                blocking(&self.ctx.engine, move |engine| {
                    engine.apply_read_marks(&marks)
                })
                .await?;
                for conv in convs {
                    self.ctx.shared.events.emit(&Event::ConversationRead(conv));
                }
            }
            sync_event::Event::ReadReceipts(push) => {
                let receipts = decode_receipts(push.receipts);
                if receipts.is_empty() {
                    return Ok(());
                }
                let apply = receipts.clone();
                blocking(&self.ctx.engine, move |engine| {
                    engine.apply_receipts(&apply)
                })
                .await?;
                self.ctx.shared.events.emit(&Event::ReadReceipts(receipts));
            }
            _ => {}
        }
        Ok(())
    }
}
