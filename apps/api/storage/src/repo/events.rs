//! The ticket timeline: one row per change, written in the change's transaction.

use helpdesk_domain::{Actor, EventId, MessageId, TenantCtx, TicketId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use uuid::Uuid;

use crate::batch::Batch;
use crate::entities::event::{self, Entity as Events};
use crate::error::{StoreError, StoreResult};
use crate::repo::jobs::{self, NewJob};

pub use event::Model as Event;

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub ticket_id: TicketId,
    /// `ticket.created`, `ticket.updated`, `message.created`, `note.created`,
    /// `time_entry.created`, `attachment.created`.
    pub kind: &'static str,
    /// `{"field": [old, new]}` for updates; a summary for other kinds.
    pub changes: serde_json::Value,
    pub message_id: Option<MessageId>,
    /// Internal events (notes, time entries) are never shown to customers.
    pub internal: bool,
}

/// The job that turns an event into notifications and webhook deliveries.
pub const DISPATCH_JOB: &str = "event.dispatch";

/// Writes the event and, in the same transaction, the job that dispatches it.
pub async fn record(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    e: NewEvent,
    now: i64,
) -> StoreResult<Event> {
    let mut recorded = record_all(db, ctx, vec![e], now).await?;
    recorded.pop().ok_or(crate::StoreError::NotFound)
}

/// Writes the events, in order, each with the job that dispatches it: all in one round
/// trip ([`Batch`]), as a change's events are written inside its transaction.
pub async fn record_all(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    new: Vec<NewEvent>,
    now: i64,
) -> StoreResult<Vec<Event>> {
    let (recorded, batch) = prepare(db.get_database_backend(), ctx, new, now);
    batch.execute(db).await?;
    Ok(recorded)
}

/// The events [`record_all`] writes and the batch that writes them, for a caller that sends
/// them with its own write (a new ticket).
pub fn prepare(
    backend: DbBackend,
    ctx: &TenantCtx,
    new: Vec<NewEvent>,
    now: i64,
) -> (Vec<Event>, Batch) {
    let (actor_id, actor_api_key_id) = match ctx.actor {
        Actor::User(u) => (Some(u.as_uuid()), None),
        Actor::ApiKey(k) => (None, Some(k.as_uuid())),
        Actor::System => (None, None),
    };
    let mut batch = Batch::new(backend);
    let mut recorded = Vec::with_capacity(new.len());
    for e in new {
        let event = Event {
            id: EventId::new().as_uuid(),
            workspace_id: ctx.workspace_id.as_uuid(),
            ticket_id: e.ticket_id.as_uuid(),
            actor_id,
            actor_api_key_id,
            kind: e.kind.to_owned(),
            changes: e.changes,
            message_id: e.message_id.map(|m| m.as_uuid()),
            internal: e.internal,
            created_at: now,
            updated_at: now,
        };
        let job = NewJob::new(DISPATCH_JOB, serde_json::json!({ "event_id": event.id }))
            .dedup(event.id.to_string());
        batch
            .push(Events::insert(event.clone().into_active_model().reset_all()).build(backend))
            .push(jobs::enqueue_statement(
                backend,
                ctx.workspace_id.as_uuid(),
                job,
                now,
            ));
        recorded.push(event);
    }
    (recorded, batch)
}

/// One event, for the worker (system scope: the job names it).
pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> StoreResult<Option<Event>> {
    Ok(Events::find_by_id(id).one(db).await?)
}

/// The events among `ids` that exist, in any order, for the worker (system scope).
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[Uuid]) -> StoreResult<Vec<Event>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Events::find()
        .filter(event::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// Claims the dispatch of `events` in the dispatching transaction, in one statement;
/// returns those claimed now, leaving out any already dispatched (a job that ran before
/// and committed).
pub async fn claim_dispatches(
    db: &impl ConnectionTrait,
    events: &[Uuid],
    now: i64,
) -> StoreResult<std::collections::HashSet<Uuid>> {
    use sea_orm::sea_query::{Alias, OnConflict, Query};
    if events.is_empty() {
        return Ok(Default::default());
    }
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("event_dispatches"))
        .columns([Alias::new("event_id"), Alias::new("created_at")])
        .on_conflict(OnConflict::new().do_nothing().to_owned())
        .returning_col(Alias::new("event_id"));
    for id in events {
        insert
            .values([(*id).into(), now.into()])
            .map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
    }
    let rows = db.query_all(&insert).await?;
    rows.iter()
        .map(|r| Ok(r.try_get::<Uuid>("", "event_id")?))
        .collect()
}

/// A ticket's timeline, oldest first (the caller has checked the ticket is visible).
pub async fn for_ticket(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: TicketId,
    include_internal: bool,
) -> StoreResult<Vec<Event>> {
    let mut q = Events::find()
        .filter(event::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(event::Column::TicketId.eq(ticket.as_uuid()));
    if !include_internal {
        q = q.filter(event::Column::Internal.eq(false));
    }
    Ok(q.order_by_asc(event::Column::Id).all(db).await?)
}

/// Events after `after` with their ticket's number and requester, oldest first, at most
/// `limit`: a reconnecting live stream's catch-up in two bounded queries. `customer`
/// keeps only public events of that requester's tickets, in SQL.
pub async fn replay(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    after: Uuid,
    customer: Option<Uuid>,
    limit: u64,
) -> StoreResult<Vec<(Event, i64, Uuid)>> {
    use crate::entities::ticket::{self, Entity as Tickets};
    use sea_orm::sea_query::Query;
    let mut q = Events::find()
        .filter(event::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(event::Column::Id.gt(after));
    if let Some(requester) = customer {
        let own = Query::select()
            .column(ticket::Column::Id)
            .from(Tickets)
            .and_where(ticket::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
            .and_where(ticket::Column::RequesterId.eq(requester))
            .to_owned();
        q = q
            .filter(event::Column::Internal.eq(false))
            .filter(event::Column::TicketId.in_subquery(own));
    }
    let rows = q
        .order_by_asc(event::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let mut ids: Vec<Uuid> = rows.iter().map(|e| e.ticket_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let tickets: std::collections::HashMap<Uuid, (i64, Uuid)> = Tickets::find()
        .select_only()
        .column(ticket::Column::Id)
        .column(ticket::Column::Number)
        .column(ticket::Column::RequesterId)
        .filter(ticket::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(ticket::Column::Id.is_in(ids))
        .into_tuple::<(Uuid, i64, Uuid)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, number, requester)| (id, (number, requester)))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|e| {
            let (number, requester) = *tickets.get(&e.ticket_id)?;
            Some((e, number, requester))
        })
        .collect())
}

/// The workspace's events after `after`, oldest first: how a reconnecting live stream
/// catches up (`Last-Event-ID`).
pub async fn since(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    after: Uuid,
    limit: u64,
) -> StoreResult<Vec<Event>> {
    Ok(Events::find()
        .filter(event::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(event::Column::Id.gt(after))
        .order_by_asc(event::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}
