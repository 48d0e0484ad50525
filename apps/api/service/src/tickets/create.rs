//! Opening a ticket: customers open their own; staff may open one on a customer's behalf
//! and set its assignee, organization and tags.

use helpdesk_domain::sla::{Calendar, Terms};
use helpdesk_domain::{AssetId, OrganizationId, Priority, TicketId, UserId, text};
use helpdesk_storage::repo::events::{self, Event, NewEvent};
use helpdesk_storage::repo::sla::{self, Calendars};
use helpdesk_storage::repo::tickets::{self, NewTicket, Ticket};
use sea_orm::ConnectionTrait;
use serde_json::json;

use super::refs;
use super::sla_view::SlaClock;
use super::view::TicketOut;
use crate::Service;
use crate::actor::Actor;
use crate::error::{FieldError, ServiceError, ServiceResult};
use crate::idempotency::{IdemKey, Keyed, Once};

/// What a caller asks for; the use case validates every field.
#[derive(Debug, Clone, Default)]
pub struct OpenTicket {
    pub subject: String,
    pub description: String,
    pub priority: Option<Priority>,
    /// Staff only: whom the ticket is for (default: the caller).
    pub requester_id: Option<UserId>,
    /// Staff only; default: the requester's organization.
    pub organization_id: Option<OrganizationId>,
    /// Staff only.
    pub assignee_id: Option<UserId>,
    /// Staff only.
    pub tags: Option<Vec<String>>,
    pub asset_id: Option<AssetId>,
}

/// The fields that fail on their own, with the subject, requester and tags they yield.
fn check(actor: &Actor, req: &OpenTicket) -> ServiceResult<(String, UserId, Vec<String>)> {
    let mut errors = Vec::new();
    let subject = text::bounded(&req.subject, 1, 250)
        .map_err(|e| errors.push(FieldError::new("subject", e.to_string())))
        .ok();
    if req.description.trim().is_empty() {
        errors.push(FieldError::new("description", "must not be blank"));
    }
    if !actor.is_staff() {
        for (field, set) in [
            ("requester_id", req.requester_id.is_some()),
            ("organization_id", req.organization_id.is_some()),
            ("assignee_id", req.assignee_id.is_some()),
            ("tags", req.tags.is_some()),
        ] {
            if set {
                errors.push(FieldError::new(field, "customers cannot set this field"));
            }
        }
    }
    let tags = match req
        .tags
        .as_deref()
        .map(helpdesk_domain::ticket::normalize_tags)
        .transpose()
    {
        Ok(t) => t.unwrap_or_default(),
        Err(e) => {
            errors.push(FieldError::new("tags", e));
            Vec::new()
        }
    };
    let requester = req.requester_id.or(actor.ctx.user_id());
    if requester.is_none() {
        errors.push(FieldError::new(
            "requester_id",
            "is required when an API key opens a ticket",
        ));
    }
    match (subject, requester, errors.is_empty()) {
        (Some(s), Some(r), true) => Ok((s, r, tags)),
        _ => Err(ServiceError::Validation(errors)),
    }
}

/// Writes a new ticket with its SLA and its `ticket.created` event, in the caller's
/// transaction; returns the row, its view and the events written.
///
/// On PostgreSQL the ticket's number comes last: taking it locks the workspace's counter
/// until the transaction ends, so the SLA steps are written first (their references to the
/// ticket are checked at commit) and the event and its dispatch job in the ticket's own
/// statement; creations in one workspace wait for each other only over that statement and
/// the commit.
pub async fn insert(
    db: &impl ConnectionTrait,
    actor: &Actor,
    new: NewTicket,
    now: i64,
) -> ServiceResult<(Ticket, TicketOut, Vec<Event>)> {
    let terms = sla::prepare(db, &actor.ctx, new.organization_id, new.priority, now).await?;
    insert_on_terms(db, actor, new, terms, now).await
}

/// [`insert`] with the SLA terms already looked up ([`sla::prepare`]), so a caller can read
/// them before its transaction begins.
async fn insert_on_terms(
    db: &impl ConnectionTrait,
    actor: &Actor,
    new: NewTicket,
    terms: Option<(Terms, Calendar)>,
    now: i64,
) -> ServiceResult<(Ticket, TicketOut, Vec<Event>)> {
    let ctx = &actor.ctx;
    let calendar = terms
        .as_ref()
        .map(|(t, cal)| Calendars::single(t.calendar_id, cal.clone()))
        .unwrap_or_default();
    let mut draft = tickets::draft(ctx, &new, now);
    let steps = sla::begin(&mut draft, terms, now)?;
    let clock = SlaClock::new(now, calendar);
    let mut out = TicketOut::from_row(draft.clone(), &clock)?;
    let ticket_id = TicketId::from_uuid(draft.id);
    let (mut live, with) = events::prepare(
        db.get_database_backend(),
        ctx,
        vec![NewEvent {
            ticket_id,
            kind: "ticket.created",
            changes: json!({
                "subject": out.subject, "status": out.status, "priority": out.priority,
                "requester_id": out.requester_id, "assignee_id": out.assignee_id,
                "organization_id": out.organization_id, "asset_id": out.asset_id, "tags": out.tags,
            }),
            message_id: None,
            internal: false,
        }],
        now,
    );
    // The SLA's steps refer to the ticket: on PostgreSQL they are written first, with the
    // reference checked at commit, so that the number's lock is not held over them.
    let number_last = !steps.is_empty() && tickets::defer_references(db).await?;
    if number_last {
        live.extend(sla::record(db, ctx, ticket_id, &steps, now).await?);
    }
    // The ticket, its number and its event in one round trip.
    let ticket = tickets::create_with(db, ctx, draft, &new.tags, now, with).await?;
    if !number_last {
        live.extend(sla::record(db, ctx, ticket_id, &steps, now).await?);
    }
    out.number = ticket.number;
    Ok((ticket, out, live))
}

impl Service {
    pub async fn open_ticket(
        &self,
        actor: &Actor,
        req: OpenTicket,
        key: Option<IdemKey>,
    ) -> ServiceResult<Once<TicketOut>> {
        let ctx = &actor.ctx;
        let (subject, requester, tags) = check(actor, &req)?;
        let now = self.now();
        let mut idem = Keyed::new(key);
        if let Some(replay) = idem.replay(self.store.read(), ctx, now).await? {
            return Ok(Once::Replayed(replay));
        }
        // Every read comes before the transaction: on SQLite it holds the database's one
        // write lock from its start, and creations queue for that lock. A reference that
        // changes in between (a user deactivated, a policy edited) is as if the request had
        // come a moment earlier; the foreign keys still hold at commit.
        let read = self.store.read();
        // The caller itself was just authenticated as an active user: no need to look it up.
        let requester_org = if Some(requester) == ctx.user_id() {
            ctx.organization_id
        } else {
            refs::requester(read, ctx, requester).await?
        };
        let organization_id = match req.organization_id {
            Some(o) => {
                refs::organization(read, ctx, o).await?;
                Some(o)
            }
            None => requester_org,
        };
        if let Some(a) = req.assignee_id {
            refs::assignee(read, ctx, a).await?;
        }
        if let Some(a) = req.asset_id {
            refs::asset(read, ctx, a, organization_id).await?;
        }
        let priority = req.priority.unwrap_or_default();
        let terms = sla::prepare(read, ctx, organization_id, priority, now).await?;
        let tx = self.begin().await?;
        if !idem.claim(&tx, ctx, now).await? {
            drop(tx);
            return idem.replay_after_race(read, ctx, now).await;
        }
        let new = NewTicket {
            subject,
            description: req.description,
            priority,
            requester_id: requester,
            assignee_id: req.assignee_id,
            organization_id,
            asset_id: req.asset_id,
            tags,
            channel: actor.channel(),
        };
        let (ticket, out, live) = insert_on_terms(&tx, actor, new, terms, now).await?;
        idem.complete(&tx, true, &out).await?;
        tx.commit().await?;
        self.publish(&ticket, &live).await;
        Ok(Once::Done(out))
    }
}
