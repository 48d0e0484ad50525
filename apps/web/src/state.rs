//! What every page handler holds: the application layer and the web app's settings.

use std::sync::Arc;

use helpdesk_service::Service;
use helpdesk_service::live::slots::StreamSlots;

/// Settings of the web app, from the binary's configuration.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// Mark cookies `Secure` (the public URL is https).
    pub secure_cookies: bool,
    /// How many proxies in front of the server append to `X-Forwarded-For`.
    pub trusted_proxies: usize,
    /// Largest attachment, bytes (forms with files may be that large, plus their fields).
    pub attachment_limit: usize,
}

impl Default for WebSettings {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            trusted_proxies: 0,
            attachment_limit: 10 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone)]
pub struct WebState(Arc<Inner>);

#[derive(Debug)]
pub struct Inner {
    pub service: Service,
    pub settings: WebSettings,
    /// Open live streams, capped per caller and per workspace (shared with the API's).
    pub streams: Arc<StreamSlots>,
}

impl WebState {
    pub fn new(service: Service, settings: WebSettings, streams: Arc<StreamSlots>) -> Self {
        Self(Arc::new(Inner {
            service,
            settings,
            streams,
        }))
    }
}

impl std::ops::Deref for WebState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
