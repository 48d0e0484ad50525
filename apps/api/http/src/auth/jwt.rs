//! Short-lived HS256 access tokens. The algorithm is pinned, `iss`/`aud` are checked, and
//! the claims carry the workspace and role so the tenant context needs no lookup to build.

use std::fmt;

use helpdesk_domain::{Role, SessionId, UserId, WorkspaceId};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

const ISSUER: &str = "helpdesk";
const AUDIENCE: &str = "helpdesk-api";
const KEY_ID: &str = "hs256-1";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: UserId,
    pub wid: WorkspaceId,
    pub role: Role,
    pub sid: SessionId,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

/// Signing and verification keys derived from the configured secret.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl_secs: i64,
}

impl fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtKeys")
            .field("ttl_secs", &self.ttl_secs)
            .finish_non_exhaustive()
    }
}

impl JwtKeys {
    pub fn new(secret: &[u8], ttl_secs: i64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "iss", "aud"]);
        validation.leeway = 0;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl_secs,
        }
    }

    pub fn ttl_secs(&self) -> i64 {
        self.ttl_secs
    }

    pub fn issue(
        &self,
        user: UserId,
        workspace: WorkspaceId,
        role: Role,
        session: SessionId,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let now = jiff::Timestamp::now().as_second();
        let claims = Claims {
            sub: user,
            wid: workspace,
            role,
            sid: session,
            iat: now,
            exp: now + self.ttl_secs,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(KEY_ID.into());
        jsonwebtoken::encode(&header, &claims, &self.encoding)
    }

    /// Verifies signature, algorithm, issuer, audience and expiry.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|d| d.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef", 60);
        let Ok(token) = keys.issue(
            UserId::new(),
            WorkspaceId::new(),
            Role::Agent,
            SessionId::new(),
        ) else {
            panic!("issue failed");
        };
        assert!(keys.verify(&token).is_some());
        let other = JwtKeys::new(b"another-secret-another-secret-xx", 60);
        assert!(other.verify(&token).is_none());
        let expired = JwtKeys::new(b"0123456789abcdef0123456789abcdef", -10);
        let Ok(old) = expired.issue(
            UserId::new(),
            WorkspaceId::new(),
            Role::Agent,
            SessionId::new(),
        ) else {
            panic!("issue failed");
        };
        assert!(keys.verify(&old).is_none());
    }
}
