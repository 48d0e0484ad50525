//! The worker: claims due jobs, runs up to `concurrency` at once, records success, retry
//! with backoff, or death. Wakes on `notify` and polls as a fallback. On shutdown it stops
//! claiming, lets running jobs finish until a deadline, and releases what is left. Beside
//! its jobs it keeps the queue table vacuumed (`crate::vacuum`).
//!
//! Leases: what is due follows the injected clock, but a claim's lock is measured on real
//! time (the system clock), and a heartbeat renews the locks of running jobs every third
//! of the lease. So a job is claimed again only when its worker stopped beating (crashed
//! or hung past the lease), never because the injected clock jumped (as tests move it) or
//! because a job ran longer than the lease; its side effects then happen once.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use helpdesk_domain::time::{Clock, SystemClock, to_micros};
use helpdesk_storage::Store;
use helpdesk_storage::repo::jobs::{self, Job, Lease};
use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinSet;

use crate::backoff;
use crate::completions::Completions;
use crate::handlers::Handlers;

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub concurrency: usize,
    pub poll: Duration,
    /// How long a claim lasts without a heartbeat, in real time; a crashed worker's jobs
    /// come back after it.
    pub lease: Duration,
    pub shutdown_grace: Duration,
    /// The first retry's delay; later ones double.
    pub retry_base: Duration,
    /// How often the worker looks at the queue table's dead rows (PostgreSQL), and how
    /// many make it vacuum the table ([`jobs::vacuum_if_dead`]).
    pub vacuum_every: Duration,
    pub vacuum_dead_rows: i64,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            concurrency: 16,
            poll: Duration::from_secs(1),
            lease: Duration::from_secs(60),
            shutdown_grace: Duration::from_secs(10),
            retry_base: Duration::from_secs(5),
            // At a thousand jobs a second, about 20,000 dead rows between vacuums: a
            // claim then still reads a few hundred index pages at most.
            vacuum_every: Duration::from_secs(10),
            vacuum_dead_rows: 5_000,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Worker {
    pub id: String,
    store: Store,
    handlers: Arc<Handlers>,
    config: WorkerConfig,
    wake: Arc<Notify>,
    clock: Arc<dyn Clock>,
    completions: Arc<Completions>,
}

impl Worker {
    pub fn new(
        store: Store,
        handlers: Handlers,
        config: WorkerConfig,
        wake: Arc<Notify>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let id = format!("worker-{}", uuid::Uuid::now_v7().simple());
        Self {
            id,
            store,
            handlers: Arc::new(handlers),
            config,
            wake,
            clock,
            completions: Arc::default(),
        }
    }

    fn now(&self) -> i64 {
        to_micros(self.clock.now())
    }

    /// A lease starting now on the lease timeline: the system clock, never the injected one.
    fn lease(&self) -> Lease {
        let now = to_micros(SystemClock.now());
        let length = i64::try_from(self.config.lease.as_micros()).unwrap_or(i64::MAX / 2);
        Lease {
            now,
            until: now.saturating_add(length),
        }
    }

    /// Renews the locks of this worker's running jobs every third of the lease, for as
    /// long as it is polled (the worker's whole life, shutdown grace included).
    async fn heartbeat(&self) {
        let every = (self.config.lease / 3).max(Duration::from_millis(1));
        let mut beat = tokio::time::interval(every);
        beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            beat.tick().await;
            if let Err(e) = jobs::renew(self.store.write(), &self.id, self.lease().until).await {
                tracing::warn!(worker = %self.id, error = %e, "renewing job leases failed");
            }
        }
    }

    /// Runs a group of jobs of one kind (most often one job; see [`Handlers::group`]) and
    /// records each outcome.
    async fn execute(&self, group: Vec<Job>) {
        let started = std::time::Instant::now();
        for job in &group {
            // How long the job waited past its due time before a worker took it.
            let waited = (self.now() - job.run_at).max(0) as f64 / 1_000_000.0;
            metrics::histogram!("job_queue_latency_seconds", "kind" => job.kind.clone())
                .record(waited);
        }
        let kind = group.first().map(|j| j.kind.clone()).unwrap_or_default();
        let outcomes = match (self.handlers.get(&kind), group.as_slice()) {
            (Some(h), [job]) => vec![h.run(job).await],
            (Some(h), jobs) => h.run_batch(jobs).await,
            (None, jobs) => jobs
                .iter()
                .map(|_| Err(crate::JobError(format!("no handler for job kind {kind}"))))
                .collect(),
        };
        for (job, outcome) in group.into_iter().zip(outcomes) {
            self.record(job, outcome, started).await;
        }
    }

    /// Records one job's outcome: done (batched), or failed with a retry time.
    async fn record(
        &self,
        job: Job,
        outcome: Result<(), crate::JobError>,
        started: std::time::Instant,
    ) {
        let now = self.now();
        let recorded = match &outcome {
            Ok(()) => {
                self.completions.push(job.id);
                Ok(())
            }
            Err(e) => {
                let retry_at = now
                    + i64::try_from(
                        backoff::delay(job.attempts, self.config.retry_base).as_micros(),
                    )
                    .unwrap_or(i64::MAX / 2);
                tracing::warn!(job = %job.id, kind = %job.kind, attempt = job.attempts, error = %e, "job failed");
                jobs::fail(self.store.write(), &job, &self.id, &e.0, now, retry_at).await
            }
        };
        if let Err(e) = recorded {
            tracing::error!(job = %job.id, error = %e, "could not record the job's outcome; its lock will expire");
        }
        let status = if outcome.is_ok() { "done" } else { "failed" };
        metrics::histogram!("job_duration_seconds", "kind" => job.kind.clone(), "outcome" => status).record(started.elapsed().as_secs_f64());
        metrics::counter!("jobs_finished_total", "kind" => job.kind, "outcome" => status)
            .increment(1);
    }

    /// Claims and runs jobs until `shutdown` resolves, renewing their leases meanwhile.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tracing::info!(worker = %self.id, "worker started");
        tokio::select! {
            () = self.work(shutdown) => {}
            () = self.heartbeat() => {}
            () = crate::vacuum::keep_vacuumed(&self.store, &self.id, &self.config) => {}
            () = self.completions.run(&self.store, &self.id, || self.now()) => {}
        }
        tracing::info!(worker = %self.id, "worker stopped");
    }

    async fn work(&self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        let slots = Arc::new(Semaphore::new(self.config.concurrency.max(1)));
        let mut running = JoinSet::new();
        loop {
            while running.try_join_next().is_some() {}
            let free = slots.available_permits();
            // A job per free slot, and room to fill one batch of a kind that runs in
            // batches. Never more: jobs this worker claimed but cannot start yet are jobs
            // another worker could have run (at most `max_batch - 1` of them wait here).
            let want = free + self.handlers.max_batch() - 1;
            let mut claimed = 0;
            if free > 0 {
                let (now, lease) = (self.now(), self.lease());
                match jobs::claim(self.store.write(), &self.id, want as u64, now, lease).await {
                    Ok(batch) => {
                        claimed = batch.len();
                        for group in self.handlers.group(batch) {
                            let Ok(permit) = slots.clone().acquire_owned().await else {
                                break;
                            };
                            let me = self.clone();
                            running.spawn(async move {
                                me.execute(group).await;
                                drop(permit);
                            });
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "claiming jobs failed"),
                }
            }
            // A full claim suggests more are due: claim again at once.
            if claimed > 0 && claimed == want {
                continue;
            }
            tokio::select! {
                () = &mut shutdown => break,
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.config.poll) => {}
                Some(_) = running.join_next(), if !running.is_empty() => {}
            }
        }
        // Let running jobs finish for a while; then hand the rest back to the queue.
        let _ = tokio::time::timeout(self.config.shutdown_grace, async {
            while running.join_next().await.is_some() {}
        })
        .await;
        running.abort_all();
        self.completions
            .flush(&self.store, &self.id, self.now())
            .await;
        match jobs::release(self.store.write(), &self.id, self.now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(released = n, "unfinished jobs released"),
            Err(e) => tracing::warn!(error = %e, "releasing jobs failed; their locks will expire"),
        }
    }
}
