//! Processing one received message (its job): parse, drop noise, hold bursts, find the
//! sender and the ticket, and write the ticket or the reply — all in one transaction
//! that also records the outcome, so a retried job finds the message done.

use helpdesk_domain::inbound::{InboundState, Noise, noise};
use helpdesk_domain::mailbox::UnknownSenders;
use helpdesk_domain::{TenantCtx, WorkspaceId};
use helpdesk_storage::repo::inbound::{self, InboundMessage, Outcome};
use helpdesk_storage::repo::{bounces, mailboxes, users};
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use super::RELEASED;
use super::bounce;
use super::parse::{self, ParsedMail};
use super::policy::policy;
use super::route::{Route, route};
use super::sender;
use super::write::Decision;
use crate::Service;
use crate::error::{ServiceError, ServiceResult};

const HOUR_MICROS: i64 = 3_600_000_000;
/// Longest recipient list kept on the row (the raw message keeps all of it).
const RECIPIENTS_MAX: usize = 2000;

fn settled(state: InboundState, reason: &str) -> Decision {
    Decision {
        outcome: Outcome {
            state: state.as_str(),
            reason: Some(reason.to_owned()),
            ..Outcome::default()
        },
        publish: None,
    }
}

impl Service {
    /// Processes message `id`; one that is not `PENDING` is left as it is.
    pub async fn process_inbound(&self, id: Uuid) -> ServiceResult<()> {
        let now = self.now();
        let tx = self.begin().await?;
        let Some(row) = inbound::lock(&tx, id).await? else {
            return Ok(());
        };
        if row.state != InboundState::Pending.as_str() {
            return Ok(());
        }
        let mail = parse::parse(&row.raw);
        let mut decision = match &mail {
            None => settled(InboundState::Failed, "unparseable"),
            Some(mail) => match self.decide(&tx, &row, mail, now).await {
                Ok(d) => d,
                // The ticket refused the change or went away meanwhile: park the message
                // for an admin (raw bytes kept) rather than retry what cannot succeed.
                Err(
                    e @ (ServiceError::Validation(_)
                    | ServiceError::InvalidTransition(_)
                    | ServiceError::Conflict(_)
                    | ServiceError::NotFound
                    | ServiceError::Forbidden),
                ) => {
                    drop(tx);
                    return self.fail_inbound(id, mail, &e.to_string(), now).await;
                }
                Err(e) => return Err(e),
            },
        };
        if let Some(mail) = &mail {
            describe(&mut decision.outcome, mail);
        }
        inbound::finish(&tx, id, decision.outcome, now).await?;
        tx.commit().await?;
        if let Some((t, events)) = decision.publish {
            self.publish(&t, &events).await;
        }
        Ok(())
    }

    async fn fail_inbound(
        &self,
        id: Uuid,
        mail: &ParsedMail,
        why: &str,
        now: i64,
    ) -> ServiceResult<()> {
        let tx = self.begin().await?;
        let mut d = settled(InboundState::Failed, why);
        describe(&mut d.outcome, mail);
        inbound::finish(&tx, id, d.outcome, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn decide(
        &self,
        tx: &DatabaseTransaction,
        row: &InboundMessage,
        mail: &ParsedMail,
        now: i64,
    ) -> ServiceResult<Decision> {
        let ctx = TenantCtx::system(WorkspaceId::from_uuid(row.workspace_id));
        let key = &self.settings.thread_key;
        let mut facts = mail.noise.clone();
        facts.ours = mail
            .message_id
            .as_deref()
            .is_some_and(|m| key.find(row.workspace_id, m).is_some());
        if let Some(n) = noise::classify(&facts) {
            if n == Noise::DeliveryReport {
                bounce::record(tx, &ctx, &row.raw, now).await?;
            }
            return Ok(settled(InboundState::Ignored, n.reason()));
        }
        let Some(from) = &mail.from else {
            return Ok(settled(InboundState::Failed, "no_sender"));
        };
        // One of our own mailboxes writing (its autoresponder, a forward rule): a loop.
        if mailboxes::is_ours(tx, from.as_str()).await? {
            return Ok(settled(InboundState::Ignored, "own_mailbox"));
        }
        let released = row.reason.as_deref() == Some(RELEASED);
        let limit = self.settings.inbound_per_sender_hour;
        if !released && limit > 0 {
            let recent = inbound::from_sender_since(
                tx,
                &ctx,
                from.as_str(),
                now - HOUR_MICROS,
                u64::from(limit),
            )
            .await?;
            if recent >= u64::from(limit) {
                return Ok(settled(InboundState::Quarantined, "sender_burst"));
            }
        }
        let policy = policy(tx, &ctx, row, mail).await?;
        if let (None, Some(m)) = (row.mailbox_id, policy.mailbox_id) {
            inbound::set_mailbox(tx, row.id, m).await?;
        }
        // A person writing from an address our mail bounced from: it works again.
        bounces::clear(tx, &ctx, from.as_str()).await?;
        let known = users::by_email(tx, &ctx, from).await?;
        if known.is_none() && !released && policy.unknown_senders == UnknownSenders::Quarantine {
            return Ok(settled(InboundState::Quarantined, "unknown_sender"));
        }
        let Some(sender) =
            sender::find_or_create(tx, &ctx, known, from, mail.from_name.as_deref(), now).await?
        else {
            return Ok(settled(InboundState::Quarantined, "sender_deactivated"));
        };
        match route(tx, key, &ctx, mail, &sender).await? {
            Route::Reply(t) => self.reply(tx, &sender, &t, mail, now).await,
            Route::FollowUp(t) => {
                let lead = format!("Follow-up to #{} ({}).\n\n", t.number, t.subject);
                self.open(tx, &sender, mail, &lead, policy.priority, now)
                    .await
            }
            Route::New => self.open(tx, &sender, mail, "", policy.priority, now).await,
        }
    }
}

/// The header fields the admin list shows.
fn describe(o: &mut Outcome, mail: &ParsedMail) {
    o.message_id = mail.message_id.clone();
    o.from_address = mail.from.as_ref().map(|e| e.as_str().to_owned());
    let mut recipients = mail.recipients.join(", ");
    if recipients.len() > RECIPIENTS_MAX {
        let cut = (0..=RECIPIENTS_MAX)
            .rev()
            .find(|i| recipients.is_char_boundary(*i))
            .unwrap_or(0);
        recipients.truncate(cut);
    }
    o.recipients = Some(recipients);
    o.subject = Some(mail.subject.clone());
}
