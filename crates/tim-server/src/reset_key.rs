//! The QUIC stateless-reset key. A server that receives a packet of a connection it does not
//! know (it restarted, or the connection lived on another node) answers with a stateless
//! reset, which the client accepts only if it carries the token the connection's server gave
//! it: HMAC(key, connection ID). So the key must outlive the process and be the same on every
//! node: it is derived from the server's private key, which a restart keeps and which every
//! node of a cluster shares (clients trust one certificate). A client then learns at once that
//! its connection is gone, instead of waiting for its timeouts.

use hmac::{Hmac, Mac};
use rustls::pki_types::PrivateKeyDer;
use sha2::Sha256;

/// What the key is derived for (a different purpose would give a different key).
const PURPOSE: &[u8] = b"tim/1 QUIC stateless reset key";

/// The stateless-reset key of one certificate.
pub(crate) struct ResetKey([u8; 32]);

/// A key derived from the server's private key for `purpose`.
fn derive(private_key: &PrivateKeyDer<'_>, purpose: &[u8]) -> [u8; 32] {
    let mut key = [0u8; 32];
    if let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(private_key.secret_der()) {
        mac.update(purpose);
        key.copy_from_slice(&mac.finalize().into_bytes());
    }
    key
}

impl ResetKey {
    /// The key of the server holding `private_key`.
    pub fn from_private_key(private_key: &PrivateKeyDer<'_>) -> Self {
        Self(derive(private_key, PURPOSE))
    }

    fn mac(&self) -> Option<Hmac<Sha256>> {
        Hmac::<Sha256>::new_from_slice(&self.0).ok()
    }
}

impl quinn::crypto::HmacKey for ResetKey {
    fn sign(&self, data: &[u8], signature_out: &mut [u8]) {
        if let Some(mut mac) = self.mac() {
            mac.update(data);
            let tag = mac.finalize().into_bytes();
            let len = signature_out.len().min(tag.len());
            signature_out[..len].copy_from_slice(&tag[..len]);
        }
    }

    fn signature_len(&self) -> usize {
        32
    }

    fn verify(&self, data: &[u8], signature: &[u8]) -> Result<(), quinn::crypto::CryptoError> {
        let mut mac = self.mac().ok_or(quinn::crypto::CryptoError)?;
        mac.update(data);
        mac.verify_slice(signature)
            .map_err(|_| quinn::crypto::CryptoError)
    }
}

/// Connection IDs: 12 random bytes. Unlike quinn's default (IDs keyed with a random key per
/// process, and packets for IDs that fail the key check dropped unanswered), every packet for
/// a connection this process does not hold is answered with a stateless reset, so a client
/// of an earlier process or of another node learns at once that its connection is gone.
pub(crate) struct RandomCids;

/// Bytes of a connection ID.
const CID_LEN: usize = 12;

impl quinn::ConnectionIdGenerator for RandomCids {
    fn generate_cid(&mut self) -> quinn::ConnectionId {
        let mut bytes = [0u8; CID_LEN];
        let filled = rustls::crypto::ring::default_provider()
            .secure_random
            .fill(&mut bytes);
        if filled.is_err() {
            // The system refused random numbers: fall back on std's randomly keyed hasher
            // over the time (a connection ID must only not be guessable by other observers).
            use std::hash::{BuildHasher, Hasher};
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos()),
            );
            bytes[..8].copy_from_slice(&hasher.finish().to_le_bytes());
        }
        quinn::ConnectionId::new(&bytes)
    }

    fn cid_len(&self) -> usize {
        CID_LEN
    }

    fn cid_lifetime(&self) -> Option<std::time::Duration> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quinn::crypto::HmacKey as _;
    use rustls::pki_types::PrivatePkcs8KeyDer;

    fn key(bytes: &[u8]) -> ResetKey {
        ResetKey::from_private_key(&PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
            bytes.to_vec(),
        )))
    }

    #[test]
    fn the_same_private_key_gives_the_same_tokens_and_another_does_not() {
        let (a, again, other) = (key(b"node key"), key(b"node key"), key(b"other key"));
        let (mut one, mut two, mut three) = ([0u8; 32], [0u8; 32], [0u8; 32]);
        a.sign(b"connection id", &mut one);
        again.sign(b"connection id", &mut two);
        other.sign(b"connection id", &mut three);
        assert_eq!(one, two, "a restart or another node with the same key");
        assert_ne!(one, three);
        assert!(a.verify(b"connection id", &one).is_ok());
        assert!(a.verify(b"connection id", &three).is_err());
    }
}
