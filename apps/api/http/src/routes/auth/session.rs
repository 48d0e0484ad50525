//! The token pair every sign-in returns: the service's refresh token and a JWT access
//! token minted here for the session it started.

use helpdesk_service::auth::SessionGrant;
use serde::Serialize;

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

impl TokenPair {
    /// The grant's refresh token and an access token for its session.
    pub fn mint(state: &AppState, grant: SessionGrant) -> ApiResult<Self> {
        let access = state
            .jwt
            .issue(
                grant.user_id,
                grant.workspace_id,
                grant.role,
                grant.session_id,
            )
            .map_err(ApiError::internal)?;
        Ok(TokenPair {
            access_token: access,
            refresh_token: grant.refresh_token,
            token_type: "Bearer",
            expires_in: state.jwt.ttl_secs(),
        })
    }
}

impl SignedIn {
    pub fn render(state: &AppState, done: helpdesk_service::auth::SignedIn) -> ApiResult<Self> {
        Ok(SignedIn {
            tokens: TokenPair::mint(state, done.grant)?,
            user: UserOut::from_row(done.user)?,
        })
    }
}
