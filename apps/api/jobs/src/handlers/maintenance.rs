//! `maintenance.purge`: expired tokens and idempotency keys, old finished jobs.

use helpdesk_domain::time::to_micros;
use helpdesk_storage::Store;
use helpdesk_storage::repo::jobs::Job;
use helpdesk_storage::repo::maintenance;

use super::{Handler, JobError};

#[derive(Debug, Clone)]
pub struct Purge {
    pub store: Store,
    pub clock: std::sync::Arc<dyn helpdesk_domain::time::Clock>,
}

#[async_trait::async_trait]
impl Handler for Purge {
    async fn run(&self, _job: &Job) -> Result<(), JobError> {
        let now = to_micros(self.clock.now());
        let removed = maintenance::purge(self.store.write(), now)
            .await
            .map_err(JobError::new)?;
        tracing::info!(removed, "purged expired rows");
        Ok(())
    }
}
