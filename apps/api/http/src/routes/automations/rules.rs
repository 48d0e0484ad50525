//! `/automations` CRUD.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::automation::Trigger;
use helpdesk_service::Actor;
use helpdesk_service::automations::rules::RuleInput;
pub use helpdesk_service::automations::rules::RuleOut;
use serde::Deserialize;
use uuid::Uuid;

use crate::error::ApiResult;
use crate::extract::{Admin, Id, ValidatedJson};
use crate::state::AppState;

fn input(b: RuleBody) -> RuleInput {
    RuleInput {
        name: b.name,
        active: b.active,
        position: b.position,
        trigger: b.trigger,
        conditions: b.conditions,
        actions: b.actions,
    }
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleBody {
    #[garde(length(chars, min = 1, max = 100))]
    pub name: Option<String>,
    #[garde(skip)]
    pub active: Option<bool>,
    /// Default (create): after the last rule.
    #[garde(range(min = 0, max = 1_000_000))]
    pub position: Option<i64>,
    #[garde(skip)]
    pub trigger: Option<Trigger>,
    #[garde(skip)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub conditions: Option<serde_json::Value>,
    #[garde(skip)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub actions: Option<serde_json::Value>,
}

#[utoipa::path(get, path = "/automations", tag = "automations",
    responses((status = 200, body = Vec<RuleOut>), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn list_rules(
    State(state): State<AppState>,
    Admin(authed): Admin,
) -> ApiResult<Json<Vec<RuleOut>>> {
    Ok(Json(
        state.service.rules(&Actor::request(authed.ctx)).await?,
    ))
}

#[utoipa::path(post, path = "/automations", tag = "automations", request_body = RuleBody,
    responses((status = 201, body = RuleOut), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_rule(
    State(state): State<AppState>,
    Admin(authed): Admin,
    ValidatedJson(b): ValidatedJson<RuleBody>,
) -> ApiResult<(StatusCode, Json<RuleOut>)> {
    let out = state
        .service
        .create_rule(&Actor::request(authed.ctx), input(b))
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(get, path = "/automations/{id}", tag = "automations", params(("id" = String, Path)),
    responses((status = 200, body = RuleOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_rule(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<Json<RuleOut>> {
    Ok(Json(
        state.service.rule(&Actor::request(authed.ctx), id).await?,
    ))
}

#[utoipa::path(patch, path = "/automations/{id}", tag = "automations", params(("id" = String, Path)), request_body = RuleBody,
    responses((status = 200, body = RuleOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_rule(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
    ValidatedJson(b): ValidatedJson<RuleBody>,
) -> ApiResult<Json<RuleOut>> {
    let out = state
        .service
        .update_rule(&Actor::request(authed.ctx), id, input(b))
        .await?;
    Ok(Json(out))
}

#[utoipa::path(delete, path = "/automations/{id}", tag = "automations", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn delete_rule(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<StatusCode> {
    state
        .service
        .delete_rule(&Actor::request(authed.ctx), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
