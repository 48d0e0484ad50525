//! Attachments: files on a ticket (optionally on one of its messages), stored by content
//! hash, seen by whoever may see that ticket and message; active content is never served as
//! itself.

use bytes::Bytes;
use helpdesk_domain::{AttachmentId, MessageId, TicketId};
use helpdesk_storage::repo::attachments::{self, Attachment, NewAttachment};
use helpdesk_storage::repo::events::{self, NewEvent};
use helpdesk_storage::repo::messages;
use helpdesk_storage::repo::tickets::{self, Ticket, TicketRef};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::time::rfc3339;

pub(crate) mod content;
use content::{checked_content_type, clean_filename};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttachmentOut {
    pub id: AttachmentId,
    pub ticket_id: TicketId,
    pub message_id: Option<MessageId>,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    /// Where to download it.
    pub url: String,
    pub created_at: String,
    /// Copied here by a merge: the ticket it was attached to.
    pub merged_from: Option<TicketId>,
}

impl From<Attachment> for AttachmentOut {
    fn from(a: Attachment) -> Self {
        Self {
            id: AttachmentId::from_uuid(a.id),
            ticket_id: TicketId::from_uuid(a.ticket_id),
            message_id: a.message_id.map(MessageId::from_uuid),
            url: format!("/api/v1/attachments/{}", a.id),
            filename: a.filename,
            content_type: a.content_type,
            size: a.size,
            created_at: rfc3339(a.created_at),
            merged_from: a.merged_from_id.map(TicketId::from_uuid),
        }
    }
}

/// A file as it arrived: the name and type the client gave, and the bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    pub filename: String,
    pub declared_type: Option<String>,
    pub bytes: Bytes,
    pub message_id: Option<MessageId>,
}

/// A file to hand out, with the type it may safely be served as.
#[derive(Debug)]
pub struct Download {
    pub attachment: Attachment,
    pub served_type: String,
    pub bytes: Bytes,
}

/// Types a browser would run or render as a page: served as `application/octet-stream`.
const ACTIVE: [&str; 7] = [
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/javascript",
    "application/javascript",
    "text/xml",
    "application/xml",
];

impl Service {
    /// The ticket an upload goes to, checked before any upload work (404 first).
    pub async fn upload_target(&self, actor: &Actor, r: TicketRef) -> ServiceResult<Ticket> {
        Ok(tickets::get(self.store.read(), &actor.ctx, r).await?)
    }

    pub async fn attach(
        &self,
        actor: &Actor,
        r: TicketRef,
        up: Upload,
    ) -> ServiceResult<AttachmentOut> {
        let ctx = &actor.ctx;
        let t = tickets::get(self.store.read(), ctx, r).await?;
        let filename = clean_filename(&up.filename);
        let content_type = checked_content_type(up.declared_type.as_deref(), &up.bytes)?;
        let ticket_id = TicketId::from_uuid(t.id);
        let mut internal = false;
        if let Some(m) = up.message_id {
            let unknown = || ServiceError::invalid("message_id", "no such message on this ticket");
            let msg = messages::get(self.store.read(), ctx, ticket_id, m)
                .await
                .map_err(|_| unknown())?;
            if msg.internal && !actor.is_staff() {
                return Err(unknown());
            }
            internal = msg.internal;
        }
        let sha256 = hex::encode(Sha256::digest(&up.bytes));
        let size = i64::try_from(up.bytes.len()).unwrap_or(i64::MAX);
        self.blobs
            .put(&sha256, up.bytes)
            .await
            .map_err(ServiceError::internal)?;
        let now = self.now();
        let tx = self.begin().await?;
        let new = NewAttachment {
            message_id: up.message_id,
            filename,
            content_type,
            size,
            sha256,
        };
        let row = attachments::create(&tx, ctx, ticket_id, new, now).await?;
        let e = NewEvent {
            ticket_id,
            kind: "attachment.created",
            changes: json!({ "attachment_id": row.id, "filename": row.filename, "size": row.size }),
            message_id: up.message_id,
            internal,
        };
        let event = events::record(&tx, ctx, e, now).await?;
        tx.commit().await?;
        self.publish(&t, &[event]).await;
        Ok(row.into())
    }

    /// The ticket's attachments that `actor` may see.
    pub async fn attachments(
        &self,
        actor: &Actor,
        r: TicketRef,
    ) -> ServiceResult<Vec<AttachmentOut>> {
        let db = self.store.read();
        let t = tickets::get(db, &actor.ctx, r).await?;
        let ticket_id = TicketId::from_uuid(t.id);
        let rows = attachments::for_ticket(db, &actor.ctx, ticket_id).await?;
        let hidden = if actor.is_staff() {
            Vec::new()
        } else {
            messages::internal_ids(db, &actor.ctx, ticket_id).await?
        };
        Ok(rows
            .into_iter()
            .filter(|a| a.message_id.is_none_or(|m| !hidden.contains(&m)))
            .map(AttachmentOut::from)
            .collect())
    }

    /// One attachment's bytes, for whoever may see its ticket and message.
    pub async fn download(&self, actor: &Actor, id: AttachmentId) -> ServiceResult<Download> {
        let ctx = &actor.ctx;
        let db = self.store.read();
        let a = attachments::get(db, ctx, id).await?;
        let ticket_id = TicketId::from_uuid(a.ticket_id);
        tickets::get(db, ctx, TicketRef::Id(ticket_id)).await?;
        if let Some(m) = a.message_id {
            let msg = messages::get(db, ctx, ticket_id, MessageId::from_uuid(m)).await?;
            if msg.internal && !actor.is_staff() {
                return Err(ServiceError::NotFound);
            }
        }
        let bytes = self
            .blobs
            .get(&a.sha256)
            .await
            .map_err(ServiceError::internal)?;
        let served_type = if ACTIVE.contains(&a.content_type.as_str()) {
            "application/octet-stream".to_owned()
        } else {
            a.content_type.clone()
        };
        Ok(Download {
            attachment: a,
            served_type,
            bytes,
        })
    }
}
