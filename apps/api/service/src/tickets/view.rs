//! The shapes a ticket, its messages and its events are shown in.

use helpdesk_domain::{
    AssetId, EventId, MessageId, OrganizationId, Priority, TicketId, TicketStatus, UserId,
};
use helpdesk_storage::repo::events::Event;
use helpdesk_storage::repo::messages::Message;
use helpdesk_storage::repo::tickets::{Ticket, TicketRow, tags_of};
use serde::Serialize;
use uuid::Uuid;

use super::sla_view::{SlaClock, SlaOut};
use crate::error::ServiceError;
use crate::time::{rfc3339, rfc3339_opt};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TicketOut {
    pub id: TicketId,
    /// Per-workspace sequential number for humans; `GET /tickets/{number}` works too.
    pub number: i64,
    pub subject: String,
    pub description: String,
    pub status: TicketStatus,
    pub priority: Priority,
    pub requester_id: UserId,
    pub assignee_id: Option<UserId>,
    pub organization_id: Option<OrganizationId>,
    pub asset_id: Option<AssetId>,
    pub tags: Vec<String>,
    /// How the ticket was opened: `WEB`, `API`, `EMAIL`, `ALERT` or `SYSTEM`.
    pub channel: String,
    pub created_at: String,
    pub updated_at: String,
    pub first_response_at: Option<String>,
    pub resolved_at: Option<String>,
    pub closed_at: Option<String>,
    /// Optimistic-concurrency version; send it as `If-Match` on PATCH.
    pub version: i64,
    /// The live SLA reading; null while no SLA policy applies.
    pub sla: Option<SlaOut>,
    /// Set when this ticket was merged into another (it is then `CLOSED`): that one.
    pub merged_into: Option<TicketId>,
    /// A ticket opened by an HTML email: its sanitised body (as `html` of a message).
    /// Only in `GET /tickets/{id}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description_html: Option<String>,
    /// A ticket opened by an email quoting earlier mail: where in `description` the
    /// quoted history starts (bytes). Only in `GET /tickets/{id}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description_quoted_from: Option<i64>,
}

impl TicketOut {
    pub fn from_row(t: Ticket, clock: &SlaClock) -> Result<Self, ServiceError> {
        let sla = clock.read(&t)?;
        Ok(Self {
            status: t.status()?,
            priority: t.priority()?,
            tags: tags_of(&t),
            channel: t.channel.to_ascii_uppercase(),
            id: TicketId::from_uuid(t.id),
            number: t.number,
            subject: t.subject,
            description: t.description,
            requester_id: UserId::from_uuid(t.requester_id),
            assignee_id: t.assignee_id.map(UserId::from_uuid),
            organization_id: t.organization_id.map(OrganizationId::from_uuid),
            asset_id: t.asset_id.map(AssetId::from_uuid),
            created_at: rfc3339(t.created_at),
            updated_at: rfc3339(t.updated_at),
            first_response_at: rfc3339_opt(t.first_response_at),
            resolved_at: rfc3339_opt(t.resolved_at),
            closed_at: rfc3339_opt(t.closed_at),
            version: t.version,
            sla,
            merged_into: t.merged_into_id.map(TicketId::from_uuid),
            description_html: None,
            description_quoted_from: None,
        })
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MessageOut {
    pub id: MessageId,
    pub ticket_id: TicketId,
    /// The author; null when an API key wrote it.
    pub author_id: Option<UserId>,
    pub body: String,
    pub internal: bool,
    pub created_at: String,
    /// A message that came by email with an HTML body: that body, sanitised (`cid:`
    /// images point at its attachments at `/attachments/{id}`, remote images removed,
    /// the quoted history wrapped in `<div class="hd-quoted">`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// A message that came by email quoting earlier mail: the byte offset in `body` where
    /// the quoted history starts, for the app to fold (it is kept, never cut).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quoted_from: Option<i64>,
    /// Copied here by a merge: the ticket it was written on (`created_at` is its
    /// original time).
    pub merged_from: Option<TicketId>,
}

impl From<Message> for MessageOut {
    fn from(m: Message) -> Self {
        Self {
            id: MessageId::from_uuid(m.id),
            ticket_id: TicketId::from_uuid(m.ticket_id),
            author_id: m.author_id.map(UserId::from_uuid),
            body: m.body,
            internal: m.internal,
            created_at: rfc3339(m.created_at),
            html: None,
            quoted_from: None,
            merged_from: m.merged_from_id.map(TicketId::from_uuid),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventOut {
    pub id: EventId,
    pub ticket_id: TicketId,
    /// `ticket.created`, `ticket.updated`, `message.created`, `note.created`,
    /// `time_entry.created`, `attachment.created`, `ticket.merged` (on the target: what
    /// came from where), `ticket.split`, `link.created`, `link.deleted`.
    #[serde(rename = "type")]
    pub kind: String,
    pub actor_id: Option<UserId>,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub actor_api_key_id: Option<Uuid>,
    /// For updates `{"field": [old, new]}`; for the other types a summary.
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
    pub message_id: Option<MessageId>,
    pub internal: bool,
    pub created_at: String,
}

impl From<Event> for EventOut {
    fn from(e: Event) -> Self {
        Self {
            id: EventId::from_uuid(e.id),
            ticket_id: TicketId::from_uuid(e.ticket_id),
            kind: e.kind,
            actor_id: e.actor_id.map(UserId::from_uuid),
            actor_api_key_id: e.actor_api_key_id,
            changes: e.changes,
            message_id: e.message_id.map(MessageId::from_uuid),
            internal: e.internal,
            created_at: rfc3339(e.created_at),
        }
    }
}
