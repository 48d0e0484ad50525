//! Replies and internal notes. A reply moves the ticket as the status machine says and
//! the first public staff reply sets `first_response_at`. Honours `Idempotency-Key`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use helpdesk_service::Actor;
use helpdesk_service::tickets::reply::Post;
use helpdesk_storage::repo::tickets::TicketRef;
use serde::Deserialize;

use super::dto::MessageOut;
use crate::error::ApiResult;
use crate::extract::{Authed, HashedJson, Id, StrictQuery};
use crate::idempotency::{IdempotencyKey, respond};
use crate::routes::common::{PageRequest, Paginated};
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    /// Plain text, up to 64 KiB (the service refuses more); stored as given, never
    /// rendered as HTML.
    #[garde(length(min = 1, max = 1_048_576))]
    pub body: String,
    /// An internal note, visible to staff only.
    #[serde(default)]
    #[garde(skip)]
    pub internal: bool,
    /// Add the author's signature (their preferences) under a public staff reply.
    #[serde(default)]
    #[garde(skip)]
    pub append_signature: bool,
}

#[utoipa::path(post, path = "/tickets/{id}/messages", tag = "tickets", request_body = NewMessage,
    params(("id" = String, Path, description = "the ticket's id or number"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first response for 24 h"),
        ("If-Match" = Option<String>, Header, description = "the ticket version the author saw; a newer one is 409, so nothing is sent unread")),
    responses((status = 201, body = MessageOut), (status = 403, description = "customers cannot write internal notes", body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, description = "the ticket changed after the version in If-Match", body = crate::error::Problem), (status = 422, description = "closed ticket or invalid body", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn add_message(
    State(state): State<AppState>,
    authed: Authed,
    Id(r): Id<TicketRef>,
    key: IdempotencyKey,
    headers: HeaderMap,
    body: HashedJson<NewMessage>,
) -> ApiResult<Response> {
    let expected = super::update::expected_version(&headers)?;
    let key = key.bind(&format!("POST /tickets/{r:?}/messages"), &body.sha256);
    let req = body.value;
    let once = state
        .service
        .add_message(
            &Actor::request(authed.ctx),
            r,
            Post {
                body: req.body,
                internal: req.internal,
                status: None,
                signed: req.append_signature,
                expected_version: expected,
            },
            key,
        )
        .await?;
    Ok(respond(once, StatusCode::CREATED))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListMessages {
    /// 1–100, default 25.
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// The conversation, oldest first, a page at a time; customers never see internal notes.
#[utoipa::path(get, path = "/tickets/{id}/messages", tag = "tickets",
    params(("id" = String, Path, description = "the ticket's id or number"), ListMessages),
    responses((status = 200, body = Paginated<MessageOut>), (status = 404, body = crate::error::Problem),
        (status = 422, description = "bad limit or cursor", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_messages(
    State(state): State<AppState>,
    authed: Authed,
    Id(r): Id<TicketRef>,
    StrictQuery(p): StrictQuery<ListMessages>,
) -> ApiResult<Json<Paginated<MessageOut>>> {
    let page = PageRequest {
        limit: p.limit,
        cursor: p.cursor,
    };
    let out = state
        .service
        .messages(&Actor::request(authed.ctx), r, page)
        .await?;
    Ok(Json(out))
}
