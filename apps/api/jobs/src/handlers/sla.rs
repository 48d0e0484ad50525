//! `sla.sweep`, every minute: records the SLA warnings and breaches whose moment has come,
//! once per metric cycle. It reads the tickets by their indexed next-check instant, so
//! its cost follows the tickets due, not all open tickets. Each ticket is handled in its
//! own transaction under its row lock (see `helpdesk_service::sla_sweep`).

use helpdesk_service::Service;
use helpdesk_storage::repo::jobs::Job;

use super::{Handler, JobError};

pub use helpdesk_service::job_kinds::SLA_SWEEP_JOB;

#[derive(Debug, Clone)]
pub struct SlaSweep {
    pub service: Service,
}

impl SlaSweep {
    /// One pass at the clock's current instant; returns how many warnings and breaches it
    /// recorded.
    pub async fn sweep(&self) -> Result<usize, JobError> {
        self.service.sla_sweep().await.map_err(JobError::new)
    }
}

#[async_trait::async_trait]
impl Handler for SlaSweep {
    async fn run(&self, _job: &Job) -> Result<(), JobError> {
        let n = self.sweep().await?;
        if n > 0 {
            tracing::info!(recorded = n, "sla sweep");
        }
        Ok(())
    }
}
