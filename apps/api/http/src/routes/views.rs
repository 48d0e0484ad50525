//! `/views` (staff): saved ticket-list views, an agent's own or shared with the team
//! (admins manage the shared ones). A view's filters are the list's query parameters.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::SavedViewId;
use helpdesk_service::Actor;
pub use helpdesk_service::tickets::saved_views::SavedViewOut;
use helpdesk_service::tickets::saved_views::{SavedViewInput, ViewFilters};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::common::double_option;
use crate::error::ApiResult;
use crate::extract::{Id, Staff, StrictQuery, ValidatedJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_views, create_view))
        .routes(routes!(get_view, update_view, delete_view))
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ViewBody {
    #[garde(length(chars, min = 1, max = 100))]
    pub name: Option<String>,
    /// Shared with every agent of the workspace (ADMIN only).
    #[garde(skip)]
    pub shared: Option<bool>,
    /// The ticket list's query parameters, as strings (`{"status": "NEW,OPEN",
    /// "assignee_id": "me"}`).
    #[garde(skip)]
    pub filters: Option<ViewFilters>,
    /// As the list's `sort`; null goes back to newest first.
    #[garde(inner(inner(length(max = 20))))]
    #[serde(default, deserialize_with = "double_option")]
    pub sort: Option<Option<String>>,
    /// Columns in order: `requester`, `status`, `priority`, `assignee`, `sla`,
    /// `updated`, `created`.
    #[garde(length(max = 7))]
    pub columns: Option<Vec<String>>,
    /// Sidebar order, lowest first (0–10000).
    #[garde(skip)]
    pub position: Option<i64>,
}

fn input(b: ViewBody) -> SavedViewInput {
    SavedViewInput {
        name: b.name,
        shared: b.shared,
        filters: b.filters,
        sort: b.sort,
        columns: b.columns,
        position: b.position,
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Add each view's current ticket count (up to 1,000).
    pub counts: Option<bool>,
}

#[utoipa::path(get, path = "/views", tag = "tickets", params(ListParams),
    responses((status = 200, body = Vec<SavedViewOut>), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_views(
    State(state): State<AppState>,
    Staff(authed): Staff,
    StrictQuery(p): StrictQuery<ListParams>,
) -> ApiResult<Json<Vec<SavedViewOut>>> {
    let actor = Actor::request(authed.ctx);
    let views = state
        .service
        .saved_views(&actor, p.counts.unwrap_or(false))
        .await?;
    Ok(Json(views))
}

#[utoipa::path(post, path = "/views", tag = "tickets", request_body = ViewBody,
    responses((status = 201, body = SavedViewOut), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_view(
    State(state): State<AppState>,
    Staff(authed): Staff,
    ValidatedJson(b): ValidatedJson<ViewBody>,
) -> ApiResult<(StatusCode, Json<SavedViewOut>)> {
    let view = state
        .service
        .create_saved_view(&Actor::request(authed.ctx), input(b))
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(get, path = "/views/{id}", tag = "tickets",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = SavedViewOut), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_view(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<SavedViewId>,
) -> ApiResult<Json<SavedViewOut>> {
    let view = state
        .service
        .saved_view(&Actor::request(authed.ctx), id)
        .await?;
    Ok(Json(view))
}

#[utoipa::path(patch, path = "/views/{id}", tag = "tickets",
    params(("id" = String, Path, format = Uuid)), request_body = ViewBody,
    responses((status = 200, body = SavedViewOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_view(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<SavedViewId>,
    ValidatedJson(b): ValidatedJson<ViewBody>,
) -> ApiResult<Json<SavedViewOut>> {
    let view = state
        .service
        .update_saved_view(&Actor::request(authed.ctx), id, input(b))
        .await?;
    Ok(Json(view))
}

#[utoipa::path(delete, path = "/views/{id}", tag = "tickets",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn delete_view(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<SavedViewId>,
) -> ApiResult<StatusCode> {
    state
        .service
        .delete_saved_view(&Actor::request(authed.ctx), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
