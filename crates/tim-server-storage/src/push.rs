//! Offline push tokens (TIMMsgSetOfflinePushToken): each device's push token, kept durably per
//! (app, user, device ID) so that pushes reach a device that is offline or was restarted.
//!
//! Decisions:
//! - One token per device: setting a token replaces the device's previous one; no token
//!   removes it (the device gets no offline push any more); logout removes it too.
//! - The device's TIMPlatform (from its login) is kept with the token: the push gateway needs
//!   to know whether the token is an APNs (Apple) or an FCM (Android) one.
//! - At most `max_tokens` per user (`PushGateway::max_tokens_per_user`): setting a token
//!   makes it the user's newest; beyond the cap the tokens set longest ago are removed (a
//!   token stored before set times were kept counts as the oldest). Old devices of a user
//!   who reinstalls often therefore never pile up.
//! - A device without a device ID is stored under the empty device ID (such devices of one
//!   user share one slot).

use super::{AppId, StorageError};
use tim_model::ids::UserId;
use tim_proto::v1;

/// A write of this area (see [`WriteOp::Push`](super::WriteOp::Push)): outcome
/// [`Applied::Done`](super::Applied::Done).
#[derive(Debug, Clone)]
pub enum PushWrite {
    /// Sets (`Some`) or removes (`None`) the token of `user`'s device `device_id`.
    SetToken {
        /// App.
        app: AppId,
        /// The user.
        user: UserId,
        /// The device.
        device_id: String,
        /// TIMPlatform of the device.
        platform: i32,
        /// The token (validated by the service), or `None` to remove it.
        token: Option<v1::OfflinePushToken>,
        /// Most tokens kept for `user` (at least 1): when a token is set and the user then
        /// has more, the ones set longest ago are removed.
        max_tokens: usize,
    },
}

/// A stored token.
#[derive(Debug, Clone, PartialEq)]
pub struct PushTokenRecord {
    /// The device.
    pub device_id: String,
    /// TIMPlatform of the device.
    pub platform: i32,
    /// The token.
    pub token: v1::OfflinePushToken,
}

/// The reads of this area.
pub trait PushReads {
    /// Every stored token of `user`, by device ID.
    fn push_tokens(&self, app: AppId, user: &UserId) -> Result<Vec<PushTokenRecord>, StorageError>;
}
