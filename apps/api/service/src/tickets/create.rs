//! Opening a ticket: customers open their own; staff may open one on a customer's behalf
//! and set its assignee, organization and tags.

use helpdesk_domain::sla::{Calendar, Terms};
use helpdesk_domain::{AssetId, OrganizationId, Priority, TicketId, UserId, text};
use helpdesk_storage::batch::Batch;
use helpdesk_storage::repo::events::{self, Event, NewEvent};
use helpdesk_storage::repo::sla::{self, Calendars};
use helpdesk_storage::repo::tickets::{self, NewTicket, Ticket};
use sea_orm::{ConnectionTrait, DbBackend};
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
pub async fn insert(
    db: &impl ConnectionTrait,
    actor: &Actor,
    new: NewTicket,
    now: i64,
) -> ServiceResult<(Ticket, TicketOut, Vec<Event>)> {
    let terms = sla::prepare(db, &actor.ctx, new.organization_id, new.priority, now).await?;
    let Prepared {
        draft,
        mut out,
        live,
        with,
    } = Prepared::new(db.get_database_backend(), actor, &new, terms, now)?;
    let ticket = tickets::create_with(db, &actor.ctx, draft, &new.tags, now, with).await?;
    out.number = ticket.number;
    Ok((ticket, out, live))
}

/// A new ticket's writes, ready to send in the ticket's own statement ([`Batch`]): its SLA
/// steps and alerts, its `ticket.created` event and their dispatch jobs. On PostgreSQL
/// the ticket's number comes last in that statement: taking it locks the workspace's
/// counter until the transaction ends, so creations in one workspace wait for each other
/// only over the ticket's insert and the commit.
struct Prepared {
    draft: Ticket,
    out: TicketOut,
    live: Vec<Event>,
    with: Batch,
}

impl Prepared {
    fn new(
        backend: DbBackend,
        actor: &Actor,
        new: &NewTicket,
        terms: Option<(Terms, Calendar)>,
        now: i64,
    ) -> ServiceResult<Self> {
        let ctx = &actor.ctx;
        let calendar = terms
            .as_ref()
            .map(|(t, cal)| Calendars::single(t.calendar_id, cal.clone()))
            .unwrap_or_default();
        let mut draft = tickets::draft(ctx, new, now);
        let steps = sla::begin(&mut draft, terms, now)?;
        let out = TicketOut::from_row(draft.clone(), &SlaClock::new(now, calendar))?;
        let ticket_id = TicketId::from_uuid(draft.id);
        let created = NewEvent {
            ticket_id,
            kind: "ticket.created",
            changes: json!({
                "subject": out.subject, "status": out.status, "priority": out.priority,
                "requester_id": out.requester_id, "assignee_id": out.assignee_id,
                "organization_id": out.organization_id, "asset_id": out.asset_id, "tags": out.tags,
            }),
            message_id: None,
            internal: false,
        };
        // The creation's event first (event ids order a timeline), then the SLA's.
        let (mut live, mut with) = events::prepare(backend, ctx, vec![created], now);
        let (alerts, sla_writes) = sla::prepare_record(backend, ctx, ticket_id, &steps, now);
        live.extend(alerts);
        with.append(sla_writes);
        Ok(Self {
            draft,
            out,
            live,
            with,
        })
    }
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
        let backend = self.store.write().get_database_backend();
        let Prepared {
            draft,
            mut out,
            live,
            with,
        } = Prepared::new(backend, actor, &new, terms, now)?;
        let ticket = if idem.is_keyed() {
            let tx = self.begin().await?;
            if !idem.claim(&tx, ctx, now).await? {
                drop(tx);
                return idem.replay_after_race(read, ctx, now).await;
            }
            let ticket = tickets::create_with(&tx, ctx, draft, &new.tags, now, with).await?;
            out.number = ticket.number;
            idem.complete(&tx, true, &out).await?;
            tx.commit().await?;
            ticket
        } else {
            // Nothing else to write: the ticket's own statement is the whole transaction,
            // sent in one round trip (on SQLite the write lock is held for that trip alone).
            let ticket =
                tickets::create_alone(&self.store, ctx, draft, &new.tags, now, with).await?;
            out.number = ticket.number;
            ticket
        };
        self.publish(&ticket, &live).await;
        Ok(Once::Done(out))
    }
}
