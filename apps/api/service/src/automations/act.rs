//! Carries out a rule's actions on one ticket, in the rule's transaction; every action
//! writes a ticket event naming the rule. An action that no longer makes sense (an agent
//! deactivated since the rule was saved, a status the ticket cannot move to) is skipped,
//! never an error.

use helpdesk_domain::automation::{Action, AssignTo, Recipient, template};
use helpdesk_domain::{Role, TenantCtx, UserId};
use helpdesk_storage::repo::events::Event;
use helpdesk_storage::repo::jobs::{self, NewJob};
use helpdesk_storage::repo::outbox::NewMessage;
use helpdesk_storage::repo::tickets::{Ticket, TicketRow};
use helpdesk_storage::repo::users::UserRow;
use helpdesk_storage::repo::{automations, users};
use sea_orm::ConnectionTrait;
use serde_json::json;
use uuid::Uuid;

use crate::actor::{Actor, Cause};
use crate::error::{ServiceError, ServiceResult};
use crate::job_kinds::WEBHOOK_JOB;
use crate::mail::{self, Audience};
use crate::tickets::actions::edit_of;
use crate::tickets::change::{applied, change};
use crate::tickets::reply::note;

/// What the actions need besides the ticket.
#[derive(Debug)]
pub struct Run<'a> {
    pub ctx: &'a TenantCtx,
    pub cause: &'a Cause,
    /// The rule as the actor of every change.
    pub actor: Actor,
    /// The event that triggered the rule (none for scheduled rules).
    pub event: Option<&'a Event>,
    pub public_url: &'a str,
    /// The workspace's hourly mail allowance.
    pub mail_per_hour: u32,
    /// Signs the ticket reference of the mail a rule sends.
    pub thread_key: &'a helpdesk_domain::inbound::ThreadKey,
    pub now: i64,
}

async fn active_staff(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ids: &[Uuid],
) -> ServiceResult<Vec<Uuid>> {
    let mut out = Vec::new();
    for id in ids {
        if let Ok(u) = users::get(db, ctx, UserId::from_uuid(*id)).await
            && u.is_active_staff()
        {
            out.push(*id);
        }
    }
    Ok(out)
}

async fn pick(
    db: &impl ConnectionTrait,
    r: &Run<'_>,
    to: &AssignTo,
) -> ServiceResult<Option<Uuid>> {
    Ok(match to {
        AssignTo::Agent(a) => active_staff(db, r.ctx, &[*a]).await?.first().copied(),
        AssignTo::RoundRobin(list) => {
            let active = active_staff(db, r.ctx, list).await?;
            if active.is_empty() {
                return Ok(None);
            }
            let turn = automations::take_turn(db, r.ctx, r.cause.automation_id).await?;
            let n = i64::try_from(active.len()).unwrap_or(1);
            active
                .get(usize::try_from(turn.rem_euclid(n)).unwrap_or(0))
                .copied()
        }
        AssignTo::LeastLoaded(list) => {
            let active = active_staff(db, r.ctx, list).await?;
            let load = automations::open_load(db, r.ctx, &active).await?;
            // `min_by_key` keeps the first of equals: ties go to the earlier agent.
            load.into_iter().min_by_key(|(_, n)| *n).map(|(a, _)| a)
        }
    })
}

/// An action that no longer fits the ticket (a status it cannot take, an agent gone since
/// the rule was saved) is skipped: the ticket stays as it is.
fn skip_invalid(
    r: ServiceResult<(Ticket, Vec<Event>)>,
    t: &Ticket,
) -> ServiceResult<(Ticket, Vec<Event>)> {
    match r {
        Ok(x) => Ok(x),
        Err(ServiceError::InvalidTransition(_) | ServiceError::Validation(_)) => {
            Ok((t.clone(), Vec::new()))
        }
        Err(e) => Err(e),
    }
}

async fn render(db: &impl ConnectionTrait, r: &Run<'_>, t: &Ticket, text: &str) -> String {
    let requester = users::get(db, r.ctx, UserId::from_uuid(t.requester_id))
        .await
        .map(|u| u.name)
        .unwrap_or_default();
    let metric = r
        .event
        .and_then(|e| e.changes["metric"].as_str())
        .unwrap_or_default()
        .replace('_', " ");
    template::render(text, |name| match name {
        "ticket.number" => t.number.to_string(),
        "ticket.subject" => t.subject.clone(),
        "ticket.status" => t.status.clone(),
        "ticket.priority" => helpdesk_domain::Priority::from_rank(t.priority)
            .map_or("", |p| p.as_str())
            .to_owned(),
        "ticket.url" => format!(
            "{}/tickets/{}",
            r.public_url.trim_end_matches('/'),
            t.number
        ),
        "requester.name" => requester.clone(),
        "rule.name" => r.cause.name.clone(),
        "sla.metric" => metric.clone(),
        _ => String::new(),
    })
}

async fn recipients(
    db: &impl ConnectionTrait,
    r: &Run<'_>,
    t: &Ticket,
    to: &Recipient,
    address: Option<&str>,
) -> ServiceResult<Vec<String>> {
    let user = |id: Uuid| async move {
        users::get(db, r.ctx, UserId::from_uuid(id))
            .await
            .ok()
            .filter(|u| u.active)
            .map(|u| u.email)
    };
    Ok(match to {
        Recipient::Requester => user(t.requester_id).await.into_iter().collect(),
        Recipient::Assignee => match t.assignee_id {
            Some(a) => user(a).await.into_iter().collect(),
            None => Vec::new(),
        },
        Recipient::Admins => {
            let filter = users::UserFilter {
                role: Some(Role::Admin),
                ..users::UserFilter::default()
            };
            let page = helpdesk_storage::repo::Page {
                limit: 100,
                after: None,
            };
            users::list(db, r.ctx, &filter, page)
                .await?
                .into_iter()
                .filter(|u| u.active)
                .map(|u| u.email)
                .collect()
        }
        Recipient::Address => address.map(str::to_owned).into_iter().collect(),
    })
}

/// Runs `actions` in order on `t`; returns the ticket after them and the events written.
pub async fn run(
    db: &impl ConnectionTrait,
    r: &Run<'_>,
    actions: &[Action],
    ticket: Ticket,
) -> ServiceResult<(Ticket, Vec<Event>)> {
    let mut t = ticket;
    let mut out = Vec::new();
    let actor = &r.actor;
    for action in actions {
        // A closed ticket does not change, whoever asks; nor do later actions once a rule
        // closed it.
        if t.is_closed() {
            break;
        }
        let (next, events) = match action {
            Action::Assign(to) => match pick(db, r, to).await? {
                Some(a) => {
                    let one = Action::Assign(AssignTo::Agent(a));
                    match edit_of(&one, &t) {
                        Some(edit) => skip_invalid(change(db, actor, &t, edit, r.now).await, &t)?,
                        None => (t.clone(), Vec::new()),
                    }
                }
                None => (t.clone(), Vec::new()),
            },
            Action::AddInternalNote(body) => {
                let text = render(db, r, &t, body).await;
                skip_invalid(note(db, actor, &t, text, None, r.now).await, &t)?
            }
            Action::Notify {
                to,
                address,
                subject,
                body,
            } => {
                let subject = render(db, r, &t, subject).await;
                let text = render(db, r, &t, body).await;
                let sent = recipients(db, r, &t, to, address.as_deref()).await?;
                for recipient in &sent {
                    let msg = NewMessage {
                        kind: "automation_notification",
                        recipient: recipient.clone(),
                        subject: subject.clone(),
                        body: mail::with_ref(&text, r.thread_key, r.ctx, t.id),
                        in_reply_to: Some(mail::thread_ref(r.thread_key, r.ctx, t.id)),
                        reply_to: None,
                    };
                    let audience = match to {
                        Recipient::Address => Audience::Address,
                        _ => Audience::Members,
                    };
                    mail::queue(db, r.ctx, r.mail_per_hour, audience, msg, r.now).await?;
                }
                let detail = json!({"action": "notify", "to": to, "recipients": sent.len()});
                let e = applied(db, actor, &t, detail, r.now).await?;
                (t.clone(), vec![e])
            }
            Action::Webhook(id) => {
                let detail = json!({"action": "webhook", "webhook_id": id});
                let e = applied(db, actor, &t, detail, r.now).await?;
                let payload = json!({ "webhook_id": id, "event_id": e.id });
                let job = NewJob::new(WEBHOOK_JOB, payload).dedup(format!("{}:{id}", e.id));
                jobs::enqueue(db, r.ctx.workspace_id.as_uuid(), job, r.now).await?;
                (t.clone(), vec![e])
            }
            field => match edit_of(field, &t) {
                Some(edit) => skip_invalid(change(db, actor, &t, edit, r.now).await, &t)?,
                None => (t.clone(), Vec::new()),
            },
        };
        t = next;
        out.extend(events);
    }
    Ok((t, out))
}
