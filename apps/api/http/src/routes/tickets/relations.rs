//! Tickets and their relations: `POST /tickets/{id}/merge`, `/tickets/{id}/links` and
//! `POST /tickets/{id}/messages/{message_id}/split` (staff).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use helpdesk_domain::{LinkKind, MessageId};
use helpdesk_service::Actor;
pub use helpdesk_service::tickets::links::LinkOut;
use helpdesk_storage::repo::tickets::TicketRef;
use serde::Deserialize;
use uuid::Uuid;

use super::dto::TicketOut;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Authed, Id, ValidatedJson};
use crate::state::AppState;

/// A ticket named in a body: its id, or its number as a number or a string.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum TicketName {
    Number(i64),
    Text(String),
}

impl TicketName {
    fn parse(&self, field: &str) -> ApiResult<TicketRef> {
        let r = match self {
            TicketName::Number(n) => n.to_string().parse(),
            TicketName::Text(s) => s.trim().trim_start_matches('#').parse(),
        };
        r.map_err(|_| ApiError::invalid(field, "must be a ticket's id or number"))
    }
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeTicket {
    /// The ticket that carries on: its id or number.
    #[garde(skip)]
    pub into: TicketName,
}

/// Merges this ticket into another: the target gets a copy of this one's opening,
/// messages and files (marked `merged_from`, at their original times) and its requester
/// and participants; this one is `CLOSED` with `merged_into`. Answers the target.
#[utoipa::path(post, path = "/tickets/{id}/merge", tag = "tickets", request_body = MergeTicket,
    params(("id" = String, Path, description = "the ticket's id or number")),
    responses((status = 200, body = TicketOut), (status = 403, body = crate::error::Problem),
        (status = 404, description = "either ticket is not in the workspace", body = crate::error::Problem),
        (status = 409, description = "`ticket_merged` (already merged; see `merged_into`) or `children_open`", body = crate::error::Problem),
        (status = 422, description = "`into` is this ticket, closed, or merged into it; or this ticket is closed", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn merge_ticket(
    State(state): State<AppState>,
    authed: Authed,
    Id(r): Id<TicketRef>,
    ValidatedJson(body): ValidatedJson<MergeTicket>,
) -> ApiResult<Json<TicketOut>> {
    let into = body.into.parse("into")?;
    let out = state
        .service
        .merge_ticket(&Actor::request(authed.ctx), r, into)
        .await?;
    Ok(Json(out))
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLink {
    /// The other ticket: its id or number.
    #[garde(skip)]
    pub ticket_id: TicketName,
    /// What the other ticket is to this one.
    #[garde(skip)]
    pub kind: LinkKind,
}

#[utoipa::path(get, path = "/tickets/{id}/links", tag = "tickets",
    params(("id" = String, Path, description = "the ticket's id or number")),
    responses((status = 200, body = Vec<LinkOut>), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_links(
    State(state): State<AppState>,
    authed: Authed,
    Id(r): Id<TicketRef>,
) -> ApiResult<Json<Vec<LinkOut>>> {
    let out = state
        .service
        .ticket_links(&Actor::request(authed.ctx), r)
        .await?;
    Ok(Json(out))
}

/// Links another ticket to this one: `RELATED`, or as this ticket's `PARENT` or `CHILD`.
/// One link per pair, one parent per ticket, no cycles.
#[utoipa::path(post, path = "/tickets/{id}/links", tag = "tickets", request_body = NewLink,
    params(("id" = String, Path, description = "the ticket's id or number")),
    responses((status = 201, body = LinkOut), (status = 404, body = crate::error::Problem),
        (status = 409, description = "already linked, or the child has a parent", body = crate::error::Problem),
        (status = 422, description = "itself, or a cycle", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn add_link(
    State(state): State<AppState>,
    authed: Authed,
    Id(r): Id<TicketRef>,
    ValidatedJson(body): ValidatedJson<NewLink>,
) -> ApiResult<(StatusCode, Json<LinkOut>)> {
    let other = body.ticket_id.parse("ticket_id")?;
    let out = state
        .service
        .add_link(&Actor::request(authed.ctx), r, other, body.kind)
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(delete, path = "/tickets/{id}/links/{link_id}", tag = "tickets",
    params(("id" = String, Path, description = "the ticket's id or number"),
        ("link_id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn remove_link(
    State(state): State<AppState>,
    authed: Authed,
    Path((ticket, link)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let r: TicketRef = ticket.parse().map_err(|_| ApiError::NotFound)?;
    let link: Uuid = link.parse().map_err(|_| ApiError::NotFound)?;
    state
        .service
        .remove_link(&Actor::request(authed.ctx), r, link)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitMessage {
    /// The new ticket's subject; default: this ticket's.
    #[garde(length(chars, min = 1, max = 250))]
    pub subject: Option<String>,
}

/// Opens a new ticket from one public message: same requester, organization, asset,
/// priority and assignee; the message (with its files) moves there as the opening, and
/// the two tickets are linked `RELATED`. Answers the new ticket.
#[utoipa::path(post, path = "/tickets/{id}/messages/{message_id}/split", tag = "tickets",
    request_body = SplitMessage,
    params(("id" = String, Path, description = "the ticket's id or number"),
        ("message_id" = String, Path, format = Uuid)),
    responses((status = 201, body = TicketOut), (status = 404, body = crate::error::Problem),
        (status = 422, description = "an internal note, or a closed ticket", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn split_message(
    State(state): State<AppState>,
    authed: Authed,
    Path((ticket, message)): Path<(String, String)>,
    ValidatedJson(body): ValidatedJson<SplitMessage>,
) -> ApiResult<(StatusCode, Json<TicketOut>)> {
    let r: TicketRef = ticket.parse().map_err(|_| ApiError::NotFound)?;
    let message: MessageId = message.parse().map_err(|_| ApiError::NotFound)?;
    let out = state
        .service
        .split_message(&Actor::request(authed.ctx), r, message, body.subject)
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}
