//! Email in through the API (ADMIN or an ADMIN API key): `POST /inbound/email` takes a raw
//! message (`Content-Type: message/rfc822`, up to 25 MiB) for providers' inbound webhooks
//! and scripts, and answers 202 once it is stored; a job then makes it a ticket or a
//! reply. `GET /inbound` lists received messages by state, `GET /inbound/{id}/raw` gives
//! one back byte for byte, `reprocess` and `release` send one through processing again.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use helpdesk_domain::inbound::InboundState;
use helpdesk_service::Actor;
use helpdesk_service::inbound::{InboundFilter, InboundOut, MAX_RAW_BYTES, Receipt};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{PageRequest, Paginated};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Admin, Id, StrictQuery};
use crate::state::AppState;

/// The intake route, with its own body limit (a whole message with its attachments).
pub fn intake_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(receive_email))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_RAW_BYTES))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_inbound))
        .routes(routes!(get_inbound))
        .routes(routes!(get_inbound_raw))
        .routes(routes!(reprocess_inbound))
        .routes(routes!(release_inbound))
}

/// Stores a raw message for processing. The same message sent twice is stored once (the
/// answer names the first one and says `duplicate`).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct Intake {
    /// The mailbox the message was sent to; default: the first mailbox a recipient
    /// reaches (plus-addressed variants included), else the workspace's defaults.
    pub mailbox_id: Option<Uuid>,
}

#[utoipa::path(post, path = "/inbound/email", tag = "email", params(Intake),
    request_body(content = String, content_type = "message/rfc822", description = "the message exactly as received"),
    responses((status = 202, description = "stored; a job processes it", body = Receipt),
        (status = 403, body = crate::error::Problem), (status = 413, body = crate::error::Problem),
        (status = 415, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn receive_email(
    State(state): State<AppState>,
    Admin(authed): Admin,
    StrictQuery(q): StrictQuery<Intake>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Response> {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    if media.as_deref() != Some("message/rfc822") {
        return Err(ApiError::UnsupportedMediaType);
    }
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            ApiError::Malformed(e.body_text())
        }
    })?;
    let receipt = state
        .service
        .receive_email(&Actor::request(authed.ctx), body.to_vec(), q.mailbox_id)
        .await?;
    Ok((StatusCode::ACCEPTED, Json(receipt)).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListInbound {
    /// `PENDING`, `PROCESSED`, `IGNORED`, `QUARANTINED` or `FAILED`; default all.
    pub state: Option<InboundState>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/inbound", tag = "email", params(ListInbound),
    responses((status = 200, body = Paginated<InboundOut>), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_inbound(
    State(state): State<AppState>,
    Admin(authed): Admin,
    StrictQuery(p): StrictQuery<ListInbound>,
) -> ApiResult<Json<Paginated<InboundOut>>> {
    let filter = InboundFilter {
        state: p.state,
        page: PageRequest {
            limit: p.limit,
            cursor: p.cursor,
        },
    };
    let list = state
        .service
        .list_inbound(&Actor::request(authed.ctx), filter)
        .await?;
    Ok(Json(list))
}

#[utoipa::path(get, path = "/inbound/{id}", tag = "email",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = InboundOut), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_inbound(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<Json<InboundOut>> {
    let out = state
        .service
        .inbound_message(&Actor::request(authed.ctx), id)
        .await?;
    Ok(Json(out))
}

/// The message exactly as it was received, as a download.
#[utoipa::path(get, path = "/inbound/{id}/raw", tag = "email",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, content_type = "message/rfc822", body = String),
        (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_inbound_raw(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<Response> {
    let raw = state
        .service
        .inbound_raw(&Actor::request(authed.ctx), id)
        .await?;
    let headers = [
        (header::CONTENT_TYPE, "message/rfc822".to_owned()),
        (
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{id}.eml\""),
        ),
    ];
    Ok((headers, raw).into_response())
}

/// Sends a `FAILED` or `IGNORED` message through processing again.
#[utoipa::path(post, path = "/inbound/{id}/reprocess", tag = "email",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, description = "back to PENDING; a job processes it", body = InboundOut),
        (status = 404, body = crate::error::Problem),
        (status = 409, description = "the message is not failed or ignored", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn reprocess_inbound(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<Json<InboundOut>> {
    let out = state
        .service
        .reprocess_inbound(&Actor::request(authed.ctx), id)
        .await?;
    Ok(Json(out))
}

/// Processes a `QUARANTINED` message as though the check that held it had passed.
#[utoipa::path(post, path = "/inbound/{id}/release", tag = "email",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, description = "back to PENDING; a job processes it", body = InboundOut),
        (status = 404, body = crate::error::Problem),
        (status = 409, description = "the message is not quarantined", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn release_inbound(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<Json<InboundOut>> {
    let out = state
        .service
        .release_inbound(&Actor::request(authed.ctx), id)
        .await?;
    Ok(Json(out))
}
