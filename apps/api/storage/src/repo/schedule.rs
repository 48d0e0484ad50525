//! The scheduler's coordination: a leader lease, and one row per fired `(schedule, fire_at)`
//! so that a tick runs once however many schedulers there are.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use crate::error::StoreResult;

fn params(backend: DbBackend, n: usize) -> Vec<String> {
    (1..=n)
        .map(|i| {
            if backend == DbBackend::Postgres {
                format!("${i}")
            } else {
                "?".into()
            }
        })
        .collect()
}

/// Takes or renews the lease `name` for `holder` until `expires_at`; `true` when held.
pub async fn lease(
    db: &impl ConnectionTrait,
    name: &str,
    holder: &str,
    now: i64,
    expires_at: i64,
) -> StoreResult<bool> {
    let b = db.get_database_backend();
    let p = params(b, 4);
    let sql = format!(
        "INSERT INTO scheduler_lease (name, holder, expires_at) VALUES ({}, {}, {}) \
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
         WHERE scheduler_lease.holder = excluded.holder OR scheduler_lease.expires_at < {} RETURNING holder",
        p[0], p[1], p[2], p[3]
    );
    let values: [Value; 4] = [name.into(), holder.into(), expires_at.into(), now.into()];
    Ok(db
        .query_one_raw(Statement::from_sql_and_values(b, sql, values))
        .await?
        .is_some())
}

/// Records that `schedule` fired for `fire_at`; `false` when someone already did.
pub async fn record_fire(
    db: &impl ConnectionTrait,
    schedule: &str,
    fire_at: i64,
    by: &str,
    now: i64,
) -> StoreResult<bool> {
    let b = db.get_database_backend();
    let p = params(b, 4);
    let sql = format!(
        "INSERT INTO schedule_fires (schedule, fire_at, fired_by, created_at) VALUES ({}, {}, {}, {}) ON CONFLICT DO NOTHING",
        p[0], p[1], p[2], p[3]
    );
    let values: [Value; 4] = [schedule.into(), fire_at.into(), by.into(), now.into()];
    Ok(db
        .execute_raw(Statement::from_sql_and_values(b, sql, values))
        .await?
        .rows_affected()
        == 1)
}

/// How many times `schedule` fired (tests and operators).
pub async fn fires(db: &impl ConnectionTrait, schedule: &str) -> StoreResult<i64> {
    let b = db.get_database_backend();
    let p = params(b, 1);
    let sql = format!(
        "SELECT count(*) FROM schedule_fires WHERE schedule = {}",
        p[0]
    );
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            b,
            sql,
            [Value::from(schedule)],
        ))
        .await?;
    Ok(match row {
        Some(r) => r.try_get_by_index(0)?,
        None => 0,
    })
}
