//! Attachment records; the bytes are in the blob store, addressed by their SHA-256.

use helpdesk_domain::{AttachmentId, MessageId, TenantCtx, TicketId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entities::attachment::{self, Entity as Attachments};
use crate::error::{StoreError, StoreResult};

pub use attachment::Model as Attachment;

#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub message_id: Option<MessageId>,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: TicketId,
    a: NewAttachment,
    now: i64,
) -> StoreResult<Attachment> {
    Ok(attachment::ActiveModel {
        id: Set(AttachmentId::new().as_uuid()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        ticket_id: Set(ticket.as_uuid()),
        message_id: Set(a.message_id.map(|m| m.as_uuid())),
        uploader_id: Set(ctx.user_id().map(|u| u.as_uuid())),
        filename: Set(a.filename),
        content_type: Set(a.content_type),
        size: Set(a.size),
        sha256: Set(a.sha256),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

/// An attachment of the workspace; the caller checks the ticket (and note) is visible.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: AttachmentId,
) -> StoreResult<Attachment> {
    Attachments::find_by_id(id.as_uuid())
        .filter(attachment::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn for_ticket(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: TicketId,
) -> StoreResult<Vec<Attachment>> {
    Ok(Attachments::find()
        .filter(attachment::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(attachment::Column::TicketId.eq(ticket.as_uuid()))
        .order_by_asc(attachment::Column::Id)
        .all(db)
        .await?)
}
