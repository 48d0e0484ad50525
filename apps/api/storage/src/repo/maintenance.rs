//! Housekeeping run by the scheduler: expired credentials and keys, finished jobs and old
//! fire records go; nothing a user can still use or see.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use crate::error::StoreResult;

const WEEK_US: i64 = 7 * 86_400_000_000;

/// Deletes what expired before `now`; returns the number of rows removed.
pub async fn purge(db: &impl ConnectionTrait, now: i64) -> StoreResult<u64> {
    let b = db.get_database_backend();
    let p = |i: usize| {
        if b == DbBackend::Postgres {
            format!("${i}")
        } else {
            "?".into()
        }
    };
    let statements: [(String, Vec<Value>); 5] = [
        (
            format!("DELETE FROM idempotency_keys WHERE expires_at <= {}", p(1)),
            vec![now.into()],
        ),
        (
            format!("DELETE FROM refresh_tokens WHERE expires_at <= {}", p(1)),
            vec![now.into()],
        ),
        (
            format!(
                "DELETE FROM one_time_tokens WHERE expires_at <= {} OR used_at <= {}",
                p(1),
                p(2)
            ),
            vec![now.into(), (now - WEEK_US).into()],
        ),
        (
            format!("DELETE FROM jobs_done WHERE finished_at <= {}", p(1)),
            vec![(now - WEEK_US).into()],
        ),
        (
            format!("DELETE FROM schedule_fires WHERE fire_at <= {}", p(1)),
            vec![(now - WEEK_US).into()],
        ),
    ];
    let mut removed = 0;
    for (sql, values) in statements {
        removed += db
            .execute_raw(Statement::from_sql_and_values(b, sql, values))
            .await?
            .rows_affected();
    }
    Ok(removed)
}
