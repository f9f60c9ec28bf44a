//! The `tim serve` settings that bound resources (see docs/operations.md, "Media limits and
//! housekeeping" and "Offline push"): flags, or the `[limits]` table of the `--config` file
//! with the same names in snake case (flags win). Unset ones keep the server's defaults.
//!
//! ```toml
//! [limits]
//! max_decode_side = 16384
//! max_decode_bytes = 268435456
//! max_concurrent_decodes = 2
//! max_staged_bytes_per_user = 1073741824
//! staging_ttl_secs = 86400
//! unreferenced_grace_secs = 86400
//! sweep_interval_secs = 600
//! push_max_tokens_per_user = 16
//! push_max_in_flight = 32
//! ```

use crate::CliError;
use serde::Deserialize;
use std::time::Duration;
use tim_server::ServerConfig;

/// Resource bounds of `tim serve`.
#[derive(Debug, Clone, Default, clap::Args, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitArgs {
    /// Largest image width and height decoded for renditions, pixels [default: 16384].
    #[arg(long)]
    pub max_decode_side: Option<u32>,
    /// Most bytes of decoded pixels of one image [default: 256 MiB].
    #[arg(long)]
    pub max_decode_bytes: Option<u64>,
    /// Images decoded at once, server-wide [default: 2].
    #[arg(long)]
    pub max_concurrent_decodes: Option<usize>,
    /// Declared bytes of one user's unfinished uploads (beyond: 114002) [default: 1 GiB].
    #[arg(long)]
    pub max_staged_bytes_per_user: Option<u64>,
    /// Seconds an unfinished upload is kept for a resume [default: 86400].
    #[arg(long)]
    pub staging_ttl_secs: Option<u64>,
    /// Seconds a finished upload has to be named by a message before the sweep deletes it
    /// [default: 86400].
    #[arg(long)]
    pub unreferenced_grace_secs: Option<u64>,
    /// Seconds between media sweeps; 0: none [default: 600].
    #[arg(long)]
    pub sweep_interval_secs: Option<u64>,
    /// Push tokens kept per user, the oldest replaced (needs --push-gateway) [default: 16].
    #[arg(long)]
    pub push_max_tokens_per_user: Option<usize>,
    /// Push requests in flight at once (needs --push-gateway) [default: 32].
    #[arg(long)]
    pub push_max_in_flight: Option<usize>,
}

impl LimitArgs {
    /// Applies these flags, else the file's `[limits]`, to `config` (whose push gateway is
    /// already set), refusing values that cannot work.
    pub fn apply(
        &self,
        file: Option<LimitArgs>,
        config: &mut ServerConfig,
    ) -> Result<(), CliError> {
        let file = file.unwrap_or_default();
        let at_least = |name: &str, value: u64, least: u64| {
            if value < least {
                Err(CliError::usage(format!("{name} must be at least {least}")))
            } else {
                Ok(())
            }
        };
        let media = &mut config.media;
        if let Some(side) = self.max_decode_side.or(file.max_decode_side) {
            at_least("max_decode_side", side.into(), 1)?;
            media.max_decode_side = side;
        }
        if let Some(bytes) = self.max_decode_bytes.or(file.max_decode_bytes) {
            at_least("max_decode_bytes", bytes, 1)?;
            media.max_decode_bytes = bytes;
        }
        if let Some(decodes) = self.max_concurrent_decodes.or(file.max_concurrent_decodes) {
            at_least("max_concurrent_decodes", decodes as u64, 1)?;
            media.max_concurrent_decodes = decodes;
        }
        if let Some(bytes) = self
            .max_staged_bytes_per_user
            .or(file.max_staged_bytes_per_user)
        {
            media.max_staged_bytes_per_user = bytes;
        }
        if let Some(secs) = self.staging_ttl_secs.or(file.staging_ttl_secs) {
            media.staging_ttl = Duration::from_secs(secs);
        }
        if let Some(secs) = self
            .unreferenced_grace_secs
            .or(file.unreferenced_grace_secs)
        {
            media.unreferenced_grace = Duration::from_secs(secs);
        }
        if let Some(secs) = self.sweep_interval_secs.or(file.sweep_interval_secs) {
            media.sweep_interval = Duration::from_secs(secs);
        }
        let tokens = self
            .push_max_tokens_per_user
            .or(file.push_max_tokens_per_user);
        let in_flight = self.push_max_in_flight.or(file.push_max_in_flight);
        if tokens.is_none() && in_flight.is_none() {
            return Ok(());
        }
        let Some(gateway) = config.push_gateway.as_mut() else {
            return Err(CliError::usage(
                "push_max_tokens_per_user and push_max_in_flight need push_gateway",
            ));
        };
        if let Some(tokens) = tokens {
            at_least("push_max_tokens_per_user", tokens as u64, 1)?;
            gateway.max_tokens_per_user = tokens;
        }
        if let Some(in_flight) = in_flight {
            at_least("push_max_in_flight", in_flight as u64, 2)?;
            gateway.max_in_flight = in_flight;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tim_server::{AppConfig, PushGateway};

    fn config() -> ServerConfig {
        ServerConfig::new(
            ([127, 0, 0, 1], 0).into(),
            "d".into(),
            vec![AppConfig {
                sdk_app_id: 1,
                secret_key: "k".into(),
            }],
        )
    }

    #[test]
    fn flags_win_over_the_file_and_unset_keeps_defaults() {
        let flags = LimitArgs {
            max_decode_side: Some(4096),
            sweep_interval_secs: Some(0),
            ..LimitArgs::default()
        };
        let file: LimitArgs = toml::from_str(
            "max_decode_side = 1000\nmax_staged_bytes_per_user = 5000\npush_max_in_flight = 8\n",
        )
        .unwrap_or_else(|err| panic!("{err}"));
        let mut config = config();
        config.push_gateway = Some(PushGateway::new("http://127.0.0.1:8088"));
        flags
            .apply(Some(file), &mut config)
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(config.media.max_decode_side, 4096);
        assert_eq!(config.media.max_staged_bytes_per_user, 5000);
        assert_eq!(config.media.sweep_interval, Duration::ZERO);
        assert_eq!(config.media.max_concurrent_decodes, 2);
        let gateway = config.push_gateway.unwrap_or_else(|| panic!("no gateway"));
        assert_eq!(
            (gateway.max_in_flight, gateway.max_tokens_per_user),
            (8, 16)
        );
    }

    #[test]
    fn unusable_values_are_refused() {
        let push_without_gateway = LimitArgs {
            push_max_tokens_per_user: Some(4),
            ..LimitArgs::default()
        };
        assert!(push_without_gateway.apply(None, &mut config()).is_err());
        let zero = LimitArgs {
            max_concurrent_decodes: Some(0),
            ..LimitArgs::default()
        };
        assert!(zero.apply(None, &mut config()).is_err());
        assert!(toml::from_str::<LimitArgs>("max_decode_sides = 1").is_err());
    }
}
