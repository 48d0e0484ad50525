//! `GET /tickets`: filters, sorts, keyset cursors and full-text search.

use axum::Json;
use axum::extract::State;
use helpdesk_service::Actor;
use helpdesk_service::tickets::TicketOut;
use helpdesk_service::tickets::list::TicketQuery;
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{Authed, StrictQuery};
use crate::routes::common::Paginated;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListTickets {
    /// Comma list: `NEW,OPEN`.
    pub status: Option<String>,
    /// Comma list: `HIGH,URGENT`.
    pub priority: Option<String>,
    /// Comma list of user ids, or `me`, or `none` (unassigned).
    pub assignee_id: Option<String>,
    /// Comma list of user ids.
    pub requester_id: Option<String>,
    /// Comma list of organization ids.
    pub organization_id: Option<String>,
    /// Comma list: tickets carrying any of these tags.
    pub tag: Option<String>,
    /// Full text over subject, description and messages (internal notes: staff only).
    pub q: Option<String>,
    /// RFC 3339; inclusive.
    pub created_after: Option<String>,
    /// RFC 3339; exclusive.
    pub created_before: Option<String>,
    /// `breached` (a current SLA cycle breached, or a running deadline is past) or
    /// `at_risk` (a running clock passed its policy's `warn_at_percent`, none breached).
    pub sla: Option<String>,
    /// `created_at`, `-created_at` (default), `-updated_at`, `-priority`, `due` (earliest
    /// running SLA deadline first; tickets without one last).
    pub sort: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/tickets", tag = "tickets", params(ListTickets),
    responses((status = 200, body = Paginated<TicketOut>), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_tickets(
    State(state): State<AppState>,
    authed: Authed,
    StrictQuery(p): StrictQuery<ListTickets>,
) -> ApiResult<Json<Paginated<TicketOut>>> {
    let query = TicketQuery {
        status: p.status,
        priority: p.priority,
        assignee_id: p.assignee_id,
        requester_id: p.requester_id,
        organization_id: p.organization_id,
        tag: p.tag,
        q: p.q,
        created_after: p.created_after,
        created_before: p.created_before,
        sla: p.sla,
        sort: p.sort,
        limit: p.limit,
        cursor: p.cursor,
    };
    let page = state
        .service
        .list_tickets(&Actor::request(authed.ctx), &query)
        .await?;
    Ok(Json(Paginated {
        items: page.items,
        next_cursor: page.next_cursor,
    }))
}
