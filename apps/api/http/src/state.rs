//! Shared application state handed to every handler, and the settings the HTTP layer needs.

use std::sync::Arc;
use std::time::Duration;

use helpdesk_storage::Store;

use crate::auth::JwtKeys;
use crate::ratelimit::RateLimiter;

/// Settings of the HTTP layer, built by the binary from its configuration.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub body_limit: usize,
    pub request_timeout: Duration,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
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
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            trust_forwarded_for: false,
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
