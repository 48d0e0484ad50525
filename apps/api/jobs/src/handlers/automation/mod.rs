//! Automations in the worker. `automation.evaluate` runs the rules of one ticket event,
//! after that event's change committed; `automation.schedule` runs the scheduled rules
//! over open tickets. Each rule runs in its own transaction, in `position` order.
//!
//! Loops cannot happen: an event a rule writes only triggers rules placed after it, and
//! a chain stops after [`MAX_DEPTH`] rule-made events; the run log lets a rule act once
//! per event (and a scheduled rule once per stretch of matching).

mod schedule;

pub use helpdesk_service::job_kinds::{EVALUATE_JOB, SCHEDULE_JOB};
pub use schedule::ScheduledRules;

use helpdesk_domain::automation::Trigger;
use helpdesk_domain::{TenantCtx, WorkspaceId};
use helpdesk_service::Service;
use helpdesk_service::automations::RuleRun;
use helpdesk_storage::repo::automations;
use helpdesk_storage::repo::events::Event;
use helpdesk_storage::repo::jobs::{self, Job, NewJob};
use sea_orm::ConnectionTrait;

use super::{Handler, JobError};

/// Rule-made events in a row after which rules stop reacting.
pub const MAX_DEPTH: i64 = 5;

/// The rule behind `e`, if a rule wrote it: `(position, depth)`.
fn made_by_rule(e: &Event) -> Option<(i64, i64)> {
    let a = e.changes.get("automation")?;
    Some((a["position"].as_i64()?, a["depth"].as_i64()?))
}

/// In the dispatch transaction of `e`: queue its rules when the workspace has any for its
/// trigger.
pub async fn queue_for_event(
    db: &impl ConnectionTrait,
    e: &Event,
    now: i64,
) -> Result<(), JobError> {
    let Some(trigger) = Trigger::of_event(&e.kind) else {
        return Ok(());
    };
    let (after, depth) = made_by_rule(e).map_or((None, 0), |(p, d)| (Some(p), d));
    if depth >= MAX_DEPTH
        || !automations::any_active(db, e.workspace_id, trigger.as_str())
            .await
            .map_err(JobError::new)?
    {
        return Ok(());
    }
    let payload = serde_json::json!({ "event_id": e.id, "after_position": after, "depth": depth });
    let job = NewJob::new(EVALUATE_JOB, payload).dedup(format!("rules:{}", e.id));
    jobs::enqueue(db, e.workspace_id, job, now)
        .await
        .map_err(JobError::new)?;
    Ok(())
}

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
