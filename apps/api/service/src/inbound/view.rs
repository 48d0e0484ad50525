//! A received message as the API shows it (never its raw bytes: `GET /inbound/{id}/raw`).

use helpdesk_domain::inbound::InboundState;
use helpdesk_storage::repo::inbound::{InboundMessage, InboundSummary};
use serde::Serialize;
use uuid::Uuid;

use crate::error::{ServiceError, ServiceResult};
use crate::time::rfc3339;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InboundOut {
    pub id: Uuid,
    pub mailbox_id: Option<Uuid>,
    /// `HTTP`, `SMTP` or `IMAP`.
    pub channel: String,
    pub message_id: Option<String>,
    pub from: Option<String>,
    /// `To` and `Cc`.
    pub to: Vec<String>,
    pub subject: Option<String>,
    pub size: i64,
    pub received_at: String,
    pub processed_at: Option<String>,
    pub state: InboundState,
    /// Why it was ignored, quarantined or failed.
    pub reason: Option<String>,
    pub ticket_id: Option<Uuid>,
    pub ticket_message_id: Option<Uuid>,
}

impl InboundOut {
    pub fn from_summary(r: InboundSummary) -> ServiceResult<Self> {
        let state = InboundState::parse(&r.state).ok_or_else(|| {
            ServiceError::corrupt(format!("inbound {} has state {}", r.id, r.state))
        })?;
        let to = r
            .recipients
            .map(|s| {
                s.split(", ")
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self {
            id: r.id,
            mailbox_id: r.mailbox_id,
            channel: r.channel,
            message_id: r.message_id,
            from: r.from_address,
            to,
            subject: r.subject,
            size: r.size,
            received_at: rfc3339(r.received_at),
            processed_at: r.processed_at.map(rfc3339),
            state,
            reason: r.reason,
            ticket_id: r.ticket_id,
            ticket_message_id: r.ticket_message_id,
        })
    }

    pub fn from_row(r: InboundMessage) -> ServiceResult<Self> {
        Self::from_summary(InboundSummary {
            id: r.id,
            mailbox_id: r.mailbox_id,
            channel: r.channel,
            message_id: r.message_id,
            from_address: r.from_address,
            recipients: r.recipients,
            subject: r.subject,
            size: r.size,
            state: r.state,
            reason: r.reason,
            ticket_id: r.ticket_id,
            ticket_message_id: r.ticket_message_id,
            received_at: r.received_at,
            processed_at: r.processed_at,
        })
    }
}
