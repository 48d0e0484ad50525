//! A new ticket before its number: the row it will be.

use helpdesk_domain::{TenantCtx, TicketId, TicketStatus};

use super::Ticket;
use super::write::NewTicket;

/// The row a new ticket will be: everything but its number, which [`create`](super::create) takes last.
/// The SLA columns are the caller's to fill (`repo::sla::begin`).
pub fn draft(ctx: &TenantCtx, new: &NewTicket, now: i64) -> Ticket {
    Ticket {
        id: TicketId::new().as_uuid(),
        workspace_id: ctx.workspace_id.as_uuid(),
        number: 0,
        subject: new.subject.clone(),
        description: new.description.clone(),
        status: TicketStatus::New.as_str().to_owned(),
        priority: new.priority.rank(),
        requester_id: new.requester_id.as_uuid(),
        assignee_id: new.assignee_id.map(|u| u.as_uuid()),
        organization_id: new.organization_id.map(|o| o.as_uuid()),
        asset_id: new.asset_id.map(|a| a.as_uuid()),
        tags: serde_json::json!(new.tags),
        version: 1,
        status_changed_at: now,
        first_response_at: None,
        resolved_at: None,
        closed_at: None,
        created_at: now,
        updated_at: now,
        sla_state: None,
        sla_due_at: None,
        sla_warn_at: None,
        sla_check_at: None,
        sla_breached: false,
        first_response_business_minutes: None,
        resolution_business_minutes: None,
        channel: new.channel.to_owned(),
        merged_into_id: None,
    }
}
