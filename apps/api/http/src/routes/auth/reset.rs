//! Password reset: request (always 202, so accounts cannot be probed) and confirm.

use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_service::auth::reset::ConfirmReset;
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{ClientAddr, ValidatedJson};
use crate::routes::common::RateHeaders;
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    #[garde(length(max = 254))]
    pub email: String,
    /// Restricts the reset to one workspace; without it every account with this email
    /// gets its own link.
    #[garde(length(max = 64))]
    pub workspace: Option<String>,
}

#[utoipa::path(post, path = "/auth/password-reset", tag = "auth",
    request_body = ResetRequest,
    responses((status = 202, description = "accepted, whether or not the account exists"),
        (status = 429, body = crate::error::Problem)))]
pub async fn request_reset(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ValidatedJson(req): ValidatedJson<ResetRequest>,
) -> ApiResult<(StatusCode, RateHeaders, ())> {
    let rate = state.service.limiter.guard_email(ip, &req.email).await?;
    state
        .service
        .request_password_reset(&req.email, req.workspace.as_deref())
        .await?;
    Ok((StatusCode::ACCEPTED, RateHeaders(rate), ()))
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmResetRequest {
    #[garde(length(min = 1, max = 256))]
    pub token: String,
    #[garde(skip)]
    pub password: String,
}

/// Sets the new password and signs the account out everywhere.
#[utoipa::path(post, path = "/auth/password-reset/confirm", tag = "auth",
    request_body = ConfirmResetRequest,
    responses((status = 204), (status = 401, description = "unknown, used or expired token", body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn confirm_reset(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ValidatedJson(req): ValidatedJson<ConfirmResetRequest>,
) -> ApiResult<StatusCode> {
    state.service.limiter.guard(ip, None).await?;
    let input = ConfirmReset {
        token: req.token,
        password: req.password,
    };
    state.service.confirm_password_reset(input).await?;
    Ok(StatusCode::NO_CONTENT)
}
