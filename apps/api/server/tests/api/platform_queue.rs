//! The job queue: transactional enqueue, exclusive claims, lock expiry, backoff, dead
//! letters, and the worker running handlers.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use helpdesk_domain::time::{Clock, SystemClock};
use helpdesk_jobs::{Handler, Handlers, JobError, Worker, WorkerConfig};
use helpdesk_storage::repo::Page;
use helpdesk_storage::repo::jobs::{self, Job, Lease, NewJob};
use reqwest::StatusCode;
use sea_orm::TransactionTrait;
use serde_json::json;
use uuid::Uuid;

use crate::both;
use crate::harness::TestApp;

const SEC: i64 = 1_000_000;

fn now() -> i64 {
    helpdesk_domain::time::to_micros(jiff::Timestamp::now())
}

/// A lock from `now` to `until` on the lease timeline.
fn lease(now: i64, until: i64) -> Lease {
    Lease { now, until }
}

async fn jobs_of(app: &TestApp, scope: Uuid) -> Vec<Job> {
    jobs::list(
        app.store.read(),
        scope,
        &[],
        Page {
            limit: 1000,
            after: None,
        },
    )
    .await
    .unwrap()
}

async fn enqueue_commits_or_rolls_back_with_the_change(app: TestApp) {
    let scope = Uuid::now_v7();
    let tx = app.store.write().begin().await.unwrap();
    jobs::enqueue(&tx, scope, NewJob::new("test.noop", json!({})), now())
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert!(
        jobs_of(&app, scope).await.is_empty(),
        "a rolled-back change leaves no job"
    );
    let tx = app.store.write().begin().await.unwrap();
    jobs::enqueue(&tx, scope, NewJob::new("test.noop", json!({})), now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(jobs_of(&app, scope).await.len(), 1);
    // A dedup key makes a second enqueue a no-op.
    let job = || NewJob::new("test.noop", json!({})).dedup("k");
    assert!(
        jobs::enqueue(app.store.write(), scope, job(), now())
            .await
            .unwrap()
    );
    assert!(
        !jobs::enqueue(app.store.write(), scope, job(), now())
            .await
            .unwrap()
    );
    assert_eq!(jobs_of(&app, scope).await.len(), 2);
    // Through the API: a ticket and its dispatch job are written together; a refused
    // request writes neither.
    let team = app.team("Acme").await;
    let me = app.get("/auth/me", &team.admin).await.body;
    let ws: Uuid = me["workspace"]["id"].as_str().unwrap().parse().unwrap();
    let before = jobs_of(&app, ws).await.len();
    let bad = app
        .post(
            "/tickets",
            Some(&team.alice),
            json!({"subject":"","description":"d"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(jobs_of(&app, ws).await.len(), before);
    app.ticket(&team.alice, json!({"subject":"s","description":"d"}))
        .await;
    let after = jobs_of(&app, ws).await;
    assert_eq!(after.len(), before + 1);
    assert_eq!(after[0].kind, "event.dispatch");
}
both!(enqueue_commits_or_rolls_back_with_the_change, |c| c
    .jobs_in_process =
    Some(false));

async fn concurrent_claims_take_each_job_once(app: TestApp) {
    let scope = Uuid::now_v7();
    for i in 0..200 {
        jobs::enqueue(
            app.store.write(),
            scope,
            NewJob::new("test.once", json!({ "i": i })),
            now(),
        )
        .await
        .unwrap();
    }
    let claimers = (0..4).map(|w| {
        let store = app.store.clone();
        tokio::spawn(async move {
            let worker = format!("w{w}");
            let mut mine = Vec::new();
            loop {
                let t = now();
                let batch = jobs::claim(store.write(), &worker, 7, t, lease(t, t + 60 * SEC))
                    .await
                    .unwrap();
                if batch.is_empty() {
                    break;
                }
                for j in batch {
                    jobs::complete(store.write(), j.id, &worker, now())
                        .await
                        .unwrap();
                    mine.push(j.id);
                }
            }
            mine
        })
    });
    let mut all = Vec::new();
    for c in futures::future::join_all(claimers).await {
        all.extend(c.unwrap());
    }
    let unique: HashSet<Uuid> = all.iter().copied().collect();
    assert_eq!(all.len(), 200, "every job claimed");
    assert_eq!(unique.len(), 200, "no job claimed twice");
    assert!(
        jobs_of(&app, scope)
            .await
            .iter()
            .all(|j| j.state == "done" && j.attempts == 1)
    );
}
both!(concurrent_claims_take_each_job_once, |c| c
    .jobs_in_process =
    Some(false));

async fn expired_claims_come_back(app: TestApp) {
    let scope = Uuid::now_v7();
    jobs::enqueue(
        app.store.write(),
        scope,
        NewJob::new("test.crash", json!({})),
        now(),
    )
    .await
    .unwrap();
    let t0 = now();
    let a = jobs::claim(app.store.write(), "a", 10, t0, lease(t0, t0 + SEC))
        .await
        .unwrap();
    assert_eq!(a.len(), 1);
    assert!(
        jobs::claim(
            app.store.write(),
            "b",
            10,
            t0 + SEC / 2,
            lease(t0 + SEC / 2, t0 + 2 * SEC)
        )
        .await
        .unwrap()
        .is_empty(),
        "held by a"
    );
    let b = jobs::claim(
        app.store.write(),
        "b",
        10,
        t0 + 2 * SEC,
        lease(t0 + 2 * SEC, t0 + 3 * SEC),
    )
    .await
    .unwrap();
    assert_eq!(b.len(), 1, "a's lock expired");
    assert_eq!(b[0].attempts, 2);
    // A late word from the crashed worker changes nothing.
    jobs::complete(app.store.write(), a[0].id, "a", now())
        .await
        .unwrap();
    assert_eq!(jobs_of(&app, scope).await[0].state, "running");
    jobs::complete(app.store.write(), b[0].id, "b", now())
        .await
        .unwrap();
    assert_eq!(jobs_of(&app, scope).await[0].state, "done");
}
both!(expired_claims_come_back, |c| c.jobs_in_process =
    Some(false));

async fn failures_back_off_then_die_and_admins_retry(app: TestApp) {
    let team = app.team("Acme").await;
    let me = app.get("/auth/me", &team.admin).await.body;
    let ws: Uuid = me["workspace"]["id"].as_str().unwrap().parse().unwrap();
    let mut job = NewJob::new("test.fails", json!({}));
    job.max_attempts = 2;
    job.dedup_key = Some("fails".into());
    jobs::enqueue(app.store.write(), ws, job, now())
        .await
        .unwrap();
    let t0 = now();
    let first = jobs::claim(app.store.write(), "w", 100, t0, lease(t0, t0 + 60 * SEC))
        .await
        .unwrap();
    let j = first.into_iter().find(|j| j.kind == "test.fails").unwrap();
    jobs::fail(app.store.write(), &j, "w", "boom", t0, t0 + 10 * SEC)
        .await
        .unwrap();
    let failed = jobs_of(&app, ws)
        .await
        .into_iter()
        .find(|x| x.id == j.id)
        .unwrap();
    assert_eq!(
        (
            failed.state.as_str(),
            failed.run_at,
            failed.last_error.as_deref()
        ),
        ("failed", t0 + 10 * SEC, Some("boom"))
    );
    let early = jobs::claim(
        app.store.write(),
        "w",
        100,
        t0 + 5 * SEC,
        lease(t0 + 5 * SEC, t0 + 60 * SEC),
    )
    .await
    .unwrap();
    assert!(early.iter().all(|x| x.id != j.id), "not before its backoff");
    let again = jobs::claim(
        app.store.write(),
        "w",
        100,
        t0 + 11 * SEC,
        lease(t0 + 11 * SEC, t0 + 60 * SEC),
    )
    .await
    .unwrap();
    let j2 = again.into_iter().find(|x| x.id == j.id).unwrap();
    jobs::fail(
        app.store.write(),
        &j2,
        "w",
        "boom again",
        t0 + 11 * SEC,
        t0 + 30 * SEC,
    )
    .await
    .unwrap();
    // Dead letters, as the workspace's admin sees them.
    let dead = app.get("/jobs?state=dead", &team.admin).await;
    assert_eq!(dead.status, StatusCode::OK, "{}", dead.body);
    let items = dead.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["attempts"], 2);
    assert_eq!(items[0]["last_error"], "boom again");
    assert_eq!(
        app.get("/jobs?state=dead", &team.agent).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/jobs?state=bogus", &team.admin).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let other = app.admin_token("Other").await;
    assert_eq!(
        app.get("/jobs?state=dead", &other).await.body["items"],
        json!([])
    );
    assert_eq!(
        app.post(&format!("/jobs/{}/retry", j.id), Some(&other), json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let retried = app
        .post(
            &format!("/jobs/{}/retry", j.id),
            Some(&team.admin),
            json!({}),
        )
        .await;
    assert_eq!(retried.status, StatusCode::OK, "{}", retried.body);
    assert_eq!(retried.body["state"], "queued");
    assert_eq!(retried.body["attempts"], 0);
    let twice = app
        .post(
            &format!("/jobs/{}/retry", j.id),
            Some(&team.admin),
            json!({}),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    // System jobs are nobody's.
    jobs::enqueue(
        app.store.write(),
        jobs::SYSTEM,
        NewJob::new("test.system", json!({})),
        now(),
    )
    .await
    .unwrap();
    let all = app
        .get("/jobs?state=queued,running,failed,done,dead", &team.admin)
        .await
        .body;
    assert!(
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["kind"] != "test.system")
    );
}
both!(failures_back_off_then_die_and_admins_retry, |c| c
    .jobs_in_process =
    Some(false));

/// Counts runs, and records each side effect (the job's id) every time one happens.
#[derive(Debug, Default)]
struct Effects {
    runs: AtomicUsize,
    done: Mutex<Vec<Uuid>>,
    pause: Option<Duration>,
    fail: bool,
}

#[derive(Debug, Clone)]
struct Probe(Arc<Effects>);

#[async_trait::async_trait]
impl Handler for Probe {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        self.0.runs.fetch_add(1, Ordering::SeqCst);
        if let Some(p) = self.0.pause {
            tokio::time::sleep(p).await;
        }
        if self.0.fail {
            return Err(JobError("always fails".into()));
        }
        self.0.done.lock().unwrap().push(job.id);
        Ok(())
    }
}

fn worker(app: &TestApp, probe: &Probe, lease: Duration) -> Worker {
    worker_on(app, probe, lease, Arc::new(SystemClock))
}

/// A worker whose injected clock is `clock` (its leases stay on real time).
fn worker_on(app: &TestApp, probe: &Probe, lease: Duration, clock: Arc<dyn Clock>) -> Worker {
    let config = WorkerConfig {
        concurrency: 4,
        poll: Duration::from_millis(20),
        lease,
        shutdown_grace: Duration::from_millis(50),
        retry_base: Duration::from_millis(20),
        ..WorkerConfig::default()
    };
    let handlers = Handlers::default().with("test.probe", probe.clone());
    Worker::new(
        app.store.clone(),
        handlers,
        config,
        Arc::new(tokio::sync::Notify::new()),
        clock,
    )
}

async fn wait_for(mut done: impl FnMut() -> bool) {
    for _ in 0..400 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn worker_runs_jobs_retries_and_survives_crashes(app: TestApp) {
    let scope = Uuid::now_v7();
    let ok = Probe(Arc::new(Effects::default()));
    for i in 0..30 {
        jobs::enqueue(
            app.store.write(),
            scope,
            NewJob::new("test.probe", json!({ "i": i })),
            now(),
        )
        .await
        .unwrap();
    }
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(worker(&app, &ok, Duration::from_secs(60)).run(async {
        let _ = stopped.await;
    }));
    wait_for(|| ok.0.done.lock().unwrap().len() >= 30).await;
    // The last effects may be a moment ahead of their `done` commits: wait for those too
    // before stopping, or a busy machine hands them back on shutdown.
    for _ in 0..400 {
        if jobs_of(&app, scope).await.iter().all(|j| j.state == "done") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let _ = stop.send(());
    running.await.unwrap();
    assert_eq!(ok.0.runs.load(Ordering::SeqCst), 30);
    let effects = ok.0.done.lock().unwrap().clone();
    let distinct: HashSet<Uuid> = effects.iter().copied().collect();
    assert_eq!(
        (effects.len(), distinct.len()),
        (30, 30),
        "one side effect per job"
    );
    let all = jobs_of(&app, scope).await;
    assert_eq!(all.len(), 30);
    assert!(all.iter().all(|j| j.state == "done"));

    // A handler that always fails ends dead after max_attempts, with backoff between.
    let scope = Uuid::now_v7();
    let failing = Probe(Arc::new(Effects {
        fail: true,
        ..Effects::default()
    }));
    let mut job = NewJob::new("test.probe", json!({}));
    job.max_attempts = 3;
    jobs::enqueue(app.store.write(), scope, job, now())
        .await
        .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(worker(&app, &failing, Duration::from_secs(60)).run(async {
        let _ = stopped.await;
    }));
    for _ in 0..400 {
        if jobs_of(&app, scope).await[0].state == "dead" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let _ = stop.send(());
    running.await.unwrap();
    let dead = &jobs_of(&app, scope).await[0];
    assert_eq!((dead.state.as_str(), dead.attempts), ("dead", 3));
    assert_eq!(failing.0.runs.load(Ordering::SeqCst), 3);

    // A worker killed mid-job: after its lock expires another worker runs the job, and the
    // side effect happens once.
    let scope = Uuid::now_v7();
    let slow = Probe(Arc::new(Effects {
        pause: Some(Duration::from_millis(300)),
        ..Effects::default()
    }));
    jobs::enqueue(
        app.store.write(),
        scope,
        NewJob::new("test.probe", json!({})),
        now(),
    )
    .await
    .unwrap();
    let doomed = tokio::spawn(
        worker(&app, &slow, Duration::from_millis(400)).run(std::future::pending::<()>()),
    );
    wait_for(|| slow.0.runs.load(Ordering::SeqCst) == 1).await;
    doomed.abort();
    let _ = doomed.await;
    assert!(
        slow.0.done.lock().unwrap().is_empty(),
        "killed before its side effect"
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let survivor = tokio::spawn(worker(&app, &slow, Duration::from_secs(60)).run(async {
        let _ = stopped.await;
    }));
    // Done in the queue: nobody can take it again, so the counts below are final.
    for _ in 0..400 {
        if jobs_of(&app, scope).await[0].state == "done" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let _ = stop.send(());
    survivor.await.unwrap();
    assert_eq!(
        slow.0.runs.load(Ordering::SeqCst),
        2,
        "ran again after the lock expired"
    );
    let j = &jobs_of(&app, scope).await[0];
    assert_eq!(
        *slow.0.done.lock().unwrap(),
        [j.id],
        "the side effect happened once"
    );
    assert_eq!((j.state.as_str(), j.attempts), ("done", 2));
}
both!(worker_runs_jobs_retries_and_survives_crashes, |c| c
    .jobs_in_process =
    Some(false));

async fn leases_outlive_long_jobs_and_clock_jumps(app: TestApp) {
    // Two workers on a clock the test moves, with leases far shorter than the job.
    let clock = Arc::new(crate::harness::TestClock::default());
    let slow = Probe(Arc::new(Effects {
        pause: Some(Duration::from_millis(1200)),
        ..Effects::default()
    }));
    let scope = Uuid::now_v7();
    jobs::enqueue(
        app.store.write(),
        scope,
        NewJob::new("test.probe", json!({})),
        now(),
    )
    .await
    .unwrap();
    let lease = Duration::from_millis(300);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut workers = Vec::new();
    for _ in 0..2 {
        let mut stopped = stopped.clone();
        workers.push(tokio::spawn(
            worker_on(&app, &slow, lease, clock.clone()).run(async move {
                let _ = stopped.wait_for(|s| *s).await;
            }),
        ));
    }
    wait_for(|| slow.0.runs.load(Ordering::SeqCst) >= 1).await;
    assert_eq!(slow.0.runs.load(Ordering::SeqCst), 1, "claimed once");
    // Mid-job, the injected clock jumps two hours ahead.
    clock.set(jiff::Timestamp::now() + jiff::SignedDuration::from_hours(2));
    for _ in 0..400 {
        if jobs_of(&app, scope).await[0].state == "done" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    stop.send(true).unwrap();
    for w in workers {
        w.await.unwrap();
    }
    let j = &jobs_of(&app, scope).await[0];
    assert_eq!((j.state.as_str(), j.attempts), ("done", 1));
    assert_eq!(slow.0.runs.load(Ordering::SeqCst), 1, "ran once");
    assert_eq!(*slow.0.done.lock().unwrap(), [j.id], "one side effect");
}
both!(leases_outlive_long_jobs_and_clock_jumps, |c| c
    .jobs_in_process =
    Some(false));
