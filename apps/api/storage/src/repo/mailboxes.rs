//! Mailboxes of a workspace. The service builds whole rows (secrets already encrypted);
//! an address taken by any workspace is a conflict on `address`.

use helpdesk_domain::TenantCtx;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use crate::entities::mailbox::{self, Entity as Mailboxes};
use crate::error::{StoreError, StoreResult};

pub use mailbox::Model as Mailbox;

pub async fn insert(db: &impl ConnectionTrait, row: Mailbox) -> StoreResult<Mailbox> {
    row.into_active_model()
        .reset_all()
        .insert(db)
        .await
        .map_err(|e| StoreError::from(e).conflict_as("address"))
}

pub async fn save(db: &impl ConnectionTrait, row: Mailbox) -> StoreResult<Mailbox> {
    row.into_active_model()
        .reset_all()
        .update(db)
        .await
        .map_err(|e| StoreError::from(e).conflict_as("address"))
}

pub async fn get(db: &impl ConnectionTrait, ctx: &TenantCtx, id: Uuid) -> StoreResult<Mailbox> {
    Mailboxes::find_by_id(id)
        .filter(mailbox::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The workspace's mailboxes in creation order (a workspace has a handful).
pub async fn list(db: &impl ConnectionTrait, ctx: &TenantCtx) -> StoreResult<Vec<Mailbox>> {
    Ok(Mailboxes::find()
        .filter(mailbox::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .order_by_asc(mailbox::Column::Id)
        .all(db)
        .await?)
}

pub async fn delete(db: &impl ConnectionTrait, ctx: &TenantCtx, id: Uuid) -> StoreResult<()> {
    let done = Mailboxes::delete_many()
        .filter(mailbox::Column::Id.eq(id))
        .filter(mailbox::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Whether `address` (or the address it plus-addresses) is a mailbox of any workspace:
/// mail to it would come straight back in.
pub async fn is_ours(db: &impl ConnectionTrait, address: &str) -> StoreResult<bool> {
    Ok(super::mail_fetch::by_address(db, address).await?.is_some())
}
