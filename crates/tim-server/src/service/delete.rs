//! Cloud deletes of the user's own history: `DeleteMessagesRequest` (TIMMsgListDelete,
//! TIMMsgDelete with is_ramble) and `ClearHistoryRequest` (TIMMsgClearHistoryMessage). Rules
//! and decisions: [`crate::storage::delete`].

use super::{Reply, Services, Session, error_response, invalid, parse_conversation, single};
use crate::storage::delete::{DeleteApplied, DeleteWrite};
use crate::storage::{Applied, Refusal, WriteOp};
use tim_model::codes;
use tim_model::ids::MessageId;
use tim_model::limits;
use tim_proto::v1;
use tim_proto::v1::server_frame::Body as Response;

/// Now, milliseconds since the epoch.
pub(super) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

fn unexpected() -> Response {
    error_response(Refusal::new(
        codes::ERR_SDK_INTERNAL_ERROR,
        "unexpected result",
    ))
}

impl Services {
    /// `DeleteMessagesRequest`.
    pub(super) async fn delete_messages(
        &self,
        session: &Session,
        request: v1::DeleteMessagesRequest,
    ) -> Result<Reply, Refusal> {
        let target = parse_conversation(request.conversation.as_ref())?;
        if request.msg_ids.is_empty() || request.msg_ids.len() > limits::LIST_DELETE_MAX {
            return Err(invalid(format!(
                "msg_ids: {} messages; a delete takes 1..={}",
                request.msg_ids.len(),
                limits::LIST_DELETE_MAX
            )));
        }
        let msg_ids = request
            .msg_ids
            .iter()
            .enumerate()
            .map(|(index, id)| MessageId::parse_at(id, &format!("msg_ids[{index}]")))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Refusal::new(e.code(), e.to_string()))?;
        let op = WriteOp::Delete(Box::new(DeleteWrite::Messages {
            app: session.app,
            user: session.user.clone(),
            target,
            msg_ids,
            now_ms: now_ms(),
            min_interval_ms: u64::try_from(self.config.list_delete_interval.as_millis())
                .unwrap_or(u64::MAX),
        }));
        let answer = self.writer.submit(vec![op]).await;
        Ok(Reply::later(async move {
            match single(answer.await) {
                Ok(Applied::Deleted(DeleteApplied::Messages(_))) => {
                    Response::DeleteMessages(v1::DeleteMessagesResponse {})
                }
                Ok(_) => unexpected(),
                Err(refusal) => error_response(refusal),
            }
        }))
    }

    /// `ClearHistoryRequest`.
    pub(super) async fn clear_history(
        &self,
        session: &Session,
        request: v1::ClearHistoryRequest,
    ) -> Result<Reply, Refusal> {
        let target = parse_conversation(request.conversation.as_ref())?;
        let op = WriteOp::Delete(Box::new(DeleteWrite::Clear {
            app: session.app,
            user: session.user.clone(),
            target,
        }));
        let answer = self.writer.submit(vec![op]).await;
        Ok(Reply::later(async move {
            match single(answer.await) {
                Ok(Applied::Deleted(DeleteApplied::Cleared(_))) => {
                    Response::ClearHistory(v1::ClearHistoryResponse {})
                }
                Ok(_) => unexpected(),
                Err(refusal) => error_response(refusal),
            }
        }))
    }
}
