//! `/macros` (agents): a reply and actions applied to a ticket in one call with
//! `POST /tickets/{id}/apply-macro`. Macros take `assign` (an agent), `set_priority`,
//! `set_status`, `add_tag`, `remove_tag` and `add_internal_note`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::automation::Action;
use helpdesk_storage::repo::macros::{self, Macro};
use helpdesk_storage::repo::tickets::TicketRef;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Id, Staff, ValidatedJson};
use crate::routes::common::rfc3339;
use crate::routes::tickets::dto::TicketOut;
use crate::state::AppState;
use helpdesk_service::Actor;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MacroOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub name: String,
    /// A public reply posted by the agent who applies the macro.
    pub reply: Option<String>,
    #[schema(value_type = Vec<Object>)]
    pub actions: serde_json::Value,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Macro> for MacroOut {
    fn from(m: Macro) -> Self {
        Self {
            id: m.id,
            name: m.name,
            reply: m.reply,
            actions: m.actions,
            created_at: rfc3339(m.created_at),
            updated_at: rfc3339(m.updated_at),
        }
    }
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MacroBody {
    #[garde(length(chars, min = 1, max = 100))]
    pub name: Option<String>,
    #[garde(length(max = 65536))]
    pub reply: Option<String>,
    #[garde(skip)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub actions: Option<serde_json::Value>,
}

async fn parse(
    db: &impl sea_orm::ConnectionTrait,
    ctx: &helpdesk_domain::TenantCtx,
    raw: &serde_json::Value,
) -> ApiResult<Vec<Action>> {
    Ok(helpdesk_service::automations::check::macro_actions(db, ctx, raw).await?)
}

async fn save(
    state: &AppState,
    ctx: &helpdesk_domain::TenantCtx,
    current: Option<Macro>,
    b: MacroBody,
) -> ApiResult<Macro> {
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    let name = b
        .name
        .or_else(|| current.as_ref().map(|m| m.name.clone()))
        .ok_or_else(|| ApiError::invalid("name", "is required"))?;
    if name.trim().is_empty() {
        return Err(ApiError::invalid("name", "must not be blank"));
    }
    let reply = match (b.reply, &current) {
        (Some(r), _) => Some(r).filter(|r| !r.trim().is_empty()),
        (None, Some(m)) => m.reply.clone(),
        (None, None) => None,
    };
    let actions = b
        .actions
        .or_else(|| current.as_ref().map(|m| m.actions.clone()))
        .unwrap_or_else(|| serde_json::json!([]));
    let parsed = parse(&tx, ctx, &actions).await?;
    if parsed.is_empty() && reply.is_none() {
        return Err(ApiError::invalid(
            "actions",
            "a macro needs a reply or at least one action",
        ));
    }
    let now = state.now();
    let row = match current {
        Some(m) => macros::replace(&tx, ctx, m.id, name, reply, actions, now).await?,
        None => macros::create(&tx, ctx, name, reply, actions, now).await?,
    };
    tx.commit().await.map_err(ApiError::db)?;
    Ok(row)
}

#[utoipa::path(get, path = "/macros", tag = "automations",
    responses((status = 200, body = Vec<MacroOut>), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn list_macros(
    State(state): State<AppState>,
    Staff(authed): Staff,
) -> ApiResult<Json<Vec<MacroOut>>> {
    let rows = macros::list(state.store.read(), &authed.ctx).await?;
    Ok(Json(rows.into_iter().map(MacroOut::from).collect()))
}

#[utoipa::path(post, path = "/macros", tag = "automations", request_body = MacroBody,
    responses((status = 201, body = MacroOut), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_macro(
    State(state): State<AppState>,
    Staff(authed): Staff,
    ValidatedJson(b): ValidatedJson<MacroBody>,
) -> ApiResult<(StatusCode, Json<MacroOut>)> {
    let row = save(&state, &authed.ctx, None, b).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

#[utoipa::path(get, path = "/macros/{id}", tag = "automations", params(("id" = String, Path)),
    responses((status = 200, body = MacroOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_macro(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<Uuid>,
) -> ApiResult<Json<MacroOut>> {
    Ok(Json(
        macros::get(state.store.read(), &authed.ctx, id)
            .await?
            .into(),
    ))
}

#[utoipa::path(patch, path = "/macros/{id}", tag = "automations", params(("id" = String, Path)), request_body = MacroBody,
    responses((status = 200, body = MacroOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_macro(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<Uuid>,
    ValidatedJson(b): ValidatedJson<MacroBody>,
) -> ApiResult<Json<MacroOut>> {
    let current = macros::get(state.store.read(), &authed.ctx, id).await?;
    Ok(Json(
        save(&state, &authed.ctx, Some(current), b).await?.into(),
    ))
}

#[utoipa::path(delete, path = "/macros/{id}", tag = "automations", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn delete_macro(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<Uuid>,
) -> ApiResult<StatusCode> {
    macros::delete(state.store.write(), &authed.ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyMacro {
    #[garde(skip)]
    #[schema(value_type = String, format = Uuid)]
    pub macro_id: Uuid,
}

/// Applies the macro's actions in order, then posts its reply as the caller; one
/// transaction, so all of it happens or none.
#[utoipa::path(post, path = "/tickets/{id}/apply-macro", tag = "automations", request_body = ApplyMacro,
    params(("id" = String, Path, description = "the ticket's id or number")),
    responses((status = 200, body = TicketOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 422, description = "unknown macro, or a status the ticket cannot take", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn apply_macro(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(r): Id<TicketRef>,
    ValidatedJson(b): ValidatedJson<ApplyMacro>,
) -> ApiResult<Json<TicketOut>> {
    let out = state
        .service
        .apply_macro(&Actor::request(authed.ctx), r, b.macro_id)
        .await?;
    Ok(Json(out))
}
