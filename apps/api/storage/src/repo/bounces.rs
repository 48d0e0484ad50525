//! Our mail that bounced: the outgoing message is marked, and an address that failed for
//! good gets no more mail from the workspace until it writes to us again.

use helpdesk_domain::TenantCtx;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::entities::bouncing_address::{self as row, Entity as Bouncing};
use crate::entities::outbox::{self, Entity as Outbox};
use crate::error::StoreResult;

/// Marks outgoing message `id` of the workspace as bounced; its recipient, or `None` when
/// it is not the workspace's.
pub async fn mark(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: Uuid,
    now: i64,
) -> StoreResult<Option<String>> {
    let ws = ctx.workspace_id.as_uuid();
    let Some(msg) = Outbox::find_by_id(id)
        .filter(outbox::Column::WorkspaceId.eq(ws))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Outbox::update_many()
        .col_expr(outbox::Column::BouncedAt, Expr::value(now))
        .filter(outbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(Some(msg.recipient))
}

/// Records that `address` bounced message `outbox_id` for good (once per address).
pub async fn record(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    address: &str,
    outbox_id: Uuid,
    now: i64,
) -> StoreResult<()> {
    let new = row::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        address: Set(address.to_lowercase()),
        outbox_id: Set(outbox_id),
        created_at: Set(now),
        updated_at: Set(now),
    };
    Bouncing::insert(new)
        .on_conflict_do_nothing_on([row::Column::WorkspaceId, row::Column::Address])
        .exec(db)
        .await?;
    Ok(())
}

pub async fn is_bouncing(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    address: &str,
) -> StoreResult<bool> {
    Ok(Bouncing::find()
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(row::Column::Address.eq(address.to_lowercase()))
        .count(db)
        .await?
        > 0)
}

/// `address` wrote to us: it works again.
pub async fn clear(db: &impl ConnectionTrait, ctx: &TenantCtx, address: &str) -> StoreResult<()> {
    Bouncing::delete_many()
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(row::Column::Address.eq(address.to_lowercase()))
        .exec(db)
        .await?;
    Ok(())
}
