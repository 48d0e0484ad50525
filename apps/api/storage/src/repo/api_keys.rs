//! Integration API keys: created by admins, shown once, stored as a hash, revocable.

use helpdesk_domain::{ApiKeyId, Role, TenantCtx};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entities::api_key::{self, Entity as ApiKeys};
use crate::error::{StoreError, StoreResult};

pub use api_key::Model as ApiKey;

#[derive(Debug, Clone)]
pub struct NewApiKey {
    pub name: String,
    pub role: Role,
    /// The first characters of the key, kept in clear so admins can tell keys apart.
    pub prefix: String,
    pub key_hash: String,
    /// The admin the key acts for: it never carries more than their current role.
    pub created_by: Option<uuid::Uuid>,
}

pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    new: NewApiKey,
    now: i64,
) -> StoreResult<ApiKey> {
    Ok(api_key::ActiveModel {
        id: Set(ApiKeyId::new().as_uuid()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        name: Set(new.name),
        role: Set(new.role.as_str().to_owned()),
        prefix: Set(new.prefix),
        key_hash: Set(new.key_hash),
        created_by: Set(new.created_by),
        last_used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

/// The workspace's keys, revoked ones included, oldest first.
pub async fn list(db: &impl ConnectionTrait, ctx: &TenantCtx) -> StoreResult<Vec<ApiKey>> {
    Ok(ApiKeys::find()
        .filter(api_key::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .order_by_asc(api_key::Column::Id)
        .all(db)
        .await?)
}

pub async fn revoke(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: ApiKeyId,
    now: i64,
) -> StoreResult<()> {
    let res = ApiKeys::update_many()
        .col_expr(api_key::Column::RevokedAt, Expr::value(now))
        .col_expr(api_key::Column::UpdatedAt, Expr::value(now))
        .filter(api_key::Column::Id.eq(id.as_uuid()))
        .filter(api_key::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(api_key::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// An unrevoked key by hash, for authenticating a request.
pub async fn active_by_hash(
    db: &impl ConnectionTrait,
    key_hash: &str,
) -> StoreResult<Option<ApiKey>> {
    Ok(ApiKeys::find()
        .filter(api_key::Column::KeyHash.eq(key_hash))
        .filter(api_key::Column::RevokedAt.is_null())
        .one(db)
        .await?)
}

/// An unrevoked key by hash with its creator's row, in one query (every API-key request
/// needs both: the key acts for its creator).
pub async fn active_by_hash_with_creator(
    db: &impl ConnectionTrait,
    key_hash: &str,
) -> StoreResult<Option<(ApiKey, Option<crate::repo::users::User>)>> {
    use crate::entities::user;
    use sea_orm::{JoinType, QuerySelect};
    let creator: sea_orm::RelationDef = ApiKeys::belongs_to(user::Entity)
        .from(api_key::Column::CreatedBy)
        .to(user::Column::Id)
        .into();
    Ok(ApiKeys::find()
        .join(JoinType::LeftJoin, creator)
        .select_also(user::Entity)
        .filter(api_key::Column::KeyHash.eq(key_hash))
        .filter(api_key::Column::RevokedAt.is_null())
        .one(db)
        .await?)
}

/// Records use at most once a minute, so authenticating stays a read on the hot path.
pub async fn touch(db: &impl ConnectionTrait, key: &ApiKey, now: i64) -> StoreResult<()> {
    if key.last_used_at.is_some_and(|t| now - t < 60_000_000) {
        return Ok(());
    }
    ApiKeys::update_many()
        .col_expr(api_key::Column::LastUsedAt, Expr::value(now))
        .filter(api_key::Column::Id.eq(key.id))
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every active key `user` made (they were deactivated or demoted); returns how
/// many.
pub async fn revoke_created_by(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    user: helpdesk_domain::UserId,
    now: i64,
) -> StoreResult<u64> {
    let res = ApiKeys::update_many()
        .col_expr(api_key::Column::RevokedAt, Expr::value(now))
        .col_expr(api_key::Column::UpdatedAt, Expr::value(now))
        .filter(api_key::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(api_key::Column::CreatedBy.eq(user.as_uuid()))
        .filter(api_key::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// One key of the workspace, revoked or not.
pub async fn get(db: &impl ConnectionTrait, ctx: &TenantCtx, id: ApiKeyId) -> StoreResult<ApiKey> {
    ApiKeys::find_by_id(id.as_uuid())
        .filter(api_key::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}
