//! Outgoing HTTP: the one client the server uses to call its backends (the translation
//! backend, the push gateway). JSON in, bytes out; every call has a timeout and a bounded
//! answer, so a backend that hangs or floods never holds a request or memory for long.

use std::time::Duration;

/// Largest answer body read from a backend, bytes.
pub(crate) const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Why an outgoing call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum HttpError {
    /// No complete answer within the timeout.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The request could not be made or its answer not read.
    #[error("{0}")]
    Failed(String),
    /// The answer's body is larger than [`MAX_BODY_BYTES`].
    #[error("the answer is larger than {MAX_BODY_BYTES} bytes")]
    TooLarge,
}

/// An answer: the HTTP status and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HttpAnswer {
    /// The status code.
    pub status: u16,
    /// The body (at most [`MAX_BODY_BYTES`]).
    pub body: Vec<u8>,
}

/// The shared client (cheap to clone: one connection pool).
#[derive(Debug, Clone)]
pub(crate) struct HttpOut {
    client: reqwest::Client,
}

impl HttpOut {
    /// A client with rustls on the ring provider, trusting the platform's certificate store.
    pub fn new() -> Result<Self, String> {
        use rustls_platform_verifier::BuilderVerifierExt;
        let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot set up TLS: {e}"))?
            .with_platform_verifier()
            .map_err(|e| format!("cannot load the platform's certificate verifier: {e}"))?
            .with_no_client_auth();
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .user_agent(concat!("tim-server/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot make the HTTP client: {e}"))?;
        Ok(Self { client })
    }

    /// POSTs `body` as JSON to `url` and reads the answer, all within `timeout`.
    pub async fn post_json(
        &self,
        url: &str,
        body: &serde_json::Value,
        timeout: Duration,
    ) -> Result<HttpAnswer, HttpError> {
        let payload =
            serde_json::to_vec(body).map_err(|e| HttpError::Failed(format!("encoding: {e}")))?;
        let call = async {
            let mut response = self
                .client
                .post(url)
                .header("content-type", "application/json")
                .body(payload)
                .send()
                .await
                .map_err(|e| HttpError::Failed(describe(&e)))?;
            let status = response.status().as_u16();
            let mut body = Vec::new();
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| HttpError::Failed(describe(&e)))?
            {
                if body.len().saturating_add(chunk.len()) > MAX_BODY_BYTES {
                    return Err(HttpError::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(HttpAnswer { status, body })
        };
        tokio::time::timeout(timeout, call)
            .await
            .unwrap_or(Err(HttpError::Timeout(timeout)))
    }
}

/// A reqwest error with its causes (reqwest's own text leaves them out).
fn describe(error: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut text = error.to_string();
    let mut source = error.source();
    let mut depth = 0;
    while let Some(cause) = source {
        if depth >= 4 {
            break;
        }
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
        depth += 1;
    }
    text
}

/// `base` joined with `path` (`path` starts with `/`; a trailing `/` of `base` is dropped).
pub(crate) fn join(base: &str, path: &str) -> String {
    format!("{}{path}", base.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_drops_a_trailing_slash() {
        assert_eq!(join("http://h:1", "/translate"), "http://h:1/translate");
        assert_eq!(join("http://h:1/", "/translate"), "http://h:1/translate");
        assert_eq!(join("http://h/lt/", "/translate"), "http://h/lt/translate");
    }
}
