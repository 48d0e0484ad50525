//! Running one rule on one ticket: in its own transaction, once per run key (the event, or
//! a scheduled rule's stretch of matching), only when its conditions hold at that instant;
//! its changes reach live subscribers after the commit like a person's.

use helpdesk_domain::automation::{Action, Condition, Trigger};
use helpdesk_domain::{TenantCtx, TicketId, WorkspaceId};
use helpdesk_storage::StoreError;
use helpdesk_storage::repo::automations::{self, Automation};
use helpdesk_storage::repo::events::Event;
use helpdesk_storage::repo::tickets::{self, TicketRef};

use super::act::{self, Run};
use super::facts::TicketFacts;
use crate::Service;
use crate::actor::{Actor, Cause};
use crate::error::ServiceResult;

/// A stored rule, parsed; `None` (logged) if it no longer parses.
pub fn parse(rule: &Automation) -> Option<(Condition, Vec<Action>)> {
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

/// One rule run: the rule, what triggered it and how deep in a chain of rule-made events.
#[derive(Debug)]
pub struct RuleRun<'a> {
    pub rule: &'a Automation,
    pub ticket_id: uuid::Uuid,
    /// The run key claimed once: the event id, or the scheduled rules' key.
    pub key: &'a str,
    /// The event that triggered the rule (none for scheduled rules).
    pub event: Option<&'a Event>,
    /// Depth of the events this run writes.
    pub depth: i64,
}

impl Service {
    /// The rules `trigger` wakes for event `e`, placed after `after` (the rule that wrote
    /// `e`, if one did), each in its own transaction, in position order.
    pub async fn run_event_rules(
        &self,
        e: &Event,
        trigger: Trigger,
        after: Option<i64>,
        depth: i64,
    ) -> ServiceResult<()> {
        let ctx = TenantCtx::system(WorkspaceId::from_uuid(e.workspace_id));
        let now = self.now();
        let rules =
            automations::active_for(self.store.read(), &ctx, trigger.as_str(), after).await?;
        let key = e.id.to_string();
        for rule in &rules {
            let run = RuleRun {
                rule,
                ticket_id: e.ticket_id,
                key: &key,
                event: Some(e),
                depth: depth + 1,
            };
            self.run_rule(&ctx, run, now).await?;
        }
        Ok(())
    }

    /// Runs `run.rule` on its ticket at `now`; `Ok(false)` when it did not act (claimed
    /// before, conditions not met, ticket gone).
    pub async fn run_rule(
        &self,
        ctx: &TenantCtx,
        run: RuleRun<'_>,
        now: i64,
    ) -> ServiceResult<bool> {
        let Some((conditions, actions)) = parse(run.rule) else {
            return Ok(false);
        };
        let tx = self.begin().await?;
        // The ticket's row lock first: the run row's foreign key share-locks it too, and
        // taking them the other way round deadlocks two rules of one ticket on PostgreSQL.
        let r = TicketRef::Id(TicketId::from_uuid(run.ticket_id));
        let t = match tickets::get_for_update(&tx, ctx, r).await {
            Ok(t) => t,
            Err(StoreError::NotFound) => return Ok(false),
            Err(e) => return Err(e.into()),
        };
        if !automations::claim_run(&tx, ctx, run.rule.id, run.ticket_id, run.key, now).await? {
            return Ok(false);
        }
        let f = TicketFacts::load(&tx, ctx, &t, now).await?;
        if !conditions.matches(&f.facts(&t, now)) {
            // An event is considered once, matching or not; a scheduled rule whose ticket
            // stopped matching since it was picked may act when it matches again.
            if run.event.is_some() {
                tx.commit().await?;
            }
            return Ok(false);
        }
        let cause = Cause {
            automation_id: run.rule.id,
            name: run.rule.name.clone(),
            position: run.rule.position,
            depth: run.depth,
        };
        let r = Run {
            ctx,
            cause: &cause,
            actor: Actor::rule(*ctx, cause.clone()),
            event: run.event,
            public_url: &self.settings.public_url,
            mail_per_hour: self.settings.mail_per_hour,
            thread_key: &self.settings.thread_key,
            now,
        };
        let (t, events) = act::run(&tx, &r, &actions, t).await?;
        tx.commit().await?;
        self.publish(&t, &events).await;
        Ok(true)
    }
}
