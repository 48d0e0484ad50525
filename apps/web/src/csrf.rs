//! Cross-site request forgery: every state change must carry the visit's token (a form
//! field or the `X-CSRF-Token` header htmx sends), and must not come from another site.
//! Signed-in visits have a token derived from the session secret (which only the HttpOnly
//! cookie holds); signed-out visits a random one in their own cookie (double submit).

use axum::http::{HeaderMap, header};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The token of a signed-in session.
pub fn for_session(secret: &str) -> String {
    let digest = Sha256::digest(format!("helpdesk-csrf:{secret}").as_bytes());
    hex::encode(&digest[..16])
}

/// A fresh token for a signed-out visit.
pub fn fresh() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A token of the shape we hand out (the pre-session cookie is client-controlled).
pub fn well_formed(t: &str) -> bool {
    t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Compares in time independent of where the strings differ.
pub fn matches(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// The browser says the request comes from this site (or says nothing, as non-browser
/// clients do: the token still has to match).
pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, h)| h);
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn tokens_compare_exactly() {
        let t = for_session("secret");
        assert!(well_formed(&t));
        assert!(matches(&t, &for_session("secret")));
        assert!(!matches(&t, &for_session("other")));
        assert!(!matches("", &t));
        assert!(!well_formed("zz"));
    }

    #[test]
    fn cross_site_requests_are_refused() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("desk.example"));
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://desk.example"),
        );
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!same_origin(&h));
        h.remove(header::ORIGIN);
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h));
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(same_origin(&h));
    }
}
