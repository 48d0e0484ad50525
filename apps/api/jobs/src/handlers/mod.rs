//! What each job kind does. Every handler must be idempotent: delivery is at least once.

pub mod automation;
pub mod dispatch;
pub mod email;
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

/// The ticket event a job's payload names (`event_id`); `None` when it no longer exists.
pub async fn event_of(
    store: &helpdesk_storage::Store,
    job: &Job,
) -> Result<Option<helpdesk_storage::repo::events::Event>, JobError> {
    let Some(id) = job.payload["event_id"]
        .as_str()
        .and_then(|s| s.parse::<uuid::Uuid>().ok())
    else {
        return Err(JobError("payload has no event_id".into()));
    };
    helpdesk_storage::repo::events::by_id(store.read(), id)
        .await
        .map_err(JobError::new)
}

#[async_trait::async_trait]
pub trait Handler: Send + Sync + std::fmt::Debug {
    async fn run(&self, job: &Job) -> Result<(), JobError>;
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
}
