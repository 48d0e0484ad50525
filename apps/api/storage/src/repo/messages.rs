//! Ticket messages: public replies and internal notes.

use helpdesk_domain::{Actor, MessageId, TenantCtx, TicketId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QueryTrait, Set, Statement,
};

use crate::entities::message::{self, Entity as Messages};
use crate::error::{StoreError, StoreResult};

pub use message::Model as Message;

/// Writes a reply or an internal note on `ticket`.
pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: TicketId,
    body: String,
    internal: bool,
    now: i64,
) -> StoreResult<Message> {
    let (message, insert) =
        create_statement(db.get_database_backend(), ctx, ticket, body, internal, now);
    db.execute_raw(insert).await?;
    Ok(message)
}

/// The message [`create`] writes and its insert, for a [`Batch`](crate::batch::Batch)
/// that sends it with the ticket's update.
pub fn create_statement(
    backend: DbBackend,
    ctx: &TenantCtx,
    ticket: TicketId,
    body: String,
    internal: bool,
    now: i64,
) -> (Message, Statement) {
    let (author_id, author_api_key_id) = match ctx.actor {
        Actor::User(u) => (Some(u.as_uuid()), None),
        Actor::ApiKey(k) => (None, Some(k.as_uuid())),
        Actor::System => (None, None),
    };
    let message = Message {
        id: MessageId::new().as_uuid(),
        workspace_id: ctx.workspace_id.as_uuid(),
        ticket_id: ticket.as_uuid(),
        author_id,
        author_api_key_id,
        body,
        internal,
        created_at: now,
        updated_at: now,
        merged_from_id: None,
    };
    let insert = Messages::insert(message.clone().into_active_model().reset_all()).build(backend);
    (message, insert)
}

/// One page of a ticket's conversation, oldest first, after `page.after`: the page and
/// one row more (so the caller knows whether another page follows).
pub async fn page_for_ticket(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: TicketId,
    include_internal: bool,
    page: crate::repo::Page,
) -> StoreResult<Vec<Message>> {
    use sea_orm::QuerySelect;
    let mut q = Messages::find()
        .filter(message::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(message::Column::TicketId.eq(ticket.as_uuid()));
    if !include_internal {
        q = q.filter(message::Column::Internal.eq(false));
    }
    if let Some(after) = page.after {
        q = q.filter(message::Column::Id.gt(after));
    }
    Ok(q.order_by_asc(message::Column::Id)
        .limit(page.limit + 1)
        .all(db)
        .await?)
}

/// The ids of a ticket's internal notes (what customers may not see attached to).
pub async fn internal_ids(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: TicketId,
) -> StoreResult<Vec<uuid::Uuid>> {
    use sea_orm::QuerySelect;
    Ok(Messages::find()
        .select_only()
        .column(message::Column::Id)
        .filter(message::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(message::Column::TicketId.eq(ticket.as_uuid()))
        .filter(message::Column::Internal.eq(true))
        .into_tuple()
        .all(db)
        .await?)
}

pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: TicketId,
    id: MessageId,
) -> StoreResult<Message> {
    Messages::find_by_id(id.as_uuid())
        .filter(message::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(message::Column::TicketId.eq(ticket.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Every message of a ticket, oldest first (a merge copies them all).
pub async fn all_for_ticket(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: TicketId,
) -> StoreResult<Vec<Message>> {
    Ok(Messages::find()
        .filter(message::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(message::Column::TicketId.eq(ticket.as_uuid()))
        .order_by_asc(message::Column::Id)
        .all(db)
        .await?)
}

/// Writes `m` (author, text, visibility and time kept) on `target` as copied from ticket
/// `from`. The new id is a UUID v7 of the original time, so the copy sorts among the
/// target's own messages where it happened.
pub async fn copy_into(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    target: TicketId,
    m: &Message,
    from: TicketId,
    now: i64,
) -> StoreResult<Message> {
    Ok(message::ActiveModel {
        id: Set(id_at(m.created_at)),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        ticket_id: Set(target.as_uuid()),
        author_id: Set(m.author_id),
        author_api_key_id: Set(m.author_api_key_id),
        body: Set(m.body.clone()),
        internal: Set(m.internal),
        created_at: Set(m.created_at),
        updated_at: Set(now),
        merged_from_id: Set(Some(from.as_uuid())),
    }
    .insert(db)
    .await?)
}

/// A time-ordered id for instant `at` (microseconds since the epoch): a UUID v7 whose
/// 12 bits after the milliseconds hold the sub-millisecond part (RFC 9562, method 3), so
/// copies of messages written within one millisecond keep their order.
pub fn id_at(at: i64) -> uuid::Uuid {
    let micros = u64::try_from(at).unwrap_or(0);
    let millis = micros / 1_000;
    let sub = u16::try_from((micros % 1_000) * 4096 / 1_000).unwrap_or(0);
    // A fresh v7's last 8 bytes are random (with the variant bits set already).
    let mut b = *uuid::Uuid::now_v7().as_bytes();
    b[..6].copy_from_slice(&millis.to_be_bytes()[2..]);
    b[6..8].copy_from_slice(&(0x7000 | sub).to_be_bytes());
    uuid::Uuid::from_bytes(b)
}

/// Removes message `id` of `ticket` (a split moved it into a ticket of its own); its
/// events keep their record, without the link to it.
pub async fn delete(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: TicketId,
    id: MessageId,
) -> StoreResult<()> {
    use crate::entities::event;
    event::Entity::update_many()
        .col_expr(
            event::Column::MessageId,
            sea_orm::sea_query::Expr::value(Option::<uuid::Uuid>::None),
        )
        .filter(event::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(event::Column::MessageId.eq(id.as_uuid()))
        .exec(db)
        .await?;
    let done = Messages::delete_many()
        .filter(message::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(message::Column::TicketId.eq(ticket.as_uuid()))
        .filter(message::Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
