//! Automations in the worker. `automation.evaluate` runs the rules of one ticket event,
//! after that event's change committed; `automation.schedule` runs the scheduled rules
//! over open tickets. Each rule runs in its own transaction, in `position` order.
//!
//! Loops cannot happen: an event a rule writes only triggers rules placed after it, and
//! a chain stops after [`MAX_DEPTH`] rule-made events; the run log lets a rule act once
//! per event (and a scheduled rule once per stretch of matching).

mod act;
mod facts;
mod schedule;

pub use schedule::{SCHEDULE_JOB, ScheduledRules};

use std::sync::Arc;

use helpdesk_domain::automation::{Action, Condition, Trigger};
use helpdesk_domain::time::{Clock, to_micros};
use helpdesk_domain::{TenantCtx, TicketId, WorkspaceId};
use helpdesk_http::routes::tickets::ops::Cause;
use helpdesk_storage::Store;
use helpdesk_storage::repo::automations::{self, Automation};
use helpdesk_storage::repo::events::Event;
use helpdesk_storage::repo::jobs::{self, Job, NewJob};
use helpdesk_storage::repo::tickets::{self, TicketRef};
use sea_orm::ConnectionTrait;

use super::{Handler, JobError};

pub const EVALUATE_JOB: &str = "automation.evaluate";

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

/// A stored rule, parsed; `None` (logged) if it no longer parses.
pub(crate) fn parse(rule: &Automation) -> Option<(Condition, Vec<Action>)> {
    match (
        Condition::parse_list(&rule.conditions),
        Action::parse_list(&rule.actions),
    ) {
        (Ok(c), Ok(a)) => Some((c, a)),
        _ => {
            tracing::warn!(automation = %rule.id, "stored rule does not parse; skipped");
            None
        }
    }
}

#[derive(Debug, Clone)]
pub struct EvaluateRules {
    pub store: Store,
    pub public_url: String,
    pub clock: Arc<dyn Clock>,
}

impl EvaluateRules {
    async fn one(
        &self,
        ctx: &TenantCtx,
        rule: &Automation,
        e: &Event,
        depth: i64,
        now: i64,
    ) -> Result<(), JobError> {
        let Some((conditions, actions)) = parse(rule) else {
            return Ok(());
        };
        let tx = self.store.begin().await.map_err(JobError::new)?;
        // The ticket's row lock first: the run row's foreign key share-locks it too, and
        // taking them the other way round deadlocks two rules of one ticket on PostgreSQL.
        let t = match tickets::get_for_update(
            &tx,
            ctx,
            TicketRef::Id(TicketId::from_uuid(e.ticket_id)),
        )
        .await
        {
            Ok(t) => t,
            Err(helpdesk_storage::StoreError::NotFound) => return Ok(()),
            Err(err) => return Err(JobError::new(err)),
        };
        if !automations::claim_run(&tx, ctx, rule.id, e.ticket_id, &e.id.to_string(), now)
            .await
            .map_err(JobError::new)?
        {
            return Ok(());
        }
        let f = facts::TicketFacts::load(&tx, ctx, &t, now).await?;
        if conditions.matches(&f.facts(&t, now)) {
            let cause = Cause {
                automation_id: rule.id,
                name: rule.name.clone(),
                position: rule.position,
                depth: depth + 1,
            };
            let run = act::Run {
                ctx,
                cause: &cause,
                event: Some(e),
                public_url: &self.public_url,
                now,
            };
            act::run(&tx, &run, &actions, t).await?;
        }
        tx.commit().await.map_err(JobError::new)
    }
}

#[async_trait::async_trait]
impl Handler for EvaluateRules {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let Some(e) = crate::handlers::event_of(&self.store, job).await? else {
            return Ok(());
        };
        let Some(trigger) = Trigger::of_event(&e.kind) else {
            return Ok(());
        };
        let after = job.payload["after_position"].as_i64();
        let depth = job.payload["depth"].as_i64().unwrap_or(0);
        let ctx = TenantCtx::system(WorkspaceId::from_uuid(e.workspace_id));
        let now = to_micros(self.clock.now());
        let rules = automations::active_for(self.store.read(), &ctx, trigger.as_str(), after)
            .await
            .map_err(JobError::new)?;
        for rule in &rules {
            self.one(&ctx, rule, &e, depth, now).await?;
        }
        Ok(())
    }
}
