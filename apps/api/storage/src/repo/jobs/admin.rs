//! What admins and metrics see of the queue: jobs by state (finished ones from the
//! history), one job, sending a failed or dead one back, and the depth per kind and state.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::Job;
use crate::entities::job::{self, Entity as Jobs};
use crate::entities::job_done::{self, Entity as JobsDone};
use crate::error::StoreResult;
use crate::repo::Page;

/// A finished job as the queue's rows read.
fn from_history(d: job_done::Model) -> Job {
    Job {
        id: d.id,
        scope_id: d.scope_id,
        kind: d.kind,
        payload: d.payload,
        state: "done".into(),
        run_at: d.run_at,
        attempts: d.attempts,
        max_attempts: d.max_attempts,
        last_error: None,
        locked_by: None,
        locked_until: None,
        dedup_key: d.dedup_key,
        finished_at: Some(d.finished_at),
        created_at: d.created_at,
        updated_at: d.updated_at,
    }
}

/// A scope's jobs in `states` (all when empty), newest first: the queue's and, for
/// `done`, the history's, merged.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: Uuid,
    states: &[&str],
    page: Page,
) -> StoreResult<Vec<Job>> {
    let all = states.is_empty();
    let waiting: Vec<&str> = states.iter().copied().filter(|s| *s != "done").collect();
    let mut rows = Vec::new();
    if all || !waiting.is_empty() {
        let mut q = Jobs::find().filter(job::Column::ScopeId.eq(scope));
        if !all {
            q = q.filter(job::Column::State.is_in(waiting));
        }
        if let Some(after) = page.after {
            q = q.filter(job::Column::Id.lt(after));
        }
        rows = q
            .order_by_desc(job::Column::Id)
            .limit(page.limit + 1)
            .all(db)
            .await?;
    }
    if all || states.contains(&"done") {
        let mut q = JobsDone::find().filter(job_done::Column::ScopeId.eq(scope));
        if let Some(after) = page.after {
            q = q.filter(job_done::Column::Id.lt(after));
        }
        let done = q
            .order_by_desc(job_done::Column::Id)
            .limit(page.limit + 1)
            .all(db)
            .await?;
        rows.extend(done.into_iter().map(from_history));
        rows.sort_by_key(|j| std::cmp::Reverse(j.id));
        rows.truncate(usize::try_from(page.limit + 1).unwrap_or(usize::MAX));
    }
    Ok(rows)
}

/// Sends a failed or dead job of `scope` back to the queue with fresh attempts.
pub async fn retry(
    db: &impl ConnectionTrait,
    scope: Uuid,
    id: Uuid,
    now: i64,
) -> StoreResult<Option<Job>> {
    let res = Jobs::update_many()
        .col_expr(job::Column::State, Expr::value("queued"))
        .col_expr(job::Column::RunAt, Expr::value(now))
        .col_expr(job::Column::Attempts, Expr::value(0))
        .col_expr(job::Column::FinishedAt, Expr::value(Option::<i64>::None))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::ScopeId.eq(scope))
        .filter(job::Column::State.is_in(["failed", "dead"]))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Ok(None);
    }
    Ok(Jobs::find_by_id(id).one(db).await?)
}

/// One job of `scope`, waiting, running, dead or finished.
pub async fn get(db: &impl ConnectionTrait, scope: Uuid, id: Uuid) -> StoreResult<Option<Job>> {
    if let Some(j) = Jobs::find_by_id(id)
        .filter(job::Column::ScopeId.eq(scope))
        .one(db)
        .await?
    {
        return Ok(Some(j));
    }
    Ok(JobsDone::find_by_id(id)
        .filter(job_done::Column::ScopeId.eq(scope))
        .one(db)
        .await?
        .map(from_history))
}

/// Jobs per kind and state (every row of the queue: finished ones have left it), for the
/// queue-depth metric.
pub async fn depth(db: &impl ConnectionTrait) -> StoreResult<Vec<(String, String, i64)>> {
    Ok(Jobs::find()
        .select_only()
        .column(job::Column::Kind)
        .column(job::Column::State)
        .column_as(job::Column::Id.count(), "n")
        .group_by(job::Column::Kind)
        .group_by(job::Column::State)
        .into_tuple()
        .all(db)
        .await?)
}
