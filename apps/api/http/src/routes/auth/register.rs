//! `POST /auth/register`: a new workspace and its first ADMIN.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_service::auth::register::Registration;
use serde::{Deserialize, Serialize};

use super::session::TokenPair;
use crate::error::ApiResult;
use crate::extract::{ClientAddr, ValidatedJson};
use crate::routes::common::{RateHeaders, UserOut, WorkspaceOut};
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[garde(length(chars, min = 1, max = 100))]
    pub workspace_name: String,
    #[garde(length(max = 254))]
    pub admin_email: String,
    #[garde(skip)]
    pub admin_password: String,
    #[garde(length(chars, min = 1, max = 100))]
    pub admin_name: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Registered {
    pub workspace: WorkspaceOut,
    pub user: UserOut,
    #[serde(flatten)]
    pub tokens: TokenPair,
}

#[utoipa::path(post, path = "/auth/register", tag = "auth",
    request_body = RegisterRequest,
    responses((status = 201, body = Registered), (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
pub async fn register(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ValidatedJson(req): ValidatedJson<RegisterRequest>,
) -> ApiResult<(StatusCode, RateHeaders, Json<Registered>)> {
    let rate = state.service.limiter.guard(ip, None).await?;
    let input = Registration {
        workspace_name: req.workspace_name,
        admin_email: req.admin_email,
        admin_password: req.admin_password,
        admin_name: req.admin_name,
    };
    let done = state.service.register(input).await?;
    let body = Registered {
        workspace: done.workspace.into(),
        user: UserOut::from_row(done.user)?,
        tokens: TokenPair::mint(&state, done.grant)?,
    };
    Ok((StatusCode::CREATED, RateHeaders(rate), Json(body)))
}
