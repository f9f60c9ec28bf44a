//! Content services: TIMMsgTranslateText, and the pure checks of the arguments of
//! TIMMsgDownloadMergerMessage and TIMMsgDownloadElemToPath (the downloads themselves are in
//! [`super::merge`] and [`super::download`]).
//!
//! Decisions:
//! - Translation is server work (its LibreTranslate-API backend): the call sends the request
//!   and maps the answer; a refusal (e.g. 7013 without a backend) is returned unchanged.
//! - Element downloads are in [`super::download`]; this module keeps their pure argument
//!   check, which the C ABI runs to refuse synchronously.
//! - The client checks only what needs no state, in pure functions the C ABI also runs to
//!   refuse synchronously: at least one text and language codes that look like codes; a merge
//!   element first in the message, with its download key; an element ID or URL and a path.

use super::connection::{Request, Response};
use super::session::unexpected;
use crate::client::Client;
use crate::error::{CoreError, Result};
use std::path::Path;
use tim_model::Elem;
use tim_model::{DownloadElemParam, MergeElem, Message, TranslateTextResult};
use tim_proto::v1 as wire;

/// The longest language code taken (BCP 47 tags in practice stay well under it).
const MAX_LANGUAGE_CODE: usize = 35;

/// Whether `code` looks like a language code: 1..=35 ASCII letters, digits, `-` or `_`.
fn is_language_code(code: &str) -> bool {
    (1..=MAX_LANGUAGE_CODE).contains(&code.len())
        && code
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

impl Client {
    /// Checks a translation request without I/O: at least one text, `source_language` empty,
    /// "auto" or a language code, `target_language` a language code.
    pub fn check_translate_text(
        texts: &[String],
        source_language: &str,
        target_language: &str,
    ) -> Result<()> {
        if texts.is_empty() {
            return Err(CoreError::invalid("source text array: at least one text"));
        }
        if !source_language.is_empty() && !is_language_code(source_language) {
            return Err(CoreError::invalid(
                "source_language: empty, \"auto\" or a language code such as \"en\"",
            ));
        }
        if !is_language_code(target_language) {
            return Err(CoreError::invalid(
                "target_language: a language code such as \"en\" is required",
            ));
        }
        Ok(())
    }

    /// `TIMMsgTranslateText`: translates `texts` from `source_language` (empty or "auto":
    /// detect) to `target_language`; one result per text, in order.
    pub async fn translate_text(
        &self,
        texts: &[String],
        source_language: &str,
        target_language: &str,
    ) -> Result<Vec<TranslateTextResult>> {
        Self::check_translate_text(texts, source_language, target_language)?;
        let request = wire::TranslateTextRequest {
            source_texts: texts.to_vec(),
            source_language: source_language.to_owned(),
            target_language: target_language.to_owned(),
        };
        let results = match self.request(Request::TranslateText(request)).await? {
            Response::TranslateText(response) => response.results,
            other => return Err(unexpected(&other)),
        };
        results
            .into_iter()
            .map(|result| TranslateTextResult::try_from(result).map_err(CoreError::from))
            .collect()
    }

    /// The merge element of `message` (its first element), checked without I/O: a message
    /// whose first element is not a Merge is `ERR_INVALID_PARAMETERS`.
    pub fn merge_elem_of(message: &Message) -> Result<&MergeElem> {
        match message.elems.first() {
            Some(Elem::Merge(merge)) => Ok(merge),
            _ => Err(CoreError::invalid(
                "message_elem_array[0]: a merge element (kTIMElem_Merge) is required",
            )),
        }
    }

    /// Checks an element download without I/O: the parameter names the element (its ID or
    /// URL) and `path` is not empty.
    pub fn check_download_elem(param: &DownloadElemParam, path: &Path) -> Result<()> {
        if param.id.is_empty() && param.url.is_empty() {
            return Err(CoreError::invalid(
                "msg_download_elem_param_id / msg_download_elem_param_url: one is required",
            ));
        }
        if path.as_os_str().is_empty() {
            return Err(CoreError::invalid("path: required"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tim_model::TextElem;
    use tim_model::codes;

    fn texts(items: &[&str]) -> Vec<String> {
        items.iter().map(|text| (*text).to_owned()).collect()
    }

    #[test]
    fn translation_needs_texts_and_language_codes() {
        let one = texts(&["send text"]);
        for (source, target) in [("", "de"), ("auto", "en"), ("zh-TW", "fr"), ("en", "pt_BR")] {
            assert!(Client::check_translate_text(&one, source, target).is_ok());
        }
        let long = "x".repeat(MAX_LANGUAGE_CODE + 1);
        for (list, source, target) in [
            (vec![], "", "de"),
            (one.clone(), "", ""),
            (one.clone(), "", "d e"),
            (one.clone(), "e\"n", "de"),
            (one.clone(), "", long.as_str()),
        ] {
            let err = Client::check_translate_text(&list, source, target).unwrap_err();
            assert_eq!(
                err.code(),
                codes::ERR_INVALID_PARAMETERS,
                "{source:?} {target:?}"
            );
        }
    }

    #[test]
    fn only_a_message_starting_with_a_merge_element_has_a_bundle() {
        let merge = Message {
            elems: vec![Elem::Merge(MergeElem {
                relay_pb_key: "key".into(),
                ..Default::default()
            })],
            ..Default::default()
        };
        assert_eq!(Client::merge_elem_of(&merge).unwrap().relay_pb_key, "key");
        let text = Message {
            elems: vec![Elem::Text(TextElem::default())],
            ..Default::default()
        };
        for message in [text, Message::default()] {
            let err = Client::merge_elem_of(&message).unwrap_err();
            assert_eq!(err.code(), codes::ERR_INVALID_PARAMETERS);
        }
    }

    #[test]
    fn a_download_names_its_element_and_path() {
        let by_id = DownloadElemParam {
            id: "file-1".into(),
            ..Default::default()
        };
        assert!(Client::check_download_elem(&by_id, Path::new("/tmp/a")).is_ok());
        let nothing = DownloadElemParam::default();
        for (param, path) in [(&nothing, "/tmp/a"), (&by_id, "")] {
            let err = Client::check_download_elem(param, Path::new(path)).unwrap_err();
            assert_eq!(err.code(), codes::ERR_INVALID_PARAMETERS);
        }
    }
}
