//! `POST /auth/refresh` (rotation with reuse detection) and `POST /auth/logout`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use super::session::TokenPair;
use crate::error::ApiResult;
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
    let rate = state.service.limiter.guard(ip, None).await?;
    let grant = state.service.refresh_session(&req.refresh_token).await?;
    Ok((RateHeaders(rate), Json(TokenPair::mint(&state, grant)?)))
}

/// Ends the caller's session: its refresh tokens and access tokens stop working.
#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    responses((status = 204), (status = 401, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn logout(State(state): State<AppState>, authed: Authed) -> ApiResult<StatusCode> {
    // API keys have no session to end.
    if let Some(session) = authed.session {
        state.service.end_session(session).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
