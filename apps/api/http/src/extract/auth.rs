//! The guard chain: bearer credential → verified identity → [`TenantCtx`] → role.
//!
//! This is the only place a tenant context is built. The role and the active flag come
//! from the database, not from the token, so a demotion or deactivation applies at once.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use helpdesk_domain::{
    Actor, ApiKeyId, OrganizationId, Role, SessionId, TenantCtx, UserId, WorkspaceId,
};
use helpdesk_storage::StoreError;
use std::sync::Arc;

use helpdesk_storage::repo::{api_keys, sessions, users, workspaces};

use crate::auth::{Resolved, opaque};
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

fn not_found_is_unauthorized(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::Unauthorized,
        other => other.into(),
    }
}

async fn from_api_key(state: &AppState, key: &str) -> Result<Authed, ApiError> {
    let db = state.store.read();
    let row = api_keys::active_by_hash(db, &opaque::hash(key))
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let role: Role = row.role.parse().map_err(|_| ApiError::Unauthorized)?;
    api_keys::touch(state.store.write(), &row).await?;
    Ok(Authed {
        ctx: TenantCtx {
            workspace_id: WorkspaceId::from_uuid(row.workspace_id),
            actor: Actor::ApiKey(ApiKeyId::from_uuid(row.id)),
            role,
            organization_id: None,
        },
        session: None,
        resolved: None,
    })
}

/// The session's user and workspace: from the cache, or read and cached.
async fn resolve(state: &AppState, claims: &crate::auth::Claims) -> Result<Resolved, ApiError> {
    let sid = claims.sid.as_uuid();
    // The cached session must belong to the token's user and workspace, as the
    // database would have checked.
    if let Some(hit) = state.auth_cache.get(sid)
        && hit.user.id == claims.sub.as_uuid()
        && hit.workspace.id == claims.wid.as_uuid()
    {
        return Ok(hit);
    }
    let db = state.store.read();
    let user = users::in_workspace(db, claims.wid, claims.sub)
        .await
        .map_err(not_found_is_unauthorized)?;
    let session = sessions::get(db, claims.wid, claims.sid)
        .await
        .map_err(not_found_is_unauthorized)?;
    if session.revoked_at.is_some() || session.user_id != user.id {
        return Err(ApiError::Unauthorized);
    }
    let workspace = workspaces::get(db, claims.wid)
        .await
        .map_err(not_found_is_unauthorized)?;
    let resolved = Resolved {
        user: Arc::new(user),
        workspace: Arc::new(workspace),
    };
    state.auth_cache.put(sid, resolved.clone());
    Ok(resolved)
}

async fn from_access_token(state: &AppState, token: &str) -> Result<Authed, ApiError> {
    let claims = state.jwt.verify(token).ok_or(ApiError::Unauthorized)?;
    let resolved = resolve(state, &claims).await?;
    let user = &resolved.user;
    if !user.active {
        return Err(ApiError::Unauthorized);
    }
    let role: Role = user.role.parse().map_err(|_| ApiError::Unauthorized)?;
    Ok(Authed {
        ctx: TenantCtx {
            workspace_id: claims.wid,
            actor: Actor::User(UserId::from_uuid(user.id)),
            role,
            organization_id: user.organization_id.map(OrganizationId::from_uuid),
        },
        session: Some(claims.sid),
        resolved: Some(resolved),
    })
}

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(done) = parts.extensions.get::<Authed>() {
            return Ok(done.clone());
        }
        let credential = bearer(parts).ok_or(ApiError::Unauthorized)?;
        let authed = if credential.starts_with(API_KEY_PREFIX) {
            from_api_key(state, credential).await?
        } else {
            from_access_token(state, credential).await?
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
