//! Automations in the worker. `automation.evaluate` runs the rules of one ticket event,
//! after that event's change committed; `automation.schedule` runs the scheduled rules
//! over open tickets. Each rule runs in its own transaction, in `position` order.
//!
//! Loops cannot happen: an event a rule writes only triggers rules placed after it, and
//! a chain stops after `MAX_DEPTH` rule-made events (`helpdesk_service::automations::queue`);
//! the run log lets a rule act once
//! per event (and a scheduled rule once per stretch of matching).

mod schedule;

pub use helpdesk_service::job_kinds::{EVALUATE_JOB, SCHEDULE_JOB};
pub use schedule::ScheduledRules;

use helpdesk_domain::automation::Trigger;
use helpdesk_domain::{TenantCtx, WorkspaceId};
use helpdesk_service::Service;
use helpdesk_service::automations::RuleRun;
use helpdesk_storage::repo::automations;
use helpdesk_storage::repo::jobs::Job;

use super::{Handler, JobError};

#[derive(Debug, Clone)]
pub struct EvaluateRules {
    pub service: Service,
}

#[async_trait::async_trait]
impl Handler for EvaluateRules {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let Some(e) = crate::handlers::event_of(&self.service.store, job).await? else {
            return Ok(());
        };
        let Some(trigger) = Trigger::of_event(&e.kind) else {
            return Ok(());
        };
        let after = job.payload["after_position"].as_i64();
        let depth = job.payload["depth"].as_i64().unwrap_or(0);
        let ctx = TenantCtx::system(WorkspaceId::from_uuid(e.workspace_id));
        let now = self.service.now();
        let store = &self.service.store;
        let rules = automations::active_for(store.read(), &ctx, trigger.as_str(), after)
            .await
            .map_err(JobError::new)?;
        let key = e.id.to_string();
        for rule in &rules {
            let run = RuleRun {
                rule,
                ticket_id: e.ticket_id,
                key: &key,
                event: Some(&e),
                depth: depth + 1,
            };
            self.service
                .run_rule(&ctx, run, now)
                .await
                .map_err(JobError::new)?;
        }
        Ok(())
    }
}
