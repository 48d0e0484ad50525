//! The outbox: messages written in the same transaction as the change that causes them,
//! sent later by the worker.

use helpdesk_domain::WorkspaceId;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::entities::outbox::{self, Entity as Outbox};
use crate::error::StoreResult;

pub use outbox::Model as OutboxMessage;

#[derive(Debug, Clone)]
pub struct NewMessage {
    pub kind: &'static str,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

pub async fn enqueue(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    msg: NewMessage,
) -> StoreResult<OutboxMessage> {
    let now = super::now();
    Ok(outbox::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(workspace_id.as_uuid()),
        kind: Set(msg.kind.to_owned()),
        recipient: Set(msg.recipient),
        subject: Set(msg.subject),
        body: Set(msg.body),
        sent_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

/// Messages for one recipient, newest last (operators and tests read the outbox this way).
pub async fn for_recipient(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    recipient: &str,
) -> StoreResult<Vec<OutboxMessage>> {
    Ok(Outbox::find()
        .filter(outbox::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(outbox::Column::Recipient.eq(recipient))
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await?)
}
