//! The SLA sweep's reads and writes: the tickets whose next SLA moment has come (an
//! indexed column, so the cost follows the tickets due, not all open tickets), and the
//! catch-up of one of them under its row lock.

use helpdesk_domain::{TenantCtx, TicketId, WorkspaceId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::{record, save, state_of};
use crate::entities::ticket;
use crate::error::{StoreError, StoreResult};
use crate::repo::events::Event;
use crate::repo::tickets::{self, TicketRef};

/// Up to `limit` tickets (workspace, ticket) due for a look at `now`, earliest first.
pub async fn due_tickets(
    db: &impl ConnectionTrait,
    now: i64,
    limit: u64,
) -> StoreResult<Vec<(WorkspaceId, TicketId)>> {
    let rows: Vec<(Uuid, Uuid)> = ticket::Entity::find()
        .select_only()
        .column(ticket::Column::WorkspaceId)
        .column(ticket::Column::Id)
        .filter(ticket::Column::SlaCheckAt.lte(now))
        .order_by_asc(ticket::Column::SlaCheckAt)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(w, t)| (WorkspaceId::from_uuid(w), TicketId::from_uuid(t)))
        .collect())
}

/// Records the warnings and breaches of one ticket that are due by `now`; a ticket that
/// another sweep already handled is left alone. Returns the ticket events written.
pub async fn sweep_ticket(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: TicketId,
    now: i64,
) -> StoreResult<Vec<Event>> {
    let mut t = match tickets::get_for_update(db, ctx, TicketRef::Id(id)).await {
        Ok(t) => t,
        Err(StoreError::NotFound) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    if t.sla_check_at.is_none_or(|at| at > now) {
        return Ok(Vec::new());
    }
    let Some(mut state) = state_of(&t)? else {
        return Ok(Vec::new());
    };
    let steps = state.catch_up(now);
    save(db, ctx, &mut t, Some(&state)).await?;
    record(db, ctx, TicketId::from_uuid(t.id), &steps, now).await
}
