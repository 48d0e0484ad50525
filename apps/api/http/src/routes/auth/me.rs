//! `GET /auth/me`: who the token belongs to.

use axum::Json;
use helpdesk_domain::{OrganizationId, Role, UserId};
use serde::Serialize;

use crate::error::{ApiError, ApiResult};
use crate::extract::Authed;
use crate::routes::common::WorkspaceOut;

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
pub async fn me(authed: Authed) -> ApiResult<Json<Me>> {
    let resolved = authed.resolved.ok_or(ApiError::Forbidden)?;
    let user = resolved.user.as_ref();
    Ok(Json(Me {
        id: UserId::from_uuid(user.id),
        email: user.email.clone(),
        name: user.name.clone(),
        role: authed.ctx.role,
        organization_id: authed.ctx.organization_id,
        workspace: WorkspaceOut::from(resolved.workspace.as_ref().clone()),
    }))
}
