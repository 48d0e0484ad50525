//! Shared application state handed to every handler: the service, and what only the HTTP
//! layer needs (its settings, token keys, rate limits).

use std::sync::Arc;
use std::time::Duration;

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
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            trust_forwarded_for: false,
            attachment_limit: 10 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
pub struct Inner {
    pub settings: HttpSettings,
    pub jwt: JwtKeys,
    pub limiter: RateLimiter,
    /// For `/ready` only: the rate limits and the live events hold their own handles.
    pub redis: Option<redis::aio::ConnectionManager>,
    /// The use cases; handlers call these and render what they return.
    pub service: helpdesk_service::Service,
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
