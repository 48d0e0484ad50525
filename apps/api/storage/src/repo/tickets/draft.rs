//! A new ticket before its number: the row it will be, and the references to it that its
//! creating transaction may write ahead of it.

use helpdesk_domain::{TenantCtx, TicketId, TicketStatus};
use sea_orm::{ConnectionTrait, DbBackend};

use super::Ticket;
use super::write::NewTicket;
use crate::error::StoreResult;

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

/// Whether the creating transaction should take the ticket's number last, after the rows
/// that reference the new ticket (its event, SLA steps), and if so lets it write them first
/// (PostgreSQL checks those references at commit). On PostgreSQL the counter's row lock
/// serialises creations in a workspace from the number to the commit, so the less is
/// written after it the better. SQLite's one writer serialises whole transactions anyway,
/// and there a ticket inserted while a reference to it is outstanding makes SQLite search
/// every table that refers to tickets: the ticket goes first.
pub async fn defer_references(db: &impl ConnectionTrait) -> StoreResult<bool> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(false);
    }
    db.execute_unprepared(
        "SET CONSTRAINTS ticket_events_ticket_id_fkey, sla_events_ticket_id_fkey DEFERRED",
    )
    .await?;
    Ok(true)
}
