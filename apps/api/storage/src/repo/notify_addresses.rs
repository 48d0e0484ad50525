//! Outside addresses a workspace's `notify` rules may mail: added by an admin, usable
//! once the address's owner followed the confirmation link.

use helpdesk_domain::{Email, TenantCtx};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::entities::notify_address::{self, Entity as NotifyAddresses};
use crate::error::{StoreError, StoreResult};

pub use notify_address::Model as NotifyAddress;

/// Adds `email` awaiting confirmation, or gives an unconfirmed one a new link. A confirmed
/// address is a conflict.
pub async fn add_pending(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    email: &Email,
    token_hash: String,
    expires_at: i64,
    now: i64,
) -> StoreResult<NotifyAddress> {
    let existing = NotifyAddresses::find()
        .filter(notify_address::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(notify_address::Column::Email.eq(email.as_str()))
        .one(db)
        .await?;
    if let Some(row) = existing {
        if row.verified_at.is_some() {
            return Err(StoreError::Conflict("email"));
        }
        let mut active: notify_address::ActiveModel = row.into();
        active.token_hash = Set(token_hash);
        active.expires_at = Set(expires_at);
        active.updated_at = Set(now);
        return Ok(active.update(db).await?);
    }
    let row = notify_address::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        email: Set(email.as_str().to_owned()),
        token_hash: Set(token_hash),
        expires_at: Set(expires_at),
        verified_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    NotifyAddresses::insert(row.clone())
        .on_conflict(
            OnConflict::columns([
                notify_address::Column::WorkspaceId,
                notify_address::Column::Email,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    NotifyAddresses::find()
        .filter(notify_address::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(notify_address::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The workspace's addresses, confirmed or not, in the order they were added.
pub async fn list(db: &impl ConnectionTrait, ctx: &TenantCtx) -> StoreResult<Vec<NotifyAddress>> {
    Ok(NotifyAddresses::find()
        .filter(notify_address::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .order_by_asc(notify_address::Column::Id)
        .all(db)
        .await?)
}

pub async fn delete(db: &impl ConnectionTrait, ctx: &TenantCtx, id: Uuid) -> StoreResult<()> {
    let res = NotifyAddresses::delete_many()
        .filter(notify_address::Column::Id.eq(id))
        .filter(notify_address::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Confirms the address whose link carries `token_hash`, unless the link expired; the
/// confirmed row, or `None`.
pub async fn confirm(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: i64,
) -> StoreResult<Option<NotifyAddress>> {
    let res = NotifyAddresses::update_many()
        .col_expr(notify_address::Column::VerifiedAt, Expr::value(now))
        .col_expr(notify_address::Column::UpdatedAt, Expr::value(now))
        .filter(notify_address::Column::TokenHash.eq(token_hash))
        .filter(notify_address::Column::VerifiedAt.is_null())
        .filter(notify_address::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Ok(None);
    }
    Ok(NotifyAddresses::find()
        .filter(notify_address::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?)
}

/// Whether `email` is a confirmed address of the workspace.
pub async fn is_confirmed(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    email: &str,
) -> StoreResult<bool> {
    Ok(NotifyAddresses::find()
        .filter(notify_address::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(notify_address::Column::Email.eq(email))
        .filter(notify_address::Column::VerifiedAt.is_not_null())
        .one(db)
        .await?
        .is_some())
}
