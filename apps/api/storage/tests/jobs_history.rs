//! Finished jobs leave the queue: the statement that completes a batch moves it to the
//! history, which admins still list and which keeps dedup keys taken; the claim's plan
//! reads the partial indexes of due jobs and running leases only. On SQLite always; on
//! PostgreSQL too when `TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod job_queue;

use common::{SEC, T0, plan, stores};
use helpdesk_storage::Store;
use helpdesk_storage::repo::jobs::{self, NewJob};
use job_queue::*;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::json;
use uuid::Uuid;

async fn rows_in(store: &Store, table: &str, scope: Uuid) -> i64 {
    let b = store.read().get_database_backend();
    let sql = match b {
        DbBackend::Postgres => format!("SELECT count(*) FROM {table} WHERE scope_id = $1"),
        _ => format!("SELECT count(*) FROM {table} WHERE scope_id = ?"),
    };
    let row = store
        .read()
        .query_one_raw(Statement::from_sql_and_values(b, sql, [scope.into()]))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index(0).unwrap()
}

#[tokio::test]
async fn a_completed_batch_leaves_the_queue_for_the_history() {
    for store in stores().await {
        let b = store.backend();
        let scope = Uuid::now_v7();
        for i in 0..5 {
            let job = NewJob::new("digest", json!({ "i": i })).dedup(format!("k{i}"));
            assert!(jobs::enqueue(store.write(), scope, job, T0).await.unwrap());
        }
        let claimed = jobs::claim(store.write(), "w", 10, T0, lease(T0, T0 + 60 * SEC))
            .await
            .unwrap();
        assert_eq!(claimed.len(), 5, "{b:?}");
        let ids: Vec<Uuid> = claimed.iter().map(|j| j.id).collect();
        // Another worker's completion of them moves nothing.
        let moved = jobs::complete_many(store.write(), &ids, "other", T0 + SEC)
            .await
            .unwrap();
        assert_eq!(moved, 0, "{b:?}");
        let moved = jobs::complete_many(store.write(), &ids[..4], "w", T0 + 2 * SEC)
            .await
            .unwrap();
        assert_eq!(moved, 4, "{b:?}");
        assert_eq!(rows_in(&store, "jobs", scope).await, 1, "{b:?}");
        assert_eq!(rows_in(&store, "jobs_done", scope).await, 4, "{b:?}");
        // Listed as done, with when they finished, newest first together with the rest.
        let all = all_jobs(&store, scope).await;
        assert_eq!(all.len(), 5, "{b:?}");
        assert!(all.windows(2).all(|w| w[0].id > w[1].id), "{b:?}");
        let done = get(&store, scope, ids[0]).await;
        assert_eq!(
            (done.state.as_str(), done.finished_at, done.attempts),
            ("done", Some(T0 + 2 * SEC), 1),
            "{b:?}"
        );
        // Their keys stay taken; the running one's too.
        for i in [0, 4] {
            let again = NewJob::new("digest", json!({})).dedup(format!("k{i}"));
            assert!(
                !jobs::enqueue(store.write(), scope, again, T0 + 3 * SEC)
                    .await
                    .unwrap(),
                "{b:?} k{i}"
            );
        }
        // Nothing finished is claimed again, however late (the running one's lock holds).
        let later = T0 + 3600 * SEC;
        let held = lease(T0 + 2 * SEC, T0 + 3 * SEC);
        let next = jobs::claim(store.write(), "w2", 10, later, held)
            .await
            .unwrap();
        assert!(next.is_empty(), "{b:?}");
    }
}

#[tokio::test]
async fn the_claim_reads_only_the_partial_indexes() {
    for store in stores().await {
        let b = store.read().get_database_backend();
        let lock = match b {
            DbBackend::Postgres => "FOR UPDATE SKIP LOCKED",
            _ => "",
        };
        let p = |n: usize| match b {
            DbBackend::Postgres => format!("${n}"),
            _ => format!("?{n}"),
        };
        // The claim's two lookups as the repository writes them.
        for (lookup, index) in [
            (
                format!(
                    "SELECT id FROM jobs WHERE state IN ('queued', 'failed') AND run_at <= {} \
                     ORDER BY run_at LIMIT {} {lock}",
                    p(1),
                    p(2)
                ),
                "ix_jobs_due",
            ),
            (
                format!(
                    "SELECT id FROM jobs WHERE state = 'running' AND locked_until < {} LIMIT {} {lock}",
                    p(1),
                    p(2)
                ),
                "ix_jobs_lease",
            ),
        ] {
            let stmt = Statement::from_sql_and_values(b, lookup.clone(), [T0.into(), 10i64.into()]);
            let plan = plan(&store, stmt).await;
            assert!(
                plan.iter().any(|l| l.contains(index)),
                "{b:?}: {lookup}\n{}",
                plan.join("\n")
            );
        }
    }
}
