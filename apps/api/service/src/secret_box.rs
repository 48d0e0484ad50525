//! Credentials kept encrypted at rest (mailbox passwords, OAuth2 client secrets and
//! refresh tokens): XChaCha20-Poly1305 under the server's secret key
//! (`HELPDESK_SECRET_KEY`), a fresh random nonce per value, stored as nonce ‖ ciphertext.
//! Only the service ever sees the plain text.

use std::fmt;

use chacha20poly1305::aead::Aead;
use chacha20poly1305::{Key, KeyInit, XChaCha20Poly1305, XNonce};

use crate::error::{ServiceError, ServiceResult};

const NONCE: usize = 24;

#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&Key::from(self.0))
    }

    pub fn seal(&self, plain: &[u8]) -> ServiceResult<Vec<u8>> {
        let nonce: [u8; NONCE] = rand::random();
        let sealed = self
            .cipher()
            .encrypt(&XNonce::from(nonce), plain)
            .map_err(|_| ServiceError::corrupt("cannot encrypt a secret"))?;
        let mut out = Vec::with_capacity(NONCE + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// The plain text of `stored`; an error when it was sealed under another key.
    pub fn open(&self, stored: &[u8]) -> ServiceResult<Vec<u8>> {
        if stored.len() < NONCE {
            return Err(ServiceError::corrupt("a stored secret is truncated"));
        }
        let (nonce, sealed) = stored.split_at(NONCE);
        let nonce: [u8; NONCE] = nonce
            .try_into()
            .map_err(|_| ServiceError::corrupt("a stored secret is truncated"))?;
        self.cipher()
            .decrypt(&XNonce::from(nonce), sealed)
            .map_err(|_| {
                ServiceError::corrupt("a stored secret does not open with HELPDESK_SECRET_KEY")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_with_their_key_only() {
        let key = SecretKey::from_bytes([7; 32]);
        let a = key.seal(b"hunter2").unwrap_or_default();
        let b = key.seal(b"hunter2").unwrap_or_default();
        assert_ne!(a, b, "a fresh nonce each time");
        assert!(!a.windows(7).any(|w| w == b"hunter2"));
        assert_eq!(key.open(&a).ok().as_deref(), Some(&b"hunter2"[..]));
        assert!(SecretKey::from_bytes([8; 32]).open(&a).is_err());
        let mut tampered = a.clone();
        if let Some(last) = tampered.last_mut() {
            *last ^= 1;
        }
        assert!(key.open(&tampered).is_err());
    }
}
