//! `POST /tickets`: customers open their own tickets; staff may open them on a customer's
//! behalf. Honours `Idempotency-Key`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::{AssetId, OrganizationId, Priority, UserId};
use helpdesk_service::Actor;
use helpdesk_service::tickets::create::OpenTicket;
use serde::Deserialize;

use super::dto::TicketOut;
use crate::error::ApiResult;
use crate::extract::{Authed, HashedJson};
use crate::idempotency::{IdempotencyKey, respond};
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTicket {
    #[garde(length(chars, min = 1, max = 250))]
    pub subject: String,
    /// Plain text, up to 64 KiB.
    #[garde(length(min = 1, max = 65536))]
    pub description: String,
    #[garde(skip)]
    pub priority: Option<Priority>,
    /// Staff only: whom the ticket is for (default: the caller).
    #[garde(skip)]
    pub requester_id: Option<UserId>,
    /// Staff only; default: the requester's organization.
    #[garde(skip)]
    pub organization_id: Option<OrganizationId>,
    /// Staff only.
    #[garde(skip)]
    pub assignee_id: Option<UserId>,
    /// Staff only.
    #[garde(length(max = 20))]
    pub tags: Option<Vec<String>>,
    #[garde(skip)]
    pub asset_id: Option<AssetId>,
}

#[utoipa::path(post, path = "/tickets", tag = "tickets", request_body = CreateTicket,
    params(("Idempotency-Key" = Option<String>, Header, description = "replays the first response for 24 h")),
    responses((status = 201, body = TicketOut), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_ticket(
    State(state): State<AppState>,
    authed: Authed,
    key: IdempotencyKey,
    body: HashedJson<CreateTicket>,
) -> ApiResult<Response> {
    let req = body.value;
    let input = OpenTicket {
        subject: req.subject,
        description: req.description,
        priority: req.priority,
        requester_id: req.requester_id,
        organization_id: req.organization_id,
        assignee_id: req.assignee_id,
        tags: req.tags,
        asset_id: req.asset_id,
    };
    let key = key.bind("POST /tickets", &body.sha256);
    let once = state
        .service
        .open_ticket(&Actor::request(authed.ctx), input, key)
        .await?;
    Ok(respond(once, StatusCode::CREATED))
}
