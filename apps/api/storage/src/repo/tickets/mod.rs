//! Tickets: numbering, creation, visibility-aware reads and versioned updates.
//! Customers only ever find their own tickets (and those they are copied on) here;
//! everyone only their workspace's.

mod draft;
mod list;
mod merge;
mod numbering;
mod search;
mod search_walk;
mod write;

pub use draft::draft;
pub use list::{
    AssigneeFilter, Cursor, SearchPlan, SlaFilter, Sort, TicketFilter, changed_since, count, list,
    list_query,
};
pub use merge::list_statement;
pub use search::{rebuild_message_search, rebuild_ticket_search};
pub use search_walk::newest_matches;
pub use write::{
    NewTicket, TicketChanges, create, create_alone, create_with, update, update_after,
};

use helpdesk_domain::{Role, TenantCtx, TicketId};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Select};

use crate::entities::ticket_participant as tp;

use crate::entities::ticket::{self, Entity as Tickets};
use crate::error::{StoreError, StoreResult};

pub use ticket::Model as Ticket;

/// How a client names a ticket: its id or its per-workspace number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketRef {
    Id(TicketId),
    Number(i64),
}

impl std::str::FromStr for TicketRef {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        if let Ok(id) = s.parse::<TicketId>() {
            return Ok(TicketRef::Id(id));
        }
        match s.parse::<i64>() {
            Ok(n) if n > 0 => Ok(TicketRef::Number(n)),
            _ => Err(()),
        }
    }
}

/// The tickets `ctx` may see: its workspace's, and for a customer only its own and those
/// it is copied on.
pub(crate) fn visible(ctx: &TenantCtx) -> Select<Tickets> {
    let ws = ctx.workspace_id.as_uuid();
    let q = Tickets::find().filter(ticket::Column::WorkspaceId.eq(ws));
    match (ctx.role, ctx.user_id()) {
        (Role::Customer, Some(me)) => {
            let copied = Query::select()
                .column(tp::Column::TicketId)
                .from(tp::Entity)
                .and_where(tp::Column::WorkspaceId.eq(ws))
                .and_where(tp::Column::UserId.eq(me.as_uuid()))
                .to_owned();
            q.filter(
                Condition::any()
                    .add(ticket::Column::RequesterId.eq(me.as_uuid()))
                    .add(ticket::Column::Id.in_subquery(copied)),
            )
        }
        // A customer without a user (impossible today) sees nothing.
        (Role::Customer, None) => q.filter(ticket::Column::Id.is_null()),
        _ => q,
    }
}

pub async fn get(db: &impl ConnectionTrait, ctx: &TenantCtx, r: TicketRef) -> StoreResult<Ticket> {
    let q = match r {
        TicketRef::Id(id) => visible(ctx).filter(ticket::Column::Id.eq(id.as_uuid())),
        TicketRef::Number(n) => visible(ctx).filter(ticket::Column::Number.eq(n)),
    };
    q.one(db).await?.ok_or(StoreError::NotFound)
}

/// [`get`] inside a write transaction, locking the row (`FOR UPDATE` on PostgreSQL; SQLite
/// transactions already hold the single write lock), so concurrent replies to one ticket
/// queue instead of failing on the version check.
pub async fn get_for_update(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    r: TicketRef,
) -> StoreResult<Ticket> {
    use sea_orm::QuerySelect;
    let q = match r {
        TicketRef::Id(id) => visible(ctx).filter(ticket::Column::Id.eq(id.as_uuid())),
        TicketRef::Number(n) => visible(ctx).filter(ticket::Column::Number.eq(n)),
    };
    q.lock_exclusive()
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The ticket's tags, from the JSON column.
pub fn tags_of(t: &Ticket) -> Vec<String> {
    serde_json::from_value(t.tags.clone()).unwrap_or_default()
}

/// Typed readings of a ticket row: the status and priority columns parsed once, here.
pub trait TicketRow {
    fn status(&self) -> StoreResult<helpdesk_domain::TicketStatus>;
    fn priority(&self) -> StoreResult<helpdesk_domain::Priority>;
    /// `CLOSED` is final: nothing changes a closed ticket.
    fn is_closed(&self) -> bool {
        matches!(self.status(), Ok(helpdesk_domain::TicketStatus::Closed))
    }
}

impl TicketRow for Ticket {
    fn status(&self) -> StoreResult<helpdesk_domain::TicketStatus> {
        self.status
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("bad status in ticket {}", self.id)))
    }

    fn priority(&self) -> StoreResult<helpdesk_domain::Priority> {
        helpdesk_domain::Priority::from_rank(self.priority)
            .ok_or_else(|| StoreError::Corrupt(format!("bad priority in ticket {}", self.id)))
    }
}

/// Tickets `ids` of `ctx`'s workspace, whoever asks: for the rules that look across
/// tickets (a parent's children), never shown to a customer as they are.
pub async fn in_workspace(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ids: &[uuid::Uuid],
) -> StoreResult<Vec<Ticket>> {
    use sea_orm::QueryOrder;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Tickets::find()
        .filter(ticket::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(ticket::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(ticket::Column::Number)
        .all(db)
        .await?)
}
