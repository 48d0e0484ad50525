//! Time logged on a ticket (staff only), with totals.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_service::Actor;
use helpdesk_service::tickets::time_entries::LogTime;
pub use helpdesk_service::tickets::time_entries::{TimeEntries, TimeEntryOut};
use helpdesk_storage::repo::tickets::TicketRef;
use serde::Deserialize;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Id, Staff, ValidatedJson};
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTime {
    /// 1 to 1440 (24 hours).
    #[garde(range(min = 1, max = 1440))]
    pub minutes: i64,
    /// Default true.
    #[garde(skip)]
    pub billable: Option<bool>,
    #[garde(length(chars, max = 1000))]
    pub note: Option<String>,
    /// RFC 3339; default now.
    #[garde(skip)]
    pub started_at: Option<String>,
}

/// `started_at` as given (RFC 3339), in microseconds.
pub(crate) fn started_at(raw: Option<&str>) -> ApiResult<Option<i64>> {
    raw.map(|s| {
        s.parse::<jiff::Timestamp>()
            .map(helpdesk_domain::time::to_micros)
            .map_err(|_| ApiError::invalid("started_at", "must be an RFC 3339 timestamp"))
    })
    .transpose()
}

#[utoipa::path(post, path = "/tickets/{id}/time-entries", tag = "tickets", request_body = NewTime,
    params(("id" = String, Path, description = "the ticket's id or number")),
    responses((status = 201, body = TimeEntryOut), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn add_time_entry(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(r): Id<TicketRef>,
    ValidatedJson(req): ValidatedJson<NewTime>,
) -> ApiResult<(StatusCode, Json<TimeEntryOut>)> {
    let started_at = started_at(req.started_at.as_deref())?;
    let input = LogTime {
        minutes: req.minutes,
        billable: req.billable,
        note: req.note,
        started_at,
    };
    let out = state
        .service
        .log_time(&Actor::request(authed.ctx), r, input)
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(get, path = "/tickets/{id}/time-entries", tag = "tickets",
    params(("id" = String, Path, description = "the ticket's id or number")),
    responses((status = 200, body = TimeEntries), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_time_entries(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(r): Id<TicketRef>,
) -> ApiResult<Json<TimeEntries>> {
    let out = state
        .service
        .time_entries(&Actor::request(authed.ctx), r)
        .await?;
    Ok(Json(out))
}
