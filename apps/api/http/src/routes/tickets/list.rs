//! `GET /tickets`: filters, sorts, keyset cursors and full-text search.

use axum::Json;
use axum::extract::State;
use helpdesk_service::Actor;
use helpdesk_service::tickets::TicketOut;
use helpdesk_service::tickets::list::TicketQuery;

use crate::error::ApiResult;
use crate::extract::{Authed, StrictQuery};
use crate::routes::common::Paginated;
use crate::state::AppState;

#[utoipa::path(get, path = "/tickets", tag = "tickets", params(TicketQuery),
    responses((status = 200, body = Paginated<TicketOut>), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_tickets(
    State(state): State<AppState>,
    authed: Authed,
    StrictQuery(query): StrictQuery<TicketQuery>,
) -> ApiResult<Json<Paginated<TicketOut>>> {
    let page = state
        .service
        .list_tickets(&Actor::request(authed.ctx), &query)
        .await?;
    Ok(Json(Paginated {
        items: page.items,
        next_cursor: page.next_cursor,
    }))
}
