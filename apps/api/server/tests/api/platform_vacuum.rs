//! A running worker vacuums the queue table when its dead rows pass the threshold
//! (PostgreSQL; autovacuum may be off), and goes on running jobs; on SQLite it has nothing
//! to vacuum and runs jobs all the same.

use std::time::Duration;

use helpdesk_jobs::{Handlers, WorkerConfig};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use uuid::Uuid;

use crate::both;
use crate::harness::TestApp;
use crate::platform_batches::{Single, enqueue_numbered, start_worker};

/// How many times `jobs` was vacuumed by hand; `None` on SQLite.
async fn vacuums(app: &TestApp) -> Option<i64> {
    let db = app.store.read();
    if db.get_database_backend() != DbBackend::Postgres {
        return None;
    }
    let sql = "SELECT vacuum_count FROM pg_stat_user_tables WHERE relid = 'jobs'::regclass";
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap()
        .unwrap();
    Some(row.try_get_by_index(0).unwrap())
}

async fn the_worker_vacuums_its_queue(app: TestApp) {
    let before = vacuums(&app).await;
    let scope = Uuid::now_v7();
    let now = helpdesk_domain::time::to_micros(jiff::Timestamp::now());
    enqueue_numbered(&app, scope, "test.count", 20, now).await;
    let count = Single::default();
    let config = WorkerConfig {
        poll: Duration::from_millis(20),
        shutdown_grace: Duration::from_millis(50),
        vacuum_every: Duration::from_millis(20),
        vacuum_dead_rows: 0,
        ..WorkerConfig::default()
    };
    let handlers = Handlers::default().with("test.count", count.clone());
    let (stop, running) = start_worker(&app, handlers, config);
    let vacuumed = |now: Option<i64>| match (before, now) {
        (Some(b), Some(n)) => n > b,
        _ => true,
    };
    for _ in 0..400 {
        if *count.0.lock().unwrap() == 20 && vacuumed(vacuums(&app).await) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let _ = stop.send(());
    running.await.unwrap();
    assert_eq!(*count.0.lock().unwrap(), 20, "every job ran");
    let after = vacuums(&app).await;
    assert!(vacuumed(after), "vacuumed: {before:?} → {after:?}");
}
both!(the_worker_vacuums_its_queue, |c| c.jobs_in_process =
    Some(false));
