//! `GET /tickets/{id}/sla` (staff): the ticket's SLA explained — the terms it is held to,
//! each metric's cycle with the arithmetic behind its deadline, and every recorded step.

use axum::Json;
use axum::extract::State;
use helpdesk_service::Actor;
pub use helpdesk_service::tickets::sla_explain::{
    CycleOut, PauseOut, StepOut, TermsOut, TicketSlaOut,
};
use helpdesk_storage::repo::tickets::TicketRef;

use crate::error::ApiResult;
use crate::extract::{Id, Staff};
use crate::state::AppState;

#[utoipa::path(get, path = "/tickets/{id}/sla", tag = "sla",
    params(("id" = String, Path, description = "the ticket's id or number")),
    responses((status = 200, body = TicketSlaOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn ticket_sla(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(r): Id<TicketRef>,
) -> ApiResult<Json<TicketSlaOut>> {
    let out = state
        .service
        .ticket_sla(&Actor::request(authed.ctx), r)
        .await?;
    Ok(Json(out))
}
