//! Helpers shared by the job-queue storage tests: listing, reading, enqueueing one job and
//! comparing id sets.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use helpdesk_storage::Store;
use helpdesk_storage::repo::Page;
use helpdesk_storage::repo::jobs::{self, Job, Lease, NewJob};
use serde_json::json;
use uuid::Uuid;

pub const ALL: Page = Page {
    limit: 1000,
    after: None,
};

pub async fn all_jobs(store: &Store, scope: Uuid) -> Vec<Job> {
    jobs::list(store.read(), scope, &[], ALL).await.unwrap()
}

pub async fn get(store: &Store, scope: Uuid, id: Uuid) -> Job {
    jobs::get(store.read(), scope, id).await.unwrap().unwrap()
}

/// A lock from `now` to `until` on the lease timeline.
pub fn lease(now: i64, until: i64) -> Lease {
    Lease { now, until }
}

pub fn at(kind: &'static str, run_at: i64) -> NewJob {
    NewJob {
        run_at: Some(run_at),
        ..NewJob::new(kind, json!({ "run_at": run_at }))
    }
}

/// Enqueues `new` and returns the id of the job it wrote.
pub async fn enqueue_one(store: &Store, scope: Uuid, new: NewJob, now: i64) -> Uuid {
    let before: HashSet<Uuid> = all_jobs(store, scope).await.iter().map(|j| j.id).collect();
    assert!(jobs::enqueue(store.write(), scope, new, now).await.unwrap());
    let added: Vec<Uuid> = all_jobs(store, scope)
        .await
        .iter()
        .map(|j| j.id)
        .filter(|id| !before.contains(id))
        .collect();
    assert_eq!(added.len(), 1);
    added[0]
}

pub fn ids(jobs: &[Job]) -> Vec<Uuid> {
    let mut v: Vec<Uuid> = jobs.iter().map(|j| j.id).collect();
    v.sort();
    v
}

pub fn sorted(mut v: Vec<Uuid>) -> Vec<Uuid> {
    v.sort();
    v
}
