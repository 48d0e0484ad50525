//! `/macros` (agents): a reply and actions applied to a ticket in one call with
//! `POST /tickets/{id}/apply-macro`. Macros take `assign` (an agent), `set_priority`,
//! `set_status`, `add_tag`, `remove_tag` and `add_internal_note`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_service::Actor;
use helpdesk_service::automations::macros::MacroInput;
pub use helpdesk_service::automations::macros::MacroOut;
use helpdesk_storage::repo::tickets::TicketRef;
use serde::Deserialize;
use uuid::Uuid;

use crate::error::ApiResult;
use crate::extract::{Id, Staff, ValidatedJson};
use crate::routes::tickets::dto::TicketOut;
use crate::state::AppState;

fn input(b: MacroBody) -> MacroInput {
    MacroInput {
        name: b.name,
        reply: b.reply,
        actions: b.actions,
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

#[utoipa::path(get, path = "/macros", tag = "automations",
    responses((status = 200, body = Vec<MacroOut>), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn list_macros(
    State(state): State<AppState>,
    Staff(authed): Staff,
) -> ApiResult<Json<Vec<MacroOut>>> {
    Ok(Json(
        state.service.macros(&Actor::request(authed.ctx)).await?,
    ))
}

#[utoipa::path(post, path = "/macros", tag = "automations", request_body = MacroBody,
    responses((status = 201, body = MacroOut), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_macro(
    State(state): State<AppState>,
    Staff(authed): Staff,
    ValidatedJson(b): ValidatedJson<MacroBody>,
) -> ApiResult<(StatusCode, Json<MacroOut>)> {
    let out = state
        .service
        .create_macro(&Actor::request(authed.ctx), input(b))
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
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
        state
            .service
            .macro_def(&Actor::request(authed.ctx), id)
            .await?,
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
    let out = state
        .service
        .update_macro(&Actor::request(authed.ctx), id, input(b))
        .await?;
    Ok(Json(out))
}

#[utoipa::path(delete, path = "/macros/{id}", tag = "automations", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn delete_macro(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<Uuid>,
) -> ApiResult<StatusCode> {
    state
        .service
        .delete_macro(&Actor::request(authed.ctx), id)
        .await?;
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
