//! Password resets: a request mails a one-time link to every matching account (and says
//! nothing about whether one exists); confirming sets the password and ends every session.

use std::fmt;

use helpdesk_domain::{Email, TenantCtx, UserId, WorkspaceId};
use helpdesk_storage::repo::outbox::NewMessage;
use helpdesk_storage::repo::tokens::{self, Purpose};
use helpdesk_storage::repo::{sessions, users};

use super::opaque;
use crate::Service;
use crate::auth_cache::Eviction;
use crate::error::{ServiceError, ServiceResult};
use crate::mail::{self, Audience};

/// The answer to a reset link.
#[derive(Clone, Default)]
pub struct ConfirmReset {
    pub token: String,
    pub password: String,
}

impl fmt::Debug for ConfirmReset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfirmReset").finish_non_exhaustive()
    }
}

impl Service {
    /// Queues a reset link for every account with `email` (only the one in the workspace
    /// named by `workspace`, a slug, when given), voiding older links. Succeeds whether or
    /// not an account exists, and for a malformed email.
    ///
    /// The answer comes before any lookup: the accounts are found and mailed afterwards, so
    /// how long the request takes says nothing about whether an account exists.
    pub async fn request_password_reset(
        &self,
        email: &str,
        workspace: Option<&str>,
    ) -> ServiceResult<()> {
        let Ok(email) = Email::parse(email) else {
            return Ok(());
        };
        let service = self.clone();
        let workspace = workspace.map(str::to_owned);
        tokio::spawn(async move {
            if let Err(e) = service
                .send_password_resets(email, workspace.as_deref())
                .await
            {
                tracing::warn!(error = %e, "password reset links not queued");
            }
        });
        Ok(())
    }

    /// Queues the reset links [`Service::request_password_reset`] promised.
    async fn send_password_resets(
        &self,
        email: Email,
        workspace: Option<&str>,
    ) -> ServiceResult<()> {
        let tx = self.begin().await?;
        let mut accounts = users::by_email_everywhere(&tx, &email).await?;
        if let Some(slug) = workspace {
            accounts.retain(|(_, ws)| ws.slug == slug);
        }
        let ttl = self.settings.reset_ttl;
        let expires = crate::time::expires_in(&*self.clock, ttl)?;
        let base = self.settings.public_url.trim_end_matches('/');
        for (user, ws) in accounts {
            let token = opaque::generate("");
            let user_id = UserId::from_uuid(user.id);
            let workspace_id = WorkspaceId::from_uuid(ws.id);
            tokens::void_one_time(&tx, user_id, Purpose::PasswordReset, self.now()).await?;
            tokens::insert_one_time(
                &tx,
                workspace_id,
                user_id,
                Purpose::PasswordReset,
                opaque::hash(&token),
                expires,
                self.now(),
            )
            .await?;
            let link = format!("{base}/reset-password?token={token}");
            mail::queue(
                &tx,
                &TenantCtx::system(workspace_id),
                self.settings.mail_per_hour,
                Audience::Members,
                NewMessage {
                    kind: "password_reset",
                    recipient: user.email.clone(),
                    subject: format!("[{}] Reset your password", ws.name),
                    body: format!(
                        "Hello {},\n\nSomeone asked to reset your password for the {} helpdesk.\nIf it was you, follow this link within {} minutes: {link}\nOtherwise ignore this message.\n",
                        user.name,
                        ws.name,
                        ttl.as_secs() / 60
                    ),
                    in_reply_to: None,
                    reply_to: None,
                },
                self.now(),
            )
            .await?;
        }
        tx.commit().await?;
        self.live.wake_workers().await;
        Ok(())
    }

    /// Sets the new password and signs the account out everywhere. An unknown, used or
    /// expired token is `Unauthorized`.
    pub async fn confirm_password_reset(&self, input: ConfirmReset) -> ServiceResult<()> {
        let password = self
            .check_password("password", input.password)
            .map_err(|e| ServiceError::Validation(vec![e]))?;
        let hash = self.hasher.hash(password.expose()).await?;
        let tx = self.begin().await?;
        let token = tokens::consume_one_time(
            &tx,
            &opaque::hash(&input.token),
            Purpose::PasswordReset,
            self.now(),
        )
        .await?
        .ok_or(ServiceError::Unauthorized)?;
        let user_id = UserId::from_uuid(token.user_id);
        let workspace_id = WorkspaceId::from_uuid(token.workspace_id);
        users::set_password_hash(&tx, workspace_id, user_id, hash, None, self.now()).await?;
        sessions::revoke_all_for_user(&tx, user_id, self.now()).await?;
        tx.commit().await?;
        self.evict(Eviction::User(user_id.as_uuid())).await;
        Ok(())
    }
}
