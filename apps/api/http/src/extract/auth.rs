//! The guard chain: bearer credential → verified identity → [`TenantCtx`] → role.
//!
//! The JWT is verified here (an API credential format); who it names, and every tenant
//! context, comes from the service (`helpdesk_service::auth::identify`). `Admin` and
//! `Staff` refuse early, before the body is read; the use cases decide again from the
//! permission table.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use helpdesk_domain::{Role, SessionId, TenantCtx};
use helpdesk_service::auth::identify::Identity;

use crate::auth::Resolved;
use crate::error::ApiError;
use crate::state::AppState;

/// Prefix that tells an API key from a JWT.
pub use helpdesk_service::auth::api_keys::API_KEY_PREFIX;

/// An authenticated caller of any role.
#[derive(Debug, Clone)]
pub struct Authed {
    pub ctx: TenantCtx,
    /// The sign-in session, for user tokens (API keys have none).
    pub session: Option<SessionId>,
    /// The user and workspace rows, for user tokens.
    pub resolved: Option<Resolved>,
    /// When the access token expires (Unix seconds), for user tokens: a live stream ends
    /// then.
    pub expires_at: Option<i64>,
}

/// An authenticated ADMIN.
#[derive(Debug, Clone)]
pub struct Admin(pub Authed);

/// An authenticated ADMIN or AGENT.
#[derive(Debug, Clone)]
pub struct Staff(pub Authed);

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

async fn from_access_token(
    state: &AppState,
    token: &str,
) -> Result<(Identity, Option<i64>), ApiError> {
    let claims = state.jwt.verify(token).ok_or(ApiError::Unauthorized)?;
    let id = state
        .service
        .identify_session(claims.wid, claims.sub, claims.sid)
        .await?;
    Ok((id, Some(claims.exp)))
}

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(done) = parts.extensions.get::<Authed>() {
            return Ok(done.clone());
        }
        let credential = bearer(parts).ok_or(ApiError::Unauthorized)?;
        let (id, expires_at) = if credential.starts_with(API_KEY_PREFIX) {
            (state.service.identify_api_key(credential).await?, None)
        } else {
            from_access_token(state, credential).await?
        };
        let authed = Authed {
            ctx: id.ctx,
            session: id.session,
            resolved: id.resolved,
            expires_at,
        };
        tracing::Span::current().record(
            "workspace_id",
            tracing::field::display(authed.ctx.workspace_id),
        );
        parts.extensions.insert(authed.clone());
        Ok(authed)
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let authed = Authed::from_request_parts(parts, state).await?;
        match authed.ctx.role {
            Role::Admin => Ok(Admin(authed)),
            _ => Err(ApiError::Forbidden),
        }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let authed = Authed::from_request_parts(parts, state).await?;
        if authed.ctx.role.is_staff() {
            Ok(Staff(authed))
        } else {
            Err(ApiError::Forbidden)
        }
    }
}
