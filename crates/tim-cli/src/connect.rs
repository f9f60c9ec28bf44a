//! The flags every client command shares (`tim chat`, `tim group`): which server, how to trust
//! it, which app and user, and how to log in.

use crate::CliError;
use std::path::PathBuf;
use tim_rs::{Client, ClientConfig, Events, ServerTrust};

/// How a client command reaches the server and logs in.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientArgs {
    /// The server, host:port.
    #[arg(long, default_value = crate::serve::DEFAULT_LISTEN)]
    pub server: String,
    /// The server's certificate: its PEM file, or its SHA-256 fingerprint (printed by
    /// `tim serve`).
    #[arg(long, default_value = "tim-data/cert.pem")]
    pub cert: String,
    /// The app's SDKAppID.
    #[arg(long)]
    pub app: u64,
    /// Who to log in as.
    #[arg(long)]
    pub user: String,
    /// The user's UserSig, as the app's backend issued it.
    #[arg(long, conflicts_with = "key", required_unless_present = "key")]
    pub sig: Option<String>,
    /// Mint the UserSig here from the app's secret key instead (development only).
    #[arg(long)]
    pub key: Option<String>,
    /// Where this client keeps its local history [default: tim-client/<user>].
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
}

impl ClientArgs {
    /// Makes the client and logs in; the event stream starts before the login, so nothing
    /// that arrives during it is missed.
    pub async fn log_in(&self) -> Result<(Client, Events), CliError> {
        let trust = ServerTrust::parse(&self.cert)
            .map_err(|err| CliError::usage(format!("--cert: {err}")))?;
        let data_dir = self
            .data_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("tim-client").join(&self.user));
        let config = ClientConfig::new(self.server.clone(), trust, self.app, data_dir);
        let client = Client::new(config).map_err(|err| CliError::failed(err.to_string()))?;
        let events = client.events();
        let sig = match (&self.sig, &self.key) {
            (Some(sig), _) => sig.clone(),
            (None, Some(key)) => tim_server::usersig::gen_user_sig(
                self.app,
                key,
                &self.user,
                crate::usersig::DEFAULT_EXPIRE_SECS,
            ),
            (None, None) => return Err(CliError::usage("pass --sig or --key")),
        };
        client
            .login(&self.user, &sig)
            .await
            .map_err(|err| CliError::failed(format!("login of {}: {err}", self.user)))?;
        Ok((client, events))
    }
}
