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
mod recipients;

use helpdesk_domain::preferences::Preferences;
use helpdesk_domain::{MessageId, TenantCtx, TicketId, TicketStatus, WorkspaceId};
use helpdesk_storage::repo::events::{self, Event};
use helpdesk_storage::repo::jobs::{self, NewJob};
use helpdesk_storage::repo::messages;
use helpdesk_storage::repo::outbox::NewMessage;
use helpdesk_storage::repo::tickets::{self, TicketRef};

use self::memo::Memo;
use self::recipients::{body, recipients, sla_lead};
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
    /// shares one commit, and [`Memo`] reads each workspace and person once.
    pub async fn dispatch_events(&self, batch: &[Event]) -> ServiceResult<()> {
        let now = self.now();
        let tx = self.begin().await?;
        let mut memo = Memo::default();
        for e in batch {
            self.dispatch_in(&tx, &mut memo, e, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn dispatch_in(
        &self,
        tx: &sea_orm::DatabaseTransaction,
        memo: &mut Memo,
        e: &Event,
        now: i64,
    ) -> ServiceResult<()> {
        let ctx = TenantCtx::system(WorkspaceId::from_uuid(e.workspace_id));
        if !events::claim_dispatch(tx, e.id, now).await? {
            return Ok(());
        }
        let t = tickets::get(tx, &ctx, TicketRef::Id(TicketId::from_uuid(e.ticket_id))).await?;
        let ws = memo.workspace(tx, ctx.workspace_id).await?;
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
        for (user, why) in recipients(tx, memo, &ctx, e, &t).await? {
            let Some(u) = memo.user(tx, &ctx, user).await? else {
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
            // The recipient is an active user of the workspace: checked above.
            let known = Known {
                workspace: Some(&ws),
                mailboxes: Some(memo.mailboxes(tx, &ctx).await?),
                member: true,
            };
            mail::queue_with(tx, &ctx, cap, Audience::Members, msg, now, known).await?;
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
