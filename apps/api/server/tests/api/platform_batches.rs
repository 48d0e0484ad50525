//! Job kinds whose handler takes batches: the worker hands it claimed jobs together (never
//! more than its batch size, other kinds alone), and records each job's own outcome.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use helpdesk_domain::time::SystemClock;
use helpdesk_jobs::{Handler, Handlers, JobError, Worker, WorkerConfig};
use helpdesk_storage::repo::Page;
use helpdesk_storage::repo::jobs::{self, Job, NewJob};
use serde_json::json;
use uuid::Uuid;

use crate::both;
use crate::harness::TestApp;

/// Takes up to three jobs at once and fails those whose payload says `bad`.
#[derive(Debug, Default)]
struct Batches {
    sizes: Mutex<Vec<usize>>,
    alone: Mutex<usize>,
}

#[derive(Debug, Clone)]
struct Batcher(Arc<Batches>);

#[async_trait::async_trait]
impl Handler for Batcher {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        *self.0.alone.lock().unwrap() += 1;
        outcome(job)
    }

    fn batch(&self) -> usize {
        3
    }

    async fn run_batch(&self, jobs: &[Job]) -> Vec<Result<(), JobError>> {
        self.0.sizes.lock().unwrap().push(jobs.len());
        jobs.iter().map(outcome).collect()
    }
}

fn outcome(job: &Job) -> Result<(), JobError> {
    if job.payload["bad"] == json!(true) {
        Err(JobError("bad job".into()))
    } else {
        Ok(())
    }
}

/// Runs every job alone (batch size 1), counting them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Single(pub(crate) Arc<Mutex<usize>>);

#[async_trait::async_trait]
impl Handler for Single {
    async fn run(&self, _job: &Job) -> Result<(), JobError> {
        *self.0.lock().unwrap() += 1;
        Ok(())
    }
}

/// Enqueues `n` jobs of `kind`, due at `now`, each with its number as payload.
pub(crate) async fn enqueue_numbered(
    app: &TestApp,
    scope: Uuid,
    kind: &'static str,
    n: usize,
    now: i64,
) {
    for i in 0..n {
        let job = NewJob::new(kind, json!({ "i": i }));
        jobs::enqueue(app.store.write(), scope, job, now)
            .await
            .unwrap();
    }
}

/// Starts a worker on the app's store; it runs until the sender is used or dropped.
pub(crate) fn start_worker(
    app: &TestApp,
    handlers: Handlers,
    config: WorkerConfig,
) -> (
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let worker = Worker::new(
        app.store.clone(),
        handlers,
        config,
        Arc::new(tokio::sync::Notify::new()),
        Arc::new(SystemClock),
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(worker.run(async {
        let _ = stopped.await;
    }));
    (stop, running)
}

async fn states(app: &TestApp, scope: Uuid) -> HashMap<String, usize> {
    let page = Page {
        limit: 1000,
        after: None,
    };
    let mut out = HashMap::new();
    for j in jobs::list(app.store.read(), scope, &[], page)
        .await
        .unwrap()
    {
        *out.entry(format!("{}:{}", j.kind, j.state)).or_default() += 1;
    }
    out
}

async fn batched_kinds_run_together_with_outcomes_of_their_own(app: TestApp) {
    let scope = Uuid::now_v7();
    let now = helpdesk_domain::time::to_micros(jiff::Timestamp::now());
    for i in 0..14 {
        let mut job = NewJob::new("test.batch", json!({ "i": i, "bad": i == 5 }));
        job.max_attempts = 1;
        jobs::enqueue(app.store.write(), scope, job, now)
            .await
            .unwrap();
        let single = NewJob::new("test.single", json!({ "i": i }));
        jobs::enqueue(app.store.write(), scope, single, now)
            .await
            .unwrap();
    }
    let batcher = Batcher(Arc::default());
    let single = Single::default();
    let handlers = Handlers::default()
        .with("test.batch", batcher.clone())
        .with("test.single", single.clone());
    let config = WorkerConfig {
        concurrency: 2,
        poll: Duration::from_millis(20),
        shutdown_grace: Duration::from_millis(50),
        ..WorkerConfig::default()
    };
    let (stop, running) = start_worker(&app, handlers, config);
    let want = HashMap::from([
        ("test.batch:done".to_owned(), 13),
        ("test.batch:dead".to_owned(), 1),
        ("test.single:done".to_owned(), 14),
    ]);
    for _ in 0..400 {
        if states(&app, scope).await == want {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let _ = stop.send(());
    running.await.unwrap();
    assert_eq!(
        states(&app, scope).await,
        want,
        "each job keeps its own outcome"
    );
    let sizes = batcher.0.sizes.lock().unwrap().clone();
    let alone = *batcher.0.alone.lock().unwrap();
    assert_eq!(
        sizes.iter().sum::<usize>() + alone,
        14,
        "every job ran once"
    );
    assert!(
        sizes.iter().all(|&n| n <= 3),
        "batches stay within the size: {sizes:?}"
    );
    assert!(!sizes.is_empty(), "jobs claimed together ran together");
    assert_eq!(*single.0.lock().unwrap(), 14, "other kinds run one by one");
}
both!(batched_kinds_run_together_with_outcomes_of_their_own, |c| {
    c.jobs_in_process = Some(false)
});

/// Runs every job alone and holds it until the test lets go.
#[derive(Debug, Clone)]
struct Held {
    started: Arc<tokio::sync::Semaphore>,
    release: Arc<tokio::sync::Semaphore>,
}

#[async_trait::async_trait]
impl Handler for Held {
    async fn run(&self, _job: &Job) -> Result<(), JobError> {
        self.started.add_permits(1);
        let _ = self.release.acquire().await.map_err(JobError::new)?;
        Ok(())
    }
}

/// A worker whose slots are all busy holds no more claimed jobs than one batch could fill:
/// the rest stay in the queue for other workers.
async fn a_busy_worker_leaves_the_rest_to_others(app: TestApp) {
    let scope = Uuid::now_v7();
    let now = helpdesk_domain::time::to_micros(jiff::Timestamp::now());
    enqueue_numbered(&app, scope, "test.held", 20, now).await;
    let held = Held {
        started: Arc::new(tokio::sync::Semaphore::new(0)),
        release: Arc::new(tokio::sync::Semaphore::new(0)),
    };
    // Another kind takes batches of 3: the claim has room for one (2 jobs past the slots).
    let handlers = Handlers::default()
        .with("test.held", held.clone())
        .with("test.batch", Batcher(Arc::default()));
    let config = WorkerConfig {
        concurrency: 2,
        poll: Duration::from_millis(20),
        shutdown_grace: Duration::from_secs(5),
        ..WorkerConfig::default()
    };
    let (stop, running) = start_worker(&app, handlers, config);
    // Both slots busy: the worker waits for one with what it claimed.
    let _ = held.started.acquire_many(2).await.unwrap();
    let counts = states(&app, scope).await;
    assert_eq!(
        counts.get("test.held:running"),
        Some(&(2 + 3 - 1)),
        "{counts:?}"
    );
    assert_eq!(
        counts.get("test.held:queued"),
        Some(&(20 - 4)),
        "{counts:?}"
    );
    held.release.add_permits(20);
    let _ = stop.send(());
    running.await.unwrap();
}
both!(a_busy_worker_leaves_the_rest_to_others, |c| {
    c.jobs_in_process = Some(false)
});
