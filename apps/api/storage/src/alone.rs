//! A [`Batch`] that is a whole transaction, sent in one round trip.
//!
//! On SQLite a transaction holds the database's one write lock from `BEGIN` to `COMMIT`, and
//! each of its round trips is a hand-off to the writer connection's thread and back (two
//! thread wake-ups) while every other writer waits. Measured under the `create_ticket`
//! load, a creation's statements took 0.35 ms of the 1.3 ms each held the lock; the rest
//! was the three hand-offs of `BEGIN`, the batch and `COMMIT` (docs/performance.md). Sent
//! as one string, they are one hand-off. On PostgreSQL a batch is one statement, atomic on
//! its own, so it needs neither `BEGIN` nor `COMMIT`: one round trip instead of three.

use sea_orm::sqlx::{self, SqlitePool};
use sea_orm::{DbErr, QueryResult, RuntimeErr, Values};
use sea_query_sqlx::SqlxValues;
use tracing::{Instrument, Span};

use crate::Store;
use crate::batch::Batch;
use crate::error::{StoreError, StoreResult};

impl Batch {
    /// Runs the batch as a transaction of its own, in one round trip; its rows as
    /// [`Batch::query_all`] returns them.
    pub async fn commit_alone(&self, store: &Store) -> StoreResult<Vec<QueryResult>> {
        if self.is_empty() {
            return Ok(Vec::new());
        }
        let Some(pool) = store.sqlite_writer() else {
            return self.query_all(store.write()).await;
        };
        let stmt = self.statement()?;
        let sql = format!("BEGIN IMMEDIATE;\n{};\nCOMMIT", stmt.sql);
        let values = stmt.values.unwrap_or(Values(Vec::new()));
        // Its own task: a request dropped half-way (the client went away) cannot leave the
        // writer inside the transaction; the task finishes it either way, in the request's
        // span.
        let write = in_transaction(pool.clone(), sql, values).instrument(Span::current());
        let rows = tokio::spawn(write)
            .await
            .map_err(|e| StoreError::Db(DbErr::Custom(format!("write task: {e}"))))?
            .map_err(|e| StoreError::from(DbErr::Query(RuntimeErr::SqlxError(e.into()))))?;
        Ok(rows.into_iter().map(QueryResult::from).collect())
    }
}

/// `sql` (`BEGIN IMMEDIATE; …; COMMIT`) on the writer; rolled back when a statement fails,
/// so the connection goes back to the pool outside any transaction.
async fn in_transaction(
    pool: SqlitePool,
    sql: String,
    values: Values,
) -> Result<Vec<sqlx::sqlite::SqliteRow>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let result = sqlx::query_with(sqlx::AssertSqlSafe(sql), SqlxValues(values))
        .fetch_all(&mut *conn)
        .await;
    if result.is_err() {
        // Fails harmlessly when `BEGIN` itself failed: no transaction is open then.
        let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
    }
    result
}
