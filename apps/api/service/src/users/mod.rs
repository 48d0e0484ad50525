//! Workspace members: creating, listing, reading, changing and deactivating users. Admins
//! manage, agents read, customers see only themselves; the workspace always keeps an
//! active admin.

pub mod access;
pub mod create;
pub mod customer;
pub mod list;

use helpdesk_domain::{Email, OrganizationId, Permission, Role, TenantCtx, UserId, text};
use helpdesk_storage::StoreError;
use helpdesk_storage::repo::users::{self, User, UserRow};
use helpdesk_storage::repo::{api_keys, organizations, sessions};
use sea_orm::ConnectionTrait;

use crate::Service;
use crate::actor::Actor;
use crate::auth_cache::Eviction;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;

/// The last-admin rule, in one place: a change that would leave the workspace without an
/// active admin (demoting or deactivating the last one) is a conflict.
pub async fn keep_an_admin(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    current: &User,
    stays_active_admin: bool,
) -> ServiceResult<()> {
    let is_active_admin = current.active && current.role()? == Role::Admin;
    if is_active_admin && !stays_active_admin && users::active_admins(db, ctx).await? <= 1 {
        return Err(ServiceError::Conflict(
            "the workspace needs at least one active admin".into(),
        ));
    }
    Ok(())
}

/// An organization id from a request must exist in the caller's workspace.
pub async fn check_org(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    org: OrganizationId,
) -> ServiceResult<()> {
    organizations::get(db, ctx, org)
        .await
        .map(|_| ())
        .map_err(|e| match e {
            StoreError::NotFound => {
                ServiceError::invalid("organization_id", "no such organization")
            }
            other => other.into(),
        })
}

/// What an admin may change on a user; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct UserEdit {
    pub name: Option<String>,
    pub email: Option<String>,
    pub role: Option<Role>,
    /// `Some(None)` takes a customer out of its organization.
    pub organization_id: Option<Option<OrganizationId>>,
}

impl Service {
    /// One user; customers may read themselves only (anyone else is "not found" to them).
    pub async fn user(&self, actor: &Actor, id: UserId) -> ServiceResult<User> {
        if !actor.ctx.can(Permission::ReadUsers) && actor.ctx.user_id() != Some(id) {
            return Err(ServiceError::NotFound);
        }
        Ok(users::get(self.store.read(), &actor.ctx, id).await?)
    }

    /// Changes a user (admins); a role change applies to live tokens at once.
    pub async fn update_user(
        &self,
        actor: &Actor,
        id: UserId,
        edit: UserEdit,
    ) -> ServiceResult<User> {
        require(actor, Permission::ManageUsers)?;
        let ctx = &actor.ctx;
        let name = match edit.name {
            Some(n) => Some(
                text::bounded(&n, 1, 100)
                    .map_err(|e| ServiceError::invalid("name", e.to_string()))?,
            ),
            None => None,
        };
        let email = match edit.email {
            Some(e) => Some(
                Email::parse(&e).map_err(|err| ServiceError::invalid("email", err.to_string()))?,
            ),
            None => None,
        };
        let tx = self.begin().await?;
        let current = users::get(&tx, ctx, id).await?;
        let role_now = current.role()?;
        let role_after = edit.role.unwrap_or(role_now);
        keep_an_admin(&tx, ctx, &current, role_after == Role::Admin).await?;
        if let Some(Some(org)) = edit.organization_id {
            if role_after != Role::Customer {
                return Err(ServiceError::invalid(
                    "organization_id",
                    "only customers belong to an organization",
                ));
            }
            check_org(&tx, ctx, org).await?;
        }
        // A user who stops being a customer leaves its organization.
        let organization_id = if role_after != Role::Customer {
            Some(None)
        } else {
            edit.organization_id
        };
        let patch = users::UserPatch {
            name,
            email,
            role: edit.role,
            organization_id,
        };
        let user = users::update(&tx, ctx, id, patch, self.now()).await?;
        // A demoted admin's keys stop: a key never carries more than its creator.
        if role_after.rank() < role_now.rank() {
            api_keys::revoke_created_by(&tx, ctx, id, self.now()).await?;
        }
        tx.commit().await?;
        self.evict(Eviction::User(id.as_uuid())).await;
        Ok(user)
    }

    /// Deactivates a user (admins): history stays, sign-in and every token stop at once.
    pub async fn deactivate_user(&self, actor: &Actor, id: UserId) -> ServiceResult<()> {
        require(actor, Permission::ManageUsers)?;
        let ctx = &actor.ctx;
        let tx = self.begin().await?;
        let current = users::get(&tx, ctx, id).await?;
        keep_an_admin(&tx, ctx, &current, false).await?;
        users::deactivate(&tx, ctx, id, self.now()).await?;
        sessions::revoke_all_for_user(&tx, id, self.now()).await?;
        api_keys::revoke_created_by(&tx, ctx, id, self.now()).await?;
        tx.commit().await?;
        self.evict(Eviction::User(id.as_uuid())).await;
        Ok(())
    }
}
