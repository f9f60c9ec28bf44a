//! Offline push settings of this device: TIMMsgSetOfflinePushToken, TIMMsgDoBackground and
//! TIMMsgDoForeground.
//!
//! Decisions:
//! - The server keeps the token per device (durably; logout removes it) and sends offline
//!   pushes through its push gateway for messages that reach this user while none of their
//!   devices is online in the foreground. `None` removes the token (push off).
//! - The app state is kept by the server per device ID and outlives a reconnect; the badge of
//!   the pushes starts from the DoBackground unread count and counts up until DoForeground.

use super::connection::{Request, Response};
use super::session::unexpected;
use crate::client::Client;
use crate::error::Result;
use tim_model::OfflinePushToken;
use tim_proto::v1 as wire;

impl Client {
    /// `TIMMsgSetOfflinePushToken`: registers this device's push token, or with `None`
    /// removes it (no offline push for this device any more).
    pub async fn set_offline_push_token(&self, token: Option<OfflinePushToken>) -> Result<()> {
        let request = wire::SetOfflinePushTokenRequest {
            token: token.map(wire::OfflinePushToken::from),
        };
        match self.request(Request::SetOfflinePushToken(request)).await? {
            Response::SetOfflinePushToken(_) => Ok(()),
            other => Err(unexpected(&other)),
        }
    }

    /// `TIMMsgDoBackground` (`background`, badge starting at `unread_count`) or
    /// `TIMMsgDoForeground` (`!background`; `unread_count` is ignored).
    pub async fn set_app_state(&self, background: bool, unread_count: u32) -> Result<()> {
        let request = wire::SetAppStateRequest {
            background,
            unread_count: if background { unread_count } else { 0 },
        };
        match self.request(Request::SetAppState(request)).await? {
            Response::SetAppState(_) => Ok(()),
            other => Err(unexpected(&other)),
        }
    }
}
