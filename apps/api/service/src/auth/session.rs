//! Sign-in sessions: a session row and its refresh tokens, started inside a use case's
//! transaction, and ended by logout.

use std::fmt;

use helpdesk_domain::{Role, SessionId, UserId, WorkspaceId};
use helpdesk_storage::repo::users::User;
use helpdesk_storage::repo::{sessions, tokens};
use sea_orm::ConnectionTrait;

use super::opaque;
use crate::Service;
use crate::auth_cache::Eviction;
use crate::error::ServiceResult;

/// A session and its newest refresh token: what an adapter needs to mint the access
/// credential it hands out with the refresh token.
#[derive(Clone)]
pub struct SessionGrant {
    pub workspace_id: WorkspaceId,
    pub user_id: UserId,
    pub role: Role,
    pub session_id: SessionId,
    /// The secret; only its hash is stored.
    pub refresh_token: String,
}

impl fmt::Debug for SessionGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionGrant")
            .field("workspace_id", &self.workspace_id)
            .field("user_id", &self.user_id)
            .field("role", &self.role)
            .field("session_id", &self.session_id)
            .finish_non_exhaustive()
    }
}

/// A started session and the user it belongs to.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub grant: SessionGrant,
}

impl Service {
    /// Starts a new session for `user` in `db`'s transaction, with its first refresh token.
    pub(crate) async fn open_session(
        &self,
        db: &impl ConnectionTrait,
        workspace_id: WorkspaceId,
        user_id: UserId,
        role: Role,
    ) -> ServiceResult<SessionGrant> {
        let session = sessions::create(db, workspace_id, user_id, None, self.now()).await?;
        let session_id = SessionId::from_uuid(session.id);
        self.grant(db, workspace_id, user_id, role, session_id)
            .await
    }

    /// Creates a refresh token in `session_id`.
    pub(crate) async fn grant(
        &self,
        db: &impl ConnectionTrait,
        workspace_id: WorkspaceId,
        user_id: UserId,
        role: Role,
        session_id: SessionId,
    ) -> ServiceResult<SessionGrant> {
        let refresh_token = opaque::generate("");
        let expires = crate::time::expires_in(&*self.clock, self.settings.refresh_ttl)?;
        tokens::insert_refresh(
            db,
            workspace_id,
            session_id,
            opaque::hash(&refresh_token),
            expires,
            self.now(),
        )
        .await?;
        Ok(SessionGrant {
            workspace_id,
            user_id,
            role,
            session_id,
            refresh_token,
        })
    }

    /// Ends a session (logout): its refresh tokens and access tokens stop working.
    pub async fn end_session(&self, session: SessionId) -> ServiceResult<()> {
        sessions::revoke(self.store.write(), session, self.now()).await?;
        self.evict(Eviction::Session(session.as_uuid())).await;
        Ok(())
    }
}
