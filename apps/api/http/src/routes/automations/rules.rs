//! `/automations` CRUD.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::automation::Trigger;
use helpdesk_storage::repo::automations::{self, Automation, RuleFields};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Admin, Id, ValidatedJson};
use crate::routes::common::rfc3339;
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RuleOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub name: String,
    pub active: bool,
    /// Rules run in ascending position.
    pub position: i64,
    pub trigger: Trigger,
    /// `[{field, op, value} | {all: [...]} | {any: [...]}]`, all of which must hold.
    #[schema(value_type = Vec<Object>)]
    pub conditions: serde_json::Value,
    /// `[{type, ...}]`, in order.
    #[schema(value_type = Vec<Object>)]
    pub actions: serde_json::Value,
    pub created_at: String,
    pub updated_at: String,
}

impl TryFrom<Automation> for RuleOut {
    type Error = ApiError;
    fn try_from(a: Automation) -> ApiResult<Self> {
        Ok(Self {
            trigger: serde_json::from_value(serde_json::Value::String(a.trigger.clone()))
                .map_err(ApiError::internal)?,
            id: a.id,
            name: a.name,
            active: a.active,
            position: a.position,
            conditions: a.conditions,
            actions: a.actions,
            created_at: rfc3339(a.created_at),
            updated_at: rfc3339(a.updated_at),
        })
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

async fn save(
    state: &AppState,
    ctx: &helpdesk_domain::TenantCtx,
    current: Option<Automation>,
    b: RuleBody,
) -> ApiResult<Automation> {
    let only_deactivates = b.active == Some(false)
        && b.name.is_none()
        && b.position.is_none()
        && b.trigger.is_none()
        && b.conditions.is_none()
        && b.actions.is_none();
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    let position = match (b.position, &current) {
        (Some(p), _) => p,
        (None, Some(c)) => c.position,
        (None, None) => automations::next_position(&tx, ctx).await?,
    };
    let missing = |f: &str| ApiError::invalid(f, "is required");
    let fields = RuleFields {
        name: b
            .name
            .or_else(|| current.as_ref().map(|c| c.name.clone()))
            .ok_or_else(|| missing("name"))?,
        active: b
            .active
            .or(current.as_ref().map(|c| c.active))
            .unwrap_or(true),
        position,
        trigger: match (b.trigger, &current) {
            (Some(t), _) => t.as_str().to_owned(),
            (None, Some(c)) => c.trigger.clone(),
            (None, None) => return Err(missing("trigger")),
        },
        conditions: b
            .conditions
            .or_else(|| current.as_ref().map(|c| c.conditions.clone()))
            .unwrap_or_else(|| serde_json::json!([])),
        actions: b
            .actions
            .or_else(|| current.as_ref().map(|c| c.actions.clone()))
            .ok_or_else(|| missing("actions"))?,
    };
    if fields.name.trim().is_empty() {
        return Err(ApiError::invalid("name", "must not be blank"));
    }
    // Switching a rule off is always allowed, even when what it names has gone since.
    if !(only_deactivates && current.is_some()) {
        helpdesk_service::automations::check::rule(&tx, ctx, &fields.conditions, &fields.actions)
            .await?;
    }
    let now = state.now();
    let row = match current {
        Some(c) => automations::replace(&tx, ctx, c.id, fields, now).await?,
        None => automations::create(&tx, ctx, fields, now).await?,
    };
    tx.commit().await.map_err(ApiError::db)?;
    Ok(row)
}

#[utoipa::path(get, path = "/automations", tag = "automations",
    responses((status = 200, body = Vec<RuleOut>), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn list_rules(
    State(state): State<AppState>,
    Admin(authed): Admin,
) -> ApiResult<Json<Vec<RuleOut>>> {
    let rows = automations::list(state.store.read(), &authed.ctx).await?;
    Ok(Json(
        rows.into_iter()
            .map(RuleOut::try_from)
            .collect::<ApiResult<_>>()?,
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
    let row = save(&state, &authed.ctx, None, b).await?;
    Ok((StatusCode::CREATED, Json(row.try_into()?)))
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
        automations::get(state.store.read(), &authed.ctx, id)
            .await?
            .try_into()?,
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
    let current = automations::get(state.store.read(), &authed.ctx, id).await?;
    let row = save(&state, &authed.ctx, Some(current), b).await?;
    Ok(Json(row.try_into()?))
}

#[utoipa::path(delete, path = "/automations/{id}", tag = "automations", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn delete_rule(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<StatusCode> {
    automations::delete(state.store.write(), &authed.ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
