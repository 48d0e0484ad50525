//! Shared application state handed to every handler, and the settings the HTTP layer needs.

use std::sync::Arc;
use std::time::Duration;

use helpdesk_domain::PasswordPolicy;
use helpdesk_storage::Store;

use crate::auth::{JwtKeys, PasswordHasher};
use crate::ratelimit::RateLimiter;

/// Settings of the HTTP layer, built by the binary from its configuration.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub refresh_ttl: Duration,
    pub invitation_ttl: Duration,
    pub reset_ttl: Duration,
    pub password_policy: PasswordPolicy,
    pub body_limit: usize,
    pub request_timeout: Duration,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Base URL for links in emails.
    pub public_url: String,
    /// Largest attachment, bytes.
    pub attachment_limit: usize,
    /// How far the export stays behind the clock, so late commits are not skipped.
    pub export_lag: Duration,
    /// Let webhooks target private and loopback addresses.
    pub webhook_allow_private: bool,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            refresh_ttl: Duration::from_secs(30 * 24 * 3600),
            invitation_ttl: Duration::from_secs(7 * 24 * 3600),
            reset_ttl: Duration::from_secs(3600),
            password_policy: PasswordPolicy::default(),
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            trust_forwarded_for: false,
            public_url: "http://localhost:18000".into(),
            attachment_limit: 10 * 1024 * 1024,
            export_lag: Duration::from_secs(2),
            webhook_allow_private: false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
pub struct Inner {
    pub store: Store,
    pub settings: HttpSettings,
    pub jwt: JwtKeys,
    pub hasher: PasswordHasher,
    pub limiter: RateLimiter,
    pub redis: Option<redis::aio::ConnectionManager>,
    pub events: crate::live::EventBus,
    pub auth_cache: Arc<crate::auth::AuthCache>,
    pub blobs: Arc<dyn crate::blob::BlobStore>,
    pub clock: Arc<dyn helpdesk_domain::time::Clock>,
    /// The use cases; handlers call these and render what they return.
    pub service: helpdesk_service::Service,
}

impl Inner {
    /// Forgets cached credentials here and on every replica.
    pub async fn evict(&self, what: crate::auth::Eviction) {
        self.service.evict(what).await;
    }

    /// The current instant in stored form, from the injected clock.
    pub fn now(&self) -> i64 {
        helpdesk_domain::time::to_micros(self.clock.now())
    }

    /// Applies the password policy to a new password from field `field` of a request.
    pub fn check_password(
        &self,
        field: &str,
        raw: String,
    ) -> Result<helpdesk_domain::Password, crate::error::FieldError> {
        self.settings
            .password_policy
            .check(raw)
            .map_err(|e| crate::error::FieldError::new(field, e.to_string()))
    }
}

impl AppState {
    pub fn new(inner: Inner) -> Self {
        Self(Arc::new(inner))
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
