//! Merging a duplicate into the ticket that carries on: the target gets a copy of the
//! source's opening, conversation and files (each marked with the ticket it came from,
//! at its original time), the source's requester and participants are copied on the
//! target, and the source is `CLOSED` pointing at the target (its SLA clocks stop, the
//! target's run on). Both timelines record it, and the events reach rules and webhooks.

use std::collections::HashMap;

use helpdesk_domain::{Permission, TicketId, TicketStatus, UserId};
use helpdesk_storage::repo::events::{self, Event, NewEvent};
use helpdesk_storage::repo::messages::{self, Message};
use helpdesk_storage::repo::tickets::{self, Ticket, TicketChanges, TicketRef, TicketRow};
use helpdesk_storage::repo::{attachments, mail_bodies, participants, sla, users};
use sea_orm::ConnectionTrait;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::brief::TicketBrief;
use super::change::{attribute, status_move};
use super::children::open_children;
use super::participants::join;
use super::sla_view::SlaClock;
use super::view::TicketOut;
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;

/// Why `source` may not go into `target`, if it may not.
async fn refusal(
    db: &impl ConnectionTrait,
    actor: &Actor,
    source: &Ticket,
    target: &Ticket,
) -> ServiceResult<Option<ServiceError>> {
    if source.id == target.id {
        return Ok(Some(ServiceError::invalid(
            "into",
            "is this ticket: merge it into another one",
        )));
    }
    if let Some(into) = merged_target(db, actor, source).await? {
        return Ok(Some(ServiceError::Merged(into)));
    }
    if source.is_closed() {
        return Ok(Some(ServiceError::closed_ticket()));
    }
    if target.merged_into_id == Some(source.id) {
        return Ok(Some(ServiceError::invalid(
            "into",
            "was merged into this ticket",
        )));
    }
    if target.is_closed() {
        return Ok(Some(ServiceError::invalid(
            "into",
            "is closed: a closed ticket takes nothing in",
        )));
    }
    let open = open_children(db, actor, source).await?;
    if !open.is_empty() {
        return Ok(Some(ServiceError::ChildrenOpen(open)));
    }
    Ok(None)
}

/// The ticket `t` was merged into, as its reader may name it.
pub async fn merged_target(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &Ticket,
) -> ServiceResult<Option<TicketBrief>> {
    let Some(into) = t.merged_into_id else {
        return Ok(None);
    };
    let found = tickets::in_workspace(db, &actor.ctx, &[into]).await?;
    found.first().map(TicketBrief::of).transpose()
}

/// The source's opening as a message of its requester, to copy first.
fn opening(source: &Ticket) -> Message {
    Message {
        id: source.id,
        workspace_id: source.workspace_id,
        ticket_id: source.id,
        author_id: Some(source.requester_id),
        author_api_key_id: None,
        body: source.description.clone(),
        internal: false,
        created_at: source.created_at,
        updated_at: source.created_at,
        merged_from_id: None,
    }
}

/// Copies the source's opening, messages, files and mail bodies into the target; the
/// numbers of messages and files copied.
async fn copy_conversation(
    db: &impl ConnectionTrait,
    actor: &Actor,
    source: &Ticket,
    target: &Ticket,
    now: i64,
) -> ServiceResult<(usize, usize)> {
    let ctx = &actor.ctx;
    let (from, to) = (
        TicketId::from_uuid(source.id),
        TicketId::from_uuid(target.id),
    );
    let mut conversation = vec![opening(source)];
    conversation.extend(messages::all_for_ticket(db, ctx, from).await?);
    // Old id → copy's id; the opening is keyed by the source ticket's id, as its files
    // (no message) and its mail body are.
    let mut copies: HashMap<Uuid, Uuid> = HashMap::new();
    for m in &conversation {
        let copy = messages::copy_into(db, ctx, to, m, from, now).await?;
        copies.insert(m.id, copy.id);
    }
    let files = attachments::for_ticket(db, ctx, from).await?;
    let mut renamed: Vec<(String, String)> = Vec::new();
    for a in &files {
        let message = copies.get(&a.message_id.unwrap_or(source.id)).copied();
        let copy = attachments::copy_into(db, ctx, to, message, a, from, now).await?;
        renamed.push((a.id.to_string(), copy.id.to_string()));
    }
    let old: Vec<Uuid> = copies.keys().copied().collect();
    for (id, body) in mail_bodies::for_ids(db, ctx, &old).await? {
        // Inline images point at the copies of their files.
        let html = body.html.map(|mut h| {
            for (a, b) in &renamed {
                h = h.replace(a, b);
            }
            h
        });
        if let Some(copy) = copies.get(&id) {
            mail_bodies::put(db, ctx, *copy, html, body.quoted_from, now).await?;
        }
    }
    tickets::rebuild_ticket_search(db, to).await?;
    Ok((conversation.len(), files.len()))
}

/// Copies the source's requester and participants on the target.
async fn copy_people(
    db: &impl ConnectionTrait,
    actor: &Actor,
    source: &Ticket,
    target: &Ticket,
    now: i64,
) -> ServiceResult<()> {
    let ctx = &actor.ctx;
    let mut ids = vec![UserId::from_uuid(source.requester_id)];
    for p in participants::of_ticket(db, ctx, source.id).await? {
        ids.push(UserId::from_uuid(p));
    }
    let people = users::many(db, ctx, &ids).await?;
    for id in &ids {
        if let Some(u) = people.iter().find(|u| u.id == id.as_uuid()) {
            join(db, ctx, target, u, now).await?;
        }
    }
    Ok(())
}

/// Writes the merge of `source` into `target`; the updated target, source and events.
async fn write(
    db: &impl ConnectionTrait,
    actor: &Actor,
    source: &Ticket,
    target: &Ticket,
    now: i64,
) -> ServiceResult<(Ticket, Ticket, Vec<Event>)> {
    let ctx = &actor.ctx;
    let (copied, files) = copy_conversation(db, actor, source, target, now).await?;
    copy_people(db, actor, source, target, now).await?;
    let from_status = source.status()?;
    let changes = TicketChanges {
        status: status_move(source, TicketStatus::Closed, now)?,
        merged_into: Some(target.id),
        ..TicketChanges::default()
    };
    let mut closed = tickets::update(db, ctx, source, changes, now).await?;
    let mut out = Vec::new();
    let mut log = Map::new();
    log.insert("status".into(), json!([from_status, TicketStatus::Closed]));
    log.insert(
        "merged_into".into(),
        json!([null, TicketBrief::json(target)]),
    );
    attribute(&mut log, actor);
    let e = NewEvent {
        ticket_id: TicketId::from_uuid(source.id),
        kind: "ticket.updated",
        changes: Value::Object(log),
        message_id: None,
        internal: false,
    };
    out.push(events::record(db, ctx, e, now).await?);
    out.extend(sla::track(db, ctx, source, &mut closed, None, now).await?);
    let grown = tickets::update(db, ctx, target, TicketChanges::default(), now).await?;
    let mut summary = Map::new();
    summary.insert("merged_from".into(), TicketBrief::json(source));
    summary.insert("subject".into(), json!(source.subject));
    summary.insert("messages".into(), json!(copied));
    summary.insert("attachments".into(), json!(files));
    attribute(&mut summary, actor);
    let e = NewEvent {
        ticket_id: TicketId::from_uuid(target.id),
        kind: "ticket.merged",
        changes: Value::Object(summary),
        message_id: None,
        internal: false,
    };
    out.push(events::record(db, ctx, e, now).await?);
    Ok((grown, closed, out))
}

impl Service {
    /// `POST /tickets/{id}/merge` (staff): merges ticket `source` into `into`; the
    /// target as it is after.
    pub async fn merge_ticket(
        &self,
        actor: &Actor,
        source: TicketRef,
        into: TicketRef,
    ) -> ServiceResult<TicketOut> {
        require(actor, Permission::WorkTickets)?;
        let ctx = &actor.ctx;
        let now = self.now();
        let tx = self.begin().await?;
        let s = tickets::get(&tx, ctx, source).await?;
        let t = tickets::get(&tx, ctx, into).await?;
        // Locked in id order, so two merges of one pair wait rather than deadlock.
        let (first, second) = if s.id < t.id { (&s, &t) } else { (&t, &s) };
        let first =
            tickets::get_for_update(&tx, ctx, TicketRef::Id(TicketId::from_uuid(first.id))).await?;
        let second = if second.id == first.id {
            first.clone()
        } else {
            tickets::get_for_update(&tx, ctx, TicketRef::Id(TicketId::from_uuid(second.id))).await?
        };
        let (s, t) = if first.id == s.id {
            (first, second)
        } else {
            (second, first)
        };
        if let Some(no) = refusal(&tx, actor, &s, &t).await? {
            return Err(no);
        }
        let (target, source_after, recorded) = write(&tx, actor, &s, &t, now).await?;
        let clock = SlaClock::load(&tx, ctx, &[&target], now).await?;
        tx.commit().await?;
        let (on_source, on_target): (Vec<Event>, Vec<Event>) =
            recorded.into_iter().partition(|e| e.ticket_id == s.id);
        self.publish(&source_after, &on_source).await;
        self.publish(&target, &on_target).await;
        TicketOut::from_row(target, &clock)
    }
}
