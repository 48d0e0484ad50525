//! Invitations: a one-time token and its email, written in the transaction that created
//! the user; accepting one sets the password (and the name) and signs the user in.

use std::fmt;

use helpdesk_domain::{TenantCtx, UserId, WorkspaceId, text};
use helpdesk_storage::repo::outbox::NewMessage;

use crate::mail::{self, Audience};
use helpdesk_storage::repo::tokens::{self, Purpose};
use helpdesk_storage::repo::users::{self, User};
use helpdesk_storage::repo::workspaces;
use sea_orm::ConnectionTrait;

use super::{SignedIn, opaque, role_of};
use crate::Service;
use crate::error::{ServiceError, ServiceResult};

/// The answer to an invitation.
#[derive(Clone, Default)]
pub struct AcceptInvitation {
    pub token: String,
    pub password: String,
    /// Replaces the name the admin gave.
    pub name: Option<String>,
}

impl fmt::Debug for AcceptInvitation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AcceptInvitation")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Service {
    /// Creates an invitation token for `user` (voiding older ones) and queues its email in
    /// `db`'s transaction; returns the token.
    pub(crate) async fn create_invitation(
        &self,
        db: &impl ConnectionTrait,
        ctx: &TenantCtx,
        user: &User,
    ) -> ServiceResult<String> {
        let token = opaque::generate("");
        let ttl = self.settings.invitation_ttl;
        let expires = crate::time::expires_in(&*self.clock, ttl)?;
        let user_id = UserId::from_uuid(user.id);
        tokens::void_one_time(db, user_id, Purpose::Invitation, self.now()).await?;
        tokens::insert_one_time(
            db,
            ctx.workspace_id,
            user_id,
            Purpose::Invitation,
            opaque::hash(&token),
            expires,
            self.now(),
        )
        .await?;
        let ws = workspaces::get(db, ctx.workspace_id).await?;
        let link = format!(
            "{}/accept-invite?token={token}",
            self.settings.public_url.trim_end_matches('/')
        );
        mail::queue(
            db,
            ctx,
            self.settings.mail_per_hour,
            Audience::Members,
            NewMessage {
                kind: "invitation",
                recipient: user.email.clone(),
                subject: format!("[{}] You are invited to the helpdesk", ws.name),
                body: format!(
                    "Hello {},\n\nYou have been invited to the {} helpdesk.\nSet your password here: {link}\n\nThe link expires in {} days.\n",
                    user.name,
                    ws.name,
                    ttl.as_secs() / 86_400
                ),
                in_reply_to: None,
                reply_to: None,
            },
            self.now(),
        )
        .await?;
        Ok(token)
    }

    /// Sets the invited user's password (and name) and starts a session. An unknown,
    /// used or expired token, or a deactivated user, is `Unauthorized`.
    pub async fn accept_invitation(&self, input: AcceptInvitation) -> ServiceResult<SignedIn> {
        let password = self
            .check_password("password", input.password)
            .map_err(|e| ServiceError::Validation(vec![e]))?;
        let name = match input.name {
            Some(n) => Some(
                text::bounded(&n, 1, 100)
                    .map_err(|e| ServiceError::invalid("name", e.to_string()))?,
            ),
            None => None,
        };
        let hash = self.hasher.hash(password.expose()).await?;
        let tx = self.begin().await?;
        let token = tokens::consume_one_time(
            &tx,
            &opaque::hash(&input.token),
            Purpose::Invitation,
            self.now(),
        )
        .await?
        .ok_or(ServiceError::Unauthorized)?;
        let workspace_id = WorkspaceId::from_uuid(token.workspace_id);
        let user_id = UserId::from_uuid(token.user_id);
        let user =
            users::set_password_hash(&tx, workspace_id, user_id, hash, name, self.now()).await?;
        if !user.active {
            return Err(ServiceError::Unauthorized);
        }
        let role = role_of(&user)?;
        let user_id = UserId::from_uuid(user.id);
        let grant = self.open_session(&tx, workspace_id, user_id, role).await?;
        tx.commit().await?;
        Ok(SignedIn { user, grant })
    }
}
