//! `/users/{id}/reactivate` and `/users/{id}/invitation` (ADMIN): giving a deactivated user
//! access back, and sending a pending invitation again or withdrawing it.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use helpdesk_domain::UserId;
use helpdesk_service::Actor;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::common::UserOut;
use crate::error::ApiResult;
use crate::extract::{Admin, Id};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(reactivate_user))
        .routes(routes!(resend_invitation, revoke_invitation))
}

#[utoipa::path(post, path = "/users/{id}/reactivate", tag = "users",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = UserOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn reactivate_user(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<UserId>,
) -> ApiResult<Json<UserOut>> {
    let user = state
        .service
        .reactivate_user(&Actor::request(authed.ctx), id)
        .await?;
    Ok(Json(UserOut::from_row(user)?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ResendParams {
    /// Include the new invitation token in the response (for scripts and tests).
    #[serde(default)]
    pub return_token: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Resent {
    pub sent: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitation_token: Option<String>,
}

#[utoipa::path(post, path = "/users/{id}/invitation", tag = "users",
    params(("id" = String, Path, format = Uuid), ResendParams),
    responses((status = 200, description = "mailed again; the earlier link no longer works", body = Resent),
        (status = 404, body = crate::error::Problem), (status = 409, description = "no pending invitation", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn resend_invitation(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<UserId>,
    Query(p): Query<ResendParams>,
) -> ApiResult<Json<Resent>> {
    let token = state
        .service
        .resend_invitation(&Actor::request(authed.ctx), id)
        .await?;
    Ok(Json(Resent {
        sent: true,
        invitation_token: p.return_token.then_some(token),
    }))
}

#[utoipa::path(delete, path = "/users/{id}/invitation", tag = "users",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 204, description = "the link no longer works and the user is deactivated"),
        (status = 404, body = crate::error::Problem), (status = 409, description = "no pending invitation", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn revoke_invitation(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<UserId>,
) -> ApiResult<StatusCode> {
    state
        .service
        .revoke_invitation(&Actor::request(authed.ctx), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
