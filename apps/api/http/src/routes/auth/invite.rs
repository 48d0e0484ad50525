//! `POST /auth/accept-invite`: the answer to an invitation (created by `POST /users`
//! without a password).

use axum::Json;
use axum::extract::State;
use helpdesk_service::auth::invite::AcceptInvitation;
use serde::Deserialize;

use super::session::SignedIn;
use crate::error::ApiResult;
use crate::extract::{ClientAddr, ValidatedJson};
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInviteRequest {
    #[garde(length(min = 1, max = 256))]
    pub token: String,
    #[garde(skip)]
    pub password: String,
    #[garde(length(chars, min = 1, max = 100))]
    pub name: Option<String>,
}

/// Sets the invited user's password (and name) and signs them in.
#[utoipa::path(post, path = "/auth/accept-invite", tag = "auth",
    request_body = AcceptInviteRequest,
    responses((status = 200, body = SignedIn), (status = 401, description = "unknown, used or expired token", body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn accept_invite(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ValidatedJson(req): ValidatedJson<AcceptInviteRequest>,
) -> ApiResult<Json<SignedIn>> {
    state.service.limiter.guard(ip, None).await?;
    let input = AcceptInvitation {
        token: req.token,
        password: req.password,
        name: req.name,
    };
    let done = state.service.accept_invitation(input).await?;
    Ok(Json(SignedIn::render(&state, done)?))
}
