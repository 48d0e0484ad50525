//! Writing what a routed message becomes, in the processing transaction: a reply (or a
//! note naming a sender who is not the requester) on its ticket, or a new ticket.

use helpdesk_domain::inbound::InboundState;
use helpdesk_domain::{MessageId, Priority, TenantCtx, TicketId};
use helpdesk_storage::repo::events::Event;
use helpdesk_storage::repo::inbound::Outcome;
use helpdesk_storage::repo::tickets::{NewTicket, Ticket};
use std::collections::HashMap;

use helpdesk_domain::Email;
use helpdesk_domain::inbound::noise;
use helpdesk_domain::inbound::quote::quote_start;
use helpdesk_storage::repo::{mail_bodies, mailboxes};
use sea_orm::DatabaseTransaction;

use super::files::with_notices;
use super::html::sanitise;
use super::parse::ParsedMail;
use super::sender::Sender;
use crate::Service;
use crate::actor::{Actor, Via};
use crate::error::ServiceResult;
use crate::mail::answers_note;
use crate::tickets::create::insert;
use crate::tickets::participants::{is_participant, join};
use crate::tickets::reply::{Post, post};
use crate::users::customer;

/// What processing decided, and the events to publish once it is committed.
pub(super) struct Decision {
    pub outcome: Outcome,
    pub publish: Option<(Ticket, Vec<Event>)>,
}

impl Service {
    /// A reply by the requester, a participant or staff is theirs (staff answering a
    /// note's notification add a note); one by anybody else holding the
    /// ticket's reference (a colleague in `Cc`, a forward) cannot be theirs yet — customers
    /// act only on their own tickets — so it is kept as an internal note naming them, for
    /// an agent to act on, rather than lost or split off.
    pub(super) async fn reply(
        &self,
        tx: &DatabaseTransaction,
        sender: &Sender,
        t: &Ticket,
        mail: &ParsedMail,
        now: i64,
    ) -> ServiceResult<Decision> {
        let copied = is_participant(tx, &sender.actor.ctx, t.id, sender.user.id).await?;
        let own = sender.is_staff() || t.requester_id == sender.user.id || copied;
        let text = with_notices(&text_or_placeholder(&mail.text), &mail.files);
        let key = &self.settings.thread_key;
        let ctx = &sender.actor.ctx;
        let refs = mail.references.as_str();
        let note = sender.is_staff() && answers_note(key, ctx, t.id, refs, &mail.text);
        let (actor, p, reason) = if own {
            let p = Post {
                body: text,
                internal: note,
                status: None,
                signed: false,
                expected_version: None,
            };
            (
                sender.actor.clone(),
                p,
                note.then(|| "answers_note".to_owned()),
            )
        } else {
            let body = format!(
                "Email from {} <{}>, who is not the requester:\n\n{text}",
                sender.user.name, sender.user.email
            );
            let actor = Actor {
                ctx: TenantCtx::system(sender.actor.ctx.workspace_id),
                via: Via::Email,
            };
            let p = Post {
                body,
                internal: true,
                status: None,
                signed: false,
                expected_version: None,
            };
            (actor, p, Some("added_as_note".to_owned()))
        };
        let (msg, updated, events) = post(tx, &actor, t, p, now).await?;
        self.copy_recipients(tx, sender, &updated, mail, now)
            .await?;
        let (ticket, message) = (
            TicketId::from_uuid(updated.id),
            MessageId::from_uuid(msg.id),
        );
        let images = self
            .attach_mail_files(tx, &actor.ctx, ticket, Some(message), &mail.files, now)
            .await?;
        // A note naming its sender starts with that line: the offset moves with it.
        let lead = text_offset(&msg.body, &mail.text);
        keep_body(tx, &actor.ctx, msg.id, mail, &images, lead, now).await?;
        Ok(Decision {
            outcome: Outcome {
                state: InboundState::Processed.as_str(),
                reason,
                ticket_id: Some(updated.id),
                ticket_message_id: Some(msg.id),
                ..Outcome::default()
            },
            publish: Some((updated, events)),
        })
    }

    /// A new ticket from `mail`, its files attached to the ticket.
    pub(super) async fn open(
        &self,
        tx: &DatabaseTransaction,
        sender: &Sender,
        mail: &ParsedMail,
        lead: &str,
        priority: Priority,
        now: i64,
    ) -> ServiceResult<Decision> {
        let subject = if mail.subject.trim().is_empty() {
            "(no subject)".to_owned()
        } else {
            mail.subject.clone()
        };
        let new = NewTicket {
            subject,
            description: format!(
                "{lead}{}",
                with_notices(&text_or_placeholder(&mail.text), &mail.files)
            ),
            priority,
            requester_id: sender.id(),
            assignee_id: None,
            organization_id: sender.actor.ctx.organization_id,
            asset_id: None,
            tags: Vec::new(),
            channel: sender.actor.channel(),
        };
        let (ticket, _, events) = insert(tx, &sender.actor, new, now).await?;
        self.copy_recipients(tx, sender, &ticket, mail, now).await?;
        let id = TicketId::from_uuid(ticket.id);
        let images = self
            .attach_mail_files(tx, &sender.actor.ctx, id, None, &mail.files, now)
            .await?;
        keep_body(
            tx,
            &sender.actor.ctx,
            ticket.id,
            mail,
            &images,
            lead.len(),
            now,
        )
        .await?;
        Ok(Decision {
            outcome: Outcome {
                state: InboundState::Processed.as_str(),
                ticket_id: Some(ticket.id),
                ..Outcome::default()
            },
            publish: Some((ticket, events)),
        })
    }
}

impl Service {
    /// Copies the mail's other recipients (`To` and `Cc` but our mailboxes, the sender and
    /// machine addresses) on the ticket as participants, up to the cap.
    async fn copy_recipients(
        &self,
        tx: &DatabaseTransaction,
        sender: &Sender,
        t: &Ticket,
        mail: &ParsedMail,
        now: i64,
    ) -> ServiceResult<()> {
        let ctx = TenantCtx::system(sender.actor.ctx.workspace_id);
        for address in &mail.recipients {
            let Ok(email) = Email::parse(address) else {
                continue;
            };
            if email.as_str() == sender.user.email
                || noise::is_machine_address(email.as_str())
                || mailboxes::is_ours(tx, email.as_str()).await?
            {
                continue;
            }
            let user = customer::find_or_create(tx, &ctx, &email, None, now).await?;
            join(tx, &ctx, t, &user, now).await?;
        }
        Ok(())
    }
}

/// Where the mail's text starts in `stored` (after a lead line the message was given).
fn text_offset(stored: &str, text: &str) -> usize {
    if text.trim().is_empty() {
        return 0;
    }
    stored.find(text).unwrap_or(0)
}

/// Records the sanitised HTML and where the quoted history starts (in the stored text,
/// whose mail text begins at `lead`), when the mail has either.
async fn keep_body(
    tx: &DatabaseTransaction,
    ctx: &TenantCtx,
    id: uuid::Uuid,
    mail: &ParsedMail,
    images: &HashMap<String, String>,
    lead: usize,
    now: i64,
) -> ServiceResult<()> {
    let html = mail.html.as_deref().map(|h| sanitise(h, images));
    let quoted = quote_start(&mail.text).and_then(|q| i64::try_from(lead + q).ok());
    if html.is_none() && quoted.is_none() {
        return Ok(());
    }
    Ok(mail_bodies::put(tx, ctx, id, html, quoted, now).await?)
}

fn text_or_placeholder(text: &str) -> String {
    if text.trim().is_empty() {
        "(no text)".to_owned()
    } else {
        text.to_owned()
    }
}
