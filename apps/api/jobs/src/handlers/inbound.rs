//! `email.inbound`: processes one received message (`{inbound_id}`). The service does it
//! in one transaction that records the outcome, so a retry after a crash finds it done.

use helpdesk_service::Service;
use helpdesk_storage::repo::jobs::Job;
use uuid::Uuid;

use super::{Handler, JobError};

pub use helpdesk_service::job_kinds::INBOUND_JOB;

#[derive(Debug, Clone)]
pub struct ProcessInbound {
    pub service: Service,
}

#[async_trait::async_trait]
impl Handler for ProcessInbound {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let id: Uuid = job.payload["inbound_id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| JobError("payload has no inbound_id".into()))?;
        self.service
            .process_inbound(id)
            .await
            .map_err(JobError::new)
    }
}
