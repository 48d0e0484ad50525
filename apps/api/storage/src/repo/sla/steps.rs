//! The append-only SLA steps of tickets.

use helpdesk_domain::sla::Step;
use helpdesk_domain::{TenantCtx, TicketId};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QueryTrait, Set,
    Statement,
};
use uuid::Uuid;

use crate::entities::sla_event::{self, Entity as SlaEvents};
use crate::error::StoreResult;

pub use sla_event::Model as SlaEvent;

pub async fn append(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: TicketId,
    steps: &[Step],
    now: i64,
) -> StoreResult<()> {
    if let Some(insert) = append_statement(db.get_database_backend(), ctx, ticket, steps, now) {
        db.execute_raw(insert).await?;
    }
    Ok(())
}

/// [`append`] as a statement; `None` when there are no steps.
pub fn append_statement(
    backend: DbBackend,
    ctx: &TenantCtx,
    ticket: TicketId,
    steps: &[Step],
    now: i64,
) -> Option<Statement> {
    if steps.is_empty() {
        return None;
    }
    let rows = steps.iter().map(|s| sla_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        ticket_id: Set(ticket.as_uuid()),
        metric: Set(s.metric.as_str().to_owned()),
        kind: Set(s.kind.as_str().to_owned()),
        cycle: Set(i64::from(s.cycle)),
        at: Set(s.at),
        data: Set(serde_json::to_value(&s.data).unwrap_or_default()),
        met: Set(s.met),
        created_at: Set(now),
        updated_at: Set(now),
    });
    Some(SlaEvents::insert_many(rows).build(backend))
}

/// A ticket's steps in the order they were written.
pub async fn for_ticket(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: TicketId,
) -> StoreResult<Vec<SlaEvent>> {
    Ok(SlaEvents::find()
        .filter(sla_event::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(sla_event::Column::TicketId.eq(ticket.as_uuid()))
        .order_by_asc(sla_event::Column::Id)
        .all(db)
        .await?)
}
