//! Browser sessions for the web app: the same session rows as the API's, holding the hash
//! of an opaque cookie instead of handing out refresh tokens. Logout, deactivation, role
//! changes and password resets end or change them exactly as they do API sessions.

use std::fmt;

use helpdesk_domain::{SessionId, UserId, WorkspaceId};
use helpdesk_storage::repo::{sessions, tokens};

use super::identify::Identity;
use super::{SessionGrant, opaque};
use crate::Service;
use crate::error::{ServiceError, ServiceResult};

/// A browser session: the cookie's secret (handed out once) and its session.
#[derive(Clone)]
pub struct WebSession {
    pub secret: String,
    pub session_id: SessionId,
}

impl fmt::Debug for WebSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebSession")
            .field("session_id", &self.session_id)
            .finish_non_exhaustive()
    }
}

impl Service {
    /// Turns a session a use case just started (sign-in, registration, an accepted
    /// invitation) into a browser session: the session row gets a cookie's hash. The
    /// refresh token of the grant is never handed out, so it is spent here.
    pub async fn adopt_session(&self, grant: SessionGrant) -> ServiceResult<WebSession> {
        let secret = opaque::generate("");
        let now = self.now();
        let tx = self.begin().await?;
        sessions::set_web_hash(
            &tx,
            grant.workspace_id,
            grant.session_id,
            opaque::hash(&secret),
            now,
        )
        .await?;
        tokens::spend_refresh(&tx, &opaque::hash(&grant.refresh_token), now).await?;
        tx.commit().await?;
        Ok(WebSession {
            secret,
            session_id: grant.session_id,
        })
    }

    /// Who a session cookie belongs to. Unknown, revoked and expired sessions, and inactive
    /// users, are `Unauthorized`; a session ends `session_max_age` after sign-in.
    pub async fn identify_web_session(&self, secret: &str) -> ServiceResult<Identity> {
        let row = sessions::by_web_hash(self.store.read(), &opaque::hash(secret))
            .await?
            .ok_or(ServiceError::Unauthorized)?;
        let max_age = i64::try_from(self.settings.session_max_age.as_micros()).unwrap_or(i64::MAX);
        if row.revoked_at.is_some() || self.now().saturating_sub(row.created_at) >= max_age {
            return Err(ServiceError::Unauthorized);
        }
        self.identify_session(
            WorkspaceId::from_uuid(row.workspace_id),
            UserId::from_uuid(row.user_id),
            SessionId::from_uuid(row.id),
        )
        .await
    }
}
