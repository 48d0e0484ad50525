//! `GET /tickets/{id}` (by id or number) and the audit timeline.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use helpdesk_domain::TicketId;
use helpdesk_storage::repo::events;
use helpdesk_storage::repo::tickets::{self, TicketRef};

use crate::error::{ApiError, ApiResult};
use crate::extract::{Authed, Id, Staff};
use crate::state::AppState;
use helpdesk_service::tickets::{EventOut, SlaClock, TicketOut};

/// The ticket with its version as `ETag`, for `If-Match`.
#[utoipa::path(get, path = "/tickets/{id}", tag = "tickets",
    params(("id" = String, Path, description = "the ticket's id or number")),
    responses((status = 200, body = TicketOut), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_ticket(
    State(state): State<AppState>,
    authed: Authed,
    Id(r): Id<TicketRef>,
) -> ApiResult<Response> {
    let db = state.store.read();
    let t = tickets::get(db, &authed.ctx, r).await?;
    let clock = SlaClock::load(db, &authed.ctx, &[&t], state.now()).await?;
    let etag = HeaderValue::from_str(&format!("\"{}\"", t.version)).map_err(ApiError::internal)?;
    let mut res = Json(TicketOut::from_row(t, &clock)?).into_response();
    res.headers_mut().insert(header::ETAG, etag);
    Ok(res)
}

/// Who changed what, when, old → new (staff only).
#[utoipa::path(get, path = "/tickets/{id}/events", tag = "tickets",
    params(("id" = String, Path, description = "the ticket's id or number")),
    responses((status = 200, body = Vec<EventOut>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn ticket_events(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(r): Id<TicketRef>,
) -> ApiResult<Json<Vec<EventOut>>> {
    let db = state.store.read();
    let t = tickets::get(db, &authed.ctx, r).await?;
    let rows = events::for_ticket(db, &authed.ctx, TicketId::from_uuid(t.id), true).await?;
    Ok(Json(rows.into_iter().map(EventOut::from).collect()))
}
