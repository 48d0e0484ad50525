//! The client's address for rate limiting: the TCP peer, or, behind trusted proxies, the
//! `X-Forwarded-For` entry the outermost trusted proxy saw.
//!
//! Proxies append the address they received from, so only the right-most entries are
//! trustworthy: a client can put anything on the left. With `n` trusted proxies the client
//! is the `n`-th entry from the right.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

/// The address `trusted` proxies vouch for, from every `X-Forwarded-For` header in order.
/// `None` when the header has fewer hops than there are proxies (a request that did not
/// come through them all) or the hop is not an address.
fn forwarded_client(headers: &HeaderMap, trusted: usize) -> Option<IpAddr> {
    if trusted == 0 {
        return None;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let index = hops.len().checked_sub(trusted)?;
    hops.get(index)?.parse().ok()
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(ip) = forwarded_client(&parts.headers, state.settings.trusted_proxies) {
            return Ok(ClientAddr(ip));
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        Ok(ClientAddr(peer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            if let Ok(v) = v.parse() {
                h.append("x-forwarded-for", v);
            }
        }
        h
    }

    #[test]
    fn takes_the_hop_the_trusted_proxies_added() {
        let h = headers(&["6.6.6.6, 10.0.0.1", "10.0.0.2"]);
        assert_eq!(forwarded_client(&h, 1), "10.0.0.2".parse().ok());
        assert_eq!(forwarded_client(&h, 2), "10.0.0.1".parse().ok());
        assert_eq!(forwarded_client(&h, 3), "6.6.6.6".parse().ok());
        assert_eq!(forwarded_client(&h, 4), None);
        assert_eq!(forwarded_client(&h, 0), None);
        assert_eq!(forwarded_client(&headers(&["nonsense"]), 1), None);
    }
}
