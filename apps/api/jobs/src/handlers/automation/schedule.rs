//! `automation.schedule`: one pass of the scheduled rules (`helpdesk_service::automations::scheduled`).

use helpdesk_service::Service;
use helpdesk_storage::repo::jobs::Job;

use crate::handlers::{Handler, JobError};

#[derive(Debug, Clone)]
pub struct ScheduledRules {
    pub service: Service,
}

impl ScheduledRules {
    /// One pass over every workspace's scheduled rules at the clock's instant.
    pub async fn pass(&self) -> Result<(), JobError> {
        self.service
            .scheduled_rules_pass()
            .await
            .map_err(JobError::new)
    }
}

#[async_trait::async_trait]
impl Handler for ScheduledRules {
    async fn run(&self, _job: &Job) -> Result<(), JobError> {
        self.pass().await
    }
}
