//! Email confirmation: a new workspace's first admin confirms their address (until then
//! the workspace mails only its own users and with a smaller allowance), and outside
//! addresses a rule may mail are confirmed by their owners. Both follow a one-time link.

use helpdesk_domain::{Email, Permission, TenantCtx, UserId, WorkspaceId};
use helpdesk_storage::repo::notify_addresses::{self, NotifyAddress};
use helpdesk_storage::repo::outbox::NewMessage;
use helpdesk_storage::repo::tokens::{self, Purpose};
use helpdesk_storage::repo::{users, workspaces};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::opaque;
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::mail::{self, Audience};
use crate::permissions::require;

/// How long a confirmation link stays valid.
const LINK_TTL: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

/// What a confirmation link confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    /// The workspace's admin email.
    Workspace(WorkspaceId),
    /// An outside address for rules.
    NotifyAddress(String),
}

impl Service {
    /// Mails `user` (a new workspace's admin) a link confirming their address, in `db`'s
    /// transaction; older links stop working.
    pub(crate) async fn send_email_verification(
        &self,
        db: &impl ConnectionTrait,
        workspace_id: WorkspaceId,
        user: &users::User,
    ) -> ServiceResult<()> {
        let token = opaque::generate("");
        let user_id = UserId::from_uuid(user.id);
        let expires = crate::time::expires_in(&*self.clock, LINK_TTL)?;
        tokens::void_one_time(db, user_id, Purpose::EmailVerification, self.now()).await?;
        tokens::insert_one_time(
            db,
            workspace_id,
            user_id,
            Purpose::EmailVerification,
            opaque::hash(&token),
            expires,
            self.now(),
        )
        .await?;
        let ws = workspaces::get(db, workspace_id).await?;
        let link = format!(
            "{}/verify-email?token={token}",
            self.settings.public_url.trim_end_matches('/')
        );
        let msg = NewMessage {
            kind: "email_verification",
            recipient: user.email.clone(),
            subject: format!("[{}] Confirm your email address", ws.name),
            body: format!(
                "Hello {},\n\nConfirm the address of the {} helpdesk's admin: {link}\nUntil then the helpdesk sends email only to its own users.\nThe link expires in 7 days.\n",
                user.name, ws.name
            ),
            in_reply_to: None,
            reply_to: None,
        };
        let ctx = TenantCtx::system(workspace_id);
        let cap = self.settings.mail_per_hour;
        mail::queue(db, &ctx, cap, Audience::Members, msg, self.now()).await?;
        Ok(())
    }

    /// Sends the calling admin a new confirmation link for the workspace.
    pub async fn resend_email_verification(&self, actor: &Actor) -> ServiceResult<()> {
        require(actor, Permission::ManageWorkspace)?;
        let user = actor.ctx.user_id().ok_or(ServiceError::Forbidden)?;
        let tx = self.begin().await?;
        let ws = workspaces::get(&tx, actor.ctx.workspace_id).await?;
        if ws.email_verified_at.is_some() {
            return Err(ServiceError::Conflict(
                "the workspace is already confirmed".into(),
            ));
        }
        let u = users::get(&tx, &actor.ctx, user).await?;
        self.send_email_verification(&tx, actor.ctx.workspace_id, &u)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Follows a confirmation link. An unknown, used or expired link is a validation error
    /// on `token`.
    pub async fn confirm_email(&self, token: &str) -> ServiceResult<Confirmed> {
        let hash = opaque::hash(token);
        let tx = self.begin().await?;
        let now = self.now();
        if let Some(t) =
            tokens::consume_one_time(&tx, &hash, Purpose::EmailVerification, now).await?
        {
            let workspace_id = WorkspaceId::from_uuid(t.workspace_id);
            workspaces::mark_email_verified(&tx, workspace_id, now).await?;
            tx.commit().await?;
            return Ok(Confirmed::Workspace(workspace_id));
        }
        if let Some(a) = notify_addresses::confirm(&tx, &hash, now).await? {
            tx.commit().await?;
            return Ok(Confirmed::NotifyAddress(a.email));
        }
        Err(ServiceError::invalid(
            "token",
            "is unknown, used or expired",
        ))
    }

    /// The outside addresses rules may mail, confirmed or awaiting confirmation.
    pub async fn notify_addresses(&self, actor: &Actor) -> ServiceResult<Vec<NotifyAddress>> {
        require(actor, Permission::ManageAutomations)?;
        Ok(notify_addresses::list(self.store.read(), &actor.ctx).await?)
    }

    /// Adds an outside address for rules and mails its owner a confirmation link. Only a
    /// confirmed workspace may: the link is itself a mail to an outside address.
    pub async fn add_notify_address(
        &self,
        actor: &Actor,
        email: &str,
    ) -> ServiceResult<NotifyAddress> {
        require(actor, Permission::ManageAutomations)?;
        let email =
            Email::parse(email).map_err(|e| ServiceError::invalid("email", e.to_string()))?;
        let tx = self.begin().await?;
        let ws = workspaces::get(&tx, actor.ctx.workspace_id).await?;
        if ws.email_verified_at.is_none() {
            return Err(ServiceError::Conflict(
                "confirm the workspace's admin email first".into(),
            ));
        }
        let token = opaque::generate("");
        let expires = crate::time::expires_in(&*self.clock, LINK_TTL)?;
        let now = self.now();
        let row = notify_addresses::add_pending(
            &tx,
            &actor.ctx,
            &email,
            opaque::hash(&token),
            expires,
            now,
        )
        .await?;
        let link = format!(
            "{}/verify-email?token={token}",
            self.settings.public_url.trim_end_matches('/')
        );
        let msg = NewMessage {
            kind: "address_verification",
            recipient: email.as_str().to_owned(),
            subject: format!("[{}] May the helpdesk email you?", ws.name),
            body: format!(
                "Hello,\n\nAn admin of the {} helpdesk wants its automation rules to email this address.\nIf you agree, follow this link within 7 days: {link}\nOtherwise ignore this message; nothing will be sent.\n",
                ws.name
            ),
            in_reply_to: None,
            reply_to: None,
        };
        let cap = self.settings.mail_per_hour;
        mail::queue(&tx, &actor.ctx, cap, Audience::Members, msg, now).await?;
        tx.commit().await?;
        Ok(row)
    }

    pub async fn remove_notify_address(&self, actor: &Actor, id: Uuid) -> ServiceResult<()> {
        require(actor, Permission::ManageAutomations)?;
        Ok(notify_addresses::delete(self.store.write(), &actor.ctx, id).await?)
    }
}
