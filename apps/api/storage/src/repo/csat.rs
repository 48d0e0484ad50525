//! Satisfaction surveys: written when a ticket is resolved, found by the hash of their
//! link's token or by ticket, answered once, and read for the reports.

use helpdesk_domain::TenantCtx;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::entities::csat_survey::{self as row, Entity as Surveys};
use crate::error::{StoreError, StoreResult};

pub use row::Model as Survey;

/// What a new survey is about.
#[derive(Debug, Clone)]
pub struct NewSurvey {
    pub ticket_id: Uuid,
    pub requester_id: Uuid,
    pub assignee_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub priority: i64,
    pub resolved_at: i64,
    pub token_hash: String,
    pub expires_at: i64,
}

/// Writes `s`; `None` when this resolution was asked about already.
pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    s: NewSurvey,
    now: i64,
) -> StoreResult<Option<Survey>> {
    let done = row::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        ticket_id: Set(s.ticket_id),
        requester_id: Set(s.requester_id),
        assignee_id: Set(s.assignee_id),
        organization_id: Set(s.organization_id),
        priority: Set(s.priority),
        resolved_at: Set(s.resolved_at),
        token_hash: Set(s.token_hash),
        expires_at: Set(s.expires_at),
        rating: Set(None),
        comment: Set(None),
        rated_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await;
    match done {
        Ok(s) => Ok(Some(s)),
        Err(e) => match StoreError::from(e) {
            StoreError::Conflict(_) => Ok(None),
            other => Err(other),
        },
    }
}

/// Ends the unanswered surveys of `ticket` (a new resolution asks again).
pub async fn expire_open(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: Uuid,
    now: i64,
) -> StoreResult<()> {
    Surveys::update_many()
        .col_expr(row::Column::ExpiresAt, Expr::value(now))
        .col_expr(row::Column::UpdatedAt, Expr::value(now))
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(row::Column::TicketId.eq(ticket))
        .filter(row::Column::RatedAt.is_null())
        .filter(row::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok(())
}

/// The survey whose token hashes to `hash`, in any workspace (the link names no workspace;
/// the token is the credential).
pub async fn by_token_hash(db: &impl ConnectionTrait, hash: &str) -> StoreResult<Survey> {
    Surveys::find()
        .filter(row::Column::TokenHash.eq(hash))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The surveys of `ticket`, oldest first.
pub async fn of_ticket(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: Uuid,
) -> StoreResult<Vec<Survey>> {
    Ok(Surveys::find()
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(row::Column::TicketId.eq(ticket))
        .order_by_asc(row::Column::ResolvedAt)
        .all(db)
        .await?)
}

/// Records the answer on survey `id` if it is still unanswered (or, with `comment_only`,
/// still without a comment); whether it was recorded.
pub async fn answer(
    db: &impl ConnectionTrait,
    workspace: Uuid,
    id: Uuid,
    rating: Option<&str>,
    comment: Option<String>,
    now: i64,
) -> StoreResult<bool> {
    let mut q = Surveys::update_many()
        .col_expr(row::Column::UpdatedAt, Expr::value(now))
        .filter(row::Column::WorkspaceId.eq(workspace))
        .filter(row::Column::Id.eq(id));
    match rating {
        Some(r) => {
            q = q
                .col_expr(row::Column::Rating, Expr::value(r))
                .col_expr(row::Column::RatedAt, Expr::value(now))
                .filter(row::Column::RatedAt.is_null());
        }
        None => q = q.filter(row::Column::Comment.is_null()),
    }
    if let Some(c) = comment {
        q = q.col_expr(row::Column::Comment, Expr::value(c));
    }
    Ok(q.exec(db).await?.rows_affected == 1)
}

/// The surveys of the workspace asked in `[from, to)`.
pub async fn asked_in(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    from: i64,
    to: i64,
) -> StoreResult<Vec<Survey>> {
    Ok(Surveys::find()
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(row::Column::ResolvedAt.gte(from))
        .filter(row::Column::ResolvedAt.lt(to))
        .order_by_asc(row::Column::ResolvedAt)
        .all(db)
        .await?)
}
