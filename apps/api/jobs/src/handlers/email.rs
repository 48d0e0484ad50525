//! `email.send`: delivers one outbox message, once. `email.sweep`: re-queues messages that
//! are still unsent (SMTP was down or not configured), once SMTP works.

use helpdesk_domain::time::to_micros;
use helpdesk_service::mail::NOTE_NOTIFICATION;
use helpdesk_storage::Store;
use helpdesk_storage::repo::jobs::{self, Job, NewJob};
use helpdesk_storage::repo::outbox;
use uuid::Uuid;

use super::{Handler, JobError};
use crate::mail::{Email, Mailer, Sent};

fn uuid_field(job: &Job, field: &str) -> Result<Uuid, JobError> {
    job.payload[field]
        .as_str()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| JobError(format!("payload has no {field}")))
}

#[derive(Debug, Clone)]
pub struct SendEmail {
    pub store: Store,
    pub mailer: Mailer,
    pub clock: std::sync::Arc<dyn helpdesk_domain::time::Clock>,
}

#[async_trait::async_trait]
impl Handler for SendEmail {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let id = uuid_field(job, "outbox_id")?;
        let Some(msg) = outbox::get(self.store.read(), id)
            .await
            .map_err(JobError::new)?
        else {
            return Ok(());
        };
        // Idempotent: what was sent is recorded, and never sent again.
        if msg.sent_at.is_some() {
            return Ok(());
        }
        let email = Email {
            to: msg.recipient.clone(),
            subject: msg.subject.clone(),
            body: msg.body.clone(),
            // Mail about a ticket carries its signed reference in its own Message-ID too.
            // A note's notification says so in its Message-ID, so a reply to it by email
            // stays an internal note.
            message_id: match &msg.in_reply_to {
                Some(thread) if msg.kind == NOTE_NOTIFICATION => {
                    format!("{}.note.{thread}", msg.id.simple())
                }
                Some(thread) => format!("{}.{thread}", msg.id.simple()),
                None => format!("{}@helpdesk", msg.id),
            },
            in_reply_to: msg.in_reply_to.clone(),
            reply_to: msg.reply_to.clone(),
        };
        match self.mailer.send(&email).await.map_err(JobError)? {
            Sent::Delivered => {
                let now = to_micros(self.clock.now());
                outbox::mark_sent(self.store.write(), msg.id, now)
                    .await
                    .map_err(JobError::new)?;
            }
            Sent::NotConfigured => {}
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
pub struct SweepOutbox {
    pub store: Store,
    pub mailer: Mailer,
    pub clock: std::sync::Arc<dyn helpdesk_domain::time::Clock>,
}

#[async_trait::async_trait]
impl Handler for SweepOutbox {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        if !self.mailer.is_configured() {
            return Ok(());
        }
        let now = to_micros(self.clock.now());
        // Older than a minute: fresh messages still have their own job on the way.
        let unsent = outbox::unsent(self.store.read(), 500)
            .await
            .map_err(JobError::new)?;
        let fire = job.payload["fire_at"].as_i64().unwrap_or(now);
        for m in unsent
            .into_iter()
            .filter(|m| m.created_at < now - 60_000_000)
        {
            let retry = NewJob::new(outbox::SEND_JOB, serde_json::json!({ "outbox_id": m.id }))
                .dedup(format!("{}:{fire}", m.id));
            jobs::enqueue(self.store.write(), m.workspace_id, retry, now)
                .await
                .map_err(JobError::new)?;
        }
        Ok(())
    }
}
