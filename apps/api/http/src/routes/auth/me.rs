//! `GET /auth/me`: who the token belongs to.

use axum::Json;
use axum::extract::State;
use helpdesk_domain::{OrganizationId, Role, UserId};
use helpdesk_storage::repo::{users, workspaces};
use serde::Serialize;

use crate::error::{ApiError, ApiResult};
use crate::extract::Authed;
use crate::routes::common::WorkspaceOut;
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organization_id: Option<OrganizationId>,
    pub workspace: WorkspaceOut,
}

#[utoipa::path(get, path = "/auth/me", tag = "auth",
    responses((status = 200, body = Me), (status = 401, body = crate::error::Problem),
        (status = 403, description = "API keys have no user", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn me(State(state): State<AppState>, authed: Authed) -> ApiResult<Json<Me>> {
    let user_id = authed.ctx.user_id().ok_or(ApiError::Forbidden)?;
    let db = state.store.read();
    let user = users::get(db, &authed.ctx, user_id).await?;
    let ws = workspaces::get(db, authed.ctx.workspace_id).await?;
    Ok(Json(Me {
        id: user_id,
        email: user.email,
        name: user.name,
        role: authed.ctx.role,
        organization_id: authed.ctx.organization_id,
        workspace: ws.into(),
    }))
}
