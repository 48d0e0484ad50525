//! `POST /auth/login`: email and password (and a workspace slug when the password matches
//! accounts in several workspaces).

use axum::Json;
use axum::extract::State;
use helpdesk_service::auth::login::Credentials;
use serde::Deserialize;

use super::session::SignedIn;
use crate::error::ApiResult;
use crate::extract::{ClientAddr, ValidatedJson};
use crate::routes::common::RateHeaders;
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[garde(length(max = 254))]
    pub email: String,
    #[garde(length(max = 1024))]
    pub password: String,
    /// The workspace slug; needed only when the password matches the email's accounts in
    /// several workspaces (the password is checked first, so a wrong one is always 401).
    #[garde(length(max = 64))]
    pub workspace: Option<String>,
}

#[utoipa::path(post, path = "/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses((status = 200, body = SignedIn), (status = 401, body = crate::error::Problem),
        (status = 409, description = "`workspace_required`: the password matches accounts in several workspaces; send `workspace`", body = crate::error::Problem),
        (status = 429, body = crate::error::Problem)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ValidatedJson(req): ValidatedJson<LoginRequest>,
) -> ApiResult<(RateHeaders, Json<SignedIn>)> {
    let rate = state.service.limiter.guard_email(ip, &req.email).await?;
    let creds = Credentials {
        email: req.email,
        password: req.password,
        workspace: req.workspace,
    };
    let done = state.service.start_session(creds).await?;
    Ok((RateHeaders(rate), Json(SignedIn::render(&state, done)?)))
}
