//! `POST /auth/refresh` (rotation with reuse detection) and `POST /auth/logout`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::{Role, SessionId, UserId, WorkspaceId};
use helpdesk_storage::repo::{sessions, tokens, users};
use serde::Deserialize;

use super::session::{self, TokenPair};
use crate::auth::{Eviction, opaque};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Authed, ClientAddr, ValidatedJson};
use crate::routes::common::RateHeaders;
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[garde(length(min = 1, max = 256))]
    pub refresh_token: String,
}

/// Exchanges a refresh token for a new pair. The old token stops working; presenting an
/// already-used token revokes its whole session (someone else may hold the newer one).
#[utoipa::path(post, path = "/auth/refresh", tag = "auth",
    request_body = RefreshRequest,
    responses((status = 200, body = TokenPair), (status = 401, body = crate::error::Problem),
        (status = 429, body = crate::error::Problem)))]
pub async fn refresh(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ValidatedJson(req): ValidatedJson<RefreshRequest>,
) -> ApiResult<(RateHeaders, Json<TokenPair>)> {
    let rate = state.limiter.guard(ip, None).await?;
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    let token = tokens::refresh_by_hash(&tx, &opaque::hash(&req.refresh_token))
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let workspace = WorkspaceId::from_uuid(token.workspace_id);
    let session_id = SessionId::from_uuid(token.session_id);
    if !tokens::mark_refresh_used(&tx, token.id).await? {
        tracing::warn!(session = %session_id, "refresh token reuse: revoking the session");
        sessions::revoke(&tx, session_id).await?;
        tx.commit().await.map_err(ApiError::db)?;
        state.evict(Eviction::Session(session_id.as_uuid())).await;
        return Err(ApiError::Unauthorized);
    }
    let session = sessions::get(&tx, workspace, session_id).await?;
    if session.revoked_at.is_some()
        || token.expires_at <= helpdesk_domain::time::to_micros(jiff::Timestamp::now())
    {
        return Err(ApiError::Unauthorized);
    }
    let user = users::in_workspace(&tx, workspace, UserId::from_uuid(session.user_id)).await?;
    if !user.active {
        return Err(ApiError::Unauthorized);
    }
    let role: Role = user.role.parse().map_err(|_| ApiError::Unauthorized)?;
    let pair = session::issue_pair(
        &state,
        &tx,
        workspace,
        UserId::from_uuid(user.id),
        role,
        session_id,
    )
    .await?;
    tx.commit().await.map_err(ApiError::db)?;
    Ok((RateHeaders(rate), Json(pair)))
}

/// Ends the caller's session: its refresh tokens and access tokens stop working.
#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    responses((status = 204), (status = 401, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn logout(State(state): State<AppState>, authed: Authed) -> ApiResult<StatusCode> {
    if let Some(session) = authed.session {
        sessions::revoke(state.store.write(), session).await?;
        state.evict(Eviction::Session(session.as_uuid())).await;
    }
    Ok(StatusCode::NO_CONTENT)
}
