//! Automation rules of a workspace, and the run log that keeps each rule from acting twice
//! on one event (or, for scheduled rules, twice in one stretch of matching).

use helpdesk_domain::{TenantCtx, TicketStatus};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entities::{automation, automation_run, ticket};
use crate::error::{StoreError, StoreResult};

pub use automation::Model as Automation;

/// A rule's fields as stored (validated by the caller).
#[derive(Debug, Clone)]
pub struct RuleFields {
    pub name: String,
    pub active: bool,
    pub position: i64,
    pub trigger: String,
    pub conditions: serde_json::Value,
    pub actions: serde_json::Value,
}

pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    f: RuleFields,
    now: i64,
) -> StoreResult<Automation> {
    Ok(automation::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        name: Set(f.name),
        active: Set(f.active),
        position: Set(f.position),
        trigger: Set(f.trigger),
        conditions: Set(f.conditions),
        actions: Set(f.actions),
        turns: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

pub async fn get(db: &impl ConnectionTrait, ctx: &TenantCtx, id: Uuid) -> StoreResult<Automation> {
    automation::Entity::find_by_id(id)
        .filter(automation::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// All rules, in the order they run.
pub async fn list(db: &impl ConnectionTrait, ctx: &TenantCtx) -> StoreResult<Vec<Automation>> {
    Ok(automation::Entity::find()
        .filter(automation::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .order_by_asc(automation::Column::Position)
        .order_by_asc(automation::Column::Id)
        .all(db)
        .await?)
}

/// The active rules of a trigger after `after_position`, in order.
pub async fn active_for(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    trigger: &str,
    after_position: Option<i64>,
) -> StoreResult<Vec<Automation>> {
    let mut q = automation::Entity::find()
        .filter(automation::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(automation::Column::Trigger.eq(trigger))
        .filter(automation::Column::Active.eq(true));
    if let Some(p) = after_position {
        q = q.filter(automation::Column::Position.gt(p));
    }
    Ok(q.order_by_asc(automation::Column::Position)
        .order_by_asc(automation::Column::Id)
        .all(db)
        .await?)
}

/// The triggers of the workspace's active rules (system scope: the dispatcher's view).
pub async fn active_triggers(
    db: &impl ConnectionTrait,
    workspace: Uuid,
) -> StoreResult<Vec<String>> {
    Ok(automation::Entity::find()
        .select_only()
        .column(automation::Column::Trigger)
        .distinct()
        .filter(automation::Column::WorkspaceId.eq(workspace))
        .filter(automation::Column::Active.eq(true))
        .into_tuple()
        .all(db)
        .await?)
}

/// Workspaces with active scheduled rules.
pub async fn scheduled_workspaces(db: &impl ConnectionTrait) -> StoreResult<Vec<Uuid>> {
    Ok(automation::Entity::find()
        .select_only()
        .column(automation::Column::WorkspaceId)
        .distinct()
        .filter(automation::Column::Trigger.eq("schedule"))
        .filter(automation::Column::Active.eq(true))
        .into_tuple()
        .all(db)
        .await?)
}

pub async fn replace(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: Uuid,
    f: RuleFields,
    now: i64,
) -> StoreResult<Automation> {
    let mut m = get(db, ctx, id).await?.into_active_model();
    m.name = Set(f.name);
    m.active = Set(f.active);
    m.position = Set(f.position);
    m.trigger = Set(f.trigger);
    m.conditions = Set(f.conditions);
    m.actions = Set(f.actions);
    m.updated_at = Set(now);
    Ok(m.update(db).await?)
}

pub async fn delete(db: &impl ConnectionTrait, ctx: &TenantCtx, id: Uuid) -> StoreResult<()> {
    let a = get(db, ctx, id).await?;
    automation_run::Entity::delete_many()
        .filter(automation_run::Column::AutomationId.eq(a.id))
        .exec(db)
        .await?;
    automation::Entity::delete_by_id(a.id).exec(db).await?;
    Ok(())
}

/// The next position after the last rule.
pub async fn next_position(db: &impl ConnectionTrait, ctx: &TenantCtx) -> StoreResult<i64> {
    Ok(list(db, ctx).await?.last().map_or(1, |a| a.position + 1))
}

/// Records that `rule` runs on `ticket` for `key`; `false` if it already did.
pub async fn claim_run(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    rule: Uuid,
    ticket: Uuid,
    key: &str,
    now: i64,
) -> StoreResult<bool> {
    let row = automation_run::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        automation_id: Set(rule),
        ticket_id: Set(ticket),
        event_key: Set(key.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let res = automation_run::Entity::insert(row)
        .on_conflict_do_nothing_on([
            automation_run::Column::AutomationId,
            automation_run::Column::TicketId,
            automation_run::Column::EventKey,
        ])
        .exec_without_returning(db)
        .await?;
    Ok(matches!(res, sea_orm::TryInsertResult::Inserted(n) if n > 0))
}

/// Forgets a scheduled match, so the rule may act again when its conditions hold again.
pub async fn forget_run(
    db: &impl ConnectionTrait,
    rule: Uuid,
    ticket: Uuid,
    key: &str,
) -> StoreResult<()> {
    automation_run::Entity::delete_many()
        .filter(automation_run::Column::AutomationId.eq(rule))
        .filter(automation_run::Column::TicketId.eq(ticket))
        .filter(automation_run::Column::EventKey.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Tickets a scheduled rule acted on and still remembers.
pub async fn remembered(
    db: &impl ConnectionTrait,
    rule: Uuid,
    key: &str,
) -> StoreResult<Vec<Uuid>> {
    Ok(automation_run::Entity::find()
        .select_only()
        .column(automation_run::Column::TicketId)
        .filter(automation_run::Column::AutomationId.eq(rule))
        .filter(automation_run::Column::EventKey.eq(key))
        .into_tuple()
        .all(db)
        .await?)
}

/// Takes the rule's next round-robin turn (0, 1, 2, …) in one statement. (A `SELECT …
/// FOR UPDATE` first would deadlock on PostgreSQL with the key-share lock that inserting a
/// run row takes on the same rule.)
pub async fn take_turn(db: &impl ConnectionTrait, ctx: &TenantCtx, rule: Uuid) -> StoreResult<i64> {
    use sea_orm::sea_query::{ExprTrait, Query};
    let stmt = Query::update()
        .table(automation::Entity)
        .value(
            automation::Column::Turns,
            Expr::col(automation::Column::Turns).add(1),
        )
        .and_where(Expr::col(automation::Column::Id).eq(rule))
        .and_where(Expr::col(automation::Column::WorkspaceId).eq(ctx.workspace_id.as_uuid()))
        .returning_col(automation::Column::Turns)
        .to_owned();
    let row = db.query_one(&stmt).await?.ok_or(StoreError::NotFound)?;
    Ok(row.try_get_by_index::<i64>(0)? - 1)
}

/// Open tickets (not resolved or closed) assigned to each of `agents`.
pub async fn open_load(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    agents: &[Uuid],
) -> StoreResult<Vec<(Uuid, i64)>> {
    let mut out = Vec::new();
    for a in agents {
        let n = ticket::Entity::find()
            .filter(ticket::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
            .filter(ticket::Column::AssigneeId.eq(*a))
            .filter(ticket::Column::Status.is_not_in([
                TicketStatus::Resolved.as_str(),
                TicketStatus::Closed.as_str(),
            ]))
            .count(db)
            .await?;
        out.push((*a, i64::try_from(n).unwrap_or(i64::MAX)));
    }
    Ok(out)
}

/// Tickets a scheduled rule may act on: not closed, not already acted on, and old enough
/// by each bound given
/// (instants: changed status / updated / created at or before), oldest first, at most
/// `limit`.
pub async fn candidates(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    rule: Uuid,
    status_before: Option<i64>,
    updated_before: Option<i64>,
    created_before: Option<i64>,
    limit: u64,
) -> StoreResult<Vec<ticket::Model>> {
    let mut q = ticket::Entity::find()
        .filter(ticket::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(ticket::Column::Status.ne(TicketStatus::Closed.as_str()))
        // Tickets the rule already acted on wait until they stop matching (checked apart),
        // so they never crowd out the ones it has yet to act on.
        .filter(
            ticket::Column::Id.not_in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(automation_run::Column::TicketId)
                    .from(automation_run::Entity)
                    .and_where(Expr::col(automation_run::Column::AutomationId).eq(rule))
                    .and_where(Expr::col(automation_run::Column::EventKey).eq("schedule"))
                    .to_owned(),
            ),
        );
    if let Some(t) = status_before {
        q = q.filter(ticket::Column::StatusChangedAt.lte(t));
    }
    if let Some(t) = updated_before {
        q = q.filter(ticket::Column::UpdatedAt.lte(t));
    }
    if let Some(t) = created_before {
        q = q.filter(ticket::Column::CreatedAt.lte(t));
    }
    Ok(q.order_by_asc(ticket::Column::StatusChangedAt)
        .limit(limit)
        .all(db)
        .await?)
}

/// Installs the default rules into a new workspace.
pub async fn install_defaults(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    now: i64,
) -> StoreResult<()> {
    for (i, r) in helpdesk_domain::automation::defaults::rules()
        .into_iter()
        .enumerate()
    {
        let fields = RuleFields {
            name: r.name.to_owned(),
            active: true,
            position: i64::try_from(i).unwrap_or(0) + 1,
            trigger: r.trigger.as_str().to_owned(),
            conditions: r.conditions,
            actions: r.actions,
        };
        create(db, ctx, fields, now).await?;
    }
    Ok(())
}

/// A rule's latest runs: the ticket's number and when, newest first.
pub async fn recent_runs(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    rule: Uuid,
    limit: u64,
) -> StoreResult<Vec<(i64, i64)>> {
    use sea_orm::{QueryOrder, QuerySelect};
    let runs: Vec<(Uuid, i64)> = crate::entities::automation_run::Entity::find()
        .select_only()
        .column(crate::entities::automation_run::Column::TicketId)
        .column(crate::entities::automation_run::Column::CreatedAt)
        .filter(crate::entities::automation_run::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(crate::entities::automation_run::Column::AutomationId.eq(rule))
        .order_by_desc(crate::entities::automation_run::Column::CreatedAt)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<Uuid> = runs.iter().map(|(t, _)| *t).collect();
    let numbers: Vec<(Uuid, i64)> = crate::entities::ticket::Entity::find()
        .select_only()
        .column(crate::entities::ticket::Column::Id)
        .column(crate::entities::ticket::Column::Number)
        .filter(crate::entities::ticket::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(crate::entities::ticket::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(runs
        .into_iter()
        .filter_map(|(t, at)| {
            numbers
                .iter()
                .find(|(id, _)| *id == t)
                .map(|(_, n)| (*n, at))
        })
        .collect())
}
