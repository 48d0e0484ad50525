//! The queue's own vacuum on PostgreSQL. Every job is inserted, updated once (claimed) and
//! deleted (moved to `jobs_done`), and each of those leaves a dead row that only a vacuum
//! reclaims; until then a claim walks the dead entries of the due index. m0013 tunes
//! autovacuum for that churn, but autovacuum may be switched off, and even on it visits a
//! database once a minute: ten minutes of load with it off left 866,030 dead rows and a
//! queue 40 s behind (docs/performance.md). So workers vacuum the table themselves once
//! its dead rows pass a threshold. SQLite deletes in place and needs none of this.

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::error::StoreResult;

/// Vacuums `jobs` when PostgreSQL counts at least `dead_rows` dead rows in it; returns the
/// count it acted on, or `None` when it did not vacuum (too few, or SQLite). A vacuum
/// already running (autovacuum's, or another worker's) is left to finish: this one skips.
pub async fn vacuum_if_dead(db: &impl ConnectionTrait, dead_rows: i64) -> StoreResult<Option<i64>> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(None);
    }
    // The statistics lag the writes by up to a few seconds, which a threshold tolerates.
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relid = 'jobs'::regclass",
        ))
        .await?;
    let dead: i64 = match row {
        Some(row) => row.try_get_by_index(0)?,
        None => return Ok(None),
    };
    if dead < dead_rows {
        return Ok(None);
    }
    // VACUUM cannot run inside a transaction: sent on its own, outside one.
    db.execute_unprepared("VACUUM (SKIP_LOCKED) jobs").await?;
    Ok(Some(dead))
}
