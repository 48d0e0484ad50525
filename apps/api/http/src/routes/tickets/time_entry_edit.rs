//! Correcting logged time: `PATCH` and `DELETE /tickets/{id}/time-entries/{entry_id}`
//! (staff). Contract usage and the billing report follow at once.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use helpdesk_domain::TimeEntryId;
use helpdesk_service::Actor;
use helpdesk_service::tickets::time_entries::{EditTime, TimeEntryOut};
use helpdesk_storage::repo::tickets::TicketRef;
use serde::Deserialize;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Staff, ValidatedJson};
use crate::routes::common::double_option;
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeChange {
    #[garde(range(min = 1, max = 1440))]
    pub minutes: Option<i64>,
    #[garde(skip)]
    pub billable: Option<bool>,
    /// `null` removes the note.
    #[garde(skip)]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub note: Option<Option<String>>,
    /// RFC 3339.
    #[garde(skip)]
    pub started_at: Option<String>,
}

fn path(ticket: &str, entry: &str) -> ApiResult<(TicketRef, TimeEntryId)> {
    let r: TicketRef = ticket.parse().map_err(|_| ApiError::NotFound)?;
    let id: TimeEntryId = entry.parse().map_err(|_| ApiError::NotFound)?;
    Ok((r, id))
}

#[utoipa::path(patch, path = "/tickets/{id}/time-entries/{entry_id}", tag = "tickets", request_body = TimeChange,
    params(("id" = String, Path, description = "the ticket's id or number"),
        ("entry_id" = String, Path, format = Uuid)),
    responses((status = 200, body = TimeEntryOut), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn edit_time_entry(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Path((ticket, entry)): Path<(String, String)>,
    ValidatedJson(req): ValidatedJson<TimeChange>,
) -> ApiResult<Json<TimeEntryOut>> {
    let (r, id) = path(&ticket, &entry)?;
    if req
        .note
        .as_ref()
        .is_some_and(|n| n.as_ref().is_some_and(|n| n.chars().count() > 1000))
    {
        return Err(ApiError::invalid("note", "must be at most 1000 characters"));
    }
    let started_at = super::time_entries::started_at(req.started_at.as_deref())?;
    let change = EditTime {
        minutes: req.minutes,
        billable: req.billable,
        note: req.note,
        started_at,
    };
    let out = state
        .service
        .edit_time(&Actor::request(authed.ctx), r, id, change)
        .await?;
    Ok(Json(out))
}

#[utoipa::path(delete, path = "/tickets/{id}/time-entries/{entry_id}", tag = "tickets",
    params(("id" = String, Path, description = "the ticket's id or number"),
        ("entry_id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn delete_time_entry(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Path((ticket, entry)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let (r, id) = path(&ticket, &entry)?;
    state
        .service
        .delete_time(&Actor::request(authed.ctx), r, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
