//! `/tickets/{id}/csat`: the ticket's satisfaction surveys, and the requester's answer.

use axum::Json;
use axum::extract::State;
use helpdesk_domain::csat::Rating;
use helpdesk_service::Actor;
pub use helpdesk_service::csat::CsatOut;
use helpdesk_storage::repo::tickets::TicketRef;
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{Authed, Id, ValidatedJson};
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CsatAnswer {
    #[garde(skip)]
    pub rating: Rating,
    /// Up to 2,000 characters.
    #[garde(length(chars, max = 2000))]
    pub comment: Option<String>,
}

/// One survey per resolution, oldest first (staff and the requester).
#[utoipa::path(get, path = "/tickets/{id}/csat", tag = "tickets",
    params(("id" = String, Path, description = "the ticket's id or number")),
    responses((status = 200, body = Vec<CsatOut>), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_csat(
    State(state): State<AppState>,
    authed: Authed,
    Id(r): Id<TicketRef>,
) -> ApiResult<Json<Vec<CsatOut>>> {
    let out = state
        .service
        .ticket_csat(&Actor::request(authed.ctx), r)
        .await?;
    Ok(Json(out))
}

/// The requester rates the latest resolution (once; a comment may follow once).
#[utoipa::path(post, path = "/tickets/{id}/csat", tag = "tickets", request_body = CsatAnswer,
    params(("id" = String, Path, description = "the ticket's id or number")),
    responses((status = 200, body = CsatOut), (status = 403, description = "not the requester", body = crate::error::Problem),
        (status = 404, body = crate::error::Problem),
        (status = 409, description = "not asked, answered already, or the survey closed", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn answer_csat(
    State(state): State<AppState>,
    authed: Authed,
    Id(r): Id<TicketRef>,
    ValidatedJson(body): ValidatedJson<CsatAnswer>,
) -> ApiResult<Json<CsatOut>> {
    let out = state
        .service
        .answer_csat(&Actor::request(authed.ctx), r, body.rating, body.comment)
        .await?;
    Ok(Json(out))
}
