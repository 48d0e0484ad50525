//! Links between tickets of a workspace. A row is `RELATED` or `PARENT` (its
//! `from_ticket_id` is the parent of its `to_ticket_id`); one row per pair of tickets.

use helpdesk_domain::TenantCtx;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::entities::ticket_link::{self as row, Entity as Links};
use crate::error::{StoreError, StoreResult};

pub use row::Model as Link;

pub const RELATED: &str = "RELATED";
pub const PARENT: &str = "PARENT";

/// Every link `ticket` has, either end, oldest first.
pub async fn of_ticket(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: Uuid,
) -> StoreResult<Vec<Link>> {
    Ok(Links::find()
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(
            Condition::any()
                .add(row::Column::FromTicketId.eq(ticket))
                .add(row::Column::ToTicketId.eq(ticket)),
        )
        .order_by_asc(row::Column::Id)
        .all(db)
        .await?)
}

/// The link between `a` and `b`, whichever way round.
pub async fn between(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    a: Uuid,
    b: Uuid,
) -> StoreResult<Option<Link>> {
    Ok(Links::find()
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(row::Column::FromTicketId.eq(a))
                        .add(row::Column::ToTicketId.eq(b)),
                )
                .add(
                    Condition::all()
                        .add(row::Column::FromTicketId.eq(b))
                        .add(row::Column::ToTicketId.eq(a)),
                ),
        )
        .one(db)
        .await?)
}

/// The parent of `ticket`, if it has one.
pub async fn parent_of(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: Uuid,
) -> StoreResult<Option<Uuid>> {
    Ok(Links::find()
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(row::Column::ToTicketId.eq(ticket))
        .filter(row::Column::Kind.eq(PARENT))
        .one(db)
        .await?
        .map(|l| l.from_ticket_id))
}

/// The children of `ticket`, oldest link first.
pub async fn children_of(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: Uuid,
) -> StoreResult<Vec<Uuid>> {
    Ok(Links::find()
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(row::Column::FromTicketId.eq(ticket))
        .filter(row::Column::Kind.eq(PARENT))
        .order_by_asc(row::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.to_ticket_id)
        .collect())
}

pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    from: Uuid,
    to: Uuid,
    kind: &str,
    now: i64,
) -> StoreResult<Link> {
    Ok(row::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        from_ticket_id: Set(from),
        to_ticket_id: Set(to),
        kind: Set(kind.to_owned()),
        created_by: Set(ctx.user_id().map(|u| u.as_uuid())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

/// Link `id` if it has `ticket` at either end.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: Uuid,
    id: Uuid,
) -> StoreResult<Link> {
    let l = Links::find_by_id(id)
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    if l.from_ticket_id != ticket && l.to_ticket_id != ticket {
        return Err(StoreError::NotFound);
    }
    Ok(l)
}

pub async fn delete(db: &impl ConnectionTrait, ctx: &TenantCtx, id: Uuid) -> StoreResult<()> {
    Links::delete_many()
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(row::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
