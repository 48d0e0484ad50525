//! `GET /tickets/{id}` (by id or number) and the audit timeline.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use helpdesk_service::Actor;
use helpdesk_service::tickets::{EventOut, TicketOut};
use helpdesk_storage::repo::tickets::TicketRef;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Authed, Id, Staff};
use crate::state::AppState;

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
    let t = state.service.ticket(&Actor::request(authed.ctx), r).await?;
    let etag = HeaderValue::from_str(&format!("\"{}\"", t.version)).map_err(ApiError::internal)?;
    let mut res = Json(t).into_response();
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
    let out = state
        .service
        .ticket_events(&Actor::request(authed.ctx), r)
        .await?;
    Ok(Json(out))
}
