//! Claiming due jobs, keeping their locks while they run, and handing them back.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Value};

use super::{Job, statement};
use crate::entities::job::{self, Entity as Jobs};
use crate::error::StoreResult;

/// A claim's lock, on the lease timeline (real time, whatever the injected clock says):
/// locks that ended before `now` have expired; the new ones last until `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    pub now: i64,
    pub until: i64,
}

/// Claims up to `n` jobs due at `now` (or whose lock expired by `lease.now`) for `worker`,
/// locked until `lease.until`.
///
/// Two lookups, each in a partial index that holds only the rows it may return (m0013):
/// however many jobs finished before, a claim reads the due ones and nothing else. An `OR`
/// of the two would read the whole table's index instead.
pub async fn claim(
    db: &impl ConnectionTrait,
    worker: &str,
    n: u64,
    now: i64,
    lease: Lease,
) -> StoreResult<Vec<Job>> {
    let backend = db.get_database_backend();
    let lock = if backend == DbBackend::Postgres {
        "FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE jobs SET state = 'running', locked_by = $1, locked_until = $2, \
           attempts = attempts + 1, updated_at = $3 \
         WHERE id IN (SELECT id FROM ( \
           SELECT id FROM (SELECT id FROM jobs WHERE state IN ('queued', 'failed') \
             AND run_at <= $3 ORDER BY run_at LIMIT $5 {lock}) due \
           UNION ALL \
           SELECT id FROM (SELECT id FROM jobs WHERE state = 'running' \
             AND locked_until < $4 LIMIT $5 {lock}) expired \
         ) claimable LIMIT $5) \
         RETURNING *"
    );
    let values: [Value; 5] = [
        worker.into(),
        lease.until.into(),
        now.into(),
        lease.now.into(),
        (n as i64).into(),
    ];
    Ok(Jobs::find()
        .from_raw_sql(statement(backend, &sql, values))
        .all(db)
        .await?)
}

/// The heartbeat of `worker`: extends the locks of the jobs it is running to `until`, on
/// the lease timeline; returns how many it holds.
pub async fn renew(db: &impl ConnectionTrait, worker: &str, until: i64) -> StoreResult<u64> {
    let res = Jobs::update_many()
        .col_expr(job::Column::LockedUntil, Expr::value(until))
        .filter(job::Column::State.eq("running"))
        .filter(job::Column::LockedBy.eq(worker))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Puts `worker`'s unfinished jobs back in the queue (graceful shutdown), uncounted.
pub async fn release(db: &impl ConnectionTrait, worker: &str, now: i64) -> StoreResult<u64> {
    let res = Jobs::update_many()
        .col_expr(job::Column::State, Expr::value("queued"))
        .col_expr(
            job::Column::Attempts,
            Expr::col(job::Column::Attempts).sub(1),
        )
        .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(job::Column::LockedUntil, Expr::value(Option::<i64>::None))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::State.eq("running"))
        .filter(job::Column::LockedBy.eq(worker))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}
