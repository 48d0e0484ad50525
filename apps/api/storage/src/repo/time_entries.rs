//! Time entries: work logged on a ticket, the basis of what an MSP invoices.

use helpdesk_domain::{TenantCtx, TicketId, TimeEntryId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entities::time_entry::{self, Entity as TimeEntries};
use crate::error::StoreResult;

pub use time_entry::Model as TimeEntry;

#[derive(Debug, Clone)]
pub struct NewTimeEntry {
    pub minutes: i64,
    pub billable: bool,
    pub note: Option<String>,
    pub started_at: i64,
}

pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: TicketId,
    e: NewTimeEntry,
    now: i64,
) -> StoreResult<TimeEntry> {
    Ok(time_entry::ActiveModel {
        id: Set(TimeEntryId::new().as_uuid()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        ticket_id: Set(ticket.as_uuid()),
        author_id: Set(ctx.user_id().map(|u| u.as_uuid())),
        minutes: Set(e.minutes),
        billable: Set(e.billable),
        note: Set(e.note),
        started_at: Set(e.started_at),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

pub async fn for_ticket(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: TicketId,
) -> StoreResult<Vec<TimeEntry>> {
    Ok(TimeEntries::find()
        .filter(time_entry::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(time_entry::Column::TicketId.eq(ticket.as_uuid()))
        .order_by_asc(time_entry::Column::StartedAt)
        .order_by_asc(time_entry::Column::Id)
        .all(db)
        .await?)
}
