//! Ticket changes made by the system rather than typed by a person (monitoring alerts,
//! automations, macros): field changes and internal notes. Each writes the same rows as
//! the API would — version bump, status log, SLA, events naming their cause — in the
//! caller's transaction, and returns the updated ticket and the events for the live stream.

use helpdesk_domain::status_machine::{self, Lifecycle};
use helpdesk_domain::{MessageId, Priority, TenantCtx, TicketId, TicketStatus, UserId};
use helpdesk_storage::repo::events::{self, Event, NewEvent};
use helpdesk_storage::repo::tickets::{self, Ticket, TicketChanges, tags_of};
use helpdesk_storage::repo::{messages, sla};
use sea_orm::ConnectionTrait;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::dto::{priority_of, status_of};
use crate::error::{ApiError, ApiResult};

/// The rule behind a change, named on every event it writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    pub automation_id: Uuid,
    pub name: String,
    pub position: i64,
    /// How many rule-made events led here.
    pub depth: i64,
}

impl Cause {
    fn json(&self) -> Value {
        json!({"id": self.automation_id, "name": self.name, "position": self.position, "depth": self.depth})
    }
}

/// Field changes; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct Edit {
    pub priority: Option<Priority>,
    pub status: Option<TicketStatus>,
    pub assignee_id: Option<Option<UserId>>,
    pub tags: Option<Vec<String>>,
}

fn attribute(changes: &mut Map<String, Value>, cause: Option<&Cause>) {
    if let Some(c) = cause {
        changes.insert("automation".into(), c.json());
    }
}

/// Applies `edit` to `t`; an edit that changes nothing writes nothing. A status the
/// machine forbids is `invalid_transition`.
pub async fn change(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    t: &Ticket,
    edit: Edit,
    cause: Option<&Cause>,
    now: i64,
) -> ApiResult<(Ticket, Vec<Event>)> {
    let mut c = TicketChanges::default();
    let mut log = Map::new();
    if let Some(p) = edit.priority
        && p != priority_of(t)?
    {
        log.insert("priority".into(), json!([priority_of(t)?, p]));
        c.priority = Some(p);
    }
    if let Some(to) = edit.status {
        let from = status_of(t)?;
        if to != from {
            status_machine::transition(from, to)
                .map_err(|e| ApiError::InvalidTransition(e.to_string()))?;
            let before = Lifecycle {
                resolved_at: t.resolved_at,
                closed_at: t.closed_at,
            };
            c.status = Some((to, status_machine::lifecycle_after(from, to, before, now)));
            log.insert("status".into(), json!([from, to]));
        }
    }
    if let Some(a) = edit.assignee_id
        && a.map(|u| u.as_uuid()) != t.assignee_id
    {
        log.insert("assignee_id".into(), json!([t.assignee_id, a]));
        c.assignee_id = Some(a);
    }
    if let Some(tags) = edit.tags
        && tags != tags_of(t)
    {
        log.insert("tags".into(), json!([tags_of(t), tags]));
        c.tags = Some(tags);
    }
    if log.is_empty() {
        return Ok((t.clone(), Vec::new()));
    }
    attribute(&mut log, cause);
    let mut updated = tickets::update(db, ctx, t, c, now).await?;
    let e = NewEvent {
        ticket_id: TicketId::from_uuid(t.id),
        kind: "ticket.updated",
        changes: Value::Object(log),
        message_id: None,
        internal: false,
    };
    let mut out = vec![events::record(db, ctx, e, now).await?];
    out.extend(sla::track(db, ctx, t, &mut updated, None, now).await?);
    Ok((updated, out))
}

/// An internal note on `t`, and optionally a move to `status` in the same change.
pub async fn note(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    t: &Ticket,
    body: String,
    status: Option<TicketStatus>,
    cause: Option<&Cause>,
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
    let mut note = Map::new();
    note.insert("message_id".into(), json!(msg.id));
    note.insert("internal".into(), json!(true));
    attribute(&mut note, cause);
    let note = NewEvent {
        ticket_id,
        kind: "note.created",
        changes: Value::Object(note),
        message_id: Some(MessageId::from_uuid(msg.id)),
        internal: true,
    };
    let mut out = vec![events::record(db, ctx, note, now).await?];
    if let Some(to) = moved {
        let mut log = Map::new();
        log.insert("status".into(), json!([from, to]));
        attribute(&mut log, cause);
        let e = NewEvent {
            ticket_id,
            kind: "ticket.updated",
            changes: Value::Object(log),
            message_id: None,
            internal: false,
        };
        out.push(events::record(db, ctx, e, now).await?);
    }
    out.extend(sla::track(db, ctx, t, &mut updated, None, now).await?);
    Ok((updated, out))
}

/// A rule's action that changes no field (an email, a webhook), recorded so the timeline
/// names it: `automation.applied` with `{automation, action, …}`.
pub async fn applied(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    t: &Ticket,
    cause: &Cause,
    detail: Value,
    now: i64,
) -> ApiResult<Event> {
    let mut changes = match detail {
        Value::Object(m) => m,
        other => {
            let mut m = Map::new();
            m.insert("detail".into(), other);
            m
        }
    };
    attribute(&mut changes, Some(cause));
    let e = NewEvent {
        ticket_id: TicketId::from_uuid(t.id),
        kind: "automation.applied",
        changes: Value::Object(changes),
        message_id: None,
        internal: false,
    };
    Ok(events::record(db, ctx, e, now).await?)
}
