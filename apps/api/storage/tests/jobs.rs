//! The job queue at the storage boundary: dedup on enqueue, which jobs a claim takes and
//! in what order, holder-checked completion and failure, retries, release,
//! depth, and concurrent claimers. On SQLite always; on PostgreSQL too when
//! `TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod job_queue;

use std::collections::HashSet;

use common::{SEC, T0, stores};
use helpdesk_storage::repo::jobs::{self, NewJob};
use job_queue::*;
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn enqueue_with_a_dedup_key_is_once_per_scope_and_kind() {
    for store in stores().await {
        let b = store.backend();
        let scope = Uuid::now_v7();
        let other_scope = Uuid::now_v7();
        let first = NewJob::new("digest", json!({ "n": 1 })).dedup("2025-01-06");
        assert!(
            jobs::enqueue(store.write(), scope, first, T0)
                .await
                .unwrap()
        );
        // The same key again, whatever the payload: a no-op that keeps the first job.
        let again = NewJob::new("digest", json!({ "n": 2 })).dedup("2025-01-06");
        assert!(
            !jobs::enqueue(store.write(), scope, again, T0 + SEC)
                .await
                .unwrap(),
            "{b:?}"
        );
        let rows = all_jobs(&store, scope).await;
        assert_eq!(rows.len(), 1, "{b:?}");
        let j = &rows[0];
        assert_eq!(j.payload, json!({ "n": 1 }), "{b:?}");
        assert_eq!(j.dedup_key.as_deref(), Some("2025-01-06"));
        assert_eq!(
            (j.state.as_str(), j.run_at, j.attempts, j.max_attempts),
            ("queued", T0, 0, 8)
        );
        assert_eq!((j.created_at, j.updated_at), (T0, T0));
        assert_eq!(
            (j.locked_by.as_ref(), j.locked_until, j.finished_at),
            (None, None, None)
        );
        // The key is per kind and per scope.
        let other_kind = NewJob::new("export", json!({})).dedup("2025-01-06");
        assert!(
            jobs::enqueue(store.write(), scope, other_kind, T0)
                .await
                .unwrap()
        );
        let other = NewJob::new("digest", json!({})).dedup("2025-01-06");
        assert!(
            jobs::enqueue(store.write(), other_scope, other, T0)
                .await
                .unwrap()
        );
        let next_key = NewJob::new("digest", json!({})).dedup("2025-01-07");
        assert!(
            jobs::enqueue(store.write(), scope, next_key, T0)
                .await
                .unwrap()
        );
        // Without a key nothing is deduplicated.
        for _ in 0..2 {
            let plain = NewJob::new("digest", json!({}));
            assert!(
                jobs::enqueue(store.write(), scope, plain, T0)
                    .await
                    .unwrap()
            );
        }
        assert_eq!(all_jobs(&store, scope).await.len(), 5, "{b:?}");
        assert_eq!(all_jobs(&store, other_scope).await.len(), 1, "{b:?}");
        // A dedup key stays taken after its job is done.
        let claimed = jobs::claim(store.write(), "w", 100, T0, lease(T0, T0 + 60 * SEC))
            .await
            .unwrap();
        assert_eq!(claimed.len(), 6, "{b:?}");
        for j in &claimed {
            jobs::complete(store.write(), j.id, "w", T0).await.unwrap();
        }
        let late = NewJob::new("digest", json!({ "n": 3 })).dedup("2025-01-06");
        assert!(
            !jobs::enqueue(store.write(), scope, late, T0 + 2 * SEC)
                .await
                .unwrap()
        );
    }
}

#[tokio::test]
async fn claim_takes_due_jobs_in_run_at_order_up_to_n() {
    for store in stores().await {
        let b = store.backend();
        let scope = Uuid::now_v7();
        // Enqueued out of order; the one at T0 + 10 s is not due until then.
        let j3 = enqueue_one(&store, scope, at("k", T0 + 3 * SEC), T0).await;
        let j1 = enqueue_one(&store, scope, at("k", T0 + SEC), T0).await;
        let future = enqueue_one(&store, scope, at("k", T0 + 10 * SEC), T0).await;
        let j2 = enqueue_one(&store, scope, at("k", T0 + 2 * SEC), T0).await;
        // Due yet, but a different kind and scope still share the one queue.
        let other_scope = Uuid::now_v7();
        let j4 = enqueue_one(&store, other_scope, at("other", T0 + 4 * SEC), T0).await;

        let now = T0 + 5 * SEC;
        let until = now + 60 * SEC;
        // n = 2 of the four due jobs: the two earliest.
        let first = jobs::claim(store.write(), "w1", 2, now, lease(now, until))
            .await
            .unwrap();
        assert_eq!(ids(&first), sorted(vec![j1, j2]), "{b:?}");
        for j in &first {
            assert_eq!(j.state, "running");
            assert_eq!(j.locked_by.as_deref(), Some("w1"));
            assert_eq!(j.locked_until, Some(until));
            assert_eq!(j.attempts, 1);
            assert_eq!(j.updated_at, now);
        }
        // What `claim` returned is what the table holds.
        assert_eq!(
            get(&store, scope, j1).await,
            first.iter().find(|j| j.id == j1).unwrap().clone()
        );
        // The next claim takes the remaining due ones, in order, and not the future one.
        let second = jobs::claim(store.write(), "w2", 1, now, lease(now, until))
            .await
            .unwrap();
        assert_eq!(ids(&second), vec![j3], "{b:?}");
        let third = jobs::claim(store.write(), "w2", 10, now, lease(now, until))
            .await
            .unwrap();
        assert_eq!(ids(&third), vec![j4], "{b:?}");
        assert!(
            jobs::claim(store.write(), "w2", 10, now, lease(now, until))
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(get(&store, scope, future).await.state, "queued");
        // Due exactly at its run_at.
        let due = jobs::claim(
            store.write(),
            "w3",
            10,
            T0 + 10 * SEC - 1,
            lease(T0 + 10 * SEC - 1, until),
        )
        .await
        .unwrap();
        assert!(due.is_empty(), "{b:?}");
        let due = jobs::claim(
            store.write(),
            "w3",
            10,
            T0 + 10 * SEC,
            lease(T0 + 10 * SEC, until),
        )
        .await
        .unwrap();
        assert_eq!(ids(&due), vec![future], "{b:?}");
        // Nobody else's claim moved: the running jobs keep their holders.
        assert_eq!(
            get(&store, scope, j1).await.locked_by.as_deref(),
            Some("w1")
        );
        assert_eq!(
            get(&store, scope, j3).await.locked_by.as_deref(),
            Some("w2")
        );
    }
}

#[tokio::test]
async fn failures_retry_at_the_given_instant_then_the_job_is_dead_until_retried() {
    for store in stores().await {
        let b = store.backend();
        let scope = Uuid::now_v7();
        let new = NewJob {
            max_attempts: 2,
            ..NewJob::new("webhook", json!({}))
        };
        let id = enqueue_one(&store, scope, new, T0).await;
        let first = jobs::claim(store.write(), "w", 10, T0, lease(T0, T0 + 60 * SEC))
            .await
            .unwrap();
        assert_eq!(ids(&first), vec![id]);
        let long_error = "x".repeat(3000);
        jobs::fail(
            store.write(),
            &first[0],
            "w",
            &long_error,
            T0 + SEC,
            T0 + 100 * SEC,
        )
        .await
        .unwrap();
        let failed = get(&store, scope, id).await;
        assert_eq!(failed.state, "failed", "{b:?}");
        assert_eq!(failed.run_at, T0 + 100 * SEC);
        assert_eq!(failed.attempts, 1);
        assert_eq!(failed.last_error.as_deref().map(str::len), Some(2000));
        assert_eq!(
            (failed.locked_by, failed.locked_until, failed.finished_at),
            (None, None, None)
        );
        assert_eq!(failed.updated_at, T0 + SEC);
        // Not before the retry instant.
        let early = jobs::claim(
            store.write(),
            "w",
            10,
            T0 + 99 * SEC,
            lease(T0 + 99 * SEC, T0 + 200 * SEC),
        )
        .await
        .unwrap();
        assert!(early.is_empty(), "{b:?}");
        let second = jobs::claim(
            store.write(),
            "w",
            10,
            T0 + 100 * SEC,
            lease(T0 + 100 * SEC, T0 + 200 * SEC),
        )
        .await
        .unwrap();
        assert_eq!(ids(&second), vec![id], "{b:?}");
        assert_eq!(second[0].attempts, 2);
        // The last attempt failed: dead, run_at kept, finished.
        jobs::fail(
            store.write(),
            &second[0],
            "w",
            "boom",
            T0 + 101 * SEC,
            T0 + 500 * SEC,
        )
        .await
        .unwrap();
        let dead = get(&store, scope, id).await;
        assert_eq!(dead.state, "dead", "{b:?}");
        assert_eq!(dead.run_at, T0 + 100 * SEC);
        assert_eq!(dead.finished_at, Some(T0 + 101 * SEC));
        assert_eq!(dead.last_error.as_deref(), Some("boom"));
        assert_eq!((dead.locked_by.as_ref(), dead.locked_until), (None, None));
        let never = jobs::claim(
            store.write(),
            "w",
            10,
            T0 + 1000 * SEC,
            lease(T0 + 1000 * SEC, T0 + 2000 * SEC),
        )
        .await
        .unwrap();
        assert!(never.is_empty(), "{b:?}");

        // Retry: only in its scope, only failed or dead jobs.
        assert!(
            jobs::retry(store.write(), Uuid::now_v7(), id, T0 + 2000 * SEC)
                .await
                .unwrap()
                .is_none()
        );
        let retried = jobs::retry(store.write(), scope, id, T0 + 2000 * SEC)
            .await
            .unwrap()
            .expect("a dead job is retried");
        assert_eq!(retried.state, "queued", "{b:?}");
        assert_eq!(retried.attempts, 0);
        assert_eq!(retried.run_at, T0 + 2000 * SEC);
        assert_eq!(retried.finished_at, None);
        assert_eq!(retried.updated_at, T0 + 2000 * SEC);
        assert_eq!(get(&store, scope, id).await, retried);
        assert!(
            jobs::retry(store.write(), scope, id, T0 + 2001 * SEC)
                .await
                .unwrap()
                .is_none(),
            "a queued job is not retried"
        );
        let third = jobs::claim(
            store.write(),
            "w",
            10,
            T0 + 2000 * SEC,
            lease(T0 + 2000 * SEC, T0 + 3000 * SEC),
        )
        .await
        .unwrap();
        assert_eq!(ids(&third), vec![id], "{b:?}");
        assert_eq!(third[0].attempts, 1, "fresh attempts after a retry");
        // A failed (not yet dead) job can be retried too.
        jobs::fail(
            store.write(),
            &third[0],
            "w",
            "again",
            T0 + 2001 * SEC,
            T0 + 9000 * SEC,
        )
        .await
        .unwrap();
        assert_eq!(get(&store, scope, id).await.state, "failed");
        let now_again = jobs::retry(store.write(), scope, id, T0 + 2002 * SEC)
            .await
            .unwrap()
            .expect("a failed job is retried");
        assert_eq!(
            (now_again.state.as_str(), now_again.run_at),
            ("queued", T0 + 2002 * SEC)
        );
    }
}

#[tokio::test]
async fn release_requeues_only_the_workers_running_jobs_uncounted() {
    for store in stores().await {
        let b = store.backend();
        let scope = Uuid::now_v7();
        let mut all = Vec::new();
        for i in 0..4 {
            all.push(enqueue_one(&store, scope, at("k", T0 + i * SEC), T0).await);
        }
        let mine = jobs::claim(
            store.write(),
            "w1",
            3,
            T0 + 10 * SEC,
            lease(T0 + 10 * SEC, T0 + 60 * SEC),
        )
        .await
        .unwrap();
        assert_eq!(ids(&mine), sorted(all[..3].to_vec()), "{b:?}");
        let theirs = jobs::claim(
            store.write(),
            "w2",
            3,
            T0 + 10 * SEC,
            lease(T0 + 10 * SEC, T0 + 60 * SEC),
        )
        .await
        .unwrap();
        assert_eq!(ids(&theirs), vec![all[3]], "{b:?}");
        jobs::complete(store.write(), all[0], "w1", T0 + 11 * SEC)
            .await
            .unwrap();

        assert_eq!(
            jobs::release(store.write(), "w1", T0 + 12 * SEC)
                .await
                .unwrap(),
            2,
            "{b:?}"
        );
        for id in &all[1..3] {
            let j = get(&store, scope, *id).await;
            assert_eq!(j.state, "queued", "{b:?}");
            assert_eq!(j.attempts, 0, "a released claim is not an attempt");
            assert_eq!((j.locked_by.as_ref(), j.locked_until), (None, None));
            assert_eq!(j.updated_at, T0 + 12 * SEC);
        }
        assert_eq!(get(&store, scope, all[0]).await.state, "done");
        let other = get(&store, scope, all[3]).await;
        assert_eq!(
            (other.state.as_str(), other.locked_by.as_deref()),
            ("running", Some("w2"))
        );
        assert_eq!(
            jobs::release(store.write(), "w1", T0 + 13 * SEC)
                .await
                .unwrap(),
            0
        );
        // Released jobs are due again at once.
        let back = jobs::claim(
            store.write(),
            "w3",
            10,
            T0 + 13 * SEC,
            lease(T0 + 13 * SEC, T0 + 60 * SEC),
        )
        .await
        .unwrap();
        assert_eq!(ids(&back), sorted(all[1..3].to_vec()), "{b:?}");
    }
}

#[tokio::test]
async fn depth_counts_unfinished_jobs_per_kind_and_state() {
    for store in stores().await {
        let b = store.backend();
        assert!(jobs::depth(store.read()).await.unwrap().is_empty(), "{b:?}");
        let s = Uuid::now_v7();
        let t = Uuid::now_v7();
        // email: 2 done, 1 dead, 1 running, 2 queued (one in another scope); sms: 1 failed.
        let one = NewJob {
            max_attempts: 1,
            ..at("email", T0)
        };
        let dead = enqueue_one(&store, s, one, T0).await;
        let done1 = enqueue_one(&store, s, at("email", T0 + 1), T0).await;
        let done2 = enqueue_one(&store, t, at("email", T0 + 2), T0).await;
        let running = enqueue_one(&store, s, at("email", T0 + 3), T0).await;
        let failed = enqueue_one(&store, s, at("sms", T0 + 4), T0).await;
        let claimed = jobs::claim(
            store.write(),
            "w",
            5,
            T0 + 10,
            lease(T0 + 10, T0 + 60 * SEC),
        )
        .await
        .unwrap();
        assert_eq!(
            ids(&claimed),
            sorted(vec![dead, done1, done2, running, failed])
        );
        for j in &claimed {
            if j.id == dead || j.id == failed {
                jobs::fail(store.write(), j, "w", "e", T0 + 11, T0 + 3600 * SEC)
                    .await
                    .unwrap();
            } else if j.id != running {
                jobs::complete(store.write(), j.id, "w", T0 + 11)
                    .await
                    .unwrap();
            }
        }
        enqueue_one(&store, s, at("email", T0 + 100), T0).await;
        enqueue_one(&store, t, at("email", T0 + 100), T0).await;
        let mut depth = jobs::depth(store.read()).await.unwrap();
        depth.sort();
        let expected: Vec<(String, String, i64)> = vec![
            ("email".into(), "dead".into(), 1),
            ("email".into(), "queued".into(), 2),
            ("email".into(), "running".into(), 1),
            ("sms".into(), "failed".into(), 1),
        ];
        assert_eq!(depth, expected, "{b:?}");
    }
}

/// Four workers claiming concurrently, as the worker does (straight on the write pool) and
/// inside transactions, take each of 200 jobs exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_claimers_take_each_job_exactly_once() {
    const JOBS: usize = 200;
    for store in stores().await {
        let b = store.backend();
        let scope = Uuid::now_v7();
        let tx = store.begin().await.unwrap();
        for i in 0..JOBS {
            let new = NewJob::new("bulk", json!({ "i": i }));
            assert!(jobs::enqueue(&tx, scope, new, T0 + i as i64).await.unwrap());
        }
        tx.commit().await.unwrap();
        let now = T0 + 3600 * SEC;
        let until = now + 3600 * SEC;
        let start = std::sync::Arc::new(tokio::sync::Barrier::new(4));
        let mut tasks = tokio::task::JoinSet::new();
        for w in 0..4 {
            let store = store.clone();
            let start = start.clone();
            tasks.spawn(async move {
                let me = format!("worker-{w}");
                let mut taken = Vec::new();
                start.wait().await;
                loop {
                    let batch = if w % 2 == 0 {
                        jobs::claim(store.write(), &me, 7, now, lease(now, until))
                            .await
                            .unwrap()
                    } else {
                        let tx = store.begin().await.unwrap();
                        let batch = jobs::claim(&tx, &me, 7, now, lease(now, until))
                            .await
                            .unwrap();
                        tokio::task::yield_now().await;
                        tx.commit().await.unwrap();
                        batch
                    };
                    if batch.is_empty() {
                        break;
                    }
                    for j in &batch {
                        assert_eq!(j.locked_by.as_deref(), Some(me.as_str()));
                        assert_eq!(j.attempts, 1, "claimed twice: {}", j.id);
                        jobs::complete(store.write(), j.id, &me, now).await.unwrap();
                    }
                    taken.extend(batch.into_iter().map(|j| j.id));
                }
                taken
            });
        }
        let mut taken = Vec::new();
        while let Some(res) = tasks.join_next().await {
            taken.extend(res.unwrap());
        }
        assert_eq!(taken.len(), JOBS, "{b:?}: claims in all");
        let unique: HashSet<Uuid> = taken.iter().copied().collect();
        assert_eq!(unique.len(), JOBS, "{b:?}: a job was claimed twice");
        let rows = all_jobs(&store, scope).await;
        assert_eq!(rows.len(), JOBS);
        for j in &rows {
            assert!(unique.contains(&j.id));
            assert_eq!(
                (j.state.as_str(), j.attempts),
                ("done", 1),
                "{b:?}: {}",
                j.id
            );
        }
    }
}
