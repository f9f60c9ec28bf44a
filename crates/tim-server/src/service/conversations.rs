//! Conversation attributes and profiles: `UpdateConversationsRequest`,
//! `GetConversationStateRequest`, `GetProfilesRequest`, `SetProfileRequest`. Rules and
//! decisions: [`crate::storage::conversations`] and [`crate::storage::profiles`].

use super::{
    Reply, Services, Session, error_response, internal, invalid, parse_conversation, single,
};
use crate::storage::conversations::{ConvTarget, ConvWrite, MAX_BATCH};
use crate::storage::profiles::{MAX_READ, ProfileWrite, check_item};
use crate::storage::{Applied, Refusal, Target, WriteOp};
use tim_model::codes;
use tim_model::ids::UserId;
use tim_proto::v1;
use tim_proto::v1::server_frame::Body as Response;
use v1::update_conversations_request::Change;

fn unexpected() -> Response {
    error_response(Refusal::new(
        codes::ERR_SDK_INTERNAL_ERROR,
        "unexpected result",
    ))
}

fn now_ms() -> u64 {
    super::delete::now_ms()
}

impl Services {
    /// `UpdateConversationsRequest`: one change applied to 1..=100 of the caller's
    /// conversations (a group deletion or rename names none).
    pub(super) async fn update_conversations(
        &self,
        session: &Session,
        request: v1::UpdateConversationsRequest,
    ) -> Result<Reply, Refusal> {
        let Some(change) = request.change else {
            return Err(invalid("change: required"));
        };
        let names_none = matches!(&change, Change::Group(op) if op.kind == 2 || op.kind == 3);
        if request.conversations.len() > MAX_BATCH {
            return Err(Refusal::new(
                codes::ERR_SVR_CONV_CONV_MARK_REQ_COUNT_EXCEED_LIMIT,
                format!(
                    "{} conversations, at most {MAX_BATCH} per request",
                    request.conversations.len()
                ),
            ));
        }
        if request.conversations.is_empty() && !names_none {
            return Err(invalid("conversations: at least one"));
        }
        let mut targets = Vec::with_capacity(request.conversations.len());
        for wire in request.conversations {
            let id = match parse_conversation(Some(&wire))? {
                Target::C2c(peer) => format!("c2c_{peer}"),
                Target::Group(group) => format!("group_{group}"),
            };
            targets.push(ConvTarget { id, wire });
        }
        let op = WriteOp::Conversations(Box::new(ConvWrite {
            app: session.app,
            user: session.user.clone(),
            targets,
            change,
            now_ms: now_ms(),
        }));
        let answer = self.writer.submit(vec![op]).await;
        Ok(Reply::later(async move {
            match single(answer.await) {
                Ok(Applied::Conversations(applied)) => {
                    Response::UpdateConversations(v1::UpdateConversationsResponse {
                        results: applied.results,
                        change: applied.change,
                    })
                }
                Ok(_) => unexpected(),
                Err(refusal) => error_response(refusal),
            }
        }))
    }

    /// `GetConversationStateRequest`: the caller's conversation attributes.
    pub(super) async fn get_conversation_state(&self, session: &Session) -> Result<Reply, Refusal> {
        let state = self
            .storage
            .conversation_state(session.app, &session.user)
            .await
            .map_err(internal)?;
        Ok(Reply::now(Response::GetConversationState(state)))
    }

    /// `GetProfilesRequest`: 1..=100 users' profiles.
    pub(super) async fn get_profiles(
        &self,
        session: &Session,
        request: v1::GetProfilesRequest,
    ) -> Result<Reply, Refusal> {
        if request.user_ids.is_empty() || request.user_ids.len() > MAX_READ {
            return Err(invalid(format!(
                "user_ids: 1..={MAX_READ}, not {}",
                request.user_ids.len()
            )));
        }
        let users = request
            .user_ids
            .iter()
            .map(|id| {
                UserId::parse_at(id, "user_ids").map_err(|e| Refusal::new(e.code(), e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let profiles = self
            .storage
            .profiles(session.app, users)
            .await
            .map_err(internal)?;
        Ok(Reply::now(Response::GetProfiles(v1::GetProfilesResponse {
            profiles,
        })))
    }

    /// `SetProfileRequest`: changes the caller's profile.
    pub(super) async fn set_profile(
        &self,
        session: &Session,
        request: v1::SetProfileRequest,
    ) -> Result<Reply, Refusal> {
        let mut item = request.item.unwrap_or_default();
        check_item(&mut item).map_err(|(code, desc)| Refusal::new(code, desc))?;
        let op = WriteOp::Profile(Box::new(ProfileWrite {
            app: session.app,
            user: session.user.clone(),
            item,
        }));
        let answer = self.writer.submit(vec![op]).await;
        Ok(Reply::later(async move {
            match single(answer.await) {
                Ok(Applied::Profile(profile)) => Response::SetProfile(v1::SetProfileResponse {
                    profile: Some(*profile),
                }),
                Ok(_) => unexpected(),
                Err(refusal) => error_response(refusal),
            }
        }))
    }
}
