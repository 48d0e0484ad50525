//! The job queue. A job is a row written in the transaction of the change that causes it;
//! workers claim due jobs (`FOR UPDATE SKIP LOCKED` on PostgreSQL, one atomic UPDATE on
//! SQLite's single writer), and a claim whose lock expired (a crashed worker) is claimed
//! again. Failures retry with backoff until `max_attempts`, then the job is `dead`.
//!
//! Two timelines meet here, both passed in (storage never reads a clock): `now`, the
//! injected clock's instant, decides what is due; a [`Lease`] is on real time, so moving
//! the injected clock (as tests do) never expires the lock of a job that is still running.
//! Workers renew their locks while they run ([`renew`]), so only a dead worker's expire.

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, Statement, Value,
};
use uuid::Uuid;

use crate::entities::job::{self, Entity as Jobs};
use crate::error::StoreResult;
use crate::repo::Page;

pub use job::Model as Job;

/// The scope of system jobs (maintenance), which no workspace sees.
pub const SYSTEM: Uuid = Uuid::nil();

#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: &'static str,
    pub payload: serde_json::Value,
    /// When to run; default now.
    pub run_at: Option<i64>,
    pub max_attempts: i32,
    /// At most one job per scope, kind and key: a second enqueue is a no-op.
    pub dedup_key: Option<String>,
}

impl NewJob {
    pub fn new(kind: &'static str, payload: serde_json::Value) -> Self {
        Self {
            kind,
            payload,
            run_at: None,
            max_attempts: 8,
            dedup_key: None,
        }
    }

    pub fn dedup(mut self, key: impl Into<String>) -> Self {
        self.dedup_key = Some(key.into());
        self
    }
}

/// Enqueues in the caller's transaction; `false` when the dedup key was already taken.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    scope: Uuid,
    new: NewJob,
    now: i64,
) -> StoreResult<bool> {
    let model = job::ActiveModel {
        id: Set(Uuid::now_v7()),
        scope_id: Set(scope),
        kind: Set(new.kind.to_owned()),
        payload: Set(new.payload),
        state: Set("queued".into()),
        run_at: Set(new.run_at.unwrap_or(now)),
        attempts: Set(0),
        max_attempts: Set(new.max_attempts),
        last_error: Set(None),
        locked_by: Set(None),
        locked_until: Set(None),
        dedup_key: Set(new.dedup_key),
        finished_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let res = Jobs::insert(model)
        .on_conflict(
            OnConflict::columns([
                job::Column::ScopeId,
                job::Column::Kind,
                job::Column::DedupKey,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(res == 1)
}

/// A claim's lock, on the lease timeline (real time, whatever the injected clock says):
/// locks that ended before `now` have expired; the new ones last until `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    pub now: i64,
    pub until: i64,
}

/// Claims up to `n` jobs due at `now` (or whose lock expired by `lease.now`) for `worker`,
/// locked until `lease.until`.
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
    let p = |i: usize| {
        if backend == DbBackend::Postgres {
            format!("${i}")
        } else {
            "?".to_owned()
        }
    };
    let sql = format!(
        "UPDATE jobs SET state = 'running', locked_by = {}, locked_until = {}, attempts = attempts + 1, updated_at = {} \
         WHERE id IN (SELECT id FROM jobs WHERE (state IN ('queued', 'failed') AND run_at <= {}) \
           OR (state = 'running' AND locked_until < {}) ORDER BY run_at LIMIT {} {lock}) \
         RETURNING *",
        p(1),
        p(2),
        p(3),
        p(4),
        p(5),
        p(6)
    );
    let values: [Value; 6] = [
        worker.into(),
        lease.until.into(),
        now.into(),
        now.into(),
        lease.now.into(),
        (n as i64).into(),
    ];
    Ok(Jobs::find()
        .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
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

/// Marks a job done, if `worker` still holds it.
pub async fn complete(
    db: &impl ConnectionTrait,
    id: Uuid,
    worker: &str,
    now: i64,
) -> StoreResult<()> {
    Jobs::update_many()
        .col_expr(job::Column::State, Expr::value("done"))
        .col_expr(job::Column::FinishedAt, Expr::value(now))
        .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(job::Column::LockedUntil, Expr::value(Option::<i64>::None))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::LockedBy.eq(worker))
        .exec(db)
        .await?;
    Ok(())
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

/// A scope's jobs in `states`, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: Uuid,
    states: &[&str],
    page: Page,
) -> StoreResult<Vec<Job>> {
    let mut q = Jobs::find().filter(job::Column::ScopeId.eq(scope));
    if !states.is_empty() {
        q = q.filter(job::Column::State.is_in(states.iter().copied()));
    }
    if let Some(after) = page.after {
        q = q.filter(job::Column::Id.lt(after));
    }
    Ok(q.order_by_desc(job::Column::Id)
        .limit(page.limit + 1)
        .all(db)
        .await?)
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

pub async fn get(db: &impl ConnectionTrait, scope: Uuid, id: Uuid) -> StoreResult<Option<Job>> {
    Ok(Jobs::find_by_id(id)
        .filter(job::Column::ScopeId.eq(scope))
        .one(db)
        .await?)
}

/// Jobs per kind and state, for the queue-depth metric.
pub async fn depth(db: &impl ConnectionTrait) -> StoreResult<Vec<(String, String, i64)>> {
    Ok(Jobs::find()
        .select_only()
        .column(job::Column::Kind)
        .column(job::Column::State)
        .column_as(job::Column::Id.count(), "n")
        .filter(job::Column::State.is_in(["queued", "running", "failed", "dead"]))
        .group_by(job::Column::Kind)
        .group_by(job::Column::State)
        .into_tuple()
        .all(db)
        .await?)
}
