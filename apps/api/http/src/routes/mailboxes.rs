//! `/mailboxes` (ADMIN): the addresses a workspace receives mail at, and the IMAP account
//! each is fetched from. Passwords, OAuth2 client secrets and refresh tokens are
//! write-only: stored encrypted, never in a response.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::Priority;
use helpdesk_domain::mailbox::{AfterImport, ImapSecurity, UnknownSenders};
use helpdesk_service::Actor;
use helpdesk_service::mail_fetch::CheckReport;
use helpdesk_service::mailboxes::{ImapInput, MailboxInput, MailboxOut, OAuth2Input};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::double_option;
use crate::error::ApiResult;
use crate::extract::{Admin, Id, ValidatedJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_mailboxes, create_mailbox))
        .routes(routes!(get_mailbox, update_mailbox, delete_mailbox))
        .routes(routes!(check_mailbox))
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailboxBody {
    /// The address mail arrives at; plus-addressed variants reach it too. Required on
    /// create; unique across workspaces.
    #[garde(length(max = 254))]
    pub address: Option<String>,
    /// Default: the address.
    #[garde(length(chars, max = 200))]
    pub name: Option<String>,
    #[garde(skip)]
    pub active: Option<bool>,
    /// The IMAP account to fetch from; `null` removes it.
    #[garde(dive)]
    #[serde(default, deserialize_with = "double_option")]
    pub imap: Option<Option<ImapBody>>,
    /// Priority of the tickets this mailbox's mail opens (default MEDIUM).
    #[garde(skip)]
    pub default_priority: Option<Priority>,
    /// `CREATE_CUSTOMER` (default) or `QUARANTINE` mail from addresses the workspace does
    /// not know.
    #[garde(skip)]
    pub unknown_senders: Option<UnknownSenders>,
}

#[derive(Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImapBody {
    #[garde(length(chars, min = 1, max = 253))]
    pub host: String,
    #[garde(range(min = 1))]
    pub port: u16,
    /// `TLS` (default), `STARTTLS` or `NONE`.
    #[garde(skip)]
    pub security: Option<ImapSecurity>,
    #[garde(length(chars, min = 1, max = 320))]
    pub username: String,
    /// Write-only.
    #[garde(length(min = 1, max = 1024))]
    pub password: Option<String>,
    #[garde(dive)]
    pub oauth2: Option<OAuth2Body>,
    /// Default `INBOX`.
    #[garde(length(chars, min = 1, max = 200))]
    pub folder: Option<String>,
    /// `KEEP`, `SEEN` (default), `MOVE` (to `move_to`) or `DELETE`.
    #[garde(skip)]
    pub after_import: Option<AfterImport>,
    #[garde(length(chars, min = 1, max = 200))]
    pub move_to: Option<String>,
}

impl std::fmt::Debug for ImapBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapBody")
            .field("host", &self.host)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// XOAUTH2 with a refresh token (Microsoft 365, Google). Secrets are write-only.
#[derive(Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OAuth2Body {
    #[garde(length(min = 1, max = 2000))]
    pub token_url: String,
    #[garde(length(min = 1, max = 500))]
    pub client_id: String,
    #[garde(length(min = 1, max = 8192))]
    pub client_secret: String,
    #[garde(length(min = 1, max = 8192))]
    pub refresh_token: String,
}

impl std::fmt::Debug for OAuth2Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuth2Body")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl From<MailboxBody> for MailboxInput {
    fn from(b: MailboxBody) -> Self {
        Self {
            address: b.address,
            name: b.name,
            active: b.active,
            imap: b.imap.map(|i| {
                i.map(|i| ImapInput {
                    host: i.host,
                    port: i.port,
                    security: i.security,
                    username: i.username,
                    password: i.password,
                    oauth2: i.oauth2.map(|o| OAuth2Input {
                        token_url: o.token_url,
                        client_id: o.client_id,
                        client_secret: o.client_secret,
                        refresh_token: o.refresh_token,
                    }),
                    folder: i.folder,
                    after_import: i.after_import,
                    move_to: i.move_to,
                })
            }),
            default_priority: b.default_priority,
            unknown_senders: b.unknown_senders,
        }
    }
}

#[utoipa::path(get, path = "/mailboxes", tag = "email",
    responses((status = 200, body = Vec<MailboxOut>), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_mailboxes(
    State(state): State<AppState>,
    Admin(authed): Admin,
) -> ApiResult<Json<Vec<MailboxOut>>> {
    Ok(Json(
        state.service.mailboxes(&Actor::request(authed.ctx)).await?,
    ))
}

#[utoipa::path(post, path = "/mailboxes", tag = "email", request_body = MailboxBody,
    responses((status = 201, body = MailboxOut), (status = 403, body = crate::error::Problem),
        (status = 409, description = "the address belongs to a mailbox already", body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_mailbox(
    State(state): State<AppState>,
    Admin(authed): Admin,
    ValidatedJson(body): ValidatedJson<MailboxBody>,
) -> ApiResult<(StatusCode, Json<MailboxOut>)> {
    let m = state
        .service
        .create_mailbox(&Actor::request(authed.ctx), body.into())
        .await?;
    Ok((StatusCode::CREATED, Json(m)))
}

#[utoipa::path(get, path = "/mailboxes/{id}", tag = "email",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = MailboxOut), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_mailbox(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<Json<MailboxOut>> {
    Ok(Json(
        state
            .service
            .mailbox(&Actor::request(authed.ctx), id)
            .await?,
    ))
}

#[utoipa::path(patch, path = "/mailboxes/{id}", tag = "email", request_body = MailboxBody,
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = MailboxOut), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_mailbox(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
    ValidatedJson(body): ValidatedJson<MailboxBody>,
) -> ApiResult<Json<MailboxOut>> {
    let m = state
        .service
        .update_mailbox(&Actor::request(authed.ctx), id, body.into())
        .await?;
    Ok(Json(m))
}

#[utoipa::path(delete, path = "/mailboxes/{id}", tag = "email",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn delete_mailbox(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<StatusCode> {
    state
        .service
        .delete_mailbox(&Actor::request(authed.ctx), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Connects to the mailbox's IMAP server, signs in and opens its folder now; says how far
/// it got (`stage`) and, if it failed, why. Changes nothing.
#[utoipa::path(post, path = "/mailboxes/{id}/check", tag = "email",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = CheckReport), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn check_mailbox(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<Json<CheckReport>> {
    Ok(Json(
        state
            .service
            .check_mailbox(&Actor::request(authed.ctx), id)
            .await?,
    ))
}
