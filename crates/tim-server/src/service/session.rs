//! Login: the UserSig check, registering a new user, and the session a connection keeps.

use super::{Services, internal};
use crate::storage::{AppId, Applied, Refusal, WriteOp};
use crate::usersig;
use tim_model::codes;
use tim_model::enums::Platform;
use tim_model::ids::UserId;
use tim_proto::v1;

/// Longest device ID accepted.
const DEVICE_ID_MAX_BYTES: usize = 128;

/// The authenticated user of a connection.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub app: AppId,
    pub user: UserId,
    pub device_id: String,
    /// TIMPlatform number of the device.
    pub platform: i32,
    /// The connection's number in the hub.
    pub conn_id: u64,
    /// When the UserSig expires, unix seconds.
    pub expires_at: u64,
}

impl Services {
    /// Checks a login and registers the user if new. The caller registers the connection in
    /// the hub after queuing the response.
    pub async fn login(
        &self,
        request: v1::LoginRequest,
        conn_id: u64,
    ) -> Result<(Session, v1::LoginResponse), Refusal> {
        let Some(app) = self.config.app(request.sdk_app_id) else {
            let error = usersig::UserSigError::UnknownApp(request.sdk_app_id);
            return Err(Refusal::new(error.code(), error.to_string()));
        };
        let user = UserId::parse_at(&request.user_id, "user_id")
            .map_err(|e| Refusal::new(e.code(), e.to_string()))?;
        let now = usersig::now_secs();
        let claims = usersig::verify(
            &request.user_sig,
            app.sdk_app_id,
            &app.secret_key,
            user.as_str(),
            now,
        )
        .map_err(|e| Refusal::new(e.code(), e.to_string()))?;
        if request.device_id.len() > DEVICE_ID_MAX_BYTES {
            return Err(Refusal::new(
                codes::ERR_INVALID_PARAMETERS,
                format!("device_id: longer than {DEVICE_ID_MAX_BYTES} bytes"),
            ));
        }
        let platform = Platform::from_value(i64::from(request.platform))
            .unwrap_or_default()
            .value();
        let record = match self
            .storage
            .user(app.sdk_app_id, &user)
            .await
            .map_err(internal)?
        {
            Some(record) => record,
            None => {
                let op = WriteOp::EnsureUser {
                    app: app.sdk_app_id,
                    user: user.clone(),
                };
                let reply = self.writer.write(vec![op]).await.map_err(internal)?;
                match reply.into_iter().next() {
                    Some(Ok(Applied::User(record))) => record,
                    Some(Err(refusal)) => return Err(refusal),
                    _ => {
                        return Err(Refusal::new(
                            codes::ERR_SDK_INTERNAL_ERROR,
                            "registering the user gave no record",
                        ));
                    }
                }
            }
        };
        let session = Session {
            app: app.sdk_app_id,
            user,
            device_id: request.device_id,
            platform,
            conn_id,
            expires_at: claims.expires_at(),
        };
        let response = v1::LoginResponse {
            server_time: now,
            latest_cursor: record.latest_cursor,
            heartbeat_interval_secs: u32::try_from(self.config.heartbeat_interval.as_secs())
                .unwrap_or(u32::MAX)
                .max(1),
            tiny_id: record.tiny_id,
        };
        Ok((session, response))
    }
}
