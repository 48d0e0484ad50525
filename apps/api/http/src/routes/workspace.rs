//! `GET/PATCH /workspace` (ADMIN): the workspace's name and settings — `auto_close_days`
//! (read by the default auto-close rule), the time zone reports count days in, the default
//! SLA policy, branding.

use axum::Json;
use axum::extract::State;
use helpdesk_domain::settings::{Branding, WorkspaceSettings};
use helpdesk_domain::{WorkspaceId, text};
use helpdesk_storage::repo::{sla_policies, workspaces};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::double_option;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::{Admin, ValidatedJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_workspace, update_workspace))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WorkspaceSettingsOut {
    pub id: WorkspaceId,
    pub name: String,
    pub slug: String,
    pub settings: WorkspaceSettings,
    /// The policy tickets get when their organization names none.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub default_sla_policy_id: Option<Uuid>,
}

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
}

async fn read(
    db: &impl sea_orm::ConnectionTrait,
    ctx: &helpdesk_domain::TenantCtx,
) -> ApiResult<WorkspaceSettingsOut> {
    let ws = workspaces::get(db, ctx.workspace_id).await?;
    Ok(WorkspaceSettingsOut {
        id: WorkspaceId::from_uuid(ws.id),
        settings: WorkspaceSettings::from_json(&ws.settings),
        name: ws.name,
        slug: ws.slug,
        default_sla_policy_id: sla_policies::default_id(db, ctx).await?,
    })
}

fn check_branding(b: &Branding, errors: &mut Vec<FieldError>) {
    if let Some(c) = &b.primary_color {
        let hex =
            c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|x| x.is_ascii_hexdigit());
        if !hex {
            errors.push(FieldError::new("branding.primary_color", "must be #RRGGBB"));
        }
    }
    if let Some(u) = &b.logo_url
        && (!u.starts_with("https://") || u.len() > 500 || u.chars().any(char::is_whitespace))
    {
        errors.push(FieldError::new(
            "branding.logo_url",
            "must be an https:// URL of up to 500 characters",
        ));
    }
}

#[utoipa::path(get, path = "/workspace", tag = "workspace",
    responses((status = 200, body = WorkspaceSettingsOut), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_workspace(
    State(state): State<AppState>,
    Admin(authed): Admin,
) -> ApiResult<Json<WorkspaceSettingsOut>> {
    Ok(Json(read(state.store.read(), &authed.ctx).await?))
}

#[utoipa::path(patch, path = "/workspace", tag = "workspace", request_body = WorkspaceBody,
    responses((status = 200, body = WorkspaceSettingsOut), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_workspace(
    State(state): State<AppState>,
    Admin(authed): Admin,
    ValidatedJson(b): ValidatedJson<WorkspaceBody>,
) -> ApiResult<Json<WorkspaceSettingsOut>> {
    let ctx = &authed.ctx;
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    let ws = workspaces::get(&tx, ctx.workspace_id).await?;
    let mut settings = WorkspaceSettings::from_json(&ws.settings);
    let mut errors = Vec::new();
    let renamed = b.name.is_some();
    let name = match b.name {
        Some(n) => text::bounded(&n, 1, 100).unwrap_or_else(|| {
            errors.push(FieldError::new("name", "must not be blank"));
            String::new()
        }),
        None => ws.name,
    };
    if let Some(d) = b.auto_close_days {
        settings.auto_close_days = d;
    }
    if let Some(z) = b.timezone {
        if jiff::tz::TimeZone::get(&z).is_err() {
            errors.push(FieldError::new(
                "timezone",
                format!("unknown time zone {z:?}"),
            ));
        }
        settings.timezone = z;
    }
    if let Some(br) = b.branding {
        check_branding(&br, &mut errors);
        settings.branding = br;
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    if let Some(policy) = b.default_sla_policy_id {
        if let Some(id) = policy
            && sla_policies::get(&tx, ctx, id).await.is_err()
        {
            return Err(ApiError::invalid(
                "default_sla_policy_id",
                "no such policy in this workspace",
            ));
        }
        sla_policies::set_default(&tx, ctx, policy).await?;
    }
    let value = serde_json::to_value(&settings).map_err(ApiError::internal)?;
    workspaces::update(&tx, ctx.workspace_id, name, value).await?;
    let out = read(&tx, ctx).await?;
    tx.commit().await.map_err(ApiError::db)?;
    if renamed {
        // Cached sessions carry the workspace row; renames are rare, so drop them all.
        state.evict(crate::auth::Eviction::All).await;
    }
    Ok(Json(out))
}
