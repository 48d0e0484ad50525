//! Signing in with an email and a password: the account is chosen (a workspace slug
//! settles an email that exists in several), the password checked, and a session started.

use std::fmt;

use helpdesk_domain::{Email, UserId, WorkspaceId};
use helpdesk_storage::repo::users;

use super::{SignedIn, role_of};
use crate::Service;
use crate::error::{ServiceError, ServiceResult};

/// What a person signs in with.
#[derive(Clone, Default)]
pub struct Credentials {
    pub email: String,
    pub password: String,
    /// The workspace slug; needed only when the email exists in several workspaces.
    pub workspace: Option<String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("email", &self.email)
            .field("workspace", &self.workspace)
            .finish_non_exhaustive()
    }
}

impl Service {
    /// Checks the credentials and starts a session. A wrong password, an unknown or
    /// malformed email cost the same and answer `Unauthorized`. The password is checked
    /// before anything is said about other accounts: only when it matches accounts in
    /// several workspaces (and no slug names one) is the answer `WorkspaceRequired`, so
    /// nobody learns of, or blocks, another workspace's account with the same email. A
    /// hash made with older parameters is replaced.
    pub async fn start_session(&self, creds: Credentials) -> ServiceResult<SignedIn> {
        // A malformed email cannot name an account: same answer as a wrong password.
        let mut candidates = match Email::parse(&creds.email) {
            Ok(e) => users::by_email_everywhere(self.store.read(), &e).await?,
            Err(_) => Vec::new(),
        };
        if let Some(slug) = creds.workspace.as_deref() {
            candidates.retain(|(_, ws)| ws.slug == slug);
        }
        let mut matching = Vec::new();
        if candidates.is_empty() {
            // The same work as a wrong password, so timing tells nothing.
            self.hasher.verify(&creds.password, None).await?;
        }
        for (user, ws) in candidates {
            let stored = user.password_hash.as_deref();
            if self.hasher.verify(&creds.password, stored).await? {
                matching.push((user, ws));
            }
        }
        if matching.len() > 1 {
            // A workspace whose admin email is unconfirmed cannot make another account
            // ambiguous: when exactly one match is in a confirmed workspace, it wins.
            let mut confirmed: Vec<_> = matching
                .iter()
                .filter(|(_, ws)| ws.email_verified_at.is_some())
                .cloned()
                .collect();
            if confirmed.len() != 1 {
                return Err(ServiceError::WorkspaceRequired);
            }
            matching = std::mem::take(&mut confirmed);
        }
        let Some((user, _)) = matching.pop() else {
            return Err(ServiceError::Unauthorized);
        };
        let role = role_of(&user)?;
        let rehash = match user.password_hash.as_deref() {
            Some(h) if self.hasher.needs_rehash(h) => {
                Some(self.hasher.hash(&creds.password).await?)
            }
            _ => None,
        };
        let workspace_id = WorkspaceId::from_uuid(user.workspace_id);
        let user_id = UserId::from_uuid(user.id);
        let tx = self.begin().await?;
        if let Some(hash) = rehash {
            users::set_password_hash(&tx, workspace_id, user_id, hash, None, self.now()).await?;
        }
        let grant = self.open_session(&tx, workspace_id, user_id, role).await?;
        tx.commit().await?;
        Ok(SignedIn { user, grant })
    }
}
