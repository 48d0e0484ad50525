//! Giving access back and following up invitations (admins): reactivating a deactivated
//! user, sending a pending invitation again (the old link stops working), and revoking
//! one (its link stops working and the invited user is deactivated).

use helpdesk_domain::{Permission, UserId};
use helpdesk_storage::repo::tokens::{self, Purpose};
use helpdesk_storage::repo::users::{self, User};

use crate::Service;
use crate::actor::Actor;
use crate::auth_cache::Eviction;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;

/// Whether `u` was invited and has not chosen a password yet.
pub fn invitation_pending(u: &User) -> bool {
    u.active && u.password_hash.is_none()
}

fn pending(u: &User) -> ServiceResult<()> {
    if invitation_pending(u) {
        Ok(())
    } else {
        Err(ServiceError::Conflict(
            "this user has no pending invitation (accepted, or deactivated)".into(),
        ))
    }
}

impl Service {
    /// Lets a deactivated user sign in again (with their password; sessions stay ended).
    pub async fn reactivate_user(&self, actor: &Actor, id: UserId) -> ServiceResult<User> {
        require(actor, Permission::ManageUsers)?;
        let user = users::reactivate(self.store.write(), &actor.ctx, id, self.now()).await?;
        self.evict(Eviction::User(id.as_uuid())).await;
        Ok(user)
    }

    /// Mails a pending invitation again with a new link; returns the link's token.
    pub async fn resend_invitation(&self, actor: &Actor, id: UserId) -> ServiceResult<String> {
        require(actor, Permission::ManageUsers)?;
        let tx = self.begin().await?;
        let user = users::get(&tx, &actor.ctx, id).await?;
        pending(&user)?;
        let token = self.create_invitation(&tx, &actor.ctx, &user).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Withdraws a pending invitation: the link stops working, the user is deactivated.
    pub async fn revoke_invitation(&self, actor: &Actor, id: UserId) -> ServiceResult<()> {
        require(actor, Permission::ManageUsers)?;
        let tx = self.begin().await?;
        let user = users::get(&tx, &actor.ctx, id).await?;
        pending(&user)?;
        tokens::void_one_time(&tx, id, Purpose::Invitation, self.now()).await?;
        users::deactivate(&tx, &actor.ctx, id, self.now()).await?;
        tx.commit().await?;
        self.evict(Eviction::User(id.as_uuid())).await;
        Ok(())
    }
}
