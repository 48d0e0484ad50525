//! `/tickets/{id}/participants`: the people copied on a ticket's public conversation
//! (staff manage them; a mail's `Cc` adds them too).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use helpdesk_domain::{Email, UserId};
use helpdesk_service::Actor;
pub use helpdesk_service::tickets::participants::ParticipantOut;
use helpdesk_storage::repo::tickets::TicketRef;
use serde::Deserialize;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Authed, Id, ValidatedJson};
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewParticipant {
    /// A customer's address; a new address becomes a customer of the workspace.
    #[garde(length(chars, max = 320))]
    pub email: String,
}

#[utoipa::path(get, path = "/tickets/{id}/participants", tag = "tickets",
    params(("id" = String, Path, description = "the ticket's id or number")),
    responses((status = 200, body = Vec<ParticipantOut>), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_participants(
    State(state): State<AppState>,
    authed: Authed,
    Id(r): Id<TicketRef>,
) -> ApiResult<Json<Vec<ParticipantOut>>> {
    let out = state
        .service
        .participants(&Actor::request(authed.ctx), r)
        .await?;
    Ok(Json(out))
}

/// Copies a customer on the ticket: they get its public replies by email and may answer.
#[utoipa::path(post, path = "/tickets/{id}/participants", tag = "tickets", request_body = NewParticipant,
    params(("id" = String, Path, description = "the ticket's id or number")),
    responses((status = 201, body = ParticipantOut), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn add_participant(
    State(state): State<AppState>,
    authed: Authed,
    Id(r): Id<TicketRef>,
    ValidatedJson(body): ValidatedJson<NewParticipant>,
) -> ApiResult<(StatusCode, Json<ParticipantOut>)> {
    let email = Email::parse(&body.email).map_err(|e| {
        ApiError::from(helpdesk_service::ServiceError::invalid(
            "email",
            e.to_string(),
        ))
    })?;
    let out = state
        .service
        .add_participant(&Actor::request(authed.ctx), r, email)
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(delete, path = "/tickets/{id}/participants/{user_id}", tag = "tickets",
    params(("id" = String, Path, description = "the ticket's id or number"),
        ("user_id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn remove_participant(
    State(state): State<AppState>,
    authed: Authed,
    Path((ticket, user)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let r: TicketRef = ticket.parse().map_err(|_| ApiError::NotFound)?;
    let user: UserId = user.parse().map_err(|_| ApiError::NotFound)?;
    state
        .service
        .remove_participant(&Actor::request(authed.ctx), r, user)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
