//! The SLA sweep: records the warnings and breaches whose moment has come, once per metric
//! cycle, each ticket in its own transaction under its row lock; the events reach live
//! subscribers at once and notify and fire webhooks through `event.dispatch`.

use helpdesk_domain::TenantCtx;
use helpdesk_storage::repo::sla;
use helpdesk_storage::repo::tickets::{self, TicketRef};

use crate::Service;
use crate::error::ServiceResult;

/// Tickets per batch; the sweep loops until none is due.
const BATCH: u64 = 200;

impl Service {
    /// One pass at the clock's current instant; returns how many warnings and breaches it
    /// recorded.
    pub async fn sla_sweep(&self) -> ServiceResult<usize> {
        let now = self.now();
        let mut recorded = 0;
        loop {
            let due = sla::due_tickets(self.store.read(), now, BATCH).await?;
            let done = due.len() < usize::try_from(BATCH).unwrap_or(usize::MAX);
            for (ws, ticket) in due {
                let ctx = TenantCtx::system(ws);
                let tx = self.begin().await?;
                let events = sla::sweep_ticket(&tx, &ctx, ticket, now).await?;
                tx.commit().await?;
                recorded += events.len();
                if !events.is_empty()
                    && let Ok(t) =
                        tickets::get(self.store.read(), &ctx, TicketRef::Id(ticket)).await
                {
                    self.publish(&t, &events).await;
                }
            }
            if done {
                return Ok(recorded);
            }
        }
    }
}
