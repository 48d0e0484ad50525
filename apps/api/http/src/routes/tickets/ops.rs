//! Ticket changes made by the system rather than typed by a person (monitoring alerts,
//! later automations): an internal note, a status change. Each writes the same rows as the
//! API would — message, version bump, status log, SLA, events — in the caller's
//! transaction, and returns the updated ticket and the events for the live stream.

use helpdesk_domain::status_machine::{self, Lifecycle};
use helpdesk_domain::{MessageId, TenantCtx, TicketId, TicketStatus};
use helpdesk_storage::repo::events::{self, Event, NewEvent};
use helpdesk_storage::repo::tickets::{self, Ticket, TicketChanges};
use helpdesk_storage::repo::{messages, sla};
use sea_orm::ConnectionTrait;
use serde_json::json;

use super::dto::status_of;
use crate::error::{ApiError, ApiResult};

/// An internal note on `t`, and optionally a move to `status` in the same change.
pub async fn note(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    t: &Ticket,
    body: String,
    status: Option<TicketStatus>,
    now: i64,
) -> ApiResult<(Ticket, Vec<Event>)> {
    let ticket_id = TicketId::from_uuid(t.id);
    let msg = messages::create(db, ctx, ticket_id, body.clone(), true, now).await?;
    let mut changes = TicketChanges {
        message_text: Some((body, true)),
        ..TicketChanges::default()
    };
    let from = status_of(t)?;
    let moved = status.filter(|to| *to != from);
    if let Some(to) = moved {
        status_machine::transition(from, to)
            .map_err(|e| ApiError::InvalidTransition(e.to_string()))?;
        let before = Lifecycle {
            resolved_at: t.resolved_at,
            closed_at: t.closed_at,
        };
        changes.status = Some((to, status_machine::lifecycle_after(from, to, before, now)));
    }
    let mut updated = tickets::update(db, ctx, t, changes, now).await?;
    let note = NewEvent {
        ticket_id,
        kind: "note.created",
        changes: json!({ "message_id": msg.id, "internal": true }),
        message_id: Some(MessageId::from_uuid(msg.id)),
        internal: true,
    };
    let mut out = vec![events::record(db, ctx, note, now).await?];
    if let Some(to) = moved {
        let e = NewEvent {
            ticket_id,
            kind: "ticket.updated",
            changes: json!({ "status": [from, to] }),
            message_id: None,
            internal: false,
        };
        out.push(events::record(db, ctx, e, now).await?);
    }
    out.extend(sla::track(db, ctx, Some(t), &mut updated, None, now).await?);
    Ok((updated, out))
}
