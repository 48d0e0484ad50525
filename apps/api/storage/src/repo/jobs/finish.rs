//! Recording outcomes: a finished job moves to `jobs_done`; a failed one waits for its
//! retry or is dead.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, TransactionSession,
    TransactionTrait, Value,
};
use uuid::Uuid;

use super::{Job, statement};
use crate::entities::job::{self, Entity as Jobs};
use crate::error::StoreResult;
use crate::migrations::m0013_job_history::MOVED_COLUMNS;

/// Marks a job done, if `worker` still holds it.
pub async fn complete<C>(db: &C, id: Uuid, worker: &str, now: i64) -> StoreResult<()>
where
    C: ConnectionTrait + TransactionTrait,
{
    complete_many(db, &[id], worker, now).await.map(|_| ())
}

/// Moves the jobs `ids` that `worker` still holds to the history, finished at `now`, in one
/// statement on PostgreSQL and one transaction on SQLite; returns how many moved.
pub async fn complete_many<C>(db: &C, ids: &[Uuid], worker: &str, now: i64) -> StoreResult<u64>
where
    C: ConnectionTrait + TransactionTrait,
{
    if ids.is_empty() {
        return Ok(0);
    }
    let backend = db.get_database_backend();
    let list = (0..ids.len())
        .map(|i| format!("${}", i + 3))
        .collect::<Vec<_>>()
        .join(", ");
    let mut values: Vec<Value> = vec![worker.into(), now.into()];
    values.extend(ids.iter().map(|id| Value::from(*id)));
    let held = format!("FROM jobs WHERE locked_by = $1 AND state = 'running' AND id IN ({list})");
    let copy = |from: &str| {
        format!(
            "INSERT INTO jobs_done ({MOVED_COLUMNS}, started_at, finished_at, updated_at) \
             SELECT {MOVED_COLUMNS}, updated_at, $2, $2 {from}"
        )
    };
    if backend == DbBackend::Postgres {
        let sql = format!(
            "WITH moved AS (DELETE {held} RETURNING *) {}",
            copy("FROM moved")
        );
        let res = db.execute_raw(statement(backend, &sql, values)).await?;
        return Ok(res.rows_affected());
    }
    let tx = db.begin().await?;
    let res = tx
        .execute_raw(statement(backend, &copy(&held), values.clone()))
        .await?;
    tx.execute_raw(statement(backend, &format!("DELETE {held}"), values))
        .await?;
    tx.commit().await?;
    Ok(res.rows_affected())
}

/// Records a failure: the job retries at `retry_at`, or is dead after its last attempt.
pub async fn fail(
    db: &impl ConnectionTrait,
    j: &Job,
    worker: &str,
    error: &str,
    now: i64,
    retry_at: i64,
) -> StoreResult<()> {
    let dead = j.attempts >= j.max_attempts;
    let error: String = error.chars().take(2000).collect();
    Jobs::update_many()
        .col_expr(
            job::Column::State,
            Expr::value(if dead { "dead" } else { "failed" }),
        )
        .col_expr(
            job::Column::RunAt,
            Expr::value(if dead { j.run_at } else { retry_at }),
        )
        .col_expr(job::Column::LastError, Expr::value(error))
        .col_expr(job::Column::FinishedAt, Expr::value(dead.then_some(now)))
        .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(job::Column::LockedUntil, Expr::value(Option::<i64>::None))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(j.id))
        .filter(job::Column::LockedBy.eq(worker))
        .exec(db)
        .await?;
    Ok(())
}
