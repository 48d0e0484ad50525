//! `GET/PATCH /workspace` (ADMIN): the workspace's name and settings — `auto_close_days`
//! (read by the default auto-close rule), the time zone reports count days in, the default
//! SLA policy, branding.

use axum::Json;
use axum::extract::State;
use helpdesk_domain::settings::Branding;
use helpdesk_service::Actor;
use helpdesk_service::workspace::WorkspaceEdit;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::double_option;
use crate::error::ApiResult;
use crate::extract::{Admin, ValidatedJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_workspace, update_workspace))
}

pub use helpdesk_service::workspace::WorkspaceSettingsOut;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceBody {
    #[garde(length(chars, min = 1, max = 100))]
    pub name: Option<String>,
    /// 1–365.
    #[garde(range(min = 1, max = 365))]
    pub auto_close_days: Option<i64>,
    /// IANA time zone.
    #[garde(length(min = 1, max = 64))]
    pub timezone: Option<String>,
    #[garde(skip)]
    pub branding: Option<Branding>,
    #[garde(skip)]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub default_sla_policy_id: Option<Option<Uuid>>,
    /// Ask a ticket's requester to rate each resolution (email link and portal).
    #[garde(skip)]
    pub csat_enabled: Option<bool>,
}

#[utoipa::path(get, path = "/workspace", tag = "workspace",
    responses((status = 200, body = WorkspaceSettingsOut), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_workspace(
    State(state): State<AppState>,
    Admin(authed): Admin,
) -> ApiResult<Json<WorkspaceSettingsOut>> {
    let out = state
        .service
        .workspace_settings(&Actor::request(authed.ctx))
        .await?;
    Ok(Json(out))
}

#[utoipa::path(patch, path = "/workspace", tag = "workspace", request_body = WorkspaceBody,
    responses((status = 200, body = WorkspaceSettingsOut), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_workspace(
    State(state): State<AppState>,
    Admin(authed): Admin,
    ValidatedJson(b): ValidatedJson<WorkspaceBody>,
) -> ApiResult<Json<WorkspaceSettingsOut>> {
    let edit = WorkspaceEdit {
        name: b.name,
        auto_close_days: b.auto_close_days,
        timezone: b.timezone,
        branding: b.branding,
        default_sla_policy_id: b.default_sla_policy_id,
        csat_enabled: b.csat_enabled,
    };
    let out = state
        .service
        .update_workspace(&Actor::request(authed.ctx), edit)
        .await?;
    Ok(Json(out))
}
