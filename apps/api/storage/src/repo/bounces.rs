//! Our mail that bounced: the outgoing message is marked, and an address that failed for
//! good gets no more mail from the workspace until it writes to us again.

use helpdesk_domain::TenantCtx;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::mail_fetch::mailbox_addresses;
use crate::entities::bouncing_address::{self as row, Entity as Bouncing};
use crate::entities::mailbox;
use crate::entities::outbox::{self, Entity as Outbox};
use crate::error::{StoreError, StoreResult};

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

/// Why the workspace's mail must not go to an address, whatever the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressHold {
    /// It reaches one of our mailboxes (any workspace's): mail to it would loop.
    OwnMailbox,
    /// It bounced the workspace's mail for good.
    Bouncing,
}

/// Whether `address` must get no mail from the workspace of `ctx`, in one round trip (a
/// dispatch asks this of every recipient).
pub async fn address_hold(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    address: &str,
) -> StoreResult<Option<AddressHold>> {
    let ours = Query::select()
        .expr(Expr::val(1))
        .from(mailbox::Entity)
        .and_where(mailbox::Column::Address.is_in(mailbox_addresses(address)))
        .to_owned();
    let bouncing = Query::select()
        .expr(Expr::val(1))
        .from(Bouncing)
        .and_where(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .and_where(row::Column::Address.eq(address.to_lowercase()))
        .to_owned();
    let q = Query::select()
        .expr_as(Expr::exists(ours), "ours")
        .expr_as(Expr::exists(bouncing), "bouncing")
        .to_owned();
    let row = db.query_one(&q).await?.ok_or(StoreError::NotFound)?;
    Ok(if row.try_get::<bool>("", "ours")? {
        Some(AddressHold::OwnMailbox)
    } else if row.try_get::<bool>("", "bouncing")? {
        Some(AddressHold::Bouncing)
    } else {
        None
    })
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
