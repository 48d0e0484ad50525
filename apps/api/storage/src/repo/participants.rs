//! The people copied on a ticket (users of its workspace), in the order they were added.

use helpdesk_domain::TenantCtx;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TryInsertResult,
};
use uuid::Uuid;

use crate::entities::ticket_participant::{self as row, Entity as Participants};
use crate::error::{StoreError, StoreResult};

/// Adds `user` to `ticket`; false when already there.
pub async fn add(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: Uuid,
    user: Uuid,
    now: i64,
) -> StoreResult<bool> {
    let new = row::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        ticket_id: Set(ticket),
        user_id: Set(user),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let done = Participants::insert(new)
        .on_conflict_do_nothing_on([row::Column::TicketId, row::Column::UserId])
        .exec_without_returning(db)
        .await?;
    Ok(matches!(done, TryInsertResult::Inserted(n) if n == 1))
}

pub async fn remove(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: Uuid,
    user: Uuid,
) -> StoreResult<()> {
    let done = Participants::delete_many()
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(row::Column::TicketId.eq(ticket))
        .filter(row::Column::UserId.eq(user))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The user ids of `ticket`'s participants.
pub async fn of_ticket(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: Uuid,
) -> StoreResult<Vec<Uuid>> {
    Ok(Participants::find()
        .select_only()
        .column(row::Column::UserId)
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(row::Column::TicketId.eq(ticket))
        .order_by_asc(row::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}
