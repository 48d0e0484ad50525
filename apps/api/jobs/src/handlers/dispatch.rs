//! `event.dispatch`: one ticket event's notifications, webhook deliveries and rules
//! (`helpdesk_service::dispatch`).

use helpdesk_service::Service;
use helpdesk_storage::repo::jobs::Job;

use super::{Handler, JobError};

pub use helpdesk_service::job_kinds::WEBHOOK_JOB;

#[derive(Debug, Clone)]
pub struct DispatchEvent {
    pub service: Service,
}

#[async_trait::async_trait]
impl Handler for DispatchEvent {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let Some(e) = super::event_of(&self.service.store, job).await? else {
            return Ok(());
        };
        self.service.dispatch_event(&e).await.map_err(JobError::new)
    }
}
