//! This device's push registration and app state: TIMMsgSetOfflinePushToken,
//! TIMMsgDoBackground, TIMMsgDoForeground.
//!
//! Decisions:
//! - These are thin requests: the server keeps the token and the app state per device and
//!   decides when to push (through its Gorush-API gateway); a refusal (code and description)
//!   is returned unchanged.
//! - The client checks only what needs no state: the token must be non-empty hex (base16),
//!   as the spec requires of `kTIMOfflinePushTokenToken`. `None` removes the token (push off).
//! - Nothing is stored locally: a reconnect does not replay the state (the server keeps it
//!   per device across the session).

use super::connection::{Request, Response};
use super::session::unexpected;
use crate::client::Client;
use crate::error::{CoreError, Result};
use tim_model::OfflinePushToken;
use tim_proto::v1 as wire;

impl Client {
    /// Checks `token` without I/O: `offline_push_token_token` must be non-empty hex (base16).
    /// [`Client::set_offline_push_token`] runs it first; the C ABI runs it to refuse a bad
    /// token synchronously.
    pub fn check_offline_push_token(token: &OfflinePushToken) -> Result<()> {
        if token.token.is_empty() {
            return Err(CoreError::invalid("offline_push_token_token: required"));
        }
        if !token.token.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return Err(CoreError::invalid(
                "offline_push_token_token: must be the device token as hex (base16)",
            ));
        }
        Ok(())
    }

    /// `TIMMsgSetOfflinePushToken`: registers this device's offline push token with the
    /// server, or with `None` removes it (offline push off for this device).
    pub async fn set_offline_push_token(&self, token: Option<&OfflinePushToken>) -> Result<()> {
        if let Some(token) = token {
            Self::check_offline_push_token(token)?;
        }
        let request = wire::SetOfflinePushTokenRequest {
            token: token.cloned().map(wire::OfflinePushToken::from),
        };
        match self.request(Request::SetOfflinePushToken(request)).await? {
            Response::SetOfflinePushToken(_) => Ok(()),
            other => Err(unexpected(&other)),
        }
    }

    /// `TIMMsgDoBackground` (`background` true, with the badge number `unread_count` to start
    /// from) and `TIMMsgDoForeground` (`background` false; `unread_count` is ignored): tells
    /// the server whether the app is in the background, where it also gets offline pushes.
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

#[cfg(test)]
mod tests {
    use super::*;
    use tim_model::codes;

    fn token(text: &str) -> OfflinePushToken {
        OfflinePushToken {
            token: text.to_owned(),
            ..Default::default()
        }
    }

    #[test]
    fn a_token_must_be_non_empty_hex() {
        assert!(Client::check_offline_push_token(&token("00ffAB19")).is_ok());
        for bad in ["", "xyz", "12 34", "ab\u{e9}"] {
            let err = Client::check_offline_push_token(&token(bad)).unwrap_err();
            assert_eq!(err.code(), codes::ERR_INVALID_PARAMETERS, "{bad:?}");
        }
    }
}
