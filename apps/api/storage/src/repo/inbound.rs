//! Received email: stored raw with its processing job in one transaction (only then may
//! a channel acknowledge), once per workspace however often it arrives, and updated with
//! what its job made of it.

use helpdesk_domain::TenantCtx;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::Page;
use crate::entities::inbound_message::{self as row, Entity as Inbound};
use crate::error::{StoreError, StoreResult};
use crate::repo::jobs::{self, NewJob};

pub use row::Model as InboundMessage;

/// The job kind that processes one inbound message: `{inbound_id}`.
pub const PROCESS_JOB: &str = "email.inbound";

/// A message as a channel received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub mailbox_id: Option<Uuid>,
    pub channel: &'static str,
    pub dedup_key: String,
    pub raw: Vec<u8>,
    pub source: Source,
    /// Stored as `FAILED` with this reason and no job (a message too large to take).
    pub failed: Option<String>,
}

/// Where a channel got a message from, beyond its mailbox.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// IMAP: (UIDVALIDITY, UID).
    pub imap: Option<(i64, i64)>,
    /// SMTP/LMTP: the envelope sender and the recipient it was accepted for.
    pub envelope_from: Option<String>,
    pub envelope_to: Option<String>,
}

/// What a message's row says without its raw bytes (lists never load them).
#[derive(Debug, Clone, FromQueryResult)]
pub struct InboundSummary {
    pub id: Uuid,
    pub mailbox_id: Option<Uuid>,
    pub channel: String,
    pub message_id: Option<String>,
    pub from_address: Option<String>,
    pub recipients: Option<String>,
    pub subject: Option<String>,
    pub size: i64,
    pub state: String,
    pub reason: Option<String>,
    pub ticket_id: Option<Uuid>,
    pub ticket_message_id: Option<Uuid>,
    pub received_at: i64,
    pub processed_at: Option<i64>,
}

/// What processing found and decided.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub state: &'static str,
    pub reason: Option<String>,
    pub message_id: Option<String>,
    pub from_address: Option<String>,
    pub recipients: Option<String>,
    pub subject: Option<String>,
    pub ticket_id: Option<Uuid>,
    pub ticket_message_id: Option<Uuid>,
}

fn process_job(id: Uuid, attempt: i64) -> NewJob {
    NewJob::new(PROCESS_JOB, serde_json::json!({ "inbound_id": id }))
        .dedup(format!("{id}:{attempt}"))
}

/// Stores `msg` and its job; a message already stored is not stored again. Returns the
/// row's id and whether it is new.
pub async fn receive(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    msg: Received,
    now: i64,
) -> StoreResult<(Uuid, bool)> {
    let ws = ctx.workspace_id.as_uuid();
    let id = Uuid::now_v7();
    let size = i64::try_from(msg.raw.len()).unwrap_or(i64::MAX);
    let new = row::ActiveModel {
        id: Set(id),
        workspace_id: Set(ws),
        mailbox_id: Set(msg.mailbox_id),
        channel: Set(msg.channel.to_owned()),
        dedup_key: Set(msg.dedup_key.clone()),
        message_id: Set(None),
        from_address: Set(None),
        recipients: Set(None),
        subject: Set(None),
        raw: Set(msg.raw),
        size: Set(size),
        state: Set(if msg.failed.is_some() {
            "FAILED"
        } else {
            "PENDING"
        }
        .into()),
        reason: Set(msg.failed.clone()),
        ticket_id: Set(None),
        ticket_message_id: Set(None),
        received_at: Set(now),
        processed_at: Set(msg.failed.as_ref().map(|_| now)),
        imap_uidvalidity: Set(msg.source.imap.map(|(v, _)| v)),
        imap_uid: Set(msg.source.imap.map(|(_, u)| u)),
        envelope_from: Set(msg.source.envelope_from),
        envelope_to: Set(msg.source.envelope_to),
        created_at: Set(now),
        updated_at: Set(now),
    };
    // The same content again is a duplicate; the same UID again cannot happen while the
    // fetcher's position moves in this transaction (its unique index is the safety net).
    Inbound::insert(new)
        .on_conflict_do_nothing_on([row::Column::WorkspaceId, row::Column::DedupKey])
        .exec(db)
        .await?;
    let stored: Option<Uuid> = Inbound::find()
        .select_only()
        .column(row::Column::Id)
        .filter(row::Column::WorkspaceId.eq(ws))
        .filter(row::Column::DedupKey.eq(msg.dedup_key))
        .into_tuple()
        .one(db)
        .await?;
    let stored = stored.ok_or(StoreError::NotFound)?;
    let created = stored == id;
    if created && msg.failed.is_none() {
        jobs::enqueue(db, ws, process_job(id, 0), now).await?;
    }
    Ok((stored, created))
}

/// One message of the caller's workspace, raw bytes included.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: Uuid,
) -> StoreResult<InboundMessage> {
    Inbound::find_by_id(id)
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// One message for its job (system scope: the job carries the id), locked until the
/// transaction ends so a duplicate job waits and then finds it processed.
pub async fn lock(db: &impl ConnectionTrait, id: Uuid) -> StoreResult<Option<InboundMessage>> {
    Ok(Inbound::find_by_id(id).lock_exclusive().one(db).await?)
}

/// The workspace's messages, newest first, optionally in one state.
pub async fn list(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    state: Option<&str>,
    page: Page,
) -> StoreResult<Vec<InboundSummary>> {
    let mut q = Inbound::find()
        .select_only()
        .columns([
            row::Column::Id,
            row::Column::MailboxId,
            row::Column::Channel,
            row::Column::MessageId,
            row::Column::FromAddress,
            row::Column::Recipients,
            row::Column::Subject,
            row::Column::Size,
            row::Column::State,
            row::Column::Reason,
            row::Column::TicketId,
            row::Column::TicketMessageId,
            row::Column::ReceivedAt,
            row::Column::ProcessedAt,
        ])
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()));
    if let Some(state) = state {
        q = q.filter(row::Column::State.eq(state));
    }
    if let Some(after) = page.after {
        q = q.filter(row::Column::Id.lt(after));
    }
    Ok(q.order_by_desc(row::Column::Id)
        .limit(page.limit + 1)
        .into_model::<InboundSummary>()
        .all(db)
        .await?)
}

/// Records what processing made of message `id`.
pub async fn finish(
    db: &impl ConnectionTrait,
    id: Uuid,
    outcome: Outcome,
    now: i64,
) -> StoreResult<()> {
    Inbound::update_many()
        .col_expr(row::Column::State, Expr::value(outcome.state))
        .col_expr(row::Column::Reason, Expr::value(outcome.reason))
        .col_expr(row::Column::MessageId, Expr::value(outcome.message_id))
        .col_expr(row::Column::FromAddress, Expr::value(outcome.from_address))
        .col_expr(row::Column::Recipients, Expr::value(outcome.recipients))
        .col_expr(row::Column::Subject, Expr::value(outcome.subject))
        .col_expr(row::Column::TicketId, Expr::value(outcome.ticket_id))
        .col_expr(
            row::Column::TicketMessageId,
            Expr::value(outcome.ticket_message_id),
        )
        .col_expr(row::Column::ProcessedAt, Expr::value(now))
        .col_expr(row::Column::UpdatedAt, Expr::value(now))
        .filter(row::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records the mailbox the recipients chose for message `id` (when its channel named none).
pub async fn set_mailbox(db: &impl ConnectionTrait, id: Uuid, mailbox: Uuid) -> StoreResult<()> {
    Inbound::update_many()
        .col_expr(row::Column::MailboxId, Expr::value(mailbox))
        .filter(row::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Puts message `id` back to `PENDING` with a fresh job: `reprocess`, and `release` of a
/// quarantined one (`release` then skips the check that held it).
pub async fn requeue(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: Uuid,
    reason: Option<&str>,
    now: i64,
) -> StoreResult<()> {
    let ws = ctx.workspace_id.as_uuid();
    let done = Inbound::update_many()
        .col_expr(row::Column::State, Expr::value("PENDING"))
        .col_expr(row::Column::Reason, Expr::value(reason.map(str::to_owned)))
        .col_expr(row::Column::UpdatedAt, Expr::value(now))
        .filter(row::Column::Id.eq(id))
        .filter(row::Column::WorkspaceId.eq(ws))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    jobs::enqueue(db, ws, process_job(id, now), now).await?;
    Ok(())
}

/// How many messages `from` sent the workspace since `since`, counting at most `cap`.
pub async fn from_sender_since(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    from: &str,
    since: i64,
    cap: u64,
) -> StoreResult<u64> {
    let ids: Vec<Uuid> = Inbound::find()
        .select_only()
        .column(row::Column::Id)
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(row::Column::FromAddress.eq(from))
        .filter(row::Column::ReceivedAt.gte(since))
        .limit(cap)
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.len() as u64)
}
