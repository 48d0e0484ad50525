//! Turning one committed ticket event into its consequences, in one transaction that also
//! records the dispatch, so a repeated run does nothing twice: email notifications (through
//! the outbox), webhook deliveries, and the automation rules it triggers.
//!
//! Who is told: the requester and the people copied on the ticket of a public reply (but
//! its author), the requester of a move to `RESOLVED`; the
//! assignee of an assignment, of a customer's reply, of an internal note and of an SLA
//! warning or breach.
//! Nobody is told about their own action, and staff only of what their preferences ask for.

use helpdesk_domain::preferences::Preferences;
use helpdesk_domain::{MessageId, Role, TenantCtx, TicketId, TicketStatus, UserId, WorkspaceId};
use helpdesk_storage::repo::events::{self, Event};
use helpdesk_storage::repo::jobs::{self, NewJob};
use helpdesk_storage::repo::outbox::NewMessage;
use helpdesk_storage::repo::tickets::{self, Ticket, TicketRef};
use helpdesk_storage::repo::users::UserRow;
use helpdesk_storage::repo::{messages, participants, users, workspaces};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::Service;
use crate::automations::queue::queue_for_event;
use crate::error::ServiceResult;
use crate::job_kinds::WEBHOOK_JOB;
use crate::mail::{self, Audience};

/// Who should hear of `event`, and why (for the email's wording).
async fn recipients(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    e: &Event,
    t: &Ticket,
) -> ServiceResult<Vec<(Uuid, &'static str)>> {
    let actor_role = match e.actor_id {
        Some(a) => users::get(db, ctx, UserId::from_uuid(a))
            .await
            .ok()
            .and_then(|u| u.role().ok()),
        None if e.actor_api_key_id.is_some() => Some(Role::Agent),
        None => None,
    };
    let mut out = Vec::new();
    match e.kind.as_str() {
        "message.created" => match actor_role {
            // The requester and everyone copied on the ticket.
            Some(r) if r.is_staff() => {
                out.push((t.requester_id, "reply"));
                let copied = participants::of_ticket(db, ctx, t.id).await?;
                out.extend(copied.into_iter().map(|p| (p, "reply")));
            }
            // The assignee, and the other customers on the ticket (the requester, the
            // people copied): the author is left out below.
            Some(Role::Customer) => {
                out.extend(t.assignee_id.map(|a| (a, "customer_reply")));
                out.push((t.requester_id, "reply"));
                let copied = participants::of_ticket(db, ctx, t.id).await?;
                out.extend(copied.into_iter().map(|p| (p, "reply")));
            }
            _ => {}
        },
        // An internal note reaches the assignee (staff only; never the requester).
        "note.created" => out.extend(t.assignee_id.map(|a| (a, "note"))),
        "ticket.updated" => {
            if e.changes["status"][1] == TicketStatus::Resolved.as_str() {
                out.push((t.requester_id, "resolved"));
            }
            if let Some(a) = e.changes["assignee_id"][1]
                .as_str()
                .and_then(|s| s.parse::<Uuid>().ok())
            {
                out.push((a, "assigned"));
            }
        }
        // Unassigned tickets' SLA events reach admins through the default rules, which a
        // workspace can edit.
        "sla.warning" | "sla.breached" => {
            let why = if e.kind == "sla.warning" {
                "sla_warning"
            } else {
                "sla_breached"
            };
            out.extend(t.assignee_id.map(|a| (a, why)));
        }
        _ => {}
    }
    // Nobody is told about their own action.
    out.retain(|(u, _)| Some(*u) != e.actor_id);
    Ok(out)
}

fn sla_lead(e: &Event) -> String {
    let metric = e.changes["metric"]
        .as_str()
        .unwrap_or("sla")
        .replace('_', " ");
    let at = e.changes["at"].as_str().unwrap_or_default();
    if e.kind == "sla.warning" {
        format!("The {metric} deadline of this ticket is near (warning point passed at {at}).")
    } else {
        format!("This ticket breached its {metric} SLA at {at}.")
    }
}

fn body(why: &str, t: &Ticket, message: Option<&str>, link: &str) -> String {
    let lead = match why {
        "reply" => "There is a new reply on your ticket:",
        "customer_reply" => "The customer replied:",
        "note" => "An internal note was added (reply to this email to add another note):",
        "resolved" => "Your ticket was resolved. Reply to reopen it.",
        "sla_warning" | "sla_breached" => "SLA alert:",
        _ => "This ticket was assigned to you.",
    };
    let quoted = message.map(|m| format!("\n\n{m}\n")).unwrap_or_default();
    format!("{lead}{quoted}\n\n#{} {}\n{link}\n", t.number, t.subject)
}

impl Service {
    /// Dispatches `e`; a second call for the same event does nothing.
    pub async fn dispatch_event(&self, e: &Event) -> ServiceResult<()> {
        self.dispatch_events(std::slice::from_ref(e)).await
    }

    /// Dispatches `batch` in one transaction: all or none. One writer turn for many
    /// events lets SQLite's in-process worker keep pace with the API (whose requests take
    /// their turns one by one); events already dispatched are skipped.
    pub async fn dispatch_events(&self, batch: &[Event]) -> ServiceResult<()> {
        let now = self.now();
        let tx = self.begin().await?;
        for e in batch {
            self.dispatch_in(&tx, e, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn dispatch_in(
        &self,
        tx: &sea_orm::DatabaseTransaction,
        e: &Event,
        now: i64,
    ) -> ServiceResult<()> {
        let ctx = TenantCtx::system(WorkspaceId::from_uuid(e.workspace_id));
        if !events::claim_dispatch(tx, e.id, now).await? {
            return Ok(());
        }
        let t = tickets::get(tx, &ctx, TicketRef::Id(TicketId::from_uuid(e.ticket_id))).await?;
        let ws = workspaces::get(tx, ctx.workspace_id).await?;
        let note = e.kind == "note.created";
        let message = match e.message_id {
            Some(m) if !e.internal || note => {
                messages::get(tx, &ctx, TicketId::from_uuid(t.id), MessageId::from_uuid(m))
                    .await
                    .ok()
                    .map(|m| m.body)
            }
            _ if e.kind.starts_with("sla.") => Some(sla_lead(e)),
            _ => None,
        };
        let link = format!(
            "{}/tickets/{}",
            self.settings.public_url.trim_end_matches('/'),
            t.number
        );
        let key = &self.settings.thread_key;
        // A resolution asks the requester how it went, in the "resolved" email.
        let survey = if e.kind == "ticket.updated"
            && e.changes["status"][1] == TicketStatus::Resolved.as_str()
        {
            crate::csat::ask(tx, &ctx, &ws, &t, now).await?
        } else {
            None
        };
        for (user, why) in recipients(tx, &ctx, e, &t).await? {
            let Ok(u) = users::get(tx, &ctx, UserId::from_uuid(user)).await else {
                continue;
            };
            // The user's own choice of ticket emails (staff reasons only).
            if !u.active
                || !Preferences::from_json(&u.preferences)
                    .email_notifications
                    .wants(why)
            {
                continue;
            }
            // Only staff hear of notes; their token marks a reply to them as a note.
            let mut text = body(why, &t, message.as_deref(), &link);
            if let Some(token) = survey.as_deref().filter(|_| why == "resolved") {
                text.push_str(&crate::csat::email_lines(&self.settings.public_url, token));
            }
            let (kind, text) = if note {
                let text = mail::with_note_ref(&text, key, &ctx, t.id);
                (mail::NOTE_NOTIFICATION, text)
            } else {
                (
                    "ticket_notification",
                    mail::with_ref(&text, key, &ctx, t.id),
                )
            };
            let msg = NewMessage {
                kind,
                recipient: u.email,
                subject: format!("[{} #{}] {}", ws.name, t.number, t.subject),
                body: text,
                in_reply_to: Some(mail::thread_ref(key, &ctx, t.id)),
                reply_to: None,
            };
            let cap = self.settings.mail_per_hour;
            mail::queue(tx, &ctx, cap, Audience::Members, msg, now).await?;
        }
        let config = self.dispatch_configs.get(tx, &ws).await?;
        queue_for_event(tx, e, &config.rule_triggers, now).await?;
        for w in config.subscribed(&e.kind) {
            let payload = serde_json::json!({ "webhook_id": w.id, "event_id": e.id });
            let job = NewJob::new(WEBHOOK_JOB, payload).dedup(format!("{}:{}", e.id, w.id));
            jobs::enqueue(tx, e.workspace_id, job, now).await?;
        }
        Ok(())
    }
}
