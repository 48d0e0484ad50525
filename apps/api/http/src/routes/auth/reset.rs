//! Password reset: request (always 202, so accounts cannot be probed) and confirm.

use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::{Email, UserId, WorkspaceId};
use helpdesk_storage::repo::outbox::{self, NewMessage};
use helpdesk_storage::repo::tokens::{self, Purpose};
use helpdesk_storage::repo::{sessions, users};
use serde::Deserialize;

use crate::auth::opaque;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ClientAddr, ValidatedJson};
use crate::routes::common::RateHeaders;
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    #[garde(length(max = 254))]
    pub email: String,
    /// Restricts the reset to one workspace; without it every account with this email
    /// gets its own link.
    #[garde(length(max = 64))]
    pub workspace: Option<String>,
}

#[utoipa::path(post, path = "/auth/password-reset", tag = "auth",
    request_body = ResetRequest,
    responses((status = 202, description = "accepted, whether or not the account exists"),
        (status = 429, body = crate::error::Problem)))]
pub async fn request_reset(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ValidatedJson(req): ValidatedJson<ResetRequest>,
) -> ApiResult<(StatusCode, RateHeaders, ())> {
    let email = Email::parse(&req.email).ok();
    let rate = state
        .limiter
        .guard(
            ip,
            Some(email.as_ref().map_or(req.email.as_str(), Email::as_str)),
        )
        .await?;
    let Some(email) = email else {
        return Ok((StatusCode::ACCEPTED, RateHeaders(rate), ()));
    };
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    let mut accounts = users::by_email_everywhere(&tx, &email).await?;
    if let Some(slug) = req.workspace.as_deref() {
        accounts.retain(|(_, ws)| ws.slug == slug);
    }
    let expires = crate::routes::common::expires_in(state.settings.reset_ttl)?;
    for (user, ws) in accounts {
        let token = opaque::generate("");
        let user_id = UserId::from_uuid(user.id);
        let workspace = WorkspaceId::from_uuid(ws.id);
        tokens::void_one_time(&tx, user_id, Purpose::PasswordReset).await?;
        tokens::insert_one_time(
            &tx,
            workspace,
            user_id,
            Purpose::PasswordReset,
            opaque::hash(&token),
            expires,
        )
        .await?;
        let link = format!(
            "{}/reset-password?token={token}",
            state.settings.public_url.trim_end_matches('/')
        );
        outbox::enqueue(
            &tx,
            workspace,
            NewMessage {
                kind: "password_reset",
                recipient: user.email.clone(),
                subject: format!("[{}] Reset your password", ws.name),
                body: format!(
                    "Hello {},\n\nSomeone asked to reset your password for the {} helpdesk.\nIf it was you, follow this link within {} minutes: {link}\nOtherwise ignore this message.\n",
                    user.name,
                    ws.name,
                    state.settings.reset_ttl.as_secs() / 60
                ),
            in_reply_to: None,
            },
        )
        .await?;
    }
    tx.commit().await.map_err(ApiError::db)?;
    state.events.wake_workers().await;
    Ok((StatusCode::ACCEPTED, RateHeaders(rate), ()))
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmResetRequest {
    #[garde(length(min = 1, max = 256))]
    pub token: String,
    #[garde(skip)]
    pub password: String,
}

/// Sets the new password and signs the account out everywhere.
#[utoipa::path(post, path = "/auth/password-reset/confirm", tag = "auth",
    request_body = ConfirmResetRequest,
    responses((status = 204), (status = 401, description = "unknown, used or expired token", body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn confirm_reset(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ValidatedJson(req): ValidatedJson<ConfirmResetRequest>,
) -> ApiResult<StatusCode> {
    state.limiter.guard(ip, None).await?;
    let password = state
        .check_password("password", req.password)
        .map_err(|e| ApiError::Validation(vec![e]))?;
    let hash = state.hasher.hash(password.expose()).await?;
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    let token = tokens::consume_one_time(&tx, &opaque::hash(&req.token), Purpose::PasswordReset)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let user_id = UserId::from_uuid(token.user_id);
    users::set_password_hash(
        &tx,
        WorkspaceId::from_uuid(token.workspace_id),
        user_id,
        hash,
        None,
    )
    .await?;
    sessions::revoke_all_for_user(&tx, user_id).await?;
    tx.commit().await.map_err(ApiError::db)?;
    state
        .evict(crate::auth::Eviction::User(user_id.as_uuid()))
        .await;
    Ok(StatusCode::NO_CONTENT)
}
