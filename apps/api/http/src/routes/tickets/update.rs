//! `PATCH /tickets/{id}`: staff change any field; a customer may only resolve its own
//! ticket. `If-Match: <version>` guards against lost updates.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use helpdesk_domain::{AssetId, OrganizationId, Priority, TicketStatus, UserId};
use helpdesk_service::Actor;
use helpdesk_service::tickets::Edit;
use helpdesk_storage::repo::tickets::TicketRef;
use serde::Deserialize;

use super::dto::TicketOut;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Authed, Id, ValidatedJson};
use crate::routes::common::double_option;
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTicket {
    #[garde(length(chars, min = 1, max = 250))]
    pub subject: Option<String>,
    #[garde(skip)]
    pub priority: Option<Priority>,
    #[garde(skip)]
    pub status: Option<TicketStatus>,
    #[garde(skip)]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub assignee_id: Option<Option<UserId>>,
    #[garde(skip)]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub organization_id: Option<Option<OrganizationId>>,
    #[garde(length(max = 20))]
    pub tags: Option<Vec<String>>,
    #[garde(skip)]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub asset_id: Option<Option<AssetId>>,
    /// Staff, with `status` `RESOLVED` or `CLOSED`: resolve the ticket's open child
    /// tickets with it (each gets an internal note naming this ticket). Without it, open
    /// children refuse the move with 409 `children_open`.
    #[garde(skip)]
    #[serde(default)]
    pub resolve_children: bool,
}

/// `If-Match: 3`, `"3"` or `W/"3"`.
pub(crate) fn expected_version(headers: &HeaderMap) -> ApiResult<Option<i64>> {
    let Some(v) = headers.get("if-match") else {
        return Ok(None);
    };
    let raw = v
        .to_str()
        .unwrap_or("")
        .trim()
        .trim_start_matches("W/")
        .trim_matches('"');
    raw.parse::<i64>()
        .map(Some)
        .map_err(|_| ApiError::invalid("If-Match", "must be the ticket's version"))
}

#[utoipa::path(patch, path = "/tickets/{id}", tag = "tickets", request_body = UpdateTicket,
    params(("id" = String, Path, description = "the ticket's id or number"),
        ("If-Match" = Option<String>, Header, description = "the version the change is based on")),
    responses((status = 200, body = TicketOut), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, description = "stale version, or `children_open` (the open children listed in `children`)", body = crate::error::Problem),
        (status = 422, description = "`validation_failed` or `invalid_transition`", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_ticket(
    State(state): State<AppState>,
    authed: Authed,
    Id(r): Id<TicketRef>,
    headers: HeaderMap,
    ValidatedJson(req): ValidatedJson<UpdateTicket>,
) -> ApiResult<Json<TicketOut>> {
    let expected = expected_version(&headers)?;
    let edit = Edit {
        subject: req.subject,
        priority: req.priority,
        status: req.status,
        assignee_id: req.assignee_id,
        organization_id: req.organization_id,
        asset_id: req.asset_id,
        tags: req.tags,
        resolve_children: req.resolve_children,
    };
    let out = state
        .service
        .update_ticket(&Actor::request(authed.ctx), r, edit, expected)
        .await?;
    Ok(Json(out))
}
