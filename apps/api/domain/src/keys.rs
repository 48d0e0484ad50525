//! Keys derived from the server's secret, one per purpose (HMAC-SHA256 of a label), so
//! one leaked key does not give away another and replicas sharing the secret agree.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// HMAC-SHA256 of `input` under `key`.
pub fn hmac_sha256(key: &[u8], input: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this never takes the fallback.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return [0; 32];
    };
    mac.update(input);
    mac.finalize().into_bytes().into()
}

/// The key for `purpose` derived from `secret`.
pub fn derive(secret: &[u8], purpose: &str) -> [u8; 32] {
    hmac_sha256(secret, purpose.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_purpose_gets_its_own_stable_key() {
        assert_eq!(derive(b"s", "a"), derive(b"s", "a"));
        assert_ne!(derive(b"s", "a"), derive(b"s", "b"));
        assert_ne!(derive(b"s", "a"), derive(b"t", "a"));
    }
}
