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
        merged_from_id: Set(None),
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

/// Records `a` (same bytes, name and time) on `target`, attached to message `message`
/// there, as copied from ticket `from` by a merge.
pub async fn copy_into(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    target: TicketId,
    message: Option<uuid::Uuid>,
    a: &Attachment,
    from: TicketId,
    now: i64,
) -> StoreResult<Attachment> {
    Ok(attachment::ActiveModel {
        id: Set(AttachmentId::new().as_uuid()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        ticket_id: Set(target.as_uuid()),
        message_id: Set(message),
        uploader_id: Set(a.uploader_id),
        filename: Set(a.filename.clone()),
        content_type: Set(a.content_type.clone()),
        size: Set(a.size),
        sha256: Set(a.sha256.clone()),
        created_at: Set(a.created_at),
        updated_at: Set(now),
        merged_from_id: Set(Some(from.as_uuid())),
    }
    .insert(db)
    .await?)
}

/// Moves the attachments of `message` on `from` to ticket `to`'s opening (a split).
pub async fn move_to_opening(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    from: TicketId,
    message: MessageId,
    to: TicketId,
    now: i64,
) -> StoreResult<u64> {
    use sea_orm::sea_query::Expr;
    let done = Attachments::update_many()
        .col_expr(attachment::Column::TicketId, Expr::value(to.as_uuid()))
        .col_expr(
            attachment::Column::MessageId,
            Expr::value(Option::<uuid::Uuid>::None),
        )
        .col_expr(attachment::Column::UpdatedAt, Expr::value(now))
        .filter(attachment::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(attachment::Column::TicketId.eq(from.as_uuid()))
        .filter(attachment::Column::MessageId.eq(message.as_uuid()))
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}
