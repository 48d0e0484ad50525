//! Ticket messages: public replies and internal notes.

use helpdesk_domain::{Actor, MessageId, TenantCtx, TicketId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entities::message::{self, Entity as Messages};
use crate::error::{StoreError, StoreResult};

pub use message::Model as Message;

pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: TicketId,
    body: String,
    internal: bool,
    now: i64,
) -> StoreResult<Message> {
    let (author_id, author_api_key_id) = match ctx.actor {
        Actor::User(u) => (Some(u.as_uuid()), None),
        Actor::ApiKey(k) => (None, Some(k.as_uuid())),
        Actor::System => (None, None),
    };
    Ok(message::ActiveModel {
        id: Set(MessageId::new().as_uuid()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        ticket_id: Set(ticket.as_uuid()),
        author_id: Set(author_id),
        author_api_key_id: Set(author_api_key_id),
        body: Set(body),
        internal: Set(internal),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
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
