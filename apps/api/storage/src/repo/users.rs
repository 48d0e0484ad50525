//! Workspace members. Tenant-scoped calls take the [`TenantCtx`]; the few pre-authentication
//! lookups (login, token resolution) take the workspace id that a verified record names.

use helpdesk_domain::{Email, OrganizationId, Role, TenantCtx, UserId, WorkspaceId};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entities::user::{self, Entity as Users};
use crate::entities::workspace::{self, Entity as Workspaces};
use crate::error::{StoreError, StoreResult};
use crate::repo::Page;

pub use user::Model as User;

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub organization_id: Option<OrganizationId>,
    pub password_hash: Option<String>,
}

/// Inserts a user into `workspace_id`. Used by registration (before any context exists)
/// and by [`create`].
pub async fn insert(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    new: NewUser,
    now: i64,
) -> StoreResult<User> {
    user::ActiveModel {
        id: Set(UserId::new().as_uuid()),
        workspace_id: Set(workspace_id.as_uuid()),
        email: Set(new.email.as_str().to_owned()),
        name: Set(new.name),
        role: Set(new.role.as_str().to_owned()),
        organization_id: Set(new.organization_id.map(|o| o.as_uuid())),
        password_hash: Set(new.password_hash),
        active: Set(true),
        deactivated_at: Set(None),
        preferences: Set(serde_json::json!({})),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(|e| StoreError::from(e).conflict_as("email"))
}

pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    new: NewUser,
    now: i64,
) -> StoreResult<User> {
    insert(db, ctx.workspace_id, new, now).await
}

pub async fn get(db: &impl ConnectionTrait, ctx: &TenantCtx, id: UserId) -> StoreResult<User> {
    in_workspace(db, ctx.workspace_id, id).await
}

/// The user `id` of `workspace_id`, for resolving a verified token.
/// The users of `ctx`'s workspace among `ids` (any order; unknown ids are left out).
pub async fn many(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ids: &[UserId],
) -> StoreResult<Vec<User>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Users::find()
        .filter(user::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(user::Column::Id.is_in(ids.iter().map(|u| u.as_uuid())))
        .all(db)
        .await?)
}

pub async fn in_workspace(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    id: UserId,
) -> StoreResult<User> {
    Users::find_by_id(id.as_uuid())
        .filter(user::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Every active account with this email, across workspaces, with its workspace: login
/// decides which one is meant.
pub async fn by_email_everywhere(
    db: &impl ConnectionTrait,
    email: &Email,
) -> StoreResult<Vec<(User, workspace::Model)>> {
    // One query for both: every sign-in makes it.
    let workspace: sea_orm::RelationDef = Users::belongs_to(Workspaces)
        .from(user::Column::WorkspaceId)
        .to(workspace::Column::Id)
        .into();
    let rows = Users::find()
        .join(sea_orm::JoinType::InnerJoin, workspace)
        .select_also(Workspaces)
        .filter(user::Column::Email.eq(email.as_str()))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(u, ws)| ws.map(|ws| (u, ws)))
        .collect())
}

/// The workspace's user with `email`, active or not.
pub async fn by_email(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    email: &Email,
) -> StoreResult<Option<User>> {
    Ok(Users::find()
        .filter(user::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?)
}

/// Whether `email` is an active user's address in the workspace.
pub async fn is_member_email(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    email: &str,
) -> StoreResult<bool> {
    Ok(Users::find()
        .filter(user::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(user::Column::Email.eq(email))
        .filter(user::Column::Active.eq(true))
        .one(db)
        .await?
        .is_some())
}

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub organization_id: Option<OrganizationId>,
    /// Case-insensitive substring of name or email.
    pub q: Option<String>,
}

/// Lists users by id (creation order), one page at a time.
pub async fn list(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    filter: &UserFilter,
    page: Page,
) -> StoreResult<Vec<User>> {
    let mut query = Users::find().filter(user::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()));
    if let Some(role) = filter.role {
        query = query.filter(user::Column::Role.eq(role.as_str()));
    }
    if let Some(org) = filter.organization_id {
        query = query.filter(user::Column::OrganizationId.eq(org.as_uuid()));
    }
    if let Some(q) = filter.q.as_deref() {
        query = query.filter(
            Condition::any()
                .add(super::contains(
                    Func::lower(Expr::col(user::Column::Name)).into(),
                    q,
                ))
                .add(super::contains(Expr::col(user::Column::Email), q)),
        );
    }
    if let Some(after) = page.after {
        query = query.filter(user::Column::Id.gt(after));
    }
    Ok(query
        .order_by_asc(user::Column::Id)
        .limit(page.limit + 1)
        .all(db)
        .await?)
}

#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub name: Option<String>,
    pub email: Option<Email>,
    pub role: Option<Role>,
    pub organization_id: Option<Option<OrganizationId>>,
}

pub async fn update(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: UserId,
    patch: UserPatch,
    now: i64,
) -> StoreResult<User> {
    let mut model = get(db, ctx, id).await?.into_active_model();
    if let Some(name) = patch.name {
        model.name = Set(name);
    }
    if let Some(email) = patch.email {
        model.email = Set(email.as_str().to_owned());
    }
    if let Some(role) = patch.role {
        model.role = Set(role.as_str().to_owned());
    }
    if let Some(org) = patch.organization_id {
        model.organization_id = Set(org.map(|o| o.as_uuid()));
    }
    model.updated_at = Set(now);
    model
        .update(db)
        .await
        .map_err(|e| StoreError::from(e).conflict_as("email"))
}

/// Marks the user inactive; history stays. Returns the updated row.
pub async fn deactivate(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: UserId,
    now: i64,
) -> StoreResult<User> {
    let mut model = get(db, ctx, id).await?.into_active_model();
    model.active = Set(false);
    model.deactivated_at = Set(Some(now));
    model.updated_at = Set(now);
    Ok(model.update(db).await?)
}

/// Marks the user active again.
pub async fn reactivate(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: UserId,
    now: i64,
) -> StoreResult<User> {
    let mut model = get(db, ctx, id).await?.into_active_model();
    model.active = Set(true);
    model.deactivated_at = Set(None);
    model.updated_at = Set(now);
    Ok(model.update(db).await?)
}

/// Sets a new password hash for a user found through a verified one-time token or login.
pub async fn set_password_hash(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    id: UserId,
    hash: String,
    name: Option<String>,
    now: i64,
) -> StoreResult<User> {
    let mut model = in_workspace(db, workspace_id, id)
        .await?
        .into_active_model();
    model.password_hash = Set(Some(hash));
    if let Some(name) = name {
        model.name = Set(name);
    }
    model.updated_at = Set(now);
    Ok(model.update(db).await?)
}

/// Replaces the user's preferences.
pub async fn set_preferences(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: UserId,
    preferences: serde_json::Value,
    now: i64,
) -> StoreResult<User> {
    let mut model = get(db, ctx, id).await?.into_active_model();
    model.preferences = Set(preferences);
    model.updated_at = Set(now);
    Ok(model.update(db).await?)
}

/// Counts active admins, so the last one cannot be demoted or deactivated.
pub async fn active_admins(db: &impl ConnectionTrait, ctx: &TenantCtx) -> StoreResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(Users::find()
        .filter(user::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(user::Column::Role.eq(Role::Admin.as_str()))
        .filter(user::Column::Active.eq(true))
        .count(db)
        .await?)
}

/// Typed readings of a user row: the role column parsed once, here.
pub trait UserRow {
    fn role(&self) -> StoreResult<Role>;
    /// An active ADMIN or AGENT: who may be assigned, named in a rule, or act as staff.
    fn is_active_staff(&self) -> bool {
        self.active() && self.role().is_ok_and(Role::is_staff)
    }
    fn active(&self) -> bool;
}

impl UserRow for User {
    fn role(&self) -> StoreResult<Role> {
        self.role
            .parse()
            .map_err(|_| crate::error::StoreError::Corrupt(format!("bad role in user {}", self.id)))
    }

    fn active(&self) -> bool {
        self.active
    }
}
