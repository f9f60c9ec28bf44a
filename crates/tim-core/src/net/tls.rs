//! TLS for the QUIC connection: rustls with the ring provider only, TLS 1.3, ALPN `tim/1`, and
//! the server trusted either by the SHA-256 fingerprint of its certificate (a custom verifier:
//! the certificate must be exactly that one, and its handshake signature must verify) or by a
//! PEM file of roots (standard WebPKI verification, including the server name).

use super::config::{ClientConfig, ServerTrust};
use crate::error::{CoreError, Result};
use rustls::DigitallySignedStruct;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tim_model::codes;

/// The ALPN protocol of the tim wire protocol v1.
pub(crate) const ALPN: &[u8] = b"tim/1";

/// The quinn client configuration for `config`.
pub(crate) fn quic_client_config(config: &ClientConfig) -> Result<quinn::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|err| tls_error(&err))?;
    let mut tls = match &config.server_certificate {
        ServerTrust::Fingerprint(fingerprint) => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(FingerprintVerifier {
                fingerprint: *fingerprint,
                algorithms: provider.signature_verification_algorithms,
            }))
            .with_no_client_auth(),
        ServerTrust::PemFile(path) => {
            let mut roots = rustls::RootCertStore::empty();
            let certs = CertificateDer::pem_file_iter(path).map_err(|err| {
                CoreError::invalid(format!("server_certificate: {}: {err}", path.display()))
            })?;
            for cert in certs {
                let cert = cert.map_err(|err| {
                    CoreError::invalid(format!("server_certificate: {}: {err}", path.display()))
                })?;
                roots.add(cert).map_err(|err| tls_error(&err))?;
            }
            if roots.is_empty() {
                return Err(CoreError::invalid(format!(
                    "server_certificate: {} holds no certificate",
                    path.display()
                )));
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
    };
    tls.alpn_protocols = vec![ALPN.to_vec()];
    let quic = quinn::crypto::rustls::QuicClientConfig::try_from(tls)
        .map_err(|err| CoreError::refused(codes::ERR_SDK_INTERNAL_ERROR, err.to_string()))?;
    let mut client = quinn::ClientConfig::new(Arc::new(quic));
    let mut transport = quinn::TransportConfig::default();
    let idle = quinn::IdleTimeout::try_from(config.idle_timeout)
        .map_err(|err| CoreError::invalid(format!("idle_timeout: {err}")))?;
    transport.max_idle_timeout(Some(idle));
    // QUIC-level keep-alive well inside the idle timeout; the tim heartbeat runs on top.
    transport.keep_alive_interval(Some(config.idle_timeout / 4));
    client.transport_config(Arc::new(transport));
    Ok(client)
}

fn tls_error(err: &rustls::Error) -> CoreError {
    CoreError::refused(codes::ERR_SDK_INTERNAL_ERROR, format!("TLS: {err}"))
}

/// Accepts exactly the certificate with the pinned SHA-256 fingerprint.
#[derive(Debug)]
struct FingerprintVerifier {
    fingerprint: [u8; 32],
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for FingerprintVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let digest: [u8; 32] = Sha256::digest(end_entity.as_ref()).into();
        if digest == self.fingerprint {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
