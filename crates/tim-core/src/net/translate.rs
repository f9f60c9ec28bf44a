//! Translation: TIMMsgTranslateText.
//!
//! Decisions:
//! - The server translates through its configured LibreTranslate-API backend; without one it
//!   answers 7013 ("translation is not configured on this server"). Limits are the server's
//!   (1..=100 texts of at most 5,000 bytes each, a target language code); an empty source
//!   language or "auto" means detect. One result per text, in order.

use super::connection::{Request, Response};
use super::session::unexpected;
use crate::client::Client;
use crate::error::{CoreError, Result};
use tim_model::TranslateTextResult;
use tim_proto::v1 as wire;

impl Client {
    /// `TIMMsgTranslateText`: translates `texts` from `source` (empty or "auto": detect) to
    /// `target`; one result (source and target text) per text, in order.
    pub async fn translate_text(
        &self,
        texts: Vec<String>,
        source: String,
        target: String,
    ) -> Result<Vec<TranslateTextResult>> {
        let request = wire::TranslateTextRequest {
            source_texts: texts,
            source_language: source,
            target_language: target,
        };
        match self.request(Request::TranslateText(request)).await? {
            Response::TranslateText(response) => response
                .results
                .into_iter()
                .map(|r| TranslateTextResult::try_from(r).map_err(CoreError::from))
                .collect(),
            other => Err(unexpected(&other)),
        }
    }
}
