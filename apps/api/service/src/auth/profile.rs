//! A signed-in user's own profile: their name, and their password (the current one is
//! asked for; every session of the user ends, as after a reset).

use helpdesk_domain::{UserId, WorkspaceId, text};
use helpdesk_storage::repo::sessions;
use helpdesk_storage::repo::users::{self, User, UserPatch};

use crate::Service;
use crate::actor::Actor;
use crate::auth_cache::Eviction;
use crate::error::{FieldError, ServiceError, ServiceResult};

/// A password change: the current password and the new one.
#[derive(Clone, Default)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

impl std::fmt::Debug for PasswordChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordChange").finish_non_exhaustive()
    }
}

impl Service {
    /// Renames the signed-in user.
    pub async fn rename_self(&self, actor: &Actor, name: &str) -> ServiceResult<User> {
        let me = actor.ctx.user_id().ok_or(ServiceError::Forbidden)?;
        let name = text::bounded(name, 1, 100)
            .map_err(|e| ServiceError::invalid("name", e.to_string()))?;
        let patch = UserPatch {
            name: Some(name),
            ..UserPatch::default()
        };
        let user = users::update(self.store.write(), &actor.ctx, me, patch, self.now()).await?;
        self.evict(Eviction::User(me.as_uuid())).await;
        Ok(user)
    }

    /// Changes the signed-in user's password after checking the current one; all their
    /// sessions end (this one too: they sign in again with the new password).
    pub async fn change_password(
        &self,
        actor: &Actor,
        change: PasswordChange,
    ) -> ServiceResult<()> {
        let me = actor.ctx.user_id().ok_or(ServiceError::Forbidden)?;
        let user = users::get(self.store.read(), &actor.ctx, me).await?;
        if !self
            .hasher
            .verify(&change.current, user.password_hash.as_deref())
            .await?
        {
            return Err(ServiceError::Validation(vec![FieldError::new(
                "current_password",
                "is not your current password",
            )]));
        }
        let new = self
            .check_password("new_password", change.new)
            .map_err(|e| ServiceError::Validation(vec![e]))?;
        let hash = self.hasher.hash(new.expose()).await?;
        let workspace = WorkspaceId::from_uuid(user.workspace_id);
        let user_id = UserId::from_uuid(user.id);
        let tx = self.begin().await?;
        users::set_password_hash(&tx, workspace, user_id, hash, None, self.now()).await?;
        sessions::revoke_all_for_user(&tx, user_id, self.now()).await?;
        tx.commit().await?;
        self.evict(Eviction::User(user_id.as_uuid())).await;
        Ok(())
    }
}
