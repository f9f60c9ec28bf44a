//! The certificate in the data directory across crashes: what an interrupted write can leave
//! (a temporary file, an empty file from an unsynced rename) never stops a start, the files
//! are complete after it, the key stays owner-only, and a restart serves the same
//! certificate. (That the files are synced cannot be observed from a test; what a crash
//! leaves behind can be recreated.)
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{APP, KEY};
use std::path::Path;
use tim_server::cert::{CERT_FILE, KEY_FILE};
use tim_server::{AppConfig, Server, ServerConfig};

fn config(dir: &Path) -> ServerConfig {
    ServerConfig::new(
        "127.0.0.1:0".parse().unwrap(),
        dir.to_owned(),
        vec![AppConfig {
            sdk_app_id: APP,
            secret_key: KEY.into(),
        }],
    )
}

/// Starts a server on `dir`, checks the files it leaves, stops it: the fingerprint.
async fn start_and_check(dir: &Path) -> String {
    let server = Server::start(config(dir)).await.unwrap();
    let fingerprint = server.certificate().sha256_hex.clone();
    server.shutdown().await;
    assert_complete(dir, &fingerprint);
    fingerprint
}

/// The certificate and key parse, match `fingerprint`, the key is owner-only, and no
/// temporary file is left.
fn assert_complete(dir: &Path, fingerprint: &str) {
    use rustls::pki_types::pem::PemObject;
    let cert = std::fs::read(dir.join(CERT_FILE)).unwrap();
    let der = rustls::pki_types::CertificateDer::from_pem_slice(&cert).unwrap();
    assert_eq!(tim_server::cert::fingerprint(der.as_ref()), fingerprint);
    let key = std::fs::read(dir.join(KEY_FILE)).unwrap();
    rustls::pki_types::PrivateKeyDer::from_pem_slice(&key).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "key mode {mode:o}");
    }
    let temps: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("tmp"))
        .collect();
    assert!(temps.is_empty(), "temporary files left: {temps:?}");
}

#[tokio::test]
async fn partial_temp_files_from_a_crash_do_not_break_start_and_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    // A crash while the first start wrote the key: its temporary files, partly written
    // (this version's names and the ones earlier versions used).
    std::fs::write(dir.path().join(".key.pem.tmp"), b"-----BEGIN PRIV").unwrap();
    std::fs::write(dir.path().join("key.tmp"), b"-----BEGIN PRIV").unwrap();
    let first = start_and_check(dir.path()).await;

    // A crash during a later write leaves temporary files beside complete ones: the
    // certificate is kept as it is.
    std::fs::write(dir.path().join(".cert.pem.tmp"), b"-----BEGIN CERT").unwrap();
    std::fs::write(dir.path().join("cert.tmp"), b"").unwrap();
    assert_eq!(start_and_check(dir.path()).await, first);
    // And a plain restart reads the same certificate.
    assert_eq!(start_and_check(dir.path()).await, first);
}

#[tokio::test]
async fn empty_files_left_by_an_unsynced_rename_are_made_anew() {
    let dir = tempfile::tempdir().unwrap();
    // What a power loss leaves of a rename whose data never reached the disk.
    std::fs::write(dir.path().join(KEY_FILE), b"").unwrap();
    std::fs::write(dir.path().join(CERT_FILE), b"").unwrap();
    let fingerprint = start_and_check(dir.path()).await;
    assert_eq!(start_and_check(dir.path()).await, fingerprint);
}

#[tokio::test]
async fn a_key_without_its_certificate_is_replaced_by_a_whole_new_pair() {
    let dir = tempfile::tempdir().unwrap();
    let first = start_and_check(dir.path()).await;
    // A crash after the key was written and before the certificate was.
    std::fs::remove_file(dir.path().join(CERT_FILE)).unwrap();
    let second = start_and_check(dir.path()).await;
    assert_ne!(first, second);
    assert_eq!(start_and_check(dir.path()).await, second);
}

#[tokio::test]
async fn a_damaged_certificate_that_is_not_empty_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    start_and_check(dir.path()).await;
    std::fs::write(dir.path().join(CERT_FILE), b"not a certificate").unwrap();
    assert!(Server::start(config(dir.path())).await.is_err());
    assert_eq!(
        std::fs::read(dir.path().join(CERT_FILE)).unwrap(),
        b"not a certificate"
    );
}
