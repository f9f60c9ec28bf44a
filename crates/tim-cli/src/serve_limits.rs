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
//! login_timeout_secs = 10
//! max_connections = 100000
//! max_connections_per_address = 1000
//! max_handshakes = 1024
//! failed_logins_max = 10
//! failed_login_lockout_secs = 60
//! group_members = "200/2000/6000/100000/1000000"   # Work/Public/Meeting/Community/live
//! group_max_users_per_add = 20
//! rate_sends = "50/200"                             # per second / burst; "0/0": off
//! rate_group_messages = "40/200"
//! rate_batch_sends = "5/20"
//! rate_read_reports = "50/200"
//! rate_mark_all_read = "5/20"
//! rate_extensions = "50/200"
//! rate_changes = "50/200"
//! rate_queries = "100/400"
//! ```
//!
//! Every limit, its default and the code a client gets beyond it: docs/security.md.

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
    /// Seconds a new connection has to log in, from its first packet [default: 10].
    #[arg(long)]
    pub login_timeout_secs: Option<u64>,
    /// Connections held at once (beyond: -302) [default: 100000].
    #[arg(long)]
    pub max_connections: Option<usize>,
    /// Connections from one source address (beyond: -302) [default: 1000].
    #[arg(long)]
    pub max_connections_per_address: Option<usize>,
    /// QUIC handshakes in progress at once [default: 1024].
    #[arg(long)]
    pub max_handshakes: Option<usize>,
    /// Failed logins of one address, app and user within 60 s that lock them out (70050)
    /// [default: 10].
    #[arg(long)]
    pub failed_logins_max: Option<u32>,
    /// Seconds such a lockout lasts [default: 60].
    #[arg(long)]
    pub failed_login_lockout_secs: Option<u64>,
    /// Member limits of Work/Public/Meeting/Community/live groups (beyond: 10014)
    /// [default: 200/2000/6000/100000/1000000].
    #[arg(long)]
    pub group_members: Option<String>,
    /// Users one group add may name (beyond: 10005) [default: 20].
    #[arg(long)]
    pub group_max_users_per_add: Option<usize>,
    /// Sends per user, PER_SECOND/BURST (beyond: -10113) [default: 50/200].
    #[arg(long)]
    pub rate_sends: Option<String>,
    /// Messages per group (beyond: 10023) [default: 40/200].
    #[arg(long)]
    pub rate_group_messages: Option<String>,
    /// Batch sends per user [default: 5/20].
    #[arg(long)]
    pub rate_batch_sends: Option<String>,
    /// Read reports and receipts per user [default: 50/200].
    #[arg(long)]
    pub rate_read_reports: Option<String>,
    /// Mark-all-read per user [default: 5/20].
    #[arg(long)]
    pub rate_mark_all_read: Option<String>,
    /// Extension changes per user [default: 50/200].
    #[arg(long)]
    pub rate_extensions: Option<String>,
    /// Revokes, modifies, deletes, group and option changes per user [default: 50/200].
    #[arg(long)]
    pub rate_changes: Option<String>,
    /// History, member-list, receipt and other queries per user [default: 100/400].
    #[arg(long)]
    pub rate_queries: Option<String>,
}

/// `PER_SECOND/BURST` as a [`Rate`](tim_server::Rate).
fn parse_rate(name: &str, text: &str) -> Result<tim_server::Rate, CliError> {
    let bad = || {
        CliError::usage(format!(
            "{name}: `{text}` is not PER_SECOND/BURST, e.g. 50/200"
        ))
    };
    let (per_second, burst) = text.split_once('/').ok_or_else(bad)?;
    let per_second: u32 = per_second.trim().parse().map_err(|_| bad())?;
    let burst: u32 = burst.trim().parse().map_err(|_| bad())?;
    if per_second > 0 && burst == 0 {
        return Err(CliError::usage(format!(
            "{name}: the burst must be at least 1"
        )));
    }
    Ok(tim_server::Rate::new(per_second, burst))
}

impl LimitArgs {
    /// Applies the connection, group and rate settings (flags, else the file's).
    fn apply_user_limits(
        &self,
        file: &LimitArgs,
        config: &mut ServerConfig,
    ) -> Result<(), CliError> {
        if let Some(secs) = self.login_timeout_secs.or(file.login_timeout_secs) {
            if secs == 0 {
                return Err(CliError::usage("login_timeout_secs must be at least 1"));
            }
            config.login_timeout = Duration::from_secs(secs);
        }
        let connection = &mut config.connection;
        if let Some(n) = self.max_connections.or(file.max_connections) {
            connection.max_connections = n;
        }
        if let Some(n) = self
            .max_connections_per_address
            .or(file.max_connections_per_address)
        {
            connection.max_connections_per_address = n;
        }
        if let Some(n) = self.max_handshakes.or(file.max_handshakes) {
            connection.max_handshakes = n.max(1);
        }
        if let Some(n) = self.failed_logins_max.or(file.failed_logins_max) {
            connection.failed_logins_max = n.max(1);
        }
        if let Some(secs) = self
            .failed_login_lockout_secs
            .or(file.failed_login_lockout_secs)
        {
            connection.failed_login_lockout = Duration::from_secs(secs);
        }
        if let Some(text) = self.group_members.as_ref().or(file.group_members.as_ref()) {
            let numbers: Vec<u64> = text
                .split('/')
                .map(|n| n.trim().parse::<u64>())
                .collect::<Result<_, _>>()
                .map_err(|_| {
                    CliError::usage(format!("group_members: `{text}` is not five numbers"))
                })?;
            let [work, public, meeting, community, live] = numbers[..] else {
                return Err(CliError::usage(format!(
                    "group_members: `{text}` needs five numbers: Work/Public/Meeting/Community/live"
                )));
            };
            let groups = &mut config.groups;
            (
                groups.work,
                groups.public,
                groups.meeting,
                groups.community,
                groups.live,
            ) = (work, public, meeting, community, live);
        }
        if let Some(n) = self
            .group_max_users_per_add
            .or(file.group_max_users_per_add)
        {
            config.groups.max_users_per_add = n.max(1);
        }
        let rate = &mut config.rate;
        let rates = [
            (
                "rate_sends",
                &self.rate_sends,
                &file.rate_sends,
                &mut rate.sends,
            ),
            (
                "rate_group_messages",
                &self.rate_group_messages,
                &file.rate_group_messages,
                &mut rate.group_messages,
            ),
            (
                "rate_batch_sends",
                &self.rate_batch_sends,
                &file.rate_batch_sends,
                &mut rate.batch_sends,
            ),
            (
                "rate_read_reports",
                &self.rate_read_reports,
                &file.rate_read_reports,
                &mut rate.read_reports,
            ),
            (
                "rate_mark_all_read",
                &self.rate_mark_all_read,
                &file.rate_mark_all_read,
                &mut rate.mark_all_read,
            ),
            (
                "rate_extensions",
                &self.rate_extensions,
                &file.rate_extensions,
                &mut rate.extensions,
            ),
            (
                "rate_changes",
                &self.rate_changes,
                &file.rate_changes,
                &mut rate.changes,
            ),
            (
                "rate_queries",
                &self.rate_queries,
                &file.rate_queries,
                &mut rate.queries,
            ),
        ];
        for (name, flag, from_file, target) in rates {
            if let Some(text) = flag.as_ref().or(from_file.as_ref()) {
                *target = parse_rate(name, text)?;
            }
        }
        Ok(())
    }
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
        self.apply_user_limits(&file, config)?;
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
    fn connection_group_and_rate_limits_come_from_flags_or_the_file() {
        let flags = LimitArgs {
            rate_sends: Some("10/20".into()),
            max_connections_per_address: Some(7),
            ..LimitArgs::default()
        };
        let file: LimitArgs = toml::from_str(
            "rate_sends = \"1/1\"\nrate_queries = \"0/0\"\ngroup_members = \"5/6/7/8/9\"\n\
             failed_logins_max = 3\nlogin_timeout_secs = 4\n",
        )
        .unwrap_or_else(|err| panic!("{err}"));
        let mut config = config();
        flags
            .apply(Some(file), &mut config)
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(config.rate.sends, tim_server::Rate::new(10, 20));
        assert_eq!(config.rate.queries, tim_server::Rate::new(0, 0));
        assert_eq!(
            config.rate.extensions,
            tim_server::RateLimits::default().extensions
        );
        assert_eq!((config.groups.work, config.groups.live), (5, 9));
        assert_eq!(config.connection.max_connections_per_address, 7);
        assert_eq!(config.connection.failed_logins_max, 3);
        assert_eq!(config.login_timeout, Duration::from_secs(4));
        for bad in [
            "rate_sends = \"fast\"",
            "rate_sends = \"5/0\"",
            "group_members = \"1/2\"",
        ] {
            let file: LimitArgs = toml::from_str(bad).unwrap_or_else(|err| panic!("{err}"));
            assert!(
                LimitArgs::default().apply(Some(file), &mut config).is_err(),
                "{bad}"
            );
        }
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
