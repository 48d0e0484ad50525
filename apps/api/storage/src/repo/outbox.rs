//! The outbox: messages written in the same transaction as the change that causes them,
//! each with an `email.send` job in that transaction too, sent later by the worker.

use helpdesk_domain::WorkspaceId;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set, TryIntoModel,
};
use uuid::Uuid;

use crate::batch::Batch;
use crate::entities::outbox::{self, Entity as Outbox};
use crate::error::StoreResult;
use crate::repo::jobs::{self, NewJob};

pub use outbox::Model as OutboxMessage;

/// The job kind that delivers an outbox message.
pub const SEND_JOB: &str = "email.send";

#[derive(Debug, Clone)]
pub struct NewMessage {
    pub kind: &'static str,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub in_reply_to: Option<String>,
    /// Set by the service's mail policy, not by callers.
    pub reply_to: Option<String>,
}

fn row(
    workspace_id: WorkspaceId,
    msg: NewMessage,
    held: Option<String>,
    now: i64,
) -> outbox::ActiveModel {
    outbox::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(workspace_id.as_uuid()),
        kind: Set(msg.kind.to_owned()),
        recipient: Set(msg.recipient),
        subject: Set(msg.subject),
        body: Set(msg.body),
        sent_at: Set(None),
        in_reply_to: Set(msg.in_reply_to),
        held: Set(held),
        reply_to: Set(msg.reply_to),
        bounced_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

pub async fn enqueue(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    msg: NewMessage,
    now: i64,
) -> StoreResult<OutboxMessage> {
    let row = row(workspace_id, msg, None, now);
    let message = row.clone().try_into_model()?;
    let job = NewJob::new(SEND_JOB, serde_json::json!({ "outbox_id": message.id }))
        .dedup(message.id.to_string());
    // The message and its job in one round trip: the dispatch writes these inside its
    // transaction.
    let backend = db.get_database_backend();
    Batch::new(backend)
        .push(Outbox::insert(row).build(backend))
        .push(jobs::enqueue_statement(
            backend,
            workspace_id.as_uuid(),
            job,
            now,
        ))
        .execute(db)
        .await?;
    Ok(message)
}

/// Messages for one recipient, newest last (operators and tests read the outbox this way).
pub async fn for_recipient(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    recipient: &str,
) -> StoreResult<Vec<OutboxMessage>> {
    Ok(Outbox::find()
        .filter(outbox::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(outbox::Column::Recipient.eq(recipient))
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await?)
}

/// One message, for the worker (system scope: jobs carry the id).
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> StoreResult<Option<OutboxMessage>> {
    Ok(Outbox::find_by_id(id).one(db).await?)
}

/// Records delivery; `false` when someone else already did (the message was sent once).
pub async fn mark_sent(db: &impl ConnectionTrait, id: Uuid, now: i64) -> StoreResult<bool> {
    let res = Outbox::update_many()
        .col_expr(outbox::Column::SentAt, Expr::value(now))
        .col_expr(outbox::Column::UpdatedAt, Expr::value(now))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::SentAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Unsent messages, oldest first, for the sweep that retries them once mail works again.
/// Held messages are not among them.
pub async fn unsent(db: &impl ConnectionTrait, limit: u64) -> StoreResult<Vec<OutboxMessage>> {
    Ok(Outbox::find()
        .filter(outbox::Column::SentAt.is_null())
        .filter(outbox::Column::Held.is_null())
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Keeps `msg` without sending it, saying why (`reason`): no job is queued.
pub async fn hold(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    msg: NewMessage,
    reason: &str,
    now: i64,
) -> StoreResult<OutboxMessage> {
    Ok(row(workspace_id, msg, Some(reason.to_owned()), now)
        .insert(db)
        .await?)
}

/// Messages the workspace queued (not held) since `since`, counted up to `at_most`: the
/// hourly cap needs to know only whether it is reached, and a busy workspace's hour can
/// hold far more messages than that — counting them all for every message made the cost
/// of each grow with the hour's mail.
pub async fn queued_since(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    since: i64,
    at_most: u64,
) -> StoreResult<u64> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let recent = Query::select()
        .expr(Expr::val(1))
        .from(outbox::Entity)
        .and_where(Expr::col(outbox::Column::WorkspaceId).eq(workspace_id.as_uuid()))
        .and_where(Expr::col(outbox::Column::CreatedAt).gte(since))
        .and_where(Expr::col(outbox::Column::Held).is_null())
        .limit(at_most)
        .to_owned();
    let count = Query::select()
        .expr(Expr::cust("count(*)"))
        .from_subquery(recent, Alias::new("recent"))
        .to_owned();
    let row = db
        .query_one_raw(db.get_database_backend().build(&count))
        .await?;
    let n = match row {
        Some(r) => r.try_get_by_index::<i64>(0)?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The workspace's held messages, newest first: one page and one row more.
pub async fn held(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    page: crate::repo::Page,
) -> StoreResult<Vec<OutboxMessage>> {
    let mut q = Outbox::find()
        .filter(outbox::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(outbox::Column::Held.is_not_null());
    if let Some(b) = page.after {
        q = q.filter(outbox::Column::Id.lt(b));
    }
    Ok(q.order_by_desc(outbox::Column::Id)
        .limit(page.limit + 1)
        .all(db)
        .await?)
}
