//! `automation.schedule`: the scheduled rules over open tickets. A rule acts on a ticket
//! once while its conditions hold; when they stop holding it is forgotten, so it may act
//! again the next time they hold.

use std::collections::HashSet;
use std::sync::Arc;

use helpdesk_domain::automation::condition::Since;
use helpdesk_domain::time::{Clock, to_micros};
use helpdesk_domain::{TenantCtx, TicketId, WorkspaceId};
use helpdesk_http::routes::tickets::ops::Cause;
use helpdesk_storage::Store;
use helpdesk_storage::repo::automations::{self, Automation};
use helpdesk_storage::repo::jobs::Job;
use helpdesk_storage::repo::tickets::{self, TicketRef};

use super::{act, facts::TicketFacts, parse};
use crate::handlers::{Handler, JobError};

pub const SCHEDULE_JOB: &str = "automation.schedule";
const KEY: &str = "schedule";
/// Tickets one rule looks at per pass; the oldest first, so a backlog drains over passes.
const BATCH: u64 = 500;

#[derive(Debug, Clone)]
pub struct ScheduledRules {
    pub store: Store,
    pub public_url: String,
    pub clock: Arc<dyn Clock>,
}

fn before(now: i64, hours: Option<f64>) -> Option<i64> {
    hours.map(|h| now - (h * 3_600_000_000.0) as i64)
}

impl ScheduledRules {
    async fn rule(&self, ctx: &TenantCtx, rule: &Automation, now: i64) -> Result<(), JobError> {
        let Some((conditions, actions)) = parse(rule) else {
            return Ok(());
        };
        let db = self.store.read();
        let days = super::facts::auto_close_days(db, ctx).await?;
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
            let f = TicketFacts::load(db, ctx, t, now).await?;
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
                    let f = TicketFacts::load(db, ctx, &t, now).await?;
                    t.status != "CLOSED" && conditions.matches(&f.facts(&t, now))
                }
                Err(_) => false,
            };
            if !still {
                automations::forget_run(self.store.write(), rule.id, id, KEY)
                    .await
                    .map_err(JobError::new)?;
            }
        }
        for id in matching {
            let tx = self.store.begin().await.map_err(JobError::new)?;
            let Ok(t) =
                tickets::get_for_update(&tx, ctx, TicketRef::Id(TicketId::from_uuid(id))).await
            else {
                continue;
            };
            if !automations::claim_run(&tx, ctx, rule.id, id, KEY, now)
                .await
                .map_err(JobError::new)?
            {
                continue;
            }
            let f = TicketFacts::load(&tx, ctx, &t, now).await?;
            if !conditions.matches(&f.facts(&t, now)) {
                continue;
            }
            let cause = Cause {
                automation_id: rule.id,
                name: rule.name.clone(),
                position: rule.position,
                depth: 1,
            };
            let run = act::Run {
                ctx,
                cause: &cause,
                event: None,
                public_url: &self.public_url,
                now,
            };
            act::run(&tx, &run, &actions, t).await?;
            tx.commit().await.map_err(JobError::new)?;
        }
        Ok(())
    }

    /// One pass over every workspace's scheduled rules at the clock's instant.
    pub async fn pass(&self) -> Result<(), JobError> {
        let now = to_micros(self.clock.now());
        for ws in automations::scheduled_workspaces(self.store.read())
            .await
            .map_err(JobError::new)?
        {
            let ctx = TenantCtx::system(WorkspaceId::from_uuid(ws));
            let rules = automations::active_for(self.store.read(), &ctx, KEY, None)
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
