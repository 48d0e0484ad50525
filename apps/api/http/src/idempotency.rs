//! `Idempotency-Key` for POST endpoints: a retried request with the same key (same caller,
//! 24 hours) gets the first response and writes nothing twice; the same key with another
//! body is 422.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use helpdesk_domain::TenantCtx;
use helpdesk_domain::time::to_micros;
use helpdesk_storage::StoreError;
use helpdesk_storage::repo::idempotency;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

const TTL_MICROS: i64 = 24 * 3600 * 1_000_000;

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

/// One keyed (or unkeyed) request on its way through a handler.
#[derive(Debug)]
pub struct Idempotent {
    key: Option<String>,
    /// What the key is bound to: the route and the body's hash.
    request_hash: String,
    claim: Option<Uuid>,
}

impl Idempotent {
    pub fn new(key: IdempotencyKey, route: &str, body_sha256: &str) -> Self {
        let request_hash =
            crate::auth::opaque::hash_bytes(format!("{route}\n{body_sha256}").as_bytes());
        Self {
            key: key.0,
            request_hash,
            claim: None,
        }
    }

    /// The stored response of an earlier request with this key, if there is one.
    pub async fn replay(&self, state: &AppState, ctx: &TenantCtx) -> ApiResult<Option<Response>> {
        let Some(key) = &self.key else {
            return Ok(None);
        };
        let now = to_micros(jiff::Timestamp::now());
        let Some(stored) = idempotency::find(state.store.read(), ctx, key, now).await? else {
            return Ok(None);
        };
        if stored.request_hash != self.request_hash {
            return Err(ApiError::invalid(
                "Idempotency-Key",
                "was already used with a different request",
            ));
        }
        let status = u16::try_from(stored.response_status)
            .ok()
            .and_then(|s| StatusCode::from_u16(s).ok())
            .unwrap_or(StatusCode::OK);
        let mut res = (status, stored.response_body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        res.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
        Ok(Some(res))
    }

    /// Claims the key in the request's transaction. `Ok(false)`: a concurrent request with
    /// the same key committed first; drop the transaction and [`Idempotent::replay`].
    pub async fn claim(&mut self, db: &impl ConnectionTrait, ctx: &TenantCtx) -> ApiResult<bool> {
        let Some(key) = &self.key else {
            return Ok(true);
        };
        let now = to_micros(jiff::Timestamp::now());
        match idempotency::claim(db, ctx, key, &self.request_hash, now, TTL_MICROS).await {
            Ok(id) => {
                self.claim = Some(id);
                Ok(true)
            }
            Err(StoreError::Conflict(_)) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Stores the response under the claimed key, in the same transaction.
    pub async fn complete<T: serde::Serialize>(
        &self,
        db: &impl ConnectionTrait,
        status: StatusCode,
        body: &T,
    ) -> ApiResult<()> {
        if let Some(id) = self.claim {
            let json = serde_json::to_string(body).map_err(ApiError::internal)?;
            idempotency::complete(db, id, status.as_u16(), json).await?;
        }
        Ok(())
    }

    /// After a lost race: the winner's response.
    pub async fn replay_after_race(
        &self,
        state: &AppState,
        ctx: &TenantCtx,
    ) -> ApiResult<Response> {
        self.replay(state, ctx).await?.ok_or_else(|| {
            ApiError::Conflict("a request with this Idempotency-Key is in progress".into())
        })
    }
}
