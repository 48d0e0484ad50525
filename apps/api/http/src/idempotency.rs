//! `Idempotency-Key` for POST endpoints: the header, bound to the route and body for the
//! service (which stores and replays results), and the rendering of a replay.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use helpdesk_service::{IdemKey, Once};

use crate::error::ApiError;

/// The `Idempotency-Key` header, when present: 1–255 visible ASCII characters.
#[derive(Debug, Clone)]
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(raw) = parts.headers.get("idempotency-key") else {
            return Ok(IdempotencyKey(None));
        };
        let key = raw
            .to_str()
            .map_err(|_| ApiError::invalid("Idempotency-Key", "must be visible ASCII"))?
            .trim();
        if key.is_empty() || key.len() > 255 || !key.chars().all(|c| c.is_ascii_graphic()) {
            return Err(ApiError::invalid(
                "Idempotency-Key",
                "must be 1 to 255 visible ASCII characters",
            ));
        }
        Ok(IdempotencyKey(Some(key.to_owned())))
    }
}

impl IdempotencyKey {
    /// The key bound to the route and the body's hash, for the service.
    pub fn bind(self, route: &str, body_sha256: &str) -> Option<IdemKey> {
        let request_hash =
            crate::auth::opaque::hash_bytes(format!("{route}\n{body_sha256}").as_bytes());
        self.0.map(|key| IdemKey { key, request_hash })
    }
}

/// Renders a keyed command's result: `status` for a fresh one; a replay answers with the
/// first response's status and body and `Idempotent-Replayed: true`.
pub fn respond<T: serde::Serialize>(once: Once<T>, status: StatusCode) -> Response {
    match once {
        Once::Done(out) => (status, axum::Json(out)).into_response(),
        Once::Replayed(r) => {
            let status = if r.created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            let mut res = (status, r.body).into_response();
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            res.headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            res
        }
    }
}
