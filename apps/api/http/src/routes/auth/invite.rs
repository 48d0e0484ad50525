//! Invitations: created by `POST /users` without a password, accepted here.

use axum::Json;
use axum::extract::State;
use helpdesk_domain::{Role, TenantCtx, UserId, WorkspaceId, text};
use helpdesk_storage::repo::outbox::{self, NewMessage};
use helpdesk_storage::repo::tokens::{self, Purpose};
use helpdesk_storage::repo::{users, users::User, workspaces};
use sea_orm::ConnectionTrait;
use serde::Deserialize;

use super::session::{self, SignedIn};
use crate::auth::opaque;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ClientAddr, ValidatedJson};
use crate::routes::common::UserOut;
use crate::state::AppState;

/// Creates an invitation token for `user` and queues the email; returns the token.
pub async fn create_invitation(
    state: &AppState,
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    user: &User,
) -> ApiResult<String> {
    let token = opaque::generate("");
    let expires = crate::routes::common::expires_in(state.settings.invitation_ttl)?;
    let user_id = UserId::from_uuid(user.id);
    tokens::void_one_time(db, user_id, Purpose::Invitation).await?;
    tokens::insert_one_time(
        db,
        ctx.workspace_id,
        user_id,
        Purpose::Invitation,
        opaque::hash(&token),
        expires,
    )
    .await?;
    let ws = workspaces::get(db, ctx.workspace_id).await?;
    let link = format!(
        "{}/accept-invite?token={token}",
        state.settings.public_url.trim_end_matches('/')
    );
    outbox::enqueue(
        db,
        ctx.workspace_id,
        NewMessage {
            kind: "invitation",
            recipient: user.email.clone(),
            subject: format!("[{}] You are invited to the helpdesk", ws.name),
            body: format!(
                "Hello {},\n\nYou have been invited to the {} helpdesk.\nSet your password here: {link}\n\nThe link expires in {} days.\n",
                user.name,
                ws.name,
                state.settings.invitation_ttl.as_secs() / 86_400
            ),
            in_reply_to: None,
        },
    )
    .await?;
    Ok(token)
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInviteRequest {
    #[garde(length(min = 1, max = 256))]
    pub token: String,
    #[garde(skip)]
    pub password: String,
    #[garde(length(chars, min = 1, max = 100))]
    pub name: Option<String>,
}

/// Sets the invited user's password (and name) and signs them in.
#[utoipa::path(post, path = "/auth/accept-invite", tag = "auth",
    request_body = AcceptInviteRequest,
    responses((status = 200, body = SignedIn), (status = 401, description = "unknown, used or expired token", body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn accept_invite(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ValidatedJson(req): ValidatedJson<AcceptInviteRequest>,
) -> ApiResult<Json<SignedIn>> {
    state.limiter.guard(ip, None).await?;
    let password = state
        .check_password("password", req.password)
        .map_err(|e| ApiError::Validation(vec![e]))?;
    let name = match req.name {
        Some(n) => Some(
            text::bounded(&n, 1, 100)
                .ok_or_else(|| ApiError::invalid("name", "must not be blank"))?,
        ),
        None => None,
    };
    let hash = state.hasher.hash(password.expose()).await?;
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    let token = tokens::consume_one_time(&tx, &opaque::hash(&req.token), Purpose::Invitation)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let workspace = WorkspaceId::from_uuid(token.workspace_id);
    let user =
        users::set_password_hash(&tx, workspace, UserId::from_uuid(token.user_id), hash, name)
            .await?;
    if !user.active {
        return Err(ApiError::Unauthorized);
    }
    let role: Role = user.role.parse().map_err(|_| ApiError::Unauthorized)?;
    let tokens = session::start(&state, &tx, workspace, UserId::from_uuid(user.id), role).await?;
    tx.commit().await.map_err(ApiError::db)?;
    Ok(Json(SignedIn {
        tokens,
        user: UserOut::from_row(user)?,
    }))
}
