//! `/business-hours`: the calendars SLA deadlines count in (ADMIN writes, staff read).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_service::Actor;
use helpdesk_service::sla_setup::calendars::CalendarInput;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::ApiResult;
use crate::extract::{Admin, Id, Staff, ValidatedJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_calendars, create_calendar))
        .routes(routes!(get_calendar, update_calendar, delete_calendar))
}

pub use helpdesk_domain::sla::Weekly;
pub use helpdesk_service::sla_setup::calendars::CalendarOut;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarBody {
    #[garde(length(chars, min = 1, max = 100))]
    pub name: Option<String>,
    /// IANA time zone, e.g. `Europe/Madrid`.
    #[garde(length(min = 1, max = 64))]
    pub timezone: Option<String>,
    #[garde(skip)]
    pub weekly: Option<Weekly>,
    /// Dates (`2026-12-25`) in the calendar's zone when it is closed all day.
    #[garde(length(max = 400))]
    pub holidays: Option<Vec<String>>,
}

impl From<CalendarBody> for CalendarInput {
    fn from(b: CalendarBody) -> Self {
        Self {
            name: b.name,
            timezone: b.timezone,
            weekly: b.weekly,
            holidays: b.holidays,
        }
    }
}

#[utoipa::path(get, path = "/business-hours", tag = "sla",
    responses((status = 200, body = Vec<CalendarOut>), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn list_calendars(
    State(state): State<AppState>,
    Staff(authed): Staff,
) -> ApiResult<Json<Vec<CalendarOut>>> {
    let list = state.service.calendars(&Actor::request(authed.ctx)).await?;
    Ok(Json(list))
}

#[utoipa::path(post, path = "/business-hours", tag = "sla", request_body = CalendarBody,
    responses((status = 201, body = CalendarOut), (status = 422, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn create_calendar(
    State(state): State<AppState>,
    Admin(authed): Admin,
    ValidatedJson(b): ValidatedJson<CalendarBody>,
) -> ApiResult<(StatusCode, Json<CalendarOut>)> {
    let out = state
        .service
        .create_calendar(&Actor::request(authed.ctx), b.into())
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(get, path = "/business-hours/{id}", tag = "sla", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = CalendarOut), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn get_calendar(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<Uuid>,
) -> ApiResult<Json<CalendarOut>> {
    let out = state
        .service
        .calendar(&Actor::request(authed.ctx), id)
        .await?;
    Ok(Json(out))
}

/// Changes some fields; the calendar as a whole is validated again.
#[utoipa::path(patch, path = "/business-hours/{id}", tag = "sla", params(("id" = String, Path, format = Uuid)), request_body = CalendarBody,
    responses((status = 200, body = CalendarOut), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_calendar(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
    ValidatedJson(b): ValidatedJson<CalendarBody>,
) -> ApiResult<Json<CalendarOut>> {
    let out = state
        .service
        .update_calendar(&Actor::request(authed.ctx), id, b.into())
        .await?;
    Ok(Json(out))
}

#[utoipa::path(delete, path = "/business-hours/{id}", tag = "sla", params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 404, body = crate::error::Problem), (status = 409, description = "an SLA policy uses it", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn delete_calendar(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<StatusCode> {
    state
        .service
        .delete_calendar(&Actor::request(authed.ctx), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
