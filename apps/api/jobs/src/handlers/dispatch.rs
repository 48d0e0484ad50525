//! `event.dispatch`: one ticket event's notifications, webhook deliveries and rules
//! (`helpdesk_service::dispatch`).

use helpdesk_service::Service;
use helpdesk_storage::Backend;
use helpdesk_storage::repo::events;
use helpdesk_storage::repo::jobs::Job;

use super::{Handler, JobError};

pub use helpdesk_service::job_kinds::WEBHOOK_JOB;

#[derive(Debug, Clone)]
pub struct DispatchEvent {
    pub service: Service,
}

/// Events one SQLite transaction dispatches at most.
const SQLITE_BATCH: usize = 64;

/// Events one PostgreSQL transaction dispatches at most: enough to share one commit (a WAL
/// flush) and one read of each workspace and person among many events, few enough that
/// the batches of a backlog still run side by side.
const POSTGRES_BATCH: usize = 16;

#[async_trait::async_trait]
impl Handler for DispatchEvent {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let Some(e) = super::event_of(&self.service.store, job).await? else {
            return Ok(());
        };
        self.service.dispatch_event(&e).await.map_err(JobError::new)
    }

    /// A batch of events is dispatched in one transaction. On SQLite, whose one writer the
    /// API's requests take one at a time, that is one writer turn, so the in-process worker
    /// keeps pace; on PostgreSQL, one commit and fewer reads, with batches side by side.
    fn batch(&self) -> usize {
        match self.service.store.backend() {
            Backend::Sqlite => SQLITE_BATCH,
            Backend::Postgres => POSTGRES_BATCH,
        }
    }

    async fn run_batch(&self, jobs: &[Job]) -> Vec<Result<(), JobError>> {
        // One unreadable job: run each on its own, so only it fails.
        let Ok(ids) = jobs
            .iter()
            .map(super::event_id)
            .collect::<Result<Vec<_>, _>>()
        else {
            return super::one_by_one(self, jobs).await;
        };
        let Ok(mut events) = events::by_ids(self.service.store.read(), &ids).await else {
            return super::one_by_one(self, jobs).await;
        };
        // In the jobs' (claim) order; events that no longer exist are left out.
        events.sort_by_key(|e| ids.iter().position(|id| *id == e.id));
        match self.service.dispatch_events(&events).await {
            Ok(()) => jobs.iter().map(|_| Ok(())).collect(),
            Err(e) => {
                tracing::debug!(error = %e, "a batch of dispatches failed; running them one by one");
                super::one_by_one(self, jobs).await
            }
        }
    }
}
