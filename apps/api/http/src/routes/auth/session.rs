//! Starting a session: a session row, its first refresh token and an access token,
//! written in the caller's transaction.

use helpdesk_domain::{Role, SessionId, UserId, WorkspaceId};
use helpdesk_storage::repo::{sessions, tokens};
use sea_orm::ConnectionTrait;
use serde::Serialize;

use crate::auth::opaque;
use crate::error::{ApiError, ApiResult};
use crate::routes::common::UserOut;
use crate::state::AppState;

/// The token pair every sign-in returns.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Access token lifetime in seconds.
    pub expires_in: i64,
}

/// `TokenPair` plus the signed-in user.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SignedIn {
    #[serde(flatten)]
    pub tokens: TokenPair,
    pub user: UserOut,
}

/// Creates a refresh token in `session` and an access token for it.
pub async fn issue_pair(
    state: &AppState,
    db: &impl ConnectionTrait,
    workspace: WorkspaceId,
    user: UserId,
    role: Role,
    session: SessionId,
) -> ApiResult<TokenPair> {
    let refresh = opaque::generate("");
    let expires = crate::routes::common::expires_in(state.settings.refresh_ttl)?;
    tokens::insert_refresh(db, workspace, session, opaque::hash(&refresh), expires).await?;
    let access = state
        .jwt
        .issue(user, workspace, role, session)
        .map_err(ApiError::internal)?;
    Ok(TokenPair {
        access_token: access,
        refresh_token: refresh,
        token_type: "Bearer",
        expires_in: state.jwt.ttl_secs(),
    })
}

/// Starts a new session for `user` and returns its first token pair.
pub async fn start(
    state: &AppState,
    db: &impl ConnectionTrait,
    workspace: WorkspaceId,
    user: UserId,
    role: Role,
) -> ApiResult<TokenPair> {
    let session = sessions::create(db, workspace, user).await?;
    issue_pair(
        state,
        db,
        workspace,
        user,
        role,
        SessionId::from_uuid(session.id),
    )
    .await
}
