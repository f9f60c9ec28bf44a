//! Message extensions: set and delete are checked here for their limits (key 1..=100 bytes,
//! value <= 1 KB, 1..=20 keys per set, <= 20 per delete, no key twice) and in the write for
//! the rest (see [`ExtensionsWrite`]); get reads one committed state.

use super::{Reply, Services, Session, error_response, internal, parse_conversation, single};
use crate::storage::extensions::ExtensionsWrite;
use crate::storage::{Applied, Refusal, WriteOp};
use tim_model::ids::MessageId;
use tim_model::{MessageExtension, codes, limits};
use tim_proto::v1;
use tim_proto::v1::server_frame::Body as Response;

fn parse_msg_id(msg_id: &str) -> Result<MessageId, Refusal> {
    MessageId::parse_at(msg_id, "msg_id").map_err(|e| Refusal::new(e.code(), e.to_string()))
}

fn unexpected() -> Response {
    error_response(Refusal::new(
        codes::ERR_SDK_INTERNAL_ERROR,
        "unexpected result",
    ))
}

impl Services {
    /// `SetExtensionsRequest`: per-key compare-and-swap on each item's `version`.
    pub(super) async fn set_extensions(
        &self,
        session: &Session,
        request: v1::SetExtensionsRequest,
    ) -> Result<Reply, Refusal> {
        let target = parse_conversation(request.conversation.as_ref())?;
        let msg_id = parse_msg_id(&request.msg_id)?;
        let model: Vec<MessageExtension> = request
            .extensions
            .iter()
            .map(|e| MessageExtension {
                key: e.key.clone(),
                value: e.value.clone(),
            })
            .collect();
        limits::validate_extensions(&model).map_err(|e| Refusal::new(e.code(), e.to_string()))?;
        let op = WriteOp::Extensions(Box::new(ExtensionsWrite::Set {
            app: session.app,
            user: session.user.clone(),
            target,
            msg_id,
            items: request.extensions,
        }));
        let answer = self.writer.submit(vec![op]).await;
        Ok(Reply::later(async move {
            match single(answer.await) {
                Ok(Applied::Extensions(applied)) => {
                    Response::SetExtensions(v1::SetExtensionsResponse {
                        results: applied.results,
                    })
                }
                Ok(_) => unexpected(),
                Err(refusal) => error_response(refusal),
            }
        }))
    }

    /// `GetExtensionsRequest`: every key of the message with its version.
    pub(super) async fn get_extensions(
        &self,
        session: &Session,
        request: v1::GetExtensionsRequest,
    ) -> Result<Reply, Refusal> {
        let target = parse_conversation(request.conversation.as_ref())?;
        let msg_id = parse_msg_id(&request.msg_id)?;
        let extensions = self
            .storage
            .extensions(session.app, &session.user, &target, &msg_id)
            .await
            .map_err(internal)??;
        Ok(Reply::now(Response::GetExtensions(
            v1::GetExtensionsResponse { extensions },
        )))
    }

    /// `DeleteExtensionsRequest`: the keys (none: all); a missing key fails with 23004 in its
    /// result.
    pub(super) async fn delete_extensions(
        &self,
        session: &Session,
        request: v1::DeleteExtensionsRequest,
    ) -> Result<Reply, Refusal> {
        let target = parse_conversation(request.conversation.as_ref())?;
        let msg_id = parse_msg_id(&request.msg_id)?;
        limits::validate_extension_keys(&request.keys)
            .map_err(|e| Refusal::new(e.code(), e.to_string()))?;
        if let Some((index, key)) = request
            .keys
            .iter()
            .enumerate()
            .find(|(index, key)| request.keys[..*index].contains(key))
        {
            return Err(Refusal::new(
                codes::ERR_INVALID_PARAMETERS,
                format!("keys[{index}]: key {key:?} is named twice"),
            ));
        }
        let op = WriteOp::Extensions(Box::new(ExtensionsWrite::Delete {
            app: session.app,
            user: session.user.clone(),
            target,
            msg_id,
            keys: request.keys,
        }));
        let answer = self.writer.submit(vec![op]).await;
        Ok(Reply::later(async move {
            match single(answer.await) {
                Ok(Applied::Extensions(applied)) => {
                    Response::DeleteExtensions(v1::DeleteExtensionsResponse {
                        results: applied.results,
                    })
                }
                Ok(_) => unexpected(),
                Err(refusal) => error_response(refusal),
            }
        }))
    }
}
