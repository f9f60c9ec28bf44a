//! UserSig in Tencent's TLSSigAPIv2 format, so an app backend that already issues tokens for
//! Tencent IM keeps working: minting ([`gen_user_sig`]) and verification ([`verify`]).
//!
//! A UserSig is the zlib-compressed JSON object
//! `{"TLS.ver":"2.0","TLS.identifier":..,"TLS.sdkappid":..,"TLS.expire":..,"TLS.time":..,
//! "TLS.sig":..[,"TLS.userbuf":..]}`, base64-encoded with `+` replaced by `*`, `/` by `-` and
//! `=` by `_`. `TLS.sig` is the standard base64 of HMAC-SHA256(secret key,
//! `"TLS.identifier:<id>\nTLS.sdkappid:<appid>\nTLS.time:<t>\nTLS.expire:<e>\n"`, followed by
//! `"TLS.userbuf:<base64 userbuf>\n"` when a userbuf is present). Tencent's libraries write
//! `TLS.sdkappid`, `TLS.time` and `TLS.expire` as JSON numbers; numeric strings are accepted too.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use flate2::Compression;
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;
use std::io::{Read, Write};
use tim_model::codes;

type HmacSha256 = Hmac<Sha256>;

/// Largest decompressed UserSig accepted (a real one is a few hundred bytes).
const MAX_JSON_BYTES: u64 = 64 * 1024;

/// What a verified UserSig says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// The user it was issued for.
    pub identifier: String,
    /// The app it was issued for.
    pub sdk_app_id: u64,
    /// When it was issued, unix seconds.
    pub time: u64,
    /// Validity from `time`, seconds.
    pub expire: u64,
    /// The optional user buffer.
    pub userbuf: Option<Vec<u8>>,
}

impl Claims {
    /// When the UserSig stops being valid, unix seconds.
    pub fn expires_at(&self) -> u64 {
        self.time.saturating_add(self.expire)
    }
}

/// Why a UserSig was refused; [`UserSigError::code`] gives the TIM code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserSigError {
    /// No UserSig was given.
    #[error("the UserSig is empty")]
    Empty,
    /// Not base64, not zlib, not the expected JSON, or a field is missing or mistyped.
    #[error("the UserSig is malformed: {0}")]
    Malformed(String),
    /// The HMAC does not match: signed with another key, or altered.
    #[error("the UserSig signature does not match the app's key")]
    BadSignature,
    /// Issued for another user.
    #[error("the UserSig was issued for {actual:?}, not {expected:?}")]
    IdentifierMismatch {
        /// The user logging in.
        expected: String,
        /// The user in the token.
        actual: String,
    },
    /// Issued for another app.
    #[error("the UserSig was issued for SDKAppID {actual}, not {expected}")]
    AppMismatch {
        /// The app logged in to.
        expected: u64,
        /// The app in the token.
        actual: u64,
    },
    /// Expired.
    #[error("the UserSig expired at {expired_at} (now {now})")]
    Expired {
        /// Expiry, unix seconds.
        expired_at: u64,
        /// The time of the check.
        now: u64,
    },
    /// The server does not serve this app.
    #[error("SDKAppID {0} is not served here")]
    UnknownApp(u64),
}

impl UserSigError {
    /// The TIM error code a login fails with.
    pub fn code(&self) -> i32 {
        match self {
            Self::Empty => codes::ERR_SVR_ACCOUNT_USERSIG_EMPTY,
            Self::Malformed(_) => codes::ERR_SVR_ACCOUNT_USERSIG_CHECK_FAILED,
            Self::BadSignature => codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_PUBLICKEY,
            Self::IdentifierMismatch { .. } => codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_ID,
            Self::AppMismatch { .. } => codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_SDKAPPID,
            Self::Expired { .. } => codes::ERR_SVR_ACCOUNT_USERSIG_EXPIRED,
            Self::UnknownApp(_) => codes::ERR_SVR_ACCOUNT_USERSIG_PUBLICKEY_NOT_FOUND,
        }
    }
}

/// The current time, unix seconds.
pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Mints a UserSig valid for `expire_secs` from now.
pub fn gen_user_sig(
    sdk_app_id: u64,
    secret_key: &str,
    identifier: &str,
    expire_secs: u64,
) -> String {
    gen_user_sig_at(
        sdk_app_id,
        secret_key,
        identifier,
        expire_secs,
        now_secs(),
        None,
    )
}

/// Mints a UserSig issued at `now` (unix seconds), with an optional userbuf.
pub fn gen_user_sig_at(
    sdk_app_id: u64,
    secret_key: &str,
    identifier: &str,
    expire_secs: u64,
    now: u64,
    userbuf: Option<&[u8]>,
) -> String {
    let userbuf = userbuf.map(|buf| STANDARD.encode(buf));
    let sig = signature(
        secret_key,
        identifier,
        &sdk_app_id.to_string(),
        &now.to_string(),
        &expire_secs.to_string(),
        userbuf.as_deref(),
    );
    let mut doc = Map::new();
    doc.insert("TLS.ver".into(), Value::from("2.0"));
    doc.insert("TLS.identifier".into(), Value::from(identifier));
    doc.insert("TLS.sdkappid".into(), Value::from(sdk_app_id));
    doc.insert("TLS.expire".into(), Value::from(expire_secs));
    doc.insert("TLS.time".into(), Value::from(now));
    doc.insert("TLS.sig".into(), Value::from(sig));
    if let Some(userbuf) = userbuf {
        doc.insert("TLS.userbuf".into(), Value::from(userbuf));
    }
    let json = Value::Object(doc).to_string();
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    // Writing into a Vec cannot fail.
    let compressed = match encoder.write_all(json.as_bytes()) {
        Ok(()) => encoder.finish().unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    escape(&STANDARD.encode(compressed))
}

/// Verifies `user_sig` for `identifier` of app `sdk_app_id` signed with `secret_key` at time
/// `now` (unix seconds).
///
/// Checks in this order: empty (70002), decodable (70003), identifier (70013), app (70014),
/// signature (70009), expiry (70001).
pub fn verify(
    user_sig: &str,
    sdk_app_id: u64,
    secret_key: &str,
    identifier: &str,
    now: u64,
) -> Result<Claims, UserSigError> {
    if user_sig.trim().is_empty() {
        return Err(UserSigError::Empty);
    }
    let doc = decode_document(user_sig)?;
    let token_identifier = string_field(&doc, "TLS.identifier")?;
    let app_text = number_field(&doc, "TLS.sdkappid")?;
    let time_text = number_field(&doc, "TLS.time")?;
    let expire_text = number_field(&doc, "TLS.expire")?;
    let sig = string_field(&doc, "TLS.sig")?;
    let userbuf = match doc.get("TLS.userbuf") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(_) => return Err(malformed("TLS.userbuf is not a string")),
    };
    let parse = |text: &str, name: &str| {
        text.parse::<u64>()
            .map_err(|_| malformed(&format!("{name} is not a number")))
    };
    let token_app = parse(&app_text, "TLS.sdkappid")?;
    let time = parse(&time_text, "TLS.time")?;
    let expire = parse(&expire_text, "TLS.expire")?;
    if token_identifier != identifier {
        return Err(UserSigError::IdentifierMismatch {
            expected: identifier.to_owned(),
            actual: token_identifier,
        });
    }
    if token_app != sdk_app_id {
        return Err(UserSigError::AppMismatch {
            expected: sdk_app_id,
            actual: token_app,
        });
    }
    let content = signed_content(
        &token_identifier,
        &app_text,
        &time_text,
        &expire_text,
        userbuf.as_deref(),
    );
    let given = STANDARD
        .decode(sig.as_bytes())
        .map_err(|_| UserSigError::BadSignature)?;
    let mut mac = HmacSha256::new_from_slice(secret_key.as_bytes())
        .map_err(|_| UserSigError::BadSignature)?;
    mac.update(content.as_bytes());
    mac.verify_slice(&given)
        .map_err(|_| UserSigError::BadSignature)?;
    let claims = Claims {
        identifier: token_identifier,
        sdk_app_id: token_app,
        time,
        expire,
        userbuf: match userbuf {
            Some(text) => Some(
                STANDARD
                    .decode(text.as_bytes())
                    .map_err(|_| malformed("TLS.userbuf is not base64"))?,
            ),
            None => None,
        },
    };
    if claims.expires_at() < now {
        return Err(UserSigError::Expired {
            expired_at: claims.expires_at(),
            now,
        });
    }
    Ok(claims)
}

fn malformed(detail: &str) -> UserSigError {
    UserSigError::Malformed(detail.to_owned())
}

fn escape(base64: &str) -> String {
    base64
        .chars()
        .map(|c| match c {
            '+' => '*',
            '/' => '-',
            '=' => '_',
            other => other,
        })
        .collect()
}

fn unescape(sig: &str) -> String {
    sig.trim()
        .chars()
        .map(|c| match c {
            '*' => '+',
            '-' => '/',
            '_' => '=',
            other => other,
        })
        .collect()
}

fn decode_document(user_sig: &str) -> Result<Map<String, Value>, UserSigError> {
    let text = unescape(user_sig);
    let compressed = STANDARD
        .decode(text.as_bytes())
        .or_else(|_| {
            base64::engine::general_purpose::STANDARD_NO_PAD.decode(text.trim_end_matches('='))
        })
        .map_err(|_| malformed("not base64"))?;
    let mut json = Vec::new();
    ZlibDecoder::new(compressed.as_slice())
        .take(MAX_JSON_BYTES)
        .read_to_end(&mut json)
        .map_err(|_| malformed("not zlib data"))?;
    match serde_json::from_slice::<Value>(&json) {
        Ok(Value::Object(doc)) => Ok(doc),
        _ => Err(malformed("not a JSON object")),
    }
}

fn string_field(doc: &Map<String, Value>, name: &str) -> Result<String, UserSigError> {
    match doc.get(name) {
        Some(Value::String(text)) => Ok(text.clone()),
        _ => Err(malformed(&format!("{name} is missing or not a string"))),
    }
}

/// A field holding an unsigned number, as a JSON number or a numeric string, as the decimal
/// text that was signed.
fn number_field(doc: &Map<String, Value>, name: &str) -> Result<String, UserSigError> {
    match doc.get(name) {
        Some(Value::Number(number)) if number.is_u64() => Ok(number.to_string()),
        Some(Value::String(text))
            if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Ok(text.clone())
        }
        _ => Err(malformed(&format!("{name} is missing or not a number"))),
    }
}

fn signed_content(
    identifier: &str,
    sdk_app_id: &str,
    time: &str,
    expire: &str,
    userbuf: Option<&str>,
) -> String {
    let mut content = format!(
        "TLS.identifier:{identifier}\nTLS.sdkappid:{sdk_app_id}\nTLS.time:{time}\nTLS.expire:{expire}\n"
    );
    if let Some(userbuf) = userbuf {
        content.push_str("TLS.userbuf:");
        content.push_str(userbuf);
        content.push('\n');
    }
    content
}

fn signature(
    secret_key: &str,
    identifier: &str,
    sdk_app_id: &str,
    time: &str,
    expire: &str,
    userbuf: Option<&str>,
) -> String {
    let content = signed_content(identifier, sdk_app_id, time, expire, userbuf);
    match HmacSha256::new_from_slice(secret_key.as_bytes()) {
        Ok(mut mac) => {
            mac.update(content.as_bytes());
            STANDARD.encode(mac.finalize().into_bytes())
        }
        // HMAC takes keys of any length; this arm is unreachable.
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minted_sig_verifies_and_round_trips_its_claims() {
        let sig = gen_user_sig_at(
            1400000000,
            "key",
            "alice",
            86400,
            1_700_000_000,
            Some(b"buf"),
        );
        let claims = verify(&sig, 1400000000, "key", "alice", 1_700_000_100).unwrap();
        assert_eq!(claims.identifier, "alice");
        assert_eq!(claims.expires_at(), 1_700_086_400);
        assert_eq!(claims.userbuf.as_deref(), Some(&b"buf"[..]));
        assert!(!sig.contains('+') && !sig.contains('/') && !sig.contains('='));
    }
}
