//! Offline push settings of a device: TIMMsgSetOfflinePushToken, TIMMsgDoBackground,
//! TIMMsgDoForeground (see [`crate::offline_push`] for when pushes are sent).
//!
//! Decisions:
//! - A token is 1..=[`MAX_TOKEN_BYTES`] bytes of visible ASCII (hex for APNs; FCM tokens
//!   carry `:`, `-`, `_`), else 6017. It is stored durably for (app, user, device ID) with the
//!   device's platform; no token removes it. Logout removes it too, and the device's app
//!   state. At most `PushGateway::max_tokens_per_user` are kept per user: a new device's token
//!   replaces the user's oldest.
//! - SetAppState is answered at once (in-memory state, no write).

use super::{Reply, Services, Session, internal, invalid, single};
use crate::storage::push::PushWrite;
use crate::storage::{Refusal, WriteOp};
use tim_proto::v1;
use tim_proto::v1::server_frame::Body as Response;

/// Longest push token, bytes.
pub const MAX_TOKEN_BYTES: usize = 1024;

fn check_token(token: &v1::OfflinePushToken) -> Result<(), Refusal> {
    if token.token.is_empty() {
        return Err(invalid(
            "token.token: required (send no token to turn push off)",
        ));
    }
    if token.token.len() > MAX_TOKEN_BYTES {
        return Err(invalid(format!(
            "token.token: longer than {MAX_TOKEN_BYTES} bytes"
        )));
    }
    if !token.token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(invalid("token.token: only visible ASCII characters"));
    }
    Ok(())
}

impl Services {
    /// `TIMMsgSetOfflinePushToken`.
    pub(super) async fn set_offline_push_token(
        &self,
        session: &Session,
        request: v1::SetOfflinePushTokenRequest,
    ) -> Result<Reply, Refusal> {
        if let Some(token) = &request.token {
            check_token(token)?;
        }
        let op = WriteOp::Push(Box::new(PushWrite::SetToken {
            app: session.app,
            user: session.user.clone(),
            device_id: session.device_id.clone(),
            platform: session.platform,
            token: request.token,
            max_tokens: self.config.max_push_tokens_per_user(),
        }));
        let reply = self.writer.submit(vec![op]).await;
        Ok(Reply::later(async move {
            match single(reply.await) {
                Ok(_) => Response::SetOfflinePushToken(v1::SetOfflinePushTokenResponse {}),
                Err(refusal) => super::error_response(refusal),
            }
        }))
    }

    /// `TIMMsgDoBackground` / `TIMMsgDoForeground`.
    pub(super) fn set_app_state(
        &self,
        session: &Session,
        request: v1::SetAppStateRequest,
    ) -> Reply {
        self.offline.states.set(
            session.app,
            session.user.as_str(),
            &session.device_id,
            request.background,
            request.unread_count,
        );
        self.hub.publish_app_state(
            session.app,
            session.user.as_str(),
            &session.device_id,
            session.conn_id,
            request.background,
            request.unread_count,
        );
        Reply::now(Response::SetAppState(v1::SetAppStateResponse {}))
    }

    /// Logout: the device's token and app state are forgotten.
    pub(crate) async fn logout(&self, session: &Session) -> Result<(), Refusal> {
        self.offline
            .states
            .forget(session.app, session.user.as_str(), &session.device_id);
        let op = WriteOp::Push(Box::new(PushWrite::SetToken {
            app: session.app,
            user: session.user.clone(),
            device_id: session.device_id.clone(),
            platform: session.platform,
            token: None,
            max_tokens: self.config.max_push_tokens_per_user(),
        }));
        let reply = self.writer.write(vec![op]).await.map_err(internal)?;
        match reply.into_iter().next() {
            Some(Ok(_)) => Ok(()),
            Some(Err(refusal)) => Err(refusal),
            None => Err(invalid("no result")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_checked() {
        let token = |text: &str| v1::OfflinePushToken {
            token: text.into(),
            ..Default::default()
        };
        assert!(check_token(&token("0a1b2c")).is_ok());
        assert!(check_token(&token("fcm:APA91b-x_y")).is_ok());
        assert!(check_token(&token("")).is_err());
        assert!(check_token(&token("a b")).is_err());
        assert!(check_token(&token("é")).is_err());
        assert!(check_token(&token(&"a".repeat(MAX_TOKEN_BYTES + 1))).is_err());
    }
}
