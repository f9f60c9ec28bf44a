//! This device's offline push registration and app state (`TIMMsgSetOfflinePushToken`,
//! `TIMMsgDoBackground`, `TIMMsgDoForeground`).
//!
//! The server keeps the token and the app state per device and sends offline pushes through
//! its push gateway to devices none of whose user's devices is in the foreground.

use crate::{Client, Result};
use tim_model::OfflinePushToken;

impl Client {
    /// `TIMMsgSetOfflinePushToken`: registers this device's push token (`token` must be hex),
    /// or with `None` turns offline push off for this device.
    pub async fn set_offline_push_token(&self, token: Option<&OfflinePushToken>) -> Result<()> {
        self.core.set_offline_push_token(token).await
    }

    /// `TIMMsgDoBackground`: the app went to the background; `unread_count` is the badge
    /// number offline pushes start from.
    pub async fn do_background(&self, unread_count: u32) -> Result<()> {
        self.core.set_app_state(true, unread_count).await
    }

    /// `TIMMsgDoForeground`: the app is back in the foreground (offline pushes stop).
    pub async fn do_foreground(&self) -> Result<()> {
        self.core.set_app_state(false, 0).await
    }
}
