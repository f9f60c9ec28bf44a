//! Translation and element downloads: `TIMMsgTranslateText`, `TIMMsgDownloadElemToPath`
//! (merged-message downloads are in [`crate::merge`]).
//!
//! The server parts arrive with the issue "Media, merged messages, translation and offline
//! push". Until then tim-server refuses translation and bundle requests with
//! `ERR_SDK_INTERFACE_NOT_SUPPORT` (7013) and its description, which these methods return as
//! the [`Error`](crate::Error); element downloads fail with 7013 in the client (there is no
//! media service yet) and never create the destination file.

use crate::{Client, Result};
use std::path::Path;
use tim_model::{DownloadElemParam, DownloadElemResult, TranslateTextResult};

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

    /// `TIMMsgDownloadElemToPath`: downloads the media element `param` names to `path`. Not
    /// available yet (7013, `path` untouched); see the module notes.
    pub async fn download_elem_to_path(
        &self,
        param: &DownloadElemParam,
        path: &Path,
    ) -> Result<DownloadElemResult> {
        self.core.download_elem_to_path(param, path).await
    }
}
