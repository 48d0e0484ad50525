//! A batch committed as a transaction of its own in one round trip
//! (`Batch::commit_alone`): all of it or none of it, and the writer is left free for the
//! next transaction whichever it was. On SQLite always; on PostgreSQL too when
//! `TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod job_queue;

use common::{T0, stores};
use helpdesk_storage::batch::Batch;
use helpdesk_storage::repo::jobs::{self, NewJob};
use job_queue::all_jobs;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::json;
use uuid::Uuid;

/// A row in `event_dispatches`, whose key is the event's id.
fn dispatch(backend: DbBackend, event: Uuid) -> Statement {
    let sql = match backend {
        DbBackend::Postgres => {
            "INSERT INTO event_dispatches (event_id, created_at) VALUES ($1, $2)"
        }
        _ => "INSERT INTO event_dispatches (event_id, created_at) VALUES (?, ?)",
    };
    Statement::from_sql_and_values(backend, sql, [event.into(), T0.into()])
}

fn job(backend: DbBackend, scope: Uuid, key: &str) -> Statement {
    let new = NewJob::new("digest", json!({})).dedup(key);
    jobs::enqueue_statement(backend, scope, new, T0)
}

#[tokio::test]
async fn a_batch_alone_is_all_or_nothing_and_frees_the_writer() {
    for store in stores().await {
        let b = store.write().get_database_backend();
        let scope = Uuid::now_v7();
        let taken = Uuid::now_v7();
        let mut first = Batch::new(b);
        first.push(dispatch(b, taken));
        first.commit_alone(&store).await.unwrap();

        // A job, then a key that is taken: the whole batch fails, the job with it.
        let mut failing = Batch::new(b);
        failing.push(job(b, scope, "one")).push(dispatch(b, taken));
        let err = failing.commit_alone(&store).await.unwrap_err();
        assert!(err.to_string().contains("conflict"), "{b:?}: {err}");
        assert!(all_jobs(&store, scope).await.is_empty(), "{b:?}");

        // The writer is outside any transaction: another batch alone, then an ordinary
        // transaction, both commit.
        let mut next = Batch::new(b);
        next.push(job(b, scope, "two"));
        next.commit_alone(&store).await.unwrap();
        let tx = store.begin().await.unwrap();
        tx.execute_raw(job(b, scope, "three")).await.unwrap();
        tx.commit().await.unwrap();
        let mut keys: Vec<_> = all_jobs(&store, scope)
            .await
            .into_iter()
            .filter_map(|j| j.dedup_key)
            .collect();
        keys.sort();
        assert_eq!(keys, ["three", "two"], "{b:?}");
    }
}
