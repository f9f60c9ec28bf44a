//! The client's settings: where the server is, how its certificate is trusted, who this device
//! is, and the timing of requests and reconnects.

use crate::error::{CoreError, Result};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tim_model::codes;
use tim_model::enums::Platform;

/// How the client trusts the server's certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerTrust {
    /// The SHA-256 of the certificate's DER: exactly that certificate is accepted, whatever
    /// name it carries (the pin is stronger than a name check).
    Fingerprint([u8; 32]),
    /// A PEM file of root certificates: the server's chain must lead to one of them and carry
    /// the configured server name.
    PemFile(PathBuf),
}

impl ServerTrust {
    /// Parses a trust setting: 64 hex digits (colons and upper case allowed, as
    /// `openssl x509 -fingerprint -sha256` prints them) are a fingerprint; anything else is the
    /// path of a PEM file. Fails with `ERR_INVALID_PARAMETERS` on an empty string or a string
    /// that looks like a fingerprint but is not 32 bytes of hex.
    pub fn parse(setting: &str) -> Result<Self> {
        let setting = setting.trim();
        if setting.is_empty() {
            return Err(CoreError::invalid(
                "server_certificate: empty (a PEM file path or a SHA-256 fingerprint)",
            ));
        }
        let hex: String = setting.chars().filter(|&c| c != ':').collect();
        let looks_hex = hex.chars().all(|c| c.is_ascii_hexdigit());
        if looks_hex && (setting.contains(':') || hex.len() == 64) {
            return parse_fingerprint(&hex).map(Self::Fingerprint);
        }
        Ok(Self::PemFile(PathBuf::from(setting)))
    }

    /// The fingerprint as 64 lowercase hex digits (for a fingerprint trust).
    pub fn fingerprint_hex(&self) -> Option<String> {
        match self {
            Self::Fingerprint(bytes) => Some(bytes.iter().map(|b| format!("{b:02x}")).collect()),
            Self::PemFile(_) => None,
        }
    }
}

fn parse_fingerprint(hex: &str) -> Result<[u8; 32]> {
    let bad = || {
        CoreError::invalid(format!(
            "server_certificate: {hex:?} is not a SHA-256 fingerprint (64 hex digits)"
        ))
    };
    if hex.len() != 64 {
        return Err(bad());
    }
    let mut bytes = [0u8; 32];
    for (byte, pair) in bytes.iter_mut().zip(hex.as_bytes().chunks(2)) {
        let text = std::str::from_utf8(pair).map_err(|_| bad())?;
        *byte = u8::from_str_radix(text, 16).map_err(|_| bad())?;
    }
    Ok(bytes)
}

/// Everything a [`Client`](crate::Client) needs to know before it logs in.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The server, `host:port` (a name is resolved at every connection attempt), or the nodes
    /// of a cluster, `host:port,host:port,...`: the client connects to the first that answers
    /// (the first of the list is tried first, each next one 500 ms later), stays on it, and
    /// moves to another when its node fails.
    pub server_address: String,
    /// How the server's certificate is trusted.
    pub server_certificate: ServerTrust,
    /// The TLS server name (SNI, and the name checked under [`ServerTrust::PemFile`]).
    pub server_name: String,
    /// The application's SDKAppID.
    pub sdk_app_id: u64,
    /// Where the local data of every user lives (one folder per user) and the device ID file.
    pub data_dir: PathBuf,
    /// This installation's device ID; `None`: generated once and kept in
    /// `data_dir/device_id`.
    pub device_id: Option<String>,
    /// The platform reported at login.
    pub platform: Platform,
    /// The first reconnect delay (doubled after each failure, with jitter).
    pub reconnect_initial: Duration,
    /// The longest reconnect delay.
    pub reconnect_max: Duration,
    /// How long a request waits for its answer (and for a connection, when there is none)
    /// before it fails with `ERR_SDK_NET_WAIT_ACK_TIMEOUT` (9520) or
    /// `ERR_SDK_NET_DISCONNECT` (9508).
    pub request_timeout: Duration,
    /// A connection that hears nothing from the server for this long is dropped (QUIC idle
    /// timeout); the client then reconnects. The heartbeat interval itself comes from the
    /// server at login.
    pub idle_timeout: Duration,
    /// A request unanswered this long, with nothing heard from the server since it left,
    /// sends the server a ping; if nothing is heard for as long again, the path is taken for
    /// dead: the connection is dropped and the client reconnects (to another node when there
    /// is one) and sends again, long before the request timeout. Zero: never.
    pub quiet_probe: Duration,
    /// How long the first login keeps trying while the network fails it (timeouts, lost
    /// connections), with the reconnect backoff, reporting `ConnectFailed` as it goes; a
    /// refusal by the server or a certificate that does not match ends it at once.
    pub login_retry: Duration,
}

impl ClientConfig {
    /// A configuration with the defaults: server name "localhost", generated device ID,
    /// platform Other, reconnect backoff 200 ms .. 5 s, 15 s request timeout, 60 s idle
    /// timeout, 1 s quiet probe, 60 s of login retries.
    pub fn new(
        server_address: impl Into<String>,
        server_certificate: ServerTrust,
        sdk_app_id: u64,
        data_dir: impl Into<PathBuf>,
    ) -> Self {
        Self {
            server_address: server_address.into(),
            server_certificate,
            server_name: "localhost".to_owned(),
            sdk_app_id,
            data_dir: data_dir.into(),
            device_id: None,
            platform: Platform::default(),
            reconnect_initial: Duration::from_millis(200),
            reconnect_max: Duration::from_secs(5),
            request_timeout: Duration::from_secs(15),
            idle_timeout: Duration::from_secs(60),
            quiet_probe: Duration::from_secs(1),
            login_retry: Duration::from_secs(60),
        }
    }
}

/// The device ID of `config`: the configured one, or the one kept in `data_dir/device_id`
/// (generated and written on first use).
pub(crate) fn device_id(config: &ClientConfig) -> Result<String> {
    if let Some(id) = &config.device_id {
        return Ok(id.clone());
    }
    let path = config.data_dir.join("device_id");
    match std::fs::read_to_string(&path) {
        Ok(text) if !text.trim().is_empty() => return Ok(text.trim().to_owned()),
        Ok(_) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(io_error(&path, &err)),
    }
    std::fs::create_dir_all(&config.data_dir).map_err(|err| io_error(&config.data_dir, &err))?;
    let id = format!("{:016x}{:016x}", random_u64(), random_u64());
    // Written to a temporary name first, so a crash never leaves half an ID.
    let temporary = config.data_dir.join("device_id.tmp");
    std::fs::write(&temporary, &id).map_err(|err| io_error(&temporary, &err))?;
    std::fs::rename(&temporary, &path).map_err(|err| io_error(&path, &err))?;
    Ok(id)
}

/// 64 random bits from the OS-seeded keys of std's `RandomState`.
pub(crate) fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.finish()
}

fn io_error(path: &Path, err: &std::io::Error) -> CoreError {
    CoreError::refused(
        codes::ERR_IO_OPERATION_FAILED,
        format!("{}: {err}", path.display()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";

    #[test]
    fn fingerprints_parse_with_or_without_colons() {
        let plain = ServerTrust::parse(HEX).unwrap();
        let colons: Vec<String> = HEX
            .as_bytes()
            .chunks(2)
            .map(|pair| String::from_utf8(pair.to_vec()).unwrap())
            .collect();
        assert_eq!(ServerTrust::parse(&colons.join(":")).unwrap(), plain);
        assert_eq!(plain.fingerprint_hex().unwrap(), HEX.to_lowercase());
    }

    #[test]
    fn anything_else_is_a_pem_path_and_broken_fingerprints_are_refused() {
        assert_eq!(
            ServerTrust::parse("/data/cert.pem").unwrap(),
            ServerTrust::PemFile("/data/cert.pem".into())
        );
        // 64 characters that are not all hex: a (strange) file name.
        let name = "g".repeat(64);
        assert!(matches!(
            ServerTrust::parse(&name).unwrap(),
            ServerTrust::PemFile(_)
        ));
        assert_eq!(ServerTrust::parse("aa:bb").unwrap_err().code(), 6017);
        assert_eq!(ServerTrust::parse("  ").unwrap_err().code(), 6017);
    }

    #[test]
    fn the_device_id_is_generated_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let config = ClientConfig::new(
            "127.0.0.1:1",
            ServerTrust::Fingerprint([0; 32]),
            1,
            dir.path(),
        );
        let first = device_id(&config).unwrap();
        assert_eq!(first.len(), 32);
        assert_eq!(device_id(&config).unwrap(), first);
        let other = tempfile::tempdir().unwrap();
        let config2 = ClientConfig {
            data_dir: other.path().into(),
            ..config.clone()
        };
        assert_ne!(device_id(&config2).unwrap(), first);
        let fixed = ClientConfig {
            device_id: Some("phone".into()),
            ..config
        };
        assert_eq!(device_id(&fixed).unwrap(), "phone");
    }
}
