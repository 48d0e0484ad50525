//! `event.dispatch`: one ticket event's notifications, webhook deliveries and rules
//! (`helpdesk_service::dispatch`).

use helpdesk_service::Service;
use helpdesk_storage::Backend;
use helpdesk_storage::repo::jobs::Job;

use super::{Handler, JobError};

pub use helpdesk_service::job_kinds::WEBHOOK_JOB;

#[derive(Debug, Clone)]
pub struct DispatchEvent {
    pub service: Service,
}

/// Events one SQLite transaction dispatches at most.
const SQLITE_BATCH: usize = 64;

#[async_trait::async_trait]
impl Handler for DispatchEvent {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let Some(e) = super::event_of(&self.service.store, job).await? else {
            return Ok(());
        };
        self.service.dispatch_event(&e).await.map_err(JobError::new)
    }

    /// On SQLite, whose one writer the API's requests take one at a time, a batch of
    /// events is dispatched in one transaction (one writer turn), so the in-process worker
    /// keeps pace; PostgreSQL runs the jobs side by side instead.
    fn batch(&self) -> usize {
        match self.service.store.backend() {
            Backend::Sqlite => SQLITE_BATCH,
            Backend::Postgres => 1,
        }
    }

    async fn run_batch(&self, jobs: &[Job]) -> Vec<Result<(), JobError>> {
        let mut events = Vec::with_capacity(jobs.len());
        for job in jobs {
            match super::event_of(&self.service.store, job).await {
                Ok(Some(e)) => events.push(e),
                Ok(None) => {}
                // One unreadable job: run each on its own, so only it fails.
                Err(_) => return super::one_by_one(self, jobs).await,
            }
        }
        match self.service.dispatch_events(&events).await {
            Ok(()) => jobs.iter().map(|_| Ok(())).collect(),
            Err(e) => {
                tracing::debug!(error = %e, "a batch of dispatches failed; running them one by one");
                super::one_by_one(self, jobs).await
            }
        }
    }
}
