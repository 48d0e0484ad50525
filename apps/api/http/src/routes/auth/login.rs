//! `POST /auth/login`: email and password (and a workspace slug when the email is in several).

use axum::Json;
use axum::extract::State;
use helpdesk_domain::{Email, Role, UserId, WorkspaceId};
use helpdesk_storage::repo::users;
use serde::Deserialize;

use super::session::{self, SignedIn};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ClientAddr, ValidatedJson};
use crate::routes::common::{RateHeaders, UserOut};
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[garde(length(max = 254))]
    pub email: String,
    #[garde(length(max = 1024))]
    pub password: String,
    /// The workspace slug; needed only when the email exists in several workspaces.
    #[garde(length(max = 64))]
    pub workspace: Option<String>,
}

#[utoipa::path(post, path = "/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses((status = 200, body = SignedIn), (status = 401, body = crate::error::Problem),
        (status = 409, description = "`workspace_required`", body = crate::error::Problem),
        (status = 429, body = crate::error::Problem)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ValidatedJson(req): ValidatedJson<LoginRequest>,
) -> ApiResult<(RateHeaders, Json<SignedIn>)> {
    // A malformed email cannot name an account: same answer as a wrong password.
    let email = Email::parse(&req.email).ok();
    let rate = state
        .limiter
        .guard(
            ip,
            Some(email.as_ref().map_or(req.email.as_str(), Email::as_str)),
        )
        .await?;
    let mut candidates = match &email {
        Some(e) => users::by_email_everywhere(state.store.read(), e).await?,
        None => Vec::new(),
    };
    if let Some(slug) = req.workspace.as_deref() {
        candidates.retain(|(_, ws)| ws.slug == slug);
    }
    if candidates.len() > 1 {
        return Err(ApiError::WorkspaceRequired);
    }
    let found = candidates.pop();
    let stored = found.as_ref().and_then(|(u, _)| u.password_hash.as_deref());
    if !state.hasher.verify(&req.password, stored).await? {
        return Err(ApiError::Unauthorized);
    }
    let Some((user, _)) = found else {
        return Err(ApiError::Unauthorized);
    };
    let role: Role = user.role.parse().map_err(|_| ApiError::Unauthorized)?;
    let rehash = match user.password_hash.as_deref() {
        Some(h) if state.hasher.needs_rehash(h) => Some(state.hasher.hash(&req.password).await?),
        _ => None,
    };
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    let workspace_id = WorkspaceId::from_uuid(user.workspace_id);
    if let Some(hash) = rehash {
        users::set_password_hash(&tx, workspace_id, UserId::from_uuid(user.id), hash, None).await?;
    }
    let tokens =
        session::start(&state, &tx, workspace_id, UserId::from_uuid(user.id), role).await?;
    tx.commit().await.map_err(ApiError::db)?;
    Ok((
        RateHeaders(rate),
        Json(SignedIn {
            tokens,
            user: UserOut::from_row(user)?,
        }),
    ))
}
