//! Time logged on a ticket (staff only), with totals.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::{TicketId, TimeEntryId, UserId};
use helpdesk_storage::repo::events::{self, NewEvent};
use helpdesk_storage::repo::tickets::{self, TicketRef};
use helpdesk_storage::repo::time_entries::{self, NewTimeEntry, TimeEntry};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Id, Staff, ValidatedJson};
use crate::live::LiveEvent;
use crate::routes::common::rfc3339;
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

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TimeEntryOut {
    pub id: TimeEntryId,
    pub ticket_id: TicketId,
    pub author_id: Option<UserId>,
    pub minutes: i64,
    pub billable: bool,
    pub note: Option<String>,
    pub started_at: String,
    pub created_at: String,
}

impl From<TimeEntry> for TimeEntryOut {
    fn from(e: TimeEntry) -> Self {
        Self {
            id: TimeEntryId::from_uuid(e.id),
            ticket_id: TicketId::from_uuid(e.ticket_id),
            author_id: e.author_id.map(UserId::from_uuid),
            minutes: e.minutes,
            billable: e.billable,
            note: e.note,
            started_at: rfc3339(e.started_at),
            created_at: rfc3339(e.created_at),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TimeEntries {
    pub items: Vec<TimeEntryOut>,
    pub total_minutes: i64,
    pub billable_minutes: i64,
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
    let ctx = authed.ctx;
    let now = state.now();
    let started_at = match req.started_at.as_deref() {
        Some(s) => s
            .parse::<jiff::Timestamp>()
            .map(helpdesk_domain::time::to_micros)
            .map_err(|_| ApiError::invalid("started_at", "must be an RFC 3339 timestamp"))?,
        None => now,
    };
    let note = req
        .note
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    let t = tickets::get(&tx, &ctx, r).await?;
    let ticket_id = TicketId::from_uuid(t.id);
    let entry = NewTimeEntry {
        minutes: req.minutes,
        billable: req.billable.unwrap_or(true),
        note,
        started_at,
    };
    let row = time_entries::create(&tx, &ctx, ticket_id, entry, now).await?;
    let event = events::record(
        &tx,
        &ctx,
        NewEvent {
            ticket_id,
            kind: "time_entry.created",
            changes: json!({ "time_entry_id": row.id, "minutes": row.minutes, "billable": row.billable }),
            message_id: None,
            internal: true,
        },
        now,
    )
    .await?;
    tx.commit().await.map_err(ApiError::db)?;
    state
        .events
        .publish(vec![LiveEvent::new(&event, t.number, t.requester_id)])
        .await;
    Ok((StatusCode::CREATED, Json(row.into())))
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
    let db = state.store.read();
    let t = tickets::get(db, &authed.ctx, r).await?;
    let rows = time_entries::for_ticket(db, &authed.ctx, TicketId::from_uuid(t.id)).await?;
    let total_minutes = rows.iter().map(|e| e.minutes).sum();
    let billable_minutes = rows.iter().filter(|e| e.billable).map(|e| e.minutes).sum();
    Ok(Json(TimeEntries {
        items: rows.into_iter().map(TimeEntryOut::from).collect(),
        total_minutes,
        billable_minutes,
    }))
}
