//! Translation: `TIMMsgTranslateText` (merged-message downloads are in [`crate::merge`],
//! element downloads in [`crate::media`]).
//!
//! The server translates through its configured LibreTranslate-API backend; without one the
//! call fails with 7013 ("translation is not configured on this server").

use crate::{Client, Result};
use tim_model::TranslateTextResult;
impl Client {
    /// `TIMMsgTranslateText`: translates `texts` from `source_language` ("" or "auto":
    /// detect) to `target_language` (e.g. "en"); one result per text, in order.
    pub async fn translate_text(
        &self,
        texts: &[String],
        source_language: &str,
        target_language: &str,
    ) -> Result<Vec<TranslateTextResult>> {
        self.core
            .translate_text(texts, source_language, target_language)
            .await
    }
}
