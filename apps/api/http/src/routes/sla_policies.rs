//! `/sla-policies` (ADMIN writes, staff read): targets per priority, the calendar they count
//! in, the statuses that pause each metric, and when to warn.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_service::Actor;
use helpdesk_service::sla_setup::policies::PolicyInput;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::double_option;
use crate::error::ApiResult;
use crate::extract::{Admin, Id, Staff, ValidatedJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_policies, create_policy))
        .routes(routes!(get_policy, update_policy, delete_policy))
}

pub use helpdesk_domain::sla::{PauseOn, Targets};
pub use helpdesk_service::sla_setup::policies::PolicyOut;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyBody {
    #[garde(length(chars, min = 1, max = 100))]
    pub name: Option<String>,
    /// The calendar; `null` or absent: 24×7.
    #[garde(skip)]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub business_hours_id: Option<Option<Uuid>>,
    #[garde(skip)]
    pub is_default: Option<bool>,
    #[garde(skip)]
    pub targets: Option<BTreeMap<String, Targets>>,
    #[garde(skip)]
    pub pause_on: Option<PauseOn>,
    /// 1–99; default 80.
    #[garde(skip)]
    pub warn_at_percent: Option<i32>,
}

impl From<PolicyBody> for PolicyInput {
    fn from(b: PolicyBody) -> Self {
        Self {
            name: b.name,
            business_hours_id: b.business_hours_id,
            is_default: b.is_default,
            targets: b.targets,
            pause_on: b.pause_on,
            warn_at_percent: b.warn_at_percent,
        }
    }
}

#[utoipa::path(get, path = "/sla-policies", tag = "sla",
    responses((status = 200, body = Vec<PolicyOut>), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn list_policies(
    State(state): State<AppState>,
    Staff(authed): Staff,
) -> ApiResult<Json<Vec<PolicyOut>>> {
    let list = state
        .service
        .sla_policies(&Actor::request(authed.ctx))
        .await?;
    Ok(Json(list))
}

#[utoipa::path(post, path = "/sla-policies", tag = "sla", request_body = PolicyBody,
    responses((status = 201, body = PolicyOut), (status = 422, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn create_policy(
    State(state): State<AppState>,
    Admin(authed): Admin,
    ValidatedJson(b): ValidatedJson<PolicyBody>,
) -> ApiResult<(StatusCode, Json<PolicyOut>)> {
    let out = state
        .service
        .create_sla_policy(&Actor::request(authed.ctx), b.into())
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(get, path = "/sla-policies/{id}", tag = "sla", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = PolicyOut), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn get_policy(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<Uuid>,
) -> ApiResult<Json<PolicyOut>> {
    let out = state
        .service
        .sla_policy(&Actor::request(authed.ctx), id)
        .await?;
    Ok(Json(out))
}

#[utoipa::path(patch, path = "/sla-policies/{id}", tag = "sla", params(("id" = String, Path, format = Uuid)), request_body = PolicyBody,
    responses((status = 200, body = PolicyOut), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_policy(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
    ValidatedJson(b): ValidatedJson<PolicyBody>,
) -> ApiResult<Json<PolicyOut>> {
    let out = state
        .service
        .update_sla_policy(&Actor::request(authed.ctx), id, b.into())
        .await?;
    Ok(Json(out))
}

/// Deletes a policy; organizations that named it fall back to the workspace default.
#[utoipa::path(delete, path = "/sla-policies/{id}", tag = "sla", params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn delete_policy(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<StatusCode> {
    state
        .service
        .delete_sla_policy(&Actor::request(authed.ctx), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
