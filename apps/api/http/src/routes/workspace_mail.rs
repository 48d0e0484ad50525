//! The workspace's outgoing-mail controls (ADMIN): outside addresses rules may mail, each
//! confirmed by its owner, and the mail the policy held back.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_service::Actor;
use helpdesk_storage::repo::notify_addresses::NotifyAddress;
use helpdesk_storage::repo::outbox::OutboxMessage;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{PageRequest, Paginated, rfc3339, rfc3339_opt};
use crate::error::ApiResult;
use crate::extract::{Admin, Id, StrictQuery, ValidatedJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_addresses, add_address))
        .routes(routes!(remove_address))
        .routes(routes!(held_mail))
        .routes(routes!(resend_verification))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NotifyAddressOut {
    pub id: Uuid,
    pub email: String,
    /// Set once the address's owner followed the link; rules mail it only then.
    pub verified_at: Option<String>,
    pub created_at: String,
}

impl From<NotifyAddress> for NotifyAddressOut {
    fn from(a: NotifyAddress) -> Self {
        Self {
            id: a.id,
            email: a.email,
            verified_at: rfc3339_opt(a.verified_at),
            created_at: rfc3339(a.created_at),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NotifyAddressList {
    pub items: Vec<NotifyAddressOut>,
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotifyAddressBody {
    #[garde(length(min = 3, max = 254))]
    pub email: String,
}

#[utoipa::path(get, path = "/workspace/notify-addresses", tag = "workspace",
    responses((status = 200, body = NotifyAddressList), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_addresses(
    State(state): State<AppState>,
    Admin(authed): Admin,
) -> ApiResult<Json<NotifyAddressList>> {
    let rows = state
        .service
        .notify_addresses(&Actor::request(authed.ctx))
        .await?;
    Ok(Json(NotifyAddressList {
        items: rows.into_iter().map(NotifyAddressOut::from).collect(),
    }))
}

/// Adds an address and mails its owner a confirmation link (the workspace's own admin
/// email must be confirmed first).
#[utoipa::path(post, path = "/workspace/notify-addresses", tag = "workspace", request_body = NotifyAddressBody,
    responses((status = 201, body = NotifyAddressOut), (status = 403, body = crate::error::Problem),
        (status = 409, description = "already confirmed, or the workspace is not", body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn add_address(
    State(state): State<AppState>,
    Admin(authed): Admin,
    ValidatedJson(b): ValidatedJson<NotifyAddressBody>,
) -> ApiResult<(StatusCode, Json<NotifyAddressOut>)> {
    let row = state
        .service
        .add_notify_address(&Actor::request(authed.ctx), &b.email)
        .await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

#[utoipa::path(delete, path = "/workspace/notify-addresses/{id}", tag = "workspace", params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn remove_address(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<StatusCode> {
    state
        .service
        .remove_notify_address(&Actor::request(authed.ctx), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HeldMailOut {
    pub id: Uuid,
    /// What wrote it: `ticket_notification`, `automation_notification`, `invitation` …
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    /// `unverified_workspace`, `recipient_not_allowed` or `hourly_cap`.
    pub reason: String,
    pub created_at: String,
}

impl From<OutboxMessage> for HeldMailOut {
    fn from(m: OutboxMessage) -> Self {
        Self {
            id: m.id,
            kind: m.kind,
            recipient: m.recipient,
            subject: m.subject,
            reason: m.held.unwrap_or_default(),
            created_at: rfc3339(m.created_at),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListHeld {
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// Mail the policy held back (never sent), newest first.
#[utoipa::path(get, path = "/workspace/held-mail", tag = "workspace", params(ListHeld),
    responses((status = 200, body = Paginated<HeldMailOut>), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn held_mail(
    State(state): State<AppState>,
    Admin(authed): Admin,
    StrictQuery(p): StrictQuery<ListHeld>,
) -> ApiResult<Json<Paginated<HeldMailOut>>> {
    let page = PageRequest {
        limit: p.limit,
        cursor: p.cursor,
    };
    let list = state
        .service
        .held_mail(&Actor::request(authed.ctx), page)
        .await?;
    Ok(Json(list.map(HeldMailOut::from)))
}

/// Mails the calling admin a new link confirming the workspace's admin email.
#[utoipa::path(post, path = "/workspace/verification-email", tag = "workspace",
    responses((status = 202, description = "a new link was mailed to the calling admin"),
        (status = 403, body = crate::error::Problem),
        (status = 409, description = "already confirmed", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn resend_verification(
    State(state): State<AppState>,
    Admin(authed): Admin,
) -> ApiResult<StatusCode> {
    state
        .service
        .resend_email_verification(&Actor::request(authed.ctx))
        .await?;
    Ok(StatusCode::ACCEPTED)
}
