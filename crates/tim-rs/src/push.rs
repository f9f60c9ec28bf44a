//! Translation and offline push settings of this device.

use crate::{Client, Result};
use tim_model::{OfflinePushToken, TranslateTextResult};

impl Client {
    /// `TIMMsgTranslateText`: translates `texts` from `source` (empty or "auto": detect) to
    /// `target` through the server's translation backend; one result per text, in order.
    /// Without a backend on the server: error 7013.
    pub async fn translate_text(
        &self,
        texts: Vec<String>,
        source: &str,
        target: &str,
    ) -> Result<Vec<TranslateTextResult>> {
        self.core
            .translate_text(texts, source.to_owned(), target.to_owned())
            .await
    }

    /// `TIMMsgSetOfflinePushToken`: registers this device's push token (`None`: removes it,
    /// no offline push any more). Logout removes it as well.
    pub async fn set_offline_push_token(&self, token: Option<OfflinePushToken>) -> Result<()> {
        self.core.set_offline_push_token(token).await
    }

    /// `TIMMsgDoBackground`: the app went to the background; messages that reach this user
    /// while no device of theirs is in the foreground are pushed to the registered tokens,
    /// with badges counting on from `unread_count`.
    pub async fn do_background(&self, unread_count: u32) -> Result<()> {
        self.core.set_app_state(true, unread_count).await
    }

    /// `TIMMsgDoForeground`: the app is in the foreground again; no offline push for this
    /// device, and its badge count starts over.
    pub async fn do_foreground(&self) -> Result<()> {
        self.core.set_app_state(false, 0).await
    }
}
