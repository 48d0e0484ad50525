//! `automation.schedule`: the scheduled rules over open tickets. A rule acts on a ticket
//! once while its conditions hold; when they stop holding it is forgotten, so it may act
//! again the next time they hold.

use std::collections::HashSet;

use helpdesk_domain::automation::condition::Since;
use helpdesk_domain::{TenantCtx, TicketId, WorkspaceId};
use helpdesk_service::Service;
use helpdesk_service::automations::facts::{self, TicketFacts};
use helpdesk_service::automations::{RuleRun, parse};
use helpdesk_storage::repo::automations::{self, Automation};
use helpdesk_storage::repo::jobs::Job;
use helpdesk_storage::repo::tickets::{self, TicketRef, TicketRow};

use crate::handlers::{Handler, JobError};

const KEY: &str = "schedule";
/// Tickets one rule looks at per pass; the oldest first, so a backlog drains over passes.
const BATCH: u64 = 500;

#[derive(Debug, Clone)]
pub struct ScheduledRules {
    pub service: Service,
}

fn before(now: i64, hours: Option<f64>) -> Option<i64> {
    hours.map(|h| now - (h * 3_600_000_000.0) as i64)
}

impl ScheduledRules {
    async fn rule(&self, ctx: &TenantCtx, rule: &Automation, now: i64) -> Result<(), JobError> {
        let Some((conditions, _)) = parse(rule) else {
            return Ok(());
        };
        let store = &self.service.store;
        let db = store.read();
        let days = facts::auto_close_days(db, ctx)
            .await
            .map_err(JobError::new)?;
        let candidates = automations::candidates(
            db,
            ctx,
            rule.id,
            before(now, conditions.min_hours(Since::Status, days)),
            before(now, conditions.min_hours(Since::Update, days)),
            before(now, conditions.min_hours(Since::Created, days)),
            BATCH,
        )
        .await
        .map_err(JobError::new)?;
        let mut matching = HashSet::new();
        for t in &candidates {
            let f = TicketFacts::load(db, ctx, t, now)
                .await
                .map_err(JobError::new)?;
            if conditions.matches(&f.facts(t, now)) {
                matching.insert(t.id);
            }
        }
        let remembered = automations::remembered(db, rule.id, KEY)
            .await
            .map_err(JobError::new)?;
        for id in remembered {
            let still = match tickets::get(db, ctx, TicketRef::Id(TicketId::from_uuid(id))).await {
                Ok(t) => {
                    let f = TicketFacts::load(db, ctx, &t, now)
                        .await
                        .map_err(JobError::new)?;
                    !t.is_closed() && conditions.matches(&f.facts(&t, now))
                }
                Err(_) => false,
            };
            if !still {
                automations::forget_run(store.write(), rule.id, id, KEY)
                    .await
                    .map_err(JobError::new)?;
            }
        }
        for id in matching {
            let run = RuleRun {
                rule,
                ticket_id: id,
                key: KEY,
                event: None,
                depth: 1,
            };
            self.service
                .run_rule(ctx, run, now)
                .await
                .map_err(JobError::new)?;
        }
        Ok(())
    }

    /// One pass over every workspace's scheduled rules at the clock's instant.
    pub async fn pass(&self) -> Result<(), JobError> {
        let now = self.service.now();
        let store = &self.service.store;
        for ws in automations::scheduled_workspaces(store.read())
            .await
            .map_err(JobError::new)?
        {
            let ctx = TenantCtx::system(WorkspaceId::from_uuid(ws));
            let rules = automations::active_for(store.read(), &ctx, KEY, None)
                .await
                .map_err(JobError::new)?;
            for rule in &rules {
                self.rule(&ctx, rule, now).await?;
            }
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl Handler for ScheduledRules {
    async fn run(&self, _job: &Job) -> Result<(), JobError> {
        self.pass().await
    }
}
