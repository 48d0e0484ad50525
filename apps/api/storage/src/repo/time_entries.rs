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

/// Entry `id` of `ticket`.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: TicketId,
    id: TimeEntryId,
) -> StoreResult<TimeEntry> {
    TimeEntries::find_by_id(id.as_uuid())
        .filter(time_entry::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(time_entry::Column::TicketId.eq(ticket.as_uuid()))
        .one(db)
        .await?
        .ok_or(crate::error::StoreError::NotFound)
}

/// Writes `e` over entry `current`.
pub async fn update(
    db: &impl ConnectionTrait,
    current: &TimeEntry,
    e: NewTimeEntry,
    now: i64,
) -> StoreResult<TimeEntry> {
    let mut m: time_entry::ActiveModel = current.clone().into();
    m.minutes = Set(e.minutes);
    m.billable = Set(e.billable);
    m.note = Set(e.note);
    m.started_at = Set(e.started_at);
    m.updated_at = Set(now);
    Ok(m.update(db).await?)
}

pub async fn delete(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: TimeEntryId,
) -> StoreResult<()> {
    TimeEntries::delete_many()
        .filter(time_entry::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(time_entry::Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}

/// A billable entry with its ticket's organization, for contract usage and billing.
#[derive(Debug, Clone, PartialEq, Eq, sea_orm::FromQueryResult)]
pub struct Billable {
    pub organization_id: uuid::Uuid,
    pub minutes: i64,
    pub started_at: i64,
}

/// The billable entries started in `[from, to)` on tickets of an organization (`only`:
/// of that one), oldest first.
pub async fn billable_in(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    only: Option<uuid::Uuid>,
    from: i64,
    to: i64,
) -> StoreResult<Vec<Billable>> {
    use crate::entities::ticket;
    use sea_orm::{JoinType, QuerySelect};
    let ws = ctx.workspace_id.as_uuid();
    let mut q = TimeEntries::find()
        .select_only()
        .column_as(ticket::Column::OrganizationId, "organization_id")
        .column(time_entry::Column::Minutes)
        .column(time_entry::Column::StartedAt)
        .join(
            JoinType::InnerJoin,
            time_entry::Entity::belongs_to(ticket::Entity)
                .from(time_entry::Column::TicketId)
                .to(ticket::Column::Id)
                .into(),
        )
        .filter(time_entry::Column::WorkspaceId.eq(ws))
        .filter(ticket::Column::WorkspaceId.eq(ws))
        .filter(time_entry::Column::Billable.eq(true))
        .filter(time_entry::Column::StartedAt.gte(from))
        .filter(time_entry::Column::StartedAt.lt(to))
        .filter(ticket::Column::OrganizationId.is_not_null());
    if let Some(o) = only {
        q = q.filter(ticket::Column::OrganizationId.eq(o));
    }
    Ok(q.order_by_asc(time_entry::Column::StartedAt)
        .into_model::<Billable>()
        .all(db)
        .await?)
}
