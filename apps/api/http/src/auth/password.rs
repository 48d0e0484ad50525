//! Argon2id password hashing on the blocking pool, bounded by a semaphore so a login flood
//! cannot starve the rest of the API.

use std::sync::Arc;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::error::ApiError;

#[derive(Debug, Clone)]
pub struct PasswordHasher {
    params: Params,
    permits: Arc<Semaphore>,
    /// A real hash of a random password, verified against when the account does not
    /// exist so that unknown emails and wrong passwords take the same time.
    dummy: Arc<str>,
}

impl PasswordHasher {
    /// OWASP's Argon2id baseline: m = 19 MiB, t = 2, p = 1.
    pub fn new(concurrency: usize) -> Result<Self, ApiError> {
        Self::with_params(19 * 1024, 2, concurrency)
    }

    pub fn with_params(m_kib: u32, t: u32, concurrency: usize) -> Result<Self, ApiError> {
        let params = Params::new(m_kib, t, 1, None).map_err(ApiError::internal)?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let dummy_pw = super::opaque::generate("");
        let dummy = argon
            .hash_password(dummy_pw.as_bytes())
            .map_err(ApiError::internal)?
            .to_string();
        Ok(Self {
            params,
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy: dummy.into(),
        })
    }

    fn argon(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    pub async fn hash(&self, password: &str) -> Result<String, ApiError> {
        let _permit = self.permits.acquire().await.map_err(ApiError::internal)?;
        let argon = self.argon();
        let pw = password.to_owned();
        tokio::task::spawn_blocking(move || {
            argon
                .hash_password(pw.as_bytes())
                .map(|h| h.to_string())
                .map_err(ApiError::internal)
        })
        .await
        .map_err(ApiError::internal)?
    }

    /// Whether `stored` was hashed with other parameters than today's (then login rehashes).
    pub fn needs_rehash(&self, stored: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(stored) else {
            return true;
        };
        match Params::try_from(&parsed) {
            Ok(p) => {
                parsed.algorithm.as_str() != "argon2id"
                    || p.m_cost() != self.params.m_cost()
                    || p.t_cost() != self.params.t_cost()
                    || p.p_cost() != self.params.p_cost()
            }
            Err(_) => true,
        }
    }

    /// Checks `password` against `stored`, or against the dummy hash when there is no
    /// account, so both paths cost one Argon2 verification.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, ApiError> {
        let _permit = self.permits.acquire().await.map_err(ApiError::internal)?;
        let exists = stored.is_some();
        let hash = stored.map_or_else(|| self.dummy.to_string(), str::to_owned);
        let pw = password.to_owned();
        let ok = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash)
                .map(|parsed| {
                    Argon2::default()
                        .verify_password(pw.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await
        .map_err(ApiError::internal)?;
        Ok(exists && ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_verify_and_rehash() {
        let weak = PasswordHasher::with_params(1024, 1, 1).unwrap_or_else(|e| panic!("{e}"));
        let strong = PasswordHasher::with_params(2048, 1, 1).unwrap_or_else(|e| panic!("{e}"));
        let hash = weak.hash("secure").await.unwrap_or_default();
        assert!(hash.starts_with("$argon2id$"));
        assert!(weak.verify("secure", Some(&hash)).await.unwrap_or(false));
        assert!(!weak.verify("wrong!", Some(&hash)).await.unwrap_or(true));
        assert!(!weak.verify("secure", None).await.unwrap_or(true));
        assert!(!weak.needs_rehash(&hash));
        assert!(strong.needs_rehash(&hash));
    }
}
