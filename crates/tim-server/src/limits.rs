//! Limits that protect users from one another: connection caps and login lockouts (more in
//! later sections). Every limit has a documented default, and docs/security.md lists them all
//! with the TIM code a client gets when it hits one.

use std::time::Duration;

/// Caps on connections and login attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections the server holds at once; beyond, a new one gets -302
    /// (ERR_SVR_SSO_CONNECT_LIMIT) and is closed. Default 100,000.
    pub max_connections: usize,
    /// Connections from one source address at once (-302 beyond). Default 1,000: carriers'
    /// NAT puts many phones behind one address.
    pub max_connections_per_address: usize,
    /// QUIC handshakes in progress at once; beyond, new ones are refused at once (QUIC
    /// CONNECTION_REFUSED). The refusal of a connection over the caps above counts here
    /// until it is answered. Default 1,024.
    pub max_handshakes: usize,
    /// Largest frame accepted before login, bytes (a login is a few hundred bytes): a larger
    /// one is answered with 6002 / ERR_PARSE_RESPONSE_FAILED and closes the connection.
    /// Default 64 KiB.
    pub max_frame_bytes_before_login: usize,
    /// Failed logins of one (address, app, user) within `failed_login_window` that lock it
    /// out: further logins get 70050 (ERR_SVR_ACCOUNT_FREQ_LIMIT) for
    /// `failed_login_lockout`. Default 10.
    pub failed_logins_max: u32,
    /// See `failed_logins_max`. Default 60 s.
    pub failed_login_window: Duration,
    /// See `failed_logins_max`. Default 60 s.
    pub failed_login_lockout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            max_connections: 100_000,
            max_connections_per_address: 1_000,
            max_handshakes: 1_024,
            max_frame_bytes_before_login: 64 * 1024,
            failed_logins_max: 10,
            failed_login_window: Duration::from_secs(60),
            failed_login_lockout: Duration::from_secs(60),
        }
    }
}
