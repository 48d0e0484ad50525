//! Shared application state handed to every handler: the service, and what only the HTTP
//! layer needs (its settings, token keys); rate limits are the service's.

use std::sync::Arc;
use std::time::Duration;

use crate::auth::JwtKeys;

/// Settings of the HTTP layer, built by the binary from its configuration.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub body_limit: usize,
    pub request_timeout: Duration,
    /// How many proxies in front of the server append to `X-Forwarded-For`; 0 ignores
    /// the header. The client is the entry that many hops from the right.
    pub trusted_proxies: usize,
    /// Largest attachment, bytes.
    pub attachment_limit: usize,
    /// Live streams one user or key may hold open at once (per process).
    pub streams_per_caller: usize,
    /// Live streams one workspace may hold open at once (per process).
    pub streams_per_workspace: usize,
    /// SHA-256 of the bearer token `/metrics` asks for; `None`: open (kept as a digest
    /// so the token never sits in `Debug` output).
    pub metrics_token_sha256: Option<[u8; 32]>,
    /// Whether the main listener serves `/metrics` (not when it has its own address).
    pub metrics_on_main: bool,
}

impl HttpSettings {
    /// The digest kept of a bearer token (the metrics token).
    pub fn token_digest(token: &str) -> [u8; 32] {
        use sha2::Digest as _;
        sha2::Sha256::digest(token.as_bytes()).into()
    }
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            trusted_proxies: 0,
            attachment_limit: 10 * 1024 * 1024,
            streams_per_caller: 5,
            streams_per_workspace: 200,
            metrics_token_sha256: None,
            metrics_on_main: true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
pub struct Inner {
    pub settings: HttpSettings,
    pub jwt: JwtKeys,
    /// For `/ready` only: the rate limits and the live events hold their own handles.
    pub redis: Option<redis::aio::ConnectionManager>,
    /// The use cases; handlers call these and render what they return.
    pub service: helpdesk_service::Service,
    /// Open live streams, capped per caller and per workspace.
    pub streams: std::sync::Arc<crate::live::slots::StreamSlots>,
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
