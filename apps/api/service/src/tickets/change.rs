//! The one way a ticket's fields change, whoever asks — a person through the API or the web
//! app, a rule, a macro, an alert: the status machine, the lifecycle timestamps, reference
//! checks, the version bump, the `ticket.updated` event naming its cause, and the SLA.
//! In the caller's transaction; returns the updated ticket and the events it wrote.

use helpdesk_domain::status_machine::{self, Lifecycle};
use helpdesk_domain::{AssetId, OrganizationId, Priority, TicketId, TicketStatus, UserId, text};
use helpdesk_storage::StoreError;
use helpdesk_storage::repo::events::{self, Event, NewEvent};
use helpdesk_storage::repo::sla;
use helpdesk_storage::repo::tickets::{self, Ticket, TicketChanges, TicketRow, tags_of};
use sea_orm::ConnectionTrait;
use serde_json::{Map, Value, json};

use super::refs;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};

/// Field changes; `None` leaves a field alone, `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edit {
    pub subject: Option<String>,
    pub priority: Option<Priority>,
    pub status: Option<TicketStatus>,
    pub assignee_id: Option<Option<UserId>>,
    pub organization_id: Option<Option<OrganizationId>>,
    pub asset_id: Option<Option<AssetId>>,
    pub tags: Option<Vec<String>>,
    /// With a move to `RESOLVED` or `CLOSED`: resolve the ticket's open children first
    /// (`update_ticket` does; elsewhere open children refuse the move).
    pub resolve_children: bool,
}

impl Edit {
    pub fn is_empty(&self) -> bool {
        *self == Edit::default()
    }
}

/// The move of `t` to `to` with its lifecycle timestamps; `None` when the status stays.
/// A move the machine forbids is `invalid_transition`.
pub fn status_move(
    t: &Ticket,
    to: TicketStatus,
    now: i64,
) -> ServiceResult<Option<(TicketStatus, Lifecycle)>> {
    let from = t.status()?;
    status_machine::transition(from, to)
        .map_err(|e| ServiceError::InvalidTransition(e.to_string()))?;
    if to == from {
        return Ok(None);
    }
    let before = Lifecycle {
        resolved_at: t.resolved_at,
        closed_at: t.closed_at,
    };
    Ok(Some((
        to,
        status_machine::lifecycle_after(from, to, before, now),
    )))
}

fn record(log: &mut Map<String, Value>, field: &str, old: Value, new: Value) -> bool {
    if old == new {
        return false;
    }
    log.insert(field.to_owned(), json!([old, new]));
    true
}

/// Names the rule behind a change on the event it writes.
pub(crate) fn attribute(changes: &mut Map<String, Value>, actor: &Actor) {
    if let Some(c) = actor.cause() {
        changes.insert("automation".into(), c.json());
    }
}

/// Works out what changes and checks each reference against the workspace.
async fn plan(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &Ticket,
    edit: Edit,
    now: i64,
) -> ServiceResult<(TicketChanges, Map<String, Value>)> {
    let ctx = &actor.ctx;
    let mut c = TicketChanges::default();
    let mut log = Map::new();
    if let Some(s) = edit.subject {
        let s = text::bounded(&s, 1, 250)
            .map_err(|e| ServiceError::invalid("subject", e.to_string()))?;
        if record(&mut log, "subject", json!(t.subject), json!(s)) {
            c.subject = Some(s);
        }
    }
    if let Some(p) = edit.priority
        && record(&mut log, "priority", json!(t.priority()?), json!(p))
    {
        c.priority = Some(p);
    }
    if let Some(to) = edit.status
        && let Some(moved) = status_move(t, to, now)?
    {
        log.insert("status".into(), json!([t.status()?, to]));
        c.status = Some(moved);
    }
    if let Some(a) = edit.assignee_id {
        if let Some(id) = a {
            refs::assignee(db, ctx, id).await?;
        }
        if record(&mut log, "assignee_id", json!(t.assignee_id), json!(a)) {
            c.assignee_id = Some(a);
        }
    }
    if let Some(o) = edit.organization_id {
        if let Some(id) = o {
            refs::organization(db, ctx, id).await?;
        }
        if record(
            &mut log,
            "organization_id",
            json!(t.organization_id),
            json!(o),
        ) {
            c.organization_id = Some(o);
        }
    }
    if let Some(a) = edit.asset_id {
        let org = c
            .organization_id
            .unwrap_or(t.organization_id.map(OrganizationId::from_uuid));
        if let Some(id) = a {
            refs::asset(db, ctx, id, org).await?;
        }
        if record(&mut log, "asset_id", json!(t.asset_id), json!(a)) {
            c.asset_id = Some(a);
        }
    }
    if let Some(tags) = edit.tags {
        let tags = helpdesk_domain::ticket::normalize_tags(&tags)
            .map_err(|e| ServiceError::invalid("tags", e))?;
        if record(&mut log, "tags", json!(tags_of(t)), json!(tags)) {
            c.tags = Some(tags);
        }
    }
    Ok((c, log))
}

/// Applies `edit` to `t`; an edit that changes nothing writes nothing. A closed ticket
/// takes no change at all.
pub async fn change(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &Ticket,
    edit: Edit,
    now: i64,
) -> ServiceResult<(Ticket, Vec<Event>)> {
    if t.is_closed() {
        return Err(ServiceError::closed_ticket());
    }
    if let Some(to) = edit.status {
        super::children::guard_children(db, actor, t, to).await?;
    }
    let (changes, mut log) = plan(db, actor, t, edit, now).await?;
    if log.is_empty() {
        return Ok((t.clone(), Vec::new()));
    }
    attribute(&mut log, actor);
    let ctx = &actor.ctx;
    let mut updated = tickets::update(db, ctx, t, changes, now)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => {
                ServiceError::Conflict("the ticket changed meanwhile; reload it".into())
            }
            other => other.into(),
        })?;
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

/// A rule's action that changes no field (an email, a webhook), recorded so the timeline
/// names it: `automation.applied` with `{automation, action, …}`. Internal: rule names and
/// recipients are the helpdesk's business, not the customer's.
pub async fn applied(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &Ticket,
    detail: Value,
    now: i64,
) -> ServiceResult<Event> {
    let mut changes = match detail {
        Value::Object(m) => m,
        other => {
            let mut m = Map::new();
            m.insert("detail".into(), other);
            m
        }
    };
    attribute(&mut changes, actor);
    let e = NewEvent {
        ticket_id: TicketId::from_uuid(t.id),
        kind: "automation.applied",
        changes: Value::Object(changes),
        message_id: None,
        internal: true,
    };
    Ok(events::record(db, &actor.ctx, e, now).await?)
}
