//! The job queue. A job is a row written in the transaction of the change that causes it;
//! workers claim due jobs (`FOR UPDATE SKIP LOCKED` on PostgreSQL, one atomic UPDATE on
//! SQLite's single writer), and a claim whose lock expired (a crashed worker) is claimed
//! again. Failures retry with backoff until `max_attempts`, then the job is `dead`.
//! A finished job leaves the queue for `jobs_done` in the statement that completes it, so
//! the queue's cost never grows with its history (m0013).
//!
//! Two timelines meet here, both passed in (storage never reads a clock): `now`, the
//! injected clock's instant, decides what is due; a [`Lease`] is on real time, so moving
//! the injected clock (as tests do) never expires the lock of a job that is still running.
//! Workers renew their locks while they run ([`renew`]), so only a dead worker's expire.

mod admin;
mod claim;
mod finish;
mod vacuum;

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use uuid::Uuid;

use crate::entities::job;
use crate::error::StoreResult;

pub use admin::{depth, get, list, retry};
pub use claim::{Lease, claim, release, renew};
pub use finish::{complete, complete_many, fail};
pub use job::Model as Job;
pub use vacuum::vacuum_if_dead;

/// The scope of system jobs (maintenance), which no workspace sees.
pub const SYSTEM: Uuid = Uuid::nil();

#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: &'static str,
    pub payload: serde_json::Value,
    /// When to run; default now.
    pub run_at: Option<i64>,
    pub max_attempts: i32,
    /// At most one job per scope, kind and key: a second enqueue is a no-op, also after
    /// the first one finished (until the history is purged).
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

/// `sql` written with PostgreSQL's `$n` parameters, for `backend` (SQLite reads `?n`).
pub(super) fn statement(
    backend: DbBackend,
    sql: &str,
    values: impl IntoIterator<Item = Value>,
) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        sql.to_owned()
    } else {
        sql.replace('$', "?")
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// Enqueues in the caller's transaction; `false` when the dedup key was already taken,
/// by a waiting, running or dead job or by a finished one.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    scope: Uuid,
    new: NewJob,
    now: i64,
) -> StoreResult<bool> {
    let res = db
        .execute_raw(enqueue_statement(
            db.get_database_backend(),
            scope,
            new,
            now,
        ))
        .await?;
    Ok(res.rows_affected() == 1)
}

/// The statement behind [`enqueue`], for a [`Batch`](crate::batch::Batch) that writes the
/// job with the change that causes it.
pub fn enqueue_statement(backend: DbBackend, scope: Uuid, new: NewJob, now: i64) -> Statement {
    let sql = "INSERT INTO jobs (id, scope_id, kind, payload, state, run_at, attempts, \
               max_attempts, dedup_key, created_at, updated_at) \
               SELECT $1, $2, $3, $4, 'queued', $5, 0, $6, $7, $8, $8 \
               WHERE $7 IS NULL OR NOT EXISTS (SELECT 1 FROM jobs_done d \
                 WHERE d.scope_id = $2 AND d.kind = $3 AND d.dedup_key = $7) \
               ON CONFLICT (scope_id, kind, dedup_key) DO NOTHING";
    let values: [Value; 8] = [
        Uuid::now_v7().into(),
        scope.into(),
        new.kind.into(),
        new.payload.into(),
        new.run_at.unwrap_or(now).into(),
        new.max_attempts.into(),
        new.dedup_key.into(),
        now.into(),
    ];
    statement(backend, sql, values)
}
