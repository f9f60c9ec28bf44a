//! Read reports and read receipts.
//!
//! Decisions:
//! - A receipt for a message not sent with `need_read_receipt` refuses the whole call with
//!   `ERR_INVALID_PARAMETERS` (6017); so does more than
//!   [`READ_RECEIPT_MSG_MAX`](tim_model::limits::READ_RECEIPT_MSG_MAX) messages or none.
//!   Receipts for the reader's own messages are ignored (nothing recorded, no push).
//! - The read-member page size must be 1..=100 (`ERR_INVALID_PARAMETERS` otherwise); the
//!   filter must be 0 (read) or 1 (unread).

use super::{
    Reply, Services, Session, error_response, internal, invalid, parse_conversation, single,
};
use crate::storage::read_state::{ReadStateApplied, ReadStateWrite, ReportScope};
use crate::storage::{Applied, Refusal, WriteOp};
use tim_model::codes;
use tim_model::enums::ConvType;
use tim_model::ids::{GroupId, MessageId};
use tim_model::limits::{READ_RECEIPT_MSG_MAX, validate_read_member_count};
use tim_proto::v1;
use tim_proto::v1::server_frame::Body as Response;

/// The read-member filter "members who read" (TIMGroupMessageReadMembersFilter).
const FILTER_READ: i32 = 0;
/// The read-member filter "members who have not read".
const FILTER_UNREAD: i32 = 1;

fn unexpected() -> Response {
    error_response(Refusal::new(
        codes::ERR_SDK_INTERNAL_ERROR,
        "unexpected result",
    ))
}

fn parse_msg_ids(msg_ids: &[String]) -> Result<Vec<MessageId>, Refusal> {
    if msg_ids.is_empty() {
        return Err(invalid("msg_ids: at least one message is needed"));
    }
    if msg_ids.len() > READ_RECEIPT_MSG_MAX {
        return Err(invalid(format!(
            "msg_ids: {} messages; the limit is {READ_RECEIPT_MSG_MAX}",
            msg_ids.len()
        )));
    }
    msg_ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            MessageId::parse_at(id, &format!("msg_ids[{i}]"))
                .map_err(|e| Refusal::new(e.code(), e.to_string()))
        })
        .collect()
}

impl Services {
    /// `ReportReadRequest`.
    pub(super) async fn report_read(
        &self,
        session: &Session,
        request: v1::ReportReadRequest,
    ) -> Result<Reply, Refusal> {
        use v1::report_read_request::Scope;
        let scope = match request.scope {
            Some(Scope::Conversation(mark)) => ReportScope::One {
                target: parse_conversation(mark.conversation.as_ref())?,
                read_time: mark.read_time,
                read_seq: mark.read_seq,
            },
            Some(Scope::AllOfConvType(0)) => ReportScope::All(None),
            Some(Scope::AllOfConvType(kind)) => match ConvType::from_value(i64::from(kind)) {
                Some(kind @ (ConvType::C2c | ConvType::Group)) => ReportScope::All(Some(kind)),
                _ => {
                    return Err(Refusal::new(
                        codes::ERR_INVALID_CONVERSATION,
                        format!("all_of_conv_type: {kind} is not 0, 1 or 2"),
                    ));
                }
            },
            None => return Err(invalid("scope: required")),
        };
        let op = WriteOp::ReadState(Box::new(ReadStateWrite::Report {
            app: session.app,
            user: session.user.clone(),
            scope,
            now: crate::usersig::now_secs(),
        }));
        let answer = self.writer.submit(vec![op]).await;
        Ok(Reply::later(async move {
            match single(answer.await) {
                Ok(Applied::ReadState(ReadStateApplied::Marks(marks))) => {
                    Response::ReportRead(v1::ReportReadResponse { marks })
                }
                Ok(_) => unexpected(),
                Err(refusal) => error_response(refusal),
            }
        }))
    }

    /// `SendReadReceiptsRequest`.
    pub(super) async fn send_read_receipts(
        &self,
        session: &Session,
        request: v1::SendReadReceiptsRequest,
    ) -> Result<Reply, Refusal> {
        let target = parse_conversation(request.conversation.as_ref())?;
        let msg_ids = parse_msg_ids(&request.msg_ids)?;
        let op = WriteOp::ReadState(Box::new(ReadStateWrite::Receipts {
            app: session.app,
            reader: session.user.clone(),
            target,
            msg_ids,
        }));
        let answer = self.writer.submit(vec![op]).await;
        Ok(Reply::later(async move {
            match single(answer.await) {
                Ok(Applied::ReadState(ReadStateApplied::Receipts(_))) => {
                    Response::SendReadReceipts(v1::SendReadReceiptsResponse {})
                }
                Ok(_) => unexpected(),
                Err(refusal) => error_response(refusal),
            }
        }))
    }

    /// `GetReadReceiptsRequest`.
    pub(super) async fn get_read_receipts(
        &self,
        session: &Session,
        request: v1::GetReadReceiptsRequest,
    ) -> Result<Reply, Refusal> {
        let target = parse_conversation(request.conversation.as_ref())?;
        let msg_ids = parse_msg_ids(&request.msg_ids)?;
        let receipts = self
            .storage
            .read_receipts(session.app, &session.user, &target, &msg_ids)
            .await
            .map_err(internal)??;
        Ok(Reply::now(Response::GetReadReceipts(
            v1::GetReadReceiptsResponse { receipts },
        )))
    }

    /// `GetGroupReadMembersRequest`.
    pub(super) async fn get_group_read_members(
        &self,
        session: &Session,
        request: v1::GetGroupReadMembersRequest,
    ) -> Result<Reply, Refusal> {
        let group = GroupId::parse_at(&request.group_id, "group_id")
            .map_err(|e| Refusal::new(e.code(), e.to_string()))?;
        let msg_id = MessageId::parse_at(&request.msg_id, "msg_id")
            .map_err(|e| Refusal::new(e.code(), e.to_string()))?;
        validate_read_member_count(request.count)
            .map_err(|e| Refusal::new(e.code(), e.to_string()))?;
        let read = match request.filter {
            FILTER_READ => true,
            FILTER_UNREAD => false,
            other => return Err(invalid(format!("filter: {other} is not 0 or 1"))),
        };
        let page = self
            .storage
            .group_read_members(
                session.app,
                &session.user,
                &group,
                &msg_id,
                read,
                request.next_seq,
                request.count as usize,
            )
            .await
            .map_err(internal)??;
        Ok(Reply::now(Response::GetGroupReadMembers(
            v1::GetGroupReadMembersResponse {
                members: page
                    .members
                    .into_iter()
                    .map(|m| super::groups::member_info(&group, m))
                    .collect(),
                next_seq: page.next,
                is_finished: page.finished,
            },
        )))
    }
}
