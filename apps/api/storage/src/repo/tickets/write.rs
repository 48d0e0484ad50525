//! Creating and updating tickets. Numbers come from a per-workspace counter bumped in the
//! same transaction, so they never repeat or skip; updates check the version.

use helpdesk_domain::status_machine::Lifecycle;
use helpdesk_domain::{AssetId, OrganizationId, Priority, TenantCtx, TicketStatus, UserId};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult,
    Iterable, QueryFilter, QueryTrait, Set, Statement,
};
use uuid::Uuid;

use super::Ticket;
use super::numbering::{insert_numbered, insert_numbered_alone};
use crate::Store;
use crate::batch::Batch;
use crate::entities::{ticket, ticket_status_change, ticket_tag};
use crate::error::{StoreError, StoreResult};

#[derive(Debug, Clone)]
pub struct NewTicket {
    pub subject: String,
    pub description: String,
    pub priority: Priority,
    pub requester_id: UserId,
    pub assignee_id: Option<UserId>,
    pub organization_id: Option<OrganizationId>,
    pub asset_id: Option<AssetId>,
    pub tags: Vec<String>,
    /// `web`, `api` or `alert`.
    pub channel: &'static str,
}

async fn replace_tags(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: Uuid,
    tags: &[String],
    now: i64,
) -> StoreResult<()> {
    ticket_tag::Entity::delete_many()
        .filter(ticket_tag::Column::TicketId.eq(ticket))
        .exec(db)
        .await?;
    if let Some(insert) = tags_insert(db.get_database_backend(), ctx, ticket, tags, now) {
        db.execute_raw(insert).await?;
    }
    Ok(())
}

/// The rows of `tags` on `ticket`; `None` when there are none.
fn tags_insert(
    backend: DbBackend,
    ctx: &TenantCtx,
    ticket: Uuid,
    tags: &[String],
    now: i64,
) -> Option<Statement> {
    if tags.is_empty() {
        return None;
    }
    let rows = tags.iter().map(|t| ticket_tag::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        ticket_id: Set(ticket),
        tag: Set(t.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    });
    Some(ticket_tag::Entity::insert_many(rows).build(backend))
}

/// Adds the rows of `tags` on `ticket` to `with`.
fn push_tags(with: &mut Batch, ctx: &TenantCtx, ticket: Uuid, tags: &[String], now: i64) {
    if let Some(insert) = tags_insert(with.backend(), ctx, ticket, tags, now) {
        with.push(insert);
    }
}

/// Takes the workspace's next number and inserts `draft` with it, and its tags. Taking the
/// number locks the workspace's counter until the transaction ends (that is what keeps
/// numbers gapless), so callers write everything else first.
pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    draft: Ticket,
    tags: &[String],
    now: i64,
) -> StoreResult<Ticket> {
    let with = Batch::new(db.get_database_backend());
    create_with(db, ctx, draft, tags, now, with).await
}

/// [`create`], with the writes in `with` (its events, its SLA steps) sent in the same
/// round trip.
pub async fn create_with(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    draft: Ticket,
    tags: &[String],
    now: i64,
    mut with: Batch,
) -> StoreResult<Ticket> {
    push_tags(&mut with, ctx, draft.id, tags, now);
    insert_numbered(db, ctx, draft, with).await
}

/// [`create_with`] as a transaction of its own, committed in the same round trip
/// ([`Batch::commit_alone`]): a creation that writes nothing else.
pub async fn create_alone(
    store: &Store,
    ctx: &TenantCtx,
    draft: Ticket,
    tags: &[String],
    now: i64,
    mut with: Batch,
) -> StoreResult<Ticket> {
    push_tags(&mut with, ctx, draft.id, tags, now);
    insert_numbered_alone(store, ctx, draft, with).await
}

/// The new values of the fields that change; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct TicketChanges {
    pub subject: Option<String>,
    pub priority: Option<Priority>,
    pub status: Option<(TicketStatus, Lifecycle)>,
    pub assignee_id: Option<Option<UserId>>,
    pub organization_id: Option<Option<OrganizationId>>,
    pub asset_id: Option<Option<AssetId>>,
    pub tags: Option<Vec<String>>,
    pub first_response_at: Option<i64>,
    /// A new message's body, folded into the ticket's search vectors (PostgreSQL; SQLite's
    /// FTS table is kept by triggers). `true` for an internal note.
    pub message_text: Option<(String, bool)>,
    /// Merged into this ticket (with the move to `CLOSED` in `status`).
    pub merged_into: Option<Uuid>,
}

/// Applies `changes` if the ticket is still at `version`; bumps the version and
/// `updated_at`. A concurrent change makes it `Conflict("version")`.
pub async fn update(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    current: &Ticket,
    changes: TicketChanges,
    now: i64,
) -> StoreResult<Ticket> {
    let leading = Batch::new(db.get_database_backend());
    update_after(db, ctx, current, changes, now, leading).await
}

/// [`update`], sent in one round trip after the writes in `leading` (a reply's message and
/// its events); a version conflict fails the whole round trip.
pub async fn update_after(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    current: &Ticket,
    changes: TicketChanges,
    now: i64,
    mut leading: Batch,
) -> StoreResult<Ticket> {
    use ticket::Column as C;
    let mut q = ticket::Entity::update_many()
        .col_expr(C::Version, Expr::value(current.version + 1))
        .col_expr(C::UpdatedAt, Expr::value(now));
    if let Some(v) = changes.subject {
        q = q.col_expr(C::Subject, Expr::value(v));
    }
    if let Some(v) = changes.priority {
        q = q.col_expr(C::Priority, Expr::value(v.rank()));
    }
    if let Some((status, life)) = changes.status {
        q = q
            .col_expr(C::Status, Expr::value(status.as_str()))
            .col_expr(C::StatusChangedAt, Expr::value(now))
            .col_expr(C::ResolvedAt, Expr::value(life.resolved_at))
            .col_expr(C::ClosedAt, Expr::value(life.closed_at));
    }
    if let Some(v) = changes.assignee_id {
        q = q.col_expr(C::AssigneeId, Expr::value(v.map(|u| u.as_uuid())));
    }
    if let Some(v) = changes.organization_id {
        q = q.col_expr(C::OrganizationId, Expr::value(v.map(|o| o.as_uuid())));
    }
    if let Some(v) = changes.asset_id {
        q = q.col_expr(C::AssetId, Expr::value(v.map(|a| a.as_uuid())));
    }
    if let Some(v) = changes.first_response_at {
        q = q.col_expr(C::FirstResponseAt, Expr::value(v));
    }
    if let Some(into) = changes.merged_into {
        q = q.col_expr(C::MergedIntoId, Expr::value(into));
    }
    if let Some(tags) = &changes.tags {
        q = q.col_expr(C::Tags, Expr::value(serde_json::json!(tags)));
    }
    if let Some((body, internal)) = changes.message_text
        && db.get_database_backend() == sea_orm::DbBackend::Postgres
    {
        let column = if internal {
            "messages_notes"
        } else {
            "messages_public"
        };
        // Stripped vectors (no positions) stay small; a huge one stops growing rather than
        // hitting PostgreSQL's 1 MB tsvector limit.
        let expr = Expr::cust_with_values(
            format!(
                "CASE WHEN length({column}) < 100000 THEN strip({column} || to_tsvector('simple', $1)) ELSE {column} END"
            ),
            [sea_orm::Value::from(body)],
        );
        q = q.col_expr(sea_orm::sea_query::Alias::new(column), expr);
    }
    // The updated row comes back from the statement itself (`RETURNING`, both backends),
    // with the leading writes: a reply's transaction holds SQLite's one write lock, and
    // every further round trip is spent inside that lock.
    let mut update = q
        .filter(C::Id.eq(current.id))
        .filter(C::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(C::Version.eq(current.version))
        .into_query();
    update.returning(Query::returning().columns(ticket::Column::iter()));
    let backend = db.get_database_backend();
    let rows = leading.push(backend.build(&update)).query_all(db).await?;
    let row = rows.first().ok_or(StoreError::Conflict("version"))?;
    let updated = ticket::Model::from_query_result(row, "")?;
    if let Some((to, _)) = changes.status
        && to.as_str() != current.status
    {
        ticket_status_change::ActiveModel {
            id: Set(Uuid::now_v7()),
            workspace_id: Set(ctx.workspace_id.as_uuid()),
            ticket_id: Set(current.id),
            from_status: Set(current.status.clone()),
            to_status: Set(to.as_str().to_owned()),
            at: Set(now),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    if let Some(tags) = &changes.tags {
        replace_tags(db, ctx, current.id, tags, now).await?;
    }
    Ok(updated)
}
