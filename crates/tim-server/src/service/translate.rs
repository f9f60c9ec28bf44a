//! Translation (TIMMsgTranslateText) through a LibreTranslate-API backend.
//!
//! Decisions:
//! - The backend is `ServerConfig::translate`: `POST {url}/translate` with
//!   `{"q": [texts], "source": "auto" | code, "target": code, "format": "text"}` (plus
//!   `"api_key"` when configured); the answer is `{"translatedText": [texts]}`, or for a single
//!   text also `{"translatedText": "text"}`. One result per input text, in order.
//! - Limits: 1..=[`MAX_TEXTS`] texts, each at most [`MAX_TEXT_BYTES`] bytes; `target_language`
//!   required; language codes are 1..=[`MAX_LANGUAGE_BYTES`] ASCII letters, digits, `-` or
//!   `_` (e.g. `en`, `zh`, `zh-Hans`, `pt_BR`); `source_language` empty or `auto` = detect
//!   (6017 for anything else out of these bounds).
//! - No backend configured: 7013 (ERR_SDK_INTERFACE_NOT_SUPPORT) "translation is not
//!   configured on this server". Backend unreachable or answering a non-2xx status: 6010
//!   (ERR_HTTP_REQ_FAILED); no answer within the configured timeout: 60008
//!   (ERR_SVR_COMM_REQUEST_TIMEOUT); an answer that is not the expected JSON or has the
//!   wrong number of texts: 60013 (ERR_SVR_COMM_RSP_JSON_PARSE_FAILED).
//! - The call runs as a [`Reply::Later`]: the connection goes on reading while it waits.

use super::{Reply, Services, Session, invalid};
use crate::config::TranslateBackend;
use crate::http_out::{HttpError, HttpOut, join};
use crate::storage::Refusal;
use tim_model::codes;
use tim_proto::v1;
use tim_proto::v1::server_frame::Body as Response;

/// Most texts per call.
pub const MAX_TEXTS: usize = 100;
/// Longest text, bytes.
pub const MAX_TEXT_BYTES: usize = 5_000;
/// Longest language code, bytes.
pub const MAX_LANGUAGE_BYTES: usize = 16;

/// Whether `code` is a language code as accepted here.
fn language_ok(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= MAX_LANGUAGE_BYTES
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The checked request: texts, source (`auto` for detect), target.
fn check(request: v1::TranslateTextRequest) -> Result<(Vec<String>, String, String), Refusal> {
    let texts = request.source_texts;
    if texts.is_empty() || texts.len() > MAX_TEXTS {
        return Err(invalid(format!(
            "source_texts: 1..={MAX_TEXTS} texts, got {}",
            texts.len()
        )));
    }
    if let Some(index) = texts.iter().position(|t| t.len() > MAX_TEXT_BYTES) {
        return Err(invalid(format!(
            "source_texts[{index}]: longer than {MAX_TEXT_BYTES} bytes"
        )));
    }
    let source = match request.source_language.trim() {
        "" => "auto".to_owned(),
        code if code.eq_ignore_ascii_case("auto") => "auto".to_owned(),
        code if language_ok(code) => code.to_owned(),
        code => {
            return Err(invalid(format!(
                "source_language: {code:?} is not a language code"
            )));
        }
    };
    let target = request.target_language.trim();
    if target.is_empty() {
        return Err(invalid("target_language: required"));
    }
    if !language_ok(target) || target.eq_ignore_ascii_case("auto") {
        return Err(invalid(format!(
            "target_language: {target:?} is not a language code"
        )));
    }
    Ok((texts, source, target.to_owned()))
}

/// The translated texts of a LibreTranslate answer, `expected` of them.
fn parse_answer(body: &[u8], expected: usize) -> Result<Vec<String>, String> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("the answer is not JSON: {e}"))?;
    let texts = match value.get("translatedText") {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| "translatedText holds a non-text item".to_owned())
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(serde_json::Value::String(text)) => vec![text.clone()],
        _ => return Err("the answer has no translatedText".into()),
    };
    if texts.len() != expected {
        return Err(format!(
            "the answer has {} texts for {expected} asked",
            texts.len()
        ));
    }
    Ok(texts)
}

/// Asks the backend; one result per text, in order.
async fn translate(
    http: HttpOut,
    backend: TranslateBackend,
    texts: Vec<String>,
    source: String,
    target: String,
) -> Result<Vec<v1::TranslateTextResult>, Refusal> {
    let mut body = serde_json::json!({
        "q": texts,
        "source": source,
        "target": target,
        "format": "text",
    });
    if let (Some(key), Some(object)) = (&backend.api_key, body.as_object_mut()) {
        object.insert("api_key".into(), serde_json::Value::String(key.clone()));
    }
    let url = join(&backend.url, "/translate");
    let answer = match http.post_json(&url, &body, backend.timeout).await {
        Ok(answer) => answer,
        Err(HttpError::Timeout(timeout)) => {
            return Err(Refusal::new(
                codes::ERR_SVR_COMM_REQUEST_TIMEOUT,
                format!("the translation backend did not answer within {timeout:?}"),
            ));
        }
        Err(error) => {
            tracing::warn!(%url, "translation backend failed: {error}");
            return Err(Refusal::new(
                codes::ERR_HTTP_REQ_FAILED,
                format!("the translation backend failed: {error}"),
            ));
        }
    };
    if !(200..300).contains(&answer.status) {
        let detail = String::from_utf8_lossy(&answer.body[..answer.body.len().min(200)]);
        tracing::warn!(%url, status = answer.status, "translation backend refused: {detail}");
        return Err(Refusal::new(
            codes::ERR_HTTP_REQ_FAILED,
            format!(
                "the translation backend answered HTTP {}: {detail}",
                answer.status
            ),
        ));
    }
    let translated = parse_answer(&answer.body, texts.len()).map_err(|detail| {
        Refusal::new(
            codes::ERR_SVR_COMM_RSP_JSON_PARSE_FAILED,
            format!("the translation backend's answer is unusable: {detail}"),
        )
    })?;
    Ok(texts
        .into_iter()
        .zip(translated)
        .map(|(source_text, target_text)| v1::TranslateTextResult {
            source_text,
            target_text,
        })
        .collect())
}

impl Services {
    /// `TIMMsgTranslateText`.
    pub(super) fn translate_text(
        &self,
        _session: &Session,
        request: v1::TranslateTextRequest,
    ) -> Result<Reply, Refusal> {
        let Some(backend) = self.config.translate.clone() else {
            return Err(Refusal::new(
                codes::ERR_SDK_INTERFACE_NOT_SUPPORT,
                "translation is not configured on this server",
            ));
        };
        let (texts, source, target) = check(request)?;
        let http = self.http.clone();
        Ok(Reply::later(async move {
            match translate(http, backend, texts, source, target).await {
                Ok(results) => Response::TranslateText(v1::TranslateTextResponse { results }),
                Err(refusal) => super::error_response(refusal),
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(texts: &[&str], source: &str, target: &str) -> v1::TranslateTextRequest {
        v1::TranslateTextRequest {
            source_texts: texts.iter().map(|t| (*t).to_owned()).collect(),
            source_language: source.into(),
            target_language: target.into(),
        }
    }

    #[test]
    fn requests_are_checked() {
        let ok = check(request(&["a"], "", "en")).unwrap_or_default();
        assert_eq!(ok.1, "auto");
        assert_eq!(
            check(request(&["a"], "AUTO", "zh-Hans")).map(|r| r.1),
            Ok("auto".into())
        );
        assert_eq!(
            check(request(&["a"], "fr", "de")).map(|r| r.1),
            Ok("fr".into())
        );
        let code = |r: Result<_, Refusal>| r.err().map(|e| e.code);
        let bad = Some(codes::ERR_INVALID_PARAMETERS);
        assert_eq!(code(check(request(&[], "", "en"))), bad);
        assert_eq!(code(check(request(&["a"; 101], "", "en"))), bad);
        let long = "x".repeat(MAX_TEXT_BYTES + 1);
        assert_eq!(code(check(request(&["a", &long], "", "en"))), bad);
        assert_eq!(code(check(request(&["a"], "", ""))), bad);
        assert_eq!(code(check(request(&["a"], "", "auto"))), bad);
        assert_eq!(code(check(request(&["a"], "", "e n"))), bad);
        assert_eq!(code(check(request(&["a"], "x/y", "en"))), bad);
        assert_eq!(code(check(request(&["a"], "", &"e".repeat(17)))), bad);
        assert!(check(request(&["a"; 100], "", "en")).is_ok());
    }

    #[test]
    fn answers_in_both_shapes_are_read() {
        assert_eq!(
            parse_answer(br#"{"translatedText":["a","b"]}"#, 2),
            Ok(vec!["a".to_owned(), "b".to_owned()])
        );
        assert_eq!(
            parse_answer(br#"{"translatedText":"a","detectedLanguage":{}}"#, 1),
            Ok(vec!["a".to_owned()])
        );
        assert!(parse_answer(br#"{"translatedText":"a"}"#, 2).is_err());
        assert!(parse_answer(br#"{"translatedText":[1]}"#, 1).is_err());
        assert!(parse_answer(br#"{"error":"x"}"#, 1).is_err());
        assert!(parse_answer(b"<html>", 1).is_err());
    }
}
