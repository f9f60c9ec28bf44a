//! The server's TLS certificate: made self-signed in the data directory on first start
//! (`cert.pem`, `key.pem`) and reused afterwards, and how clients trust it (the file as a
//! root, or its SHA-256 fingerprint).

use crate::durable;
use crate::error::ServerError;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The certificate file's name in the data directory.
pub const CERT_FILE: &str = "cert.pem";
/// The private key file's name in the data directory.
pub const KEY_FILE: &str = "key.pem";

/// The server's certificate as clients see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// The PEM file (`<data_dir>/cert.pem`), usable as a trusted root by clients.
    pub path: PathBuf,
    /// The certificate, DER.
    pub der: Vec<u8>,
    /// SHA-256 of `der`: 64 lowercase hex characters.
    pub sha256_hex: String,
}

impl CertificateInfo {
    /// How a client trusts this server, for the operator (printed by `tim serve`).
    pub fn trust_instructions(&self) -> String {
        format!(
            "certificate: {}\nSHA-256 fingerprint: {}\nclients trust it by that file (as a root) or by the fingerprint",
            self.path.display(),
            self.sha256_hex
        )
    }
}

/// The SHA-256 of `der` as 64 lowercase hex characters.
pub fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A certificate and its key, ready for rustls.
pub(crate) struct Identity {
    pub info: CertificateInfo,
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

/// Loads the certificate of `data_dir`, making it first when there is none.
///
/// A new certificate names "localhost", "tim-server", 127.0.0.1 and ::1, plus the listen IP
/// when it is a specific address. Public so that the CLI can print the fingerprint without
/// starting a server.
pub fn ensure_certificate(
    data_dir: &Path,
    listen: SocketAddr,
) -> Result<CertificateInfo, ServerError> {
    load_or_create(data_dir, listen).map(|identity| identity.info)
}

pub(crate) fn load_or_create(data_dir: &Path, listen: SocketAddr) -> Result<Identity, ServerError> {
    std::fs::create_dir_all(data_dir).map_err(|source| ServerError::Io {
        path: data_dir.to_owned(),
        source,
    })?;
    let cert_path = data_dir.join(CERT_FILE);
    let key_path = data_dir.join(KEY_FILE);
    remove_leftovers(data_dir)?;
    if !usable(&cert_path)? || !usable(&key_path)? {
        create(&cert_path, &key_path, listen)?;
    }
    let cert_pem = read(&cert_path)?;
    let key_pem = read(&key_path)?;
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ServerError::Certificate(format!("{}: {e}", cert_path.display())))?;
    let Some(first) = chain.first() else {
        return Err(ServerError::Certificate(format!(
            "{}: no certificate in the file",
            cert_path.display()
        )));
    };
    let key = PrivateKeyDer::from_pem_slice(&key_pem)
        .map_err(|e| ServerError::Certificate(format!("{}: {e}", key_path.display())))?;
    let der = first.as_ref().to_vec();
    Ok(Identity {
        info: CertificateInfo {
            path: cert_path,
            sha256_hex: fingerprint(&der),
            der,
        },
        chain,
        key,
    })
}

fn read(path: &Path) -> Result<Vec<u8>, ServerError> {
    std::fs::read(path).map_err(|source| ServerError::Io {
        path: path.to_owned(),
        source,
    })
}

/// Removes the temporary files of a write a crash interrupted (this version's and the names
/// earlier versions used). They were never renamed into place, so nothing refers to them.
fn remove_leftovers(data_dir: &Path) -> Result<(), ServerError> {
    let mut leftovers = vec![data_dir.join("cert.tmp"), data_dir.join("key.tmp")];
    for file in [CERT_FILE, KEY_FILE] {
        let temp = durable::temp_path(&data_dir.join(file)).map_err(|source| ServerError::Io {
            path: data_dir.join(file),
            source,
        })?;
        leftovers.push(temp);
    }
    for path in leftovers {
        durable::remove_if_present(&path).map_err(|source| ServerError::Io { path, source })?;
    }
    Ok(())
}

/// Whether `path` holds something to load. An empty file counts as absent: it is what a
/// power loss leaves of a rename whose data was not yet synced (earlier versions did not
/// sync), never something an operator wrote, and nothing could ever be loaded from it. A
/// non-empty file that does not parse is refused at load instead, untouched.
fn usable(path: &Path) -> Result<bool, ServerError> {
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.len() > 0 => Ok(true),
        Ok(_) => {
            tracing::warn!(
                "{} is empty (an interrupted write); making a new certificate",
                path.display()
            );
            Ok(false)
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(ServerError::Io {
            path: path.to_owned(),
            source,
        }),
    }
}

fn create(cert_path: &Path, key_path: &Path, listen: SocketAddr) -> Result<(), ServerError> {
    let mut names = vec![
        "localhost".to_owned(),
        "tim-server".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    let ip = listen.ip();
    if !ip.is_unspecified() && !ip.is_loopback() {
        names.push(ip.to_string());
    }
    let certified = rcgen::generate_simple_self_signed(names)
        .map_err(|e| ServerError::Certificate(e.to_string()))?;
    // The key first: a certificate is only ever in place with its key durably beside it, so
    // a crash between the two leaves a key without a certificate, which is made anew.
    write(key_path, certified.signing_key.serialize_pem().as_bytes())?;
    write(cert_path, certified.cert.pem().as_bytes())
}

/// Writes one file atomically and durably, readable by its owner only (the key must not
/// leak to other local users, not even while it is being written).
fn write(path: &Path, bytes: &[u8]) -> Result<(), ServerError> {
    durable::write_atomic(path, bytes, 0o600).map_err(|source| ServerError::Io {
        path: path.to_owned(),
        source,
    })
}
