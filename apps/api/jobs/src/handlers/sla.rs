//! `sla.sweep`, every minute: records the SLA warnings and breaches whose moment has come,
//! once per metric cycle. It reads the tickets by their indexed next-check instant, so
//! its cost follows the tickets due, not all open tickets. Each ticket is handled in its
//! own transaction under its row lock; the ticket events it writes notify and fire
//! `sla.warning` / `sla.breached` webhooks through `event.dispatch`.

use std::sync::Arc;

use helpdesk_domain::TenantCtx;
use helpdesk_domain::time::{Clock, to_micros};
use helpdesk_storage::Store;
use helpdesk_storage::repo::jobs::Job;
use helpdesk_storage::repo::sla;

use super::{Handler, JobError};

pub const SLA_SWEEP_JOB: &str = "sla.sweep";

/// Tickets per batch; the sweep loops until none is due.
const BATCH: u64 = 200;

#[derive(Debug, Clone)]
pub struct SlaSweep {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
}

impl SlaSweep {
    /// One pass at the clock's current instant; returns how many warnings and breaches it
    /// recorded.
    pub async fn sweep(&self) -> Result<usize, JobError> {
        let now = to_micros(self.clock.now());
        let mut recorded = 0;
        loop {
            let due = sla::due_tickets(self.store.read(), now, BATCH)
                .await
                .map_err(JobError::new)?;
            let done = due.len() < usize::try_from(BATCH).unwrap_or(usize::MAX);
            for (ws, ticket) in due {
                let ctx = TenantCtx::system(ws);
                let tx = self.store.begin().await.map_err(JobError::new)?;
                let events = sla::sweep_ticket(&tx, &ctx, ticket, now)
                    .await
                    .map_err(JobError::new)?;
                tx.commit().await.map_err(JobError::new)?;
                recorded += events.len();
            }
            if done {
                return Ok(recorded);
            }
        }
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
