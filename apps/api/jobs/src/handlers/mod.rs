//! What each job kind does. Every handler must be idempotent: delivery is at least once.

pub mod automation;
pub mod dispatch;
pub mod email;
pub mod inbound;
pub mod maintenance;
pub mod sla;
pub mod webhook;

use std::collections::HashMap;
use std::sync::Arc;

use helpdesk_storage::repo::jobs::Job;

/// A failed run; the message is stored on the job (never a secret).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct JobError(pub String);

impl JobError {
    pub fn new(e: impl std::fmt::Display) -> Self {
        JobError(e.to_string())
    }
}

/// The id of the ticket event a job's payload names (`event_id`).
pub fn event_id(job: &Job) -> Result<uuid::Uuid, JobError> {
    job.payload["event_id"]
        .as_str()
        .and_then(|s| s.parse::<uuid::Uuid>().ok())
        .ok_or_else(|| JobError("payload has no event_id".into()))
}

/// The ticket event a job's payload names; `None` when it no longer exists.
pub async fn event_of(
    store: &helpdesk_storage::Store,
    job: &Job,
) -> Result<Option<helpdesk_storage::repo::events::Event>, JobError> {
    helpdesk_storage::repo::events::by_id(store.read(), event_id(job)?)
        .await
        .map_err(JobError::new)
}

#[async_trait::async_trait]
pub trait Handler: Send + Sync + std::fmt::Debug {
    async fn run(&self, job: &Job) -> Result<(), JobError>;

    /// How many claimed jobs of this kind one run may take together (1: one at a time).
    fn batch(&self) -> usize {
        1
    }

    /// Runs several jobs of this kind; one outcome per job, in their order.
    async fn run_batch(&self, jobs: &[Job]) -> Vec<Result<(), JobError>> {
        one_by_one(self, jobs).await
    }
}

/// `jobs` run one at a time through `handler.run`: the default batch, and the fallback of
/// a batch that failed as a whole.
pub async fn one_by_one<H: Handler + ?Sized>(
    handler: &H,
    jobs: &[Job],
) -> Vec<Result<(), JobError>> {
    let mut out = Vec::with_capacity(jobs.len());
    for job in jobs {
        out.push(handler.run(job).await);
    }
    out
}

/// Handlers by job kind.
#[derive(Debug, Clone, Default)]
pub struct Handlers(HashMap<String, Arc<dyn Handler>>);

impl Handlers {
    pub fn with(mut self, kind: &str, handler: impl Handler + 'static) -> Self {
        self.0.insert(kind.to_owned(), Arc::new(handler));
        self
    }

    pub fn get(&self, kind: &str) -> Option<Arc<dyn Handler>> {
        self.0.get(kind).cloned()
    }

    /// The largest batch any handler takes.
    pub fn max_batch(&self) -> usize {
        self.0.values().map(|h| h.batch()).max().unwrap_or(1).max(1)
    }

    /// Claimed jobs in the groups they run in: jobs of a kind whose handler takes batches
    /// together (up to its batch size), every other job alone; in claim order otherwise.
    pub fn group(&self, jobs: Vec<Job>) -> Vec<Vec<Job>> {
        let mut out: Vec<Vec<Job>> = Vec::new();
        let mut open: HashMap<String, usize> = HashMap::new();
        for job in jobs {
            let size = self.get(&job.kind).map_or(1, |h| h.batch());
            if size > 1
                && let Some(&i) = open.get(&job.kind)
                && out[i].len() < size
            {
                out[i].push(job);
                continue;
            }
            if size > 1 {
                open.insert(job.kind.clone(), out.len());
            }
            out.push(vec![job]);
        }
        out
    }
}
