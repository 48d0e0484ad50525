//! The queue vacuums its own table on PostgreSQL once enough dead rows have built up
//! (autovacuum may be off), and never below the threshold; SQLite has nothing to vacuum.
//! On SQLite always; on PostgreSQL too when `TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod job_queue;

use common::{SEC, T0, stores};
use helpdesk_storage::Store;
use helpdesk_storage::repo::jobs::{self, NewJob};
use job_queue::lease;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::json;
use uuid::Uuid;

/// How many times PostgreSQL has vacuumed `jobs` by hand (autovacuum counts apart).
async fn vacuums(store: &Store) -> i64 {
    let sql = "SELECT vacuum_count FROM pg_stat_user_tables WHERE relid = 'jobs'::regclass";
    let row = store
        .read()
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index(0).unwrap()
}

/// Runs `n` jobs through the queue: each leaves dead rows behind on PostgreSQL.
async fn churn(store: &Store, n: usize) {
    let scope = Uuid::now_v7();
    for i in 0..n {
        let job = NewJob::new("digest", json!({ "i": i }));
        assert!(jobs::enqueue(store.write(), scope, job, T0).await.unwrap());
    }
    let claimed = jobs::claim(store.write(), "w", n as u64, T0, lease(T0, T0 + 60 * SEC))
        .await
        .unwrap();
    let ids: Vec<Uuid> = claimed.iter().map(|j| j.id).collect();
    let moved = jobs::complete_many(store.write(), &ids, "w", T0 + SEC)
        .await
        .unwrap();
    assert_eq!(moved as usize, n);
}

#[tokio::test]
async fn the_queue_is_vacuumed_past_its_threshold_and_only_then() {
    for store in stores().await {
        churn(&store, 50).await;
        if store.write().get_database_backend() != DbBackend::Postgres {
            assert_eq!(jobs::vacuum_if_dead(store.write(), 0).await.unwrap(), None);
            continue;
        }
        let before = vacuums(&store).await;
        // Far more dead rows than there are: nothing happens.
        let skipped = jobs::vacuum_if_dead(store.write(), i64::MAX).await.unwrap();
        assert_eq!(skipped, None);
        assert_eq!(vacuums(&store).await, before);
        // Any number will do: the table is vacuumed, once.
        let done = jobs::vacuum_if_dead(store.write(), 0).await.unwrap();
        assert!(done.is_some_and(|dead| dead >= 0), "{done:?}");
        assert_eq!(vacuums(&store).await, before + 1);
        // The queue works on as before.
        churn(&store, 5).await;
    }
}
