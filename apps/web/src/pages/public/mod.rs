//! Pages for people who are not signed in: sign in, registration, password reset,
//! invitations, email confirmation. They share the API's rate limits.

pub mod csat;
pub mod invite;
pub mod login;
pub mod password;
pub mod register;
pub mod verify;

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use helpdesk_service::ratelimit::client_address;

use crate::error::WebError;
use crate::state::WebState;

/// The client's address, as the service decides it (trusted proxies included).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<WebState> for ClientIp {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, WebError> {
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok());
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientIp(client_address(
            forwarded,
            state.settings.trusted_proxies,
            peer,
        )))
    }
}

/// A link's `?token=` (reset, invitation, confirmation).
#[derive(Debug, serde::Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    pub token: String,
}

/// What a rate-limited form says.
pub fn wait_message(retry_after_secs: u64) -> String {
    format!("Too many attempts. Wait {retry_after_secs} seconds and try again.")
}

/// Where to go after signing in: only a path on this site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/tickets/4")), "/tickets/4");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
