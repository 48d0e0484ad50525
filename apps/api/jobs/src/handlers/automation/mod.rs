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
use helpdesk_service::Service;
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
        self.service
            .run_event_rules(&e, trigger, after, depth)
            .await
            .map_err(JobError::new)?;
        Ok(())
    }
}
