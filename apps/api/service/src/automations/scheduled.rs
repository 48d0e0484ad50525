//! The scheduled rules over open tickets (`automation.schedule`). A rule acts on a ticket
//! once while its conditions hold; when they stop holding it is forgotten, so it may act
//! again the next time they hold.

use std::collections::HashSet;

use helpdesk_domain::automation::condition::Since;
use helpdesk_domain::{TenantCtx, TicketId, WorkspaceId};
use helpdesk_storage::repo::automations::{self, Automation};
use helpdesk_storage::repo::tickets::{self, TicketRef, TicketRow};

use super::facts::{self, TicketFacts};
use super::run::{RuleRun, parse};
use crate::Service;
use crate::error::ServiceResult;

const KEY: &str = "schedule";
/// Tickets one rule looks at per pass; the oldest first, so a backlog drains over passes.
const BATCH: u64 = 500;

fn before(now: i64, hours: Option<f64>) -> Option<i64> {
    hours.map(|h| now - (h * 3_600_000_000.0) as i64)
}

impl Service {
    async fn scheduled_rule(
        &self,
        ctx: &TenantCtx,
        rule: &Automation,
        now: i64,
    ) -> ServiceResult<()> {
        let Some((conditions, _)) = parse(rule) else {
            return Ok(());
        };
        let store = &self.store;
        let db = store.read();
        let days = facts::auto_close_days(db, ctx).await?;
        let candidates = automations::candidates(
            db,
            ctx,
            rule.id,
            before(now, conditions.min_hours(Since::Status, days)),
            before(now, conditions.min_hours(Since::Update, days)),
            before(now, conditions.min_hours(Since::Created, days)),
            BATCH,
        )
        .await?;
        let mut matching = HashSet::new();
        for t in &candidates {
            let f = TicketFacts::load(db, ctx, t, now).await?;
            if conditions.matches(&f.facts(t, now)) {
                matching.insert(t.id);
            }
        }
        let remembered = automations::remembered(db, rule.id, KEY).await?;
        for id in remembered {
            let still = match tickets::get(db, ctx, TicketRef::Id(TicketId::from_uuid(id))).await {
                Ok(t) => {
                    let f = TicketFacts::load(db, ctx, &t, now).await?;
                    !t.is_closed() && conditions.matches(&f.facts(&t, now))
                }
                Err(_) => false,
            };
            if !still {
                automations::forget_run(store.write(), rule.id, id, KEY).await?;
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
            self.run_rule(ctx, run, now).await?;
        }
        Ok(())
    }

    /// One pass over every workspace's scheduled rules at the clock's instant.
    pub async fn scheduled_rules_pass(&self) -> ServiceResult<()> {
        let now = self.now();
        let store = &self.store;
        for ws in automations::scheduled_workspaces(store.read()).await? {
            let ctx = TenantCtx::system(WorkspaceId::from_uuid(ws));
            let rules = automations::active_for(store.read(), &ctx, KEY, None).await?;
            for rule in &rules {
                self.scheduled_rule(&ctx, rule, now).await?;
            }
        }
        Ok(())
    }
}
