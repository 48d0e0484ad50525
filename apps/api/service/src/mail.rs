//! Outgoing mail policy. Every message the helpdesk writes goes through [`queue`], which
//! decides whether it is sent or held, so the helpdesk cannot be used as an open relay:
//!
//! - a workspace whose first admin has not confirmed their email mails only its own users;
//! - a rule's `notify` to a plain address reaches only the workspace's users, addresses in
//!   its organizations' domains, or addresses whose owners confirmed them;
//! - each workspace queues at most `per_hour` messages an hour (20 until confirmed).
//!
//! Held messages are kept (admins see them with the reason), logged, and never sent.

use helpdesk_domain::TenantCtx;
use helpdesk_domain::inbound::{ThreadKey, noise};
use helpdesk_storage::repo::bounces::{self, AddressHold};
use helpdesk_storage::repo::mailboxes::{self, Mailbox};
use helpdesk_storage::repo::outbox::{self, NewMessage};
use helpdesk_storage::repo::workspaces::{self, Workspace};
use helpdesk_storage::repo::{notify_addresses, organizations, users};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::error::ServiceResult;

/// The hourly allowance of a workspace whose admin email is not confirmed yet.
pub const UNVERIFIED_PER_HOUR: u32 = 20;

const HOUR_MICROS: i64 = 3_600_000_000;

/// The outbox kind of the notification of an internal note. Its Message-ID and body
/// token say `note`, and a staff member's reply to it by email stays an internal note.
pub const NOTE_NOTIFICATION: &str = "ticket_note_notification";

/// The signed reference of ticket `ticket` that our mail about it carries as the root of
/// its thread: `In-Reply-To` and `References`, and inside the Message-ID (see
/// `helpdesk_domain::inbound::thread_ref`).
pub fn thread_ref(key: &ThreadKey, ctx: &TenantCtx, ticket: Uuid) -> String {
    format!("{}@helpdesk", key.token(ctx.workspace_id.as_uuid(), ticket))
}

/// `body` with the ticket's reference on a last line of its own, for mail systems that
/// drop the threading headers of replies.
pub fn with_ref(body: &str, key: &ThreadKey, ctx: &TenantCtx, ticket: Uuid) -> String {
    format!(
        "{}\n\n[{}]\n",
        body.trim_end(),
        key.token(ctx.workspace_id.as_uuid(), ticket)
    )
}

/// Where replies to mail about a ticket should go: the workspace's first active mailbox,
/// plus-addressed with the ticket's signed reference (`support+hd-…@acme.test`), so a
/// reply finds its ticket even when the client drops the threading headers. None when the
/// workspace receives no mail.
fn reply_address(boxes: &[Mailbox], thread: &str) -> Option<String> {
    let token = thread.split('@').next().unwrap_or(thread);
    boxes.iter().find(|m| m.active).and_then(|m| {
        let (local, domain) = m.address.split_once('@')?;
        Some(format!("{local}+{token}@{domain}"))
    })
}

/// `body` with the ticket's reference marked as a note's (see [`NOTE_NOTIFICATION`]).
pub fn with_note_ref(body: &str, key: &ThreadKey, ctx: &TenantCtx, ticket: Uuid) -> String {
    format!(
        "{}\n\n[note {}]\n",
        body.trim_end(),
        key.token(ctx.workspace_id.as_uuid(), ticket)
    )
}

/// Whether `mail` (its references and text) answers a note's notification about `ticket`:
/// our note Message-ID in its threading headers, or the note token in its (quoted) text.
pub fn answers_note(
    key: &ThreadKey,
    ctx: &TenantCtx,
    ticket: Uuid,
    references: &str,
    text: &str,
) -> bool {
    let token = key.token(ctx.workspace_id.as_uuid(), ticket);
    references.contains(&format!(".note.{token}")) || text.contains(&format!("[note {token}]"))
}

/// Who a message is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The workspace's own people (notifications, invitations, resets).
    Members,
    /// An address a rule names.
    Address,
}

/// What became of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queued {
    Sent,
    Held(&'static str),
}

/// What the caller of [`queue_with`] has read already, so that it is not read again for
/// every message (a dispatch sends several in one transaction).
#[derive(Debug, Clone, Copy, Default)]
pub struct Known<'a> {
    /// The sending workspace's row.
    pub workspace: Option<&'a Workspace>,
    /// The sending workspace's mailboxes, for the reply address.
    pub mailboxes: Option<&'a [Mailbox]>,
    /// The recipient is an active user of the workspace.
    pub member: bool,
    /// The recipient's [`screen`], when the caller did it (a dispatch does it before its
    /// transaction, once per recipient).
    pub screened: Option<Screened>,
}

/// What a recipient's address alone says, whatever the message: `Some(reason)` holds
/// every message to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screened(pub Option<&'static str>);

/// Screens `recipient` for mail from the workspace of `ctx`: machines never get our
/// automatic mail (answering them is how loops start), nor our own mailboxes, nor an
/// address that bounced for good.
pub async fn screen(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    recipient: &str,
) -> ServiceResult<Screened> {
    if noise::is_machine_address(recipient) {
        return Ok(Screened(Some("machine_address")));
    }
    Ok(Screened(
        bounces::address_hold(db, ctx, recipient)
            .await?
            .map(|hold| match hold {
                AddressHold::OwnMailbox => "own_mailbox",
                AddressHold::Bouncing => "bouncing",
            }),
    ))
}

/// Queues `msg` from the workspace of `ctx` in `db`'s transaction, or holds it.
pub async fn queue(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    per_hour: u32,
    audience: Audience,
    msg: NewMessage,
    now: i64,
) -> ServiceResult<Queued> {
    queue_with(db, ctx, per_hour, audience, msg, now, Known::default()).await
}

/// [`queue`], reading only what `known` does not say.
pub async fn queue_with(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    per_hour: u32,
    audience: Audience,
    mut msg: NewMessage,
    now: i64,
    known: Known<'_>,
) -> ServiceResult<Queued> {
    if let Some(thread) = &msg.in_reply_to {
        msg.reply_to = match known.mailboxes {
            Some(boxes) => reply_address(boxes, thread),
            None => reply_address(&mailboxes::list(db, ctx).await?, thread),
        };
    }
    let reason = hold_reason(db, ctx, per_hour, audience, &msg.recipient, now, known).await?;
    match reason {
        None => {
            outbox::enqueue(db, ctx.workspace_id, msg, now).await?;
            Ok(Queued::Sent)
        }
        Some(reason) => {
            tracing::warn!(
                workspace_id = %ctx.workspace_id,
                kind = msg.kind,
                reason,
                "outgoing email held"
            );
            outbox::hold(db, ctx.workspace_id, msg, reason, now).await?;
            Ok(Queued::Held(reason))
        }
    }
}

async fn hold_reason(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    per_hour: u32,
    audience: Audience,
    recipient: &str,
    now: i64,
    known: Known<'_>,
) -> ServiceResult<Option<&'static str>> {
    let Screened(held) = match known.screened {
        Some(s) => s,
        None => screen(db, ctx, recipient).await?,
    };
    if held.is_some() {
        return Ok(held);
    }
    let verified = match known.workspace {
        Some(ws) => ws.email_verified_at.is_some(),
        None => workspaces::get(db, ctx.workspace_id)
            .await?
            .email_verified_at
            .is_some(),
    };
    let member = known.member || users::is_member_email(db, ctx, recipient).await?;
    if !verified && !member {
        return Ok(Some("unverified_workspace"));
    }
    if audience == Audience::Address && !member && !allowed_address(db, ctx, recipient).await? {
        return Ok(Some("recipient_not_allowed"));
    }
    // 0 configures no cap for confirmed workspaces; unconfirmed ones keep theirs.
    let cap = match (verified, per_hour) {
        (true, 0) => return Ok(None),
        (true, n) => n,
        (false, 0) => UNVERIFIED_PER_HOUR,
        (false, n) => n.min(UNVERIFIED_PER_HOUR),
    };
    let sent =
        outbox::queued_since(db, ctx.workspace_id, now - HOUR_MICROS, u64::from(cap)).await?;
    if sent >= u64::from(cap) {
        return Ok(Some("hourly_cap"));
    }
    Ok(None)
}

/// An address in one of the workspace's organizations' domains, or one its owner
/// confirmed.
async fn allowed_address(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    recipient: &str,
) -> ServiceResult<bool> {
    let domain = recipient
        .rsplit_once('@')
        .map(|(_, d)| d.to_lowercase())
        .unwrap_or_default();
    if organizations::by_domain(db, ctx.workspace_id, &domain)
        .await?
        .is_some()
    {
        return Ok(true);
    }
    Ok(notify_addresses::is_confirmed(db, ctx, recipient).await?)
}
