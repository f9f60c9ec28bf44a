//! TLS to PostgreSQL, on rustls with the ring provider (no OpenSSL, no aws-lc-rs).
//!
//! It is used when the address asks for it: `sslmode=require` in a `postgres://` URL or the
//! `key=value` settings (otherwise the connection is plain, as over a Unix socket). The server
//! certificate must carry the host name of the address and lead to the CA certificates of the
//! PEM file named by `sslrootcert=` in the address (as libpq names it), or of `TIM_PG_CA`, or
//! else to the platform's trust store.

use rustls::pki_types::ServerName;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect};

/// The environment variable naming a PEM file of CA certificates for PostgreSQL's.
pub const CA_ENV: &str = "TIM_PG_CA";

/// Makes TLS connections to PostgreSQL.
#[derive(Clone)]
pub(crate) struct RustlsConnect {
    config: Arc<rustls::ClientConfig>,
}

impl RustlsConnect {
    /// The connector trusting the CA certificates of `root_cert` (a PEM file), else of
    /// `TIM_PG_CA`, else the platform's store.
    pub fn new(root_cert: Option<&std::path::Path>) -> Result<Self, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS to PostgreSQL: {e}"))?;
        let root_cert = root_cert
            .map(std::path::Path::to_path_buf)
            .or_else(|| std::env::var_os(CA_ENV).map(std::path::PathBuf::from));
        let config = match root_cert {
            Some(path) => {
                let pem = std::fs::read(&path)
                    .map_err(|e| format!("PostgreSQL CA file {}: {e}", path.display()))?;
                let mut roots = rustls::RootCertStore::empty();
                use rustls::pki_types::pem::PemObject as _;
                for cert in rustls::pki_types::CertificateDer::pem_slice_iter(&pem) {
                    let cert = cert.map_err(|e| format!("{}: {e}", path.display()))?;
                    roots
                        .add(cert)
                        .map_err(|e| format!("{}: {e}", path.display()))?;
                }
                builder.with_root_certificates(roots).with_no_client_auth()
            }
            None => {
                use rustls_platform_verifier::BuilderVerifierExt;
                builder
                    .with_platform_verifier()
                    .map_err(|e| format!("TLS to PostgreSQL: the platform's verifier: {e}"))?
                    .with_no_client_auth()
            }
        };
        Ok(Self {
            config: Arc::new(config),
        })
    }
}

impl<S> MakeTlsConnect<S> for RustlsConnect
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type TlsConnect = RustlsConnector;
    type Error = io::Error;

    fn make_tls_connect(&mut self, domain: &str) -> io::Result<RustlsConnector> {
        let name = ServerName::try_from(domain.to_owned())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        Ok(RustlsConnector {
            config: self.config.clone(),
            name,
        })
    }
}

/// One TLS handshake to come.
pub(crate) struct RustlsConnector {
    config: Arc<rustls::ClientConfig>,
    name: ServerName<'static>,
}

impl<S> TlsConnect<S> for RustlsConnector
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<RustlsStream<S>>> + Send>>;

    fn connect(self, stream: S) -> Self::Future {
        Box::pin(async move {
            let connector = tokio_rustls::TlsConnector::from(self.config);
            connector.connect(self.name, stream).await.map(RustlsStream)
        })
    }
}

/// A TLS connection to PostgreSQL.
pub(crate) struct RustlsStream<S>(tokio_rustls::client::TlsStream<S>);

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for RustlsStream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for RustlsStream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> tokio_postgres::tls::TlsStream for RustlsStream<S> {
    fn channel_binding(&self) -> ChannelBinding {
        ChannelBinding::none()
    }
}

/// `address` without its `sslrootcert` setting, and that setting (tokio-postgres does not take
/// it; libpq does, and so do we).
pub(crate) fn take_root_cert(address: &str) -> (String, Option<std::path::PathBuf>) {
    let is_url = address.starts_with("postgres://") || address.starts_with("postgresql://");
    // A URL's settings are its query (`&`-separated); otherwise the whole text is
    // space-separated `key=value` settings.
    let (base, settings, separator) = if is_url {
        match address.split_once('?') {
            Some((base, query)) => (Some(base), query, "&"),
            None => return (address.to_owned(), None),
        }
    } else {
        (None, address, " ")
    };
    let mut root = None;
    let kept: Vec<&str> = settings
        .split(separator)
        .filter(|setting| !setting.is_empty())
        .filter(|setting| match setting.strip_prefix("sslrootcert=") {
            Some(path) => {
                root = Some(std::path::PathBuf::from(path));
                false
            }
            None => true,
        })
        .collect();
    let rebuilt = match base {
        Some(base) if kept.is_empty() => base.to_owned(),
        Some(base) => format!("{base}?{}", kept.join("&")),
        None => kept.join(" "),
    };
    (rebuilt, root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_certificate_setting_is_taken_out_of_either_form() {
        let (url, root) =
            take_root_cert("postgres://u@db/tim?sslmode=require&sslrootcert=/etc/ca.pem&port=5");
        assert_eq!(url, "postgres://u@db/tim?sslmode=require&port=5");
        assert_eq!(root.as_deref(), Some(std::path::Path::new("/etc/ca.pem")));
        let (settings, root) = take_root_cert("host=db sslrootcert=/ca.pem dbname=tim");
        assert_eq!(settings, "host=db dbname=tim");
        assert_eq!(root.as_deref(), Some(std::path::Path::new("/ca.pem")));
        assert_eq!(
            take_root_cert("postgres://u@db/tim"),
            ("postgres://u@db/tim".to_owned(), None)
        );
    }
}
