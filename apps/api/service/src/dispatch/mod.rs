//! Turning one committed ticket event into its consequences, in one transaction that also
//! records the dispatch, so a repeated run does nothing twice: email notifications (through
//! the outbox), webhook deliveries, and the automation rules it triggers.
//!
//! Who is told: the requester and the people copied on the ticket of a public reply (but
//! its author), the requester of a move to `RESOLVED`; the
//! assignee of an assignment, of a customer's reply, of an internal note and of an SLA
//! warning or breach.
//! Nobody is told about their own action, and staff only of what their preferences ask for.

mod memo;
mod plan;
mod recipients;

use helpdesk_domain::TicketStatus;
use helpdesk_storage::repo::events::{self, Event};
use helpdesk_storage::repo::jobs::{self, NewJob};
use helpdesk_storage::repo::outbox::NewMessage;

use self::memo::Memo;
use self::plan::Plan;
use self::recipients::body;
use crate::Service;
use crate::automations::queue::queue_for_event;
use crate::error::ServiceResult;
use crate::job_kinds::WEBHOOK_JOB;
use crate::mail::{self, Audience, Known};

impl Service {
    /// Dispatches `e`; a second call for the same event does nothing.
    pub async fn dispatch_event(&self, e: &Event) -> ServiceResult<()> {
        self.dispatch_events(std::slice::from_ref(e)).await
    }

    /// Dispatches `batch` in one transaction: all or none; events already dispatched are
    /// skipped. One writer turn for many events lets SQLite's in-process worker keep pace
    /// with the API (whose requests take their turns one by one); on PostgreSQL the batch
    /// shares one commit. Everything the batch reads is read first ([`plan`](plan::Plan)),
    /// each workspace and person once ([`Memo`]), so the transaction only writes.
    pub async fn dispatch_events(&self, batch: &[Event]) -> ServiceResult<()> {
        let now = self.now();
        let read = self.store.read();
        let mut memo = Memo::default();
        let mut plans = Vec::with_capacity(batch.len());
        for e in batch {
            plans.push(self.plan(read, &mut memo, e).await?);
        }
        let tx = self.begin().await?;
        let ids: Vec<_> = batch.iter().map(|e| e.id).collect();
        let mut claimed = events::claim_dispatches(&tx, &ids, now).await?;
        for (e, plan) in batch.iter().zip(&plans) {
            // `remove`: an event named twice in the batch is dispatched once.
            if claimed.remove(&e.id) {
                self.dispatch_in(&tx, e, plan, now).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Writes the consequences of `e`, whose dispatch the caller has claimed.
    async fn dispatch_in(
        &self,
        tx: &sea_orm::DatabaseTransaction,
        e: &Event,
        plan: &Plan,
        now: i64,
    ) -> ServiceResult<()> {
        let Plan {
            ctx,
            ticket: t,
            workspace: ws,
            ..
        } = plan;
        let note = e.kind == "note.created";
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
            crate::csat::ask(tx, ctx, ws, t, now).await?
        } else {
            None
        };
        for told in &plan.told {
            let (u, why) = (&told.user, told.why);
            // Only staff hear of notes; their token marks a reply to them as a note.
            let mut text = body(why, t, plan.message.as_deref(), &link);
            if let Some(token) = survey.as_deref().filter(|_| why == "resolved") {
                text.push_str(&crate::csat::email_lines(&self.settings.public_url, token));
            }
            let (kind, text) = if note {
                let text = mail::with_note_ref(&text, key, ctx, t.id);
                (mail::NOTE_NOTIFICATION, text)
            } else {
                ("ticket_notification", mail::with_ref(&text, key, ctx, t.id))
            };
            let msg = NewMessage {
                kind,
                recipient: u.email.clone(),
                subject: format!("[{} #{}] {}", ws.name, t.number, t.subject),
                body: text,
                in_reply_to: Some(mail::thread_ref(key, ctx, t.id)),
                reply_to: None,
            };
            let cap = self.settings.mail_per_hour;
            // The recipient is an active user of the workspace: checked in the plan.
            let known = Known {
                workspace: Some(ws),
                mailboxes: Some(&plan.mailboxes),
                member: true,
                screened: Some(told.screened),
            };
            mail::queue_with(tx, ctx, cap, Audience::Members, msg, now, known).await?;
        }
        queue_for_event(tx, e, &plan.config.rule_triggers, now).await?;
        for w in plan.config.subscribed(&e.kind) {
            let payload = serde_json::json!({ "webhook_id": w.id, "event_id": e.id });
            let job = NewJob::new(WEBHOOK_JOB, payload).dedup(format!("{}:{}", e.id, w.id));
            jobs::enqueue(tx, e.workspace_id, job, now).await?;
        }
        Ok(())
    }
}
