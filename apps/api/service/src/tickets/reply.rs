//! Messages on a ticket: public replies and internal notes, by a person, a rule, an alert
//! or (soon) an email. A public reply moves the ticket as the status machine says and the
//! first public staff reply sets `first_response_at`; a note may carry a status move.

use helpdesk_domain::preferences::Preferences;
use helpdesk_domain::status_machine;
use helpdesk_domain::{MessageId, TicketId, TicketStatus};
use helpdesk_storage::batch::Batch;
use helpdesk_storage::repo::events::{self, Event, NewEvent};
use helpdesk_storage::repo::mail_bodies;
use helpdesk_storage::repo::messages::{self, Message};
use helpdesk_storage::repo::sla;
use helpdesk_storage::repo::tickets::{self, Ticket, TicketChanges, TicketRef, TicketRow};
use helpdesk_storage::repo::users;
use sea_orm::ConnectionTrait;
use serde_json::{Map, Value, json};

use super::change::{attribute, status_move};
use super::view::MessageOut;
use crate::Service;
use crate::actor::{Actor, Via};
use crate::error::{ServiceError, ServiceResult};
use crate::idempotency::{IdemKey, Keyed, Once};
use crate::paging::{PageRequest, Paginated, paginate_rows};
use crate::permissions::require;
use crate::ratelimit::{Bucket, refuse};
use crate::time::rfc3339;
use helpdesk_domain::Permission;

/// A message to write: its text, whether only staff see it, and for notes an explicit
/// status to move to (a public reply's move follows from who wrote it).
#[derive(Debug, Clone)]
pub struct Post {
    pub body: String,
    pub internal: bool,
    pub status: Option<TicketStatus>,
    /// Add the author's signature (staff, public replies; see their preferences).
    pub signed: bool,
    /// The ticket's version the author saw: a newer one (someone replied or changed it
    /// meanwhile) refuses the message with a conflict, so nothing is sent unread.
    pub expected_version: Option<i64>,
}

/// The status after a public message: staff replies open a new ticket, customer replies
/// bring a waiting or resolved one back.
fn reply_move(actor: &Actor, from: TicketStatus) -> TicketStatus {
    if actor.is_staff() {
        status_machine::after_staff_reply(from)
    } else {
        status_machine::after_customer_reply(from)
    }
}

/// Writes `post` on `t` as `actor`, in the caller's transaction: the message, the status
/// move, the first response, the SLA and the events. Returns the message, the updated
/// ticket and the events written.
pub async fn post(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &Ticket,
    post: Post,
    now: i64,
) -> ServiceResult<(Message, Ticket, Vec<Event>)> {
    let ctx = &actor.ctx;
    let from = t.status()?;
    if let Some(into) = super::merge::merged_target(db, actor, t).await? {
        return Err(ServiceError::Merged(into));
    }
    if !status_machine::accepts_replies(from) {
        return Err(ServiceError::InvalidTransition(
            "the ticket is closed; open a follow-up ticket".into(),
        ));
    }
    let staff = actor.is_staff();
    let ticket_id = TicketId::from_uuid(t.id);
    let to = match post.status {
        Some(to) => to,
        None if post.internal => from,
        None => reply_move(actor, from),
    };
    super::children::guard_children(db, actor, t, to).await?;
    let backend = db.get_database_backend();
    let (msg, insert) = messages::create_statement(
        backend,
        ctx,
        ticket_id,
        post.body.clone(),
        post.internal,
        now,
    );
    let mut changes = TicketChanges {
        message_text: Some((post.body, post.internal)),
        ..TicketChanges::default()
    };
    let mut log = Map::new();
    if let Some(moved) = status_move(t, to, now)? {
        changes.status = Some(moved);
        log.insert("status".into(), json!([from, to]));
    }
    if !post.internal && staff && t.first_response_at.is_none() {
        changes.first_response_at = Some(now);
        log.insert("first_response_at".into(), json!([null, rfc3339(now)]));
    }
    let mut summary = Map::new();
    summary.insert("message_id".into(), json!(msg.id));
    summary.insert("internal".into(), json!(post.internal));
    attribute(&mut summary, actor);
    let kind = if post.internal {
        "note.created"
    } else {
        "message.created"
    };
    let mut new = vec![NewEvent {
        ticket_id,
        kind,
        changes: Value::Object(summary),
        message_id: Some(MessageId::from_uuid(msg.id)),
        internal: post.internal,
    }];
    if !log.is_empty() {
        attribute(&mut log, actor);
        new.push(NewEvent {
            ticket_id,
            kind: "ticket.updated",
            changes: Value::Object(log),
            message_id: None,
            internal: false,
        });
    }
    let (mut recorded, events) = events::prepare(backend, ctx, new, now);
    // Every message is activity: the ticket's version and updated_at move. The message and
    // its events are written in the same round trip as the ticket's update (inside a
    // transaction, on SQLite, that holds the one write lock).
    let mut with = Batch::new(backend);
    with.push(insert).append(events);
    let mut updated = tickets::update_after(db, ctx, t, changes, now, with).await?;
    let reply = match (post.internal, staff) {
        (true, _) => None,
        (false, true) => Some(sla::Reply::Agent),
        (false, false) => Some(sla::Reply::Customer),
    };
    recorded.extend(sla::track(db, ctx, t, &mut updated, reply, now).await?);
    Ok((msg, updated, recorded))
}

/// An internal note, optionally with a status move (alerts, rules).
pub async fn note(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &Ticket,
    body: String,
    status: Option<TicketStatus>,
    now: i64,
) -> ServiceResult<(Ticket, Vec<Event>)> {
    let p = Post {
        body,
        internal: true,
        status,
        signed: false,
        expected_version: None,
    };
    let (_, t, events) = post(db, actor, t, p, now).await?;
    Ok((t, events))
}

/// The largest message body: one ticket's conversation stays cheap to show and to index.
pub const MESSAGE_MAX_BYTES: usize = 64 * 1024;

impl Service {
    /// Refuses a person's (or an email's) message beyond their per-minute allowance, or,
    /// with `ticket`, beyond the ticket's. Rules, alerts and the system are not limited:
    /// their own bounds apply (rule depth, alert dedup).
    async fn limit_messages(&self, actor: &Actor, ticket: Option<&Ticket>) -> ServiceResult<()> {
        if !matches!(actor.via, Via::Request | Via::Email) {
            return Ok(());
        }
        let (bucket, key) = match ticket {
            None => (
                Bucket::MessagesByAuthor,
                match actor.ctx.actor {
                    helpdesk_domain::Actor::User(u) => format!("user:{u}"),
                    helpdesk_domain::Actor::ApiKey(k) => format!("key:{k}"),
                    helpdesk_domain::Actor::System => "system".to_owned(),
                },
            ),
            Some(t) => (Bucket::MessagesOnTicket, t.id.to_string()),
        };
        let key = format!("{}:{key}", actor.ctx.workspace_id);
        refuse(self.limiter.check(bucket, &key).await)
    }

    /// A reply or internal note on ticket `r`; customers may only reply, on their own
    /// tickets. Staff may set the status in the same step (reply and set PENDING).
    pub async fn add_message(
        &self,
        actor: &Actor,
        r: TicketRef,
        message: Post,
        key: Option<IdemKey>,
    ) -> ServiceResult<Once<MessageOut>> {
        let ctx = &actor.ctx;
        let Post {
            body,
            internal,
            status,
            signed,
            expected_version,
        } = message;
        if status.is_some() && !actor.is_staff() {
            return Err(ServiceError::Forbidden);
        }
        if body.trim().is_empty() {
            return Err(ServiceError::invalid("body", "must not be blank"));
        }
        if body.len() > MESSAGE_MAX_BYTES {
            return Err(ServiceError::invalid(
                "body",
                format!("must be at most {} KiB", MESSAGE_MAX_BYTES / 1024),
            ));
        }
        if internal {
            require(actor, Permission::WorkTickets)?;
        }
        self.limit_messages(actor, None).await?;
        let now = self.now();
        let mut idem = Keyed::new(key);
        if let Some(replay) = idem.replay(self.store.read(), ctx, now).await? {
            return Ok(Once::Replayed(replay));
        }
        let tx = self.begin().await?;
        let t = tickets::get_for_update(&tx, ctx, r).await?;
        if let Some(seen) = expected_version.filter(|v| *v != t.version) {
            return Err(ServiceError::Conflict(format!(
                "the ticket changed after version {seen} (it is at version {}): read what is new before sending",
                t.version
            )));
        }
        self.limit_messages(actor, Some(&t)).await?;
        if !idem.claim(&tx, ctx, now).await? {
            drop(tx);
            return idem.replay_after_race(self.store.read(), ctx, now).await;
        }
        let body = match actor.ctx.user_id() {
            Some(me) if signed && !internal && actor.is_staff() => {
                let author = users::get(&tx, ctx, me).await?;
                Preferences::from_json(&author.preferences).signed(&body)
            }
            _ => body,
        };
        let p = Post {
            body,
            internal,
            status,
            signed: false,
            expected_version: None,
        };
        let (msg, updated, recorded) = post(&tx, actor, &t, p, now).await?;
        let out = MessageOut::from(msg);
        idem.complete(&tx, true, &out).await?;
        tx.commit().await?;
        self.publish(&updated, &recorded).await;
        Ok(Once::Done(out))
    }

    /// The conversation, oldest first, a page at a time; customers never see internal
    /// notes.
    pub async fn messages(
        &self,
        actor: &Actor,
        r: TicketRef,
        page: PageRequest,
    ) -> ServiceResult<Paginated<MessageOut>> {
        let page = page.page()?;
        let db = self.store.read();
        let t = tickets::get(db, &actor.ctx, r).await?;
        let id = TicketId::from_uuid(t.id);
        let rows = messages::page_for_ticket(db, &actor.ctx, id, actor.is_staff(), page).await?;
        let ids: Vec<uuid::Uuid> = rows.iter().map(|m| m.id).collect();
        let bodies = mail_bodies::for_ids(db, &actor.ctx, &ids).await?;
        Ok(paginate_rows(rows, page, |m| m.id).map(|m| {
            let body = bodies.get(&m.id).cloned();
            let mut out = MessageOut::from(m);
            if let Some(b) = body {
                out.html = b.html;
                out.quoted_from = b.quoted_from;
            }
            out
        }))
    }
}
