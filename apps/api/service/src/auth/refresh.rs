//! Refresh-token rotation with reuse detection: each token works once; presenting a spent
//! one revokes its whole session, since someone else may hold the newer token. A session
//! has an absolute lifetime besides each token's idle one.

use helpdesk_domain::{SessionId, UserId, WorkspaceId};
use helpdesk_storage::repo::{sessions, tokens, users};

use super::{SessionGrant, opaque, role_of};
use crate::Service;
use crate::auth_cache::Eviction;
use crate::error::{ServiceError, ServiceResult};

impl Service {
    /// Exchanges a refresh token for the next one in the same session. Unknown, expired
    /// or revoked tokens, and inactive users, are `Unauthorized`; a reused token revokes
    /// the session (committed) and is `Unauthorized` too.
    pub async fn refresh_session(&self, refresh_token: &str) -> ServiceResult<SessionGrant> {
        let tx = self.begin().await?;
        let token = tokens::refresh_by_hash(&tx, &opaque::hash(refresh_token))
            .await?
            .ok_or(ServiceError::Unauthorized)?;
        let workspace_id = WorkspaceId::from_uuid(token.workspace_id);
        let session_id = SessionId::from_uuid(token.session_id);
        if !tokens::mark_refresh_used(&tx, token.id, self.now()).await? {
            tracing::warn!(session = %session_id, "refresh token reuse: revoking the session");
            sessions::revoke(&tx, session_id, self.now()).await?;
            tx.commit().await?;
            self.evict(Eviction::Session(session_id.as_uuid())).await;
            return Err(ServiceError::Unauthorized);
        }
        let session = sessions::get(&tx, workspace_id, session_id).await?;
        if session.revoked_at.is_some() || token.expires_at <= self.now() {
            return Err(ServiceError::Unauthorized);
        }
        // However often it is refreshed, a session ends `session_max_age` after sign-in:
        // a stolen refresh chain cannot live for ever.
        let max_age = i64::try_from(self.settings.session_max_age.as_micros()).unwrap_or(i64::MAX);
        if self.now().saturating_sub(session.created_at) >= max_age {
            sessions::revoke(&tx, session_id, self.now()).await?;
            tx.commit().await?;
            self.evict(Eviction::Session(session_id.as_uuid())).await;
            return Err(ServiceError::Unauthorized);
        }
        let user =
            users::in_workspace(&tx, workspace_id, UserId::from_uuid(session.user_id)).await?;
        if !user.active {
            return Err(ServiceError::Unauthorized);
        }
        let role = role_of(&user)?;
        let grant = self
            .grant(
                &tx,
                workspace_id,
                UserId::from_uuid(user.id),
                role,
                session_id,
            )
            .await?;
        tx.commit().await?;
        Ok(grant)
    }
}
