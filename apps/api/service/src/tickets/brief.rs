//! A ticket named in another's answer (a link, a merge, an open child): enough to show
//! and to follow it.

use helpdesk_domain::{TicketId, TicketStatus};
use helpdesk_storage::repo::tickets::{Ticket, TicketRow};
use serde::Serialize;

use crate::error::ServiceResult;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TicketBrief {
    pub id: TicketId,
    pub number: i64,
    pub subject: String,
    pub status: TicketStatus,
}

impl TicketBrief {
    pub fn of(t: &Ticket) -> ServiceResult<Self> {
        Ok(Self {
            id: TicketId::from_uuid(t.id),
            number: t.number,
            subject: t.subject.clone(),
            status: t.status()?,
        })
    }

    /// As events record it: `{"id", "number"}`.
    pub fn json(t: &Ticket) -> serde_json::Value {
        serde_json::json!({ "id": t.id, "number": t.number })
    }
}
