//! The per-agent (by current assignee) and per-organization reports: the same figures for
//! each row.

use std::collections::HashMap;

use helpdesk_domain::Permission;
use helpdesk_storage::repo::reports::{self, ReportTicket, SlaOutcome, TimeTotal};
use serde::Serialize;
use uuid::Uuid;

use super::overview::{Compliance, DurationTally};
use super::period::{Period, ReportQuery, no_interval};
use crate::Service;
use crate::actor::Actor;
use crate::error::ServiceResult;
use crate::permissions::require;

/// One agent; CSV columns in this order.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AgentRow {
    #[schema(value_type = String, format = Uuid)]
    pub agent_id: Uuid,
    pub name: String,
    pub email: String,
    /// Tickets created in the period and assigned to the agent now.
    pub assigned: u64,
    /// Tickets resolved in the period and assigned to the agent now.
    pub resolved: u64,
    /// Public messages the agent wrote in the period.
    pub public_replies: u64,
    pub median_first_response_business_minutes: Option<i64>,
    pub median_first_response_minutes: Option<i64>,
    pub sla_met: u64,
    pub sla_breached: u64,
    pub sla_compliance_percent: Option<f64>,
    /// Time the agent logged, by `started_at` in the period.
    pub billable_minutes: i64,
    pub non_billable_minutes: i64,
}

/// One organization (`organization_id` null: tickets without one); CSV columns in this
/// order.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrganizationRow {
    #[schema(value_type = Option<String>, format = Uuid)]
    pub organization_id: Option<Uuid>,
    pub name: String,
    pub created: u64,
    pub resolved: u64,
    pub median_first_response_business_minutes: Option<i64>,
    pub sla_met: u64,
    pub sla_breached: u64,
    pub sla_compliance_percent: Option<f64>,
    /// Time logged on the organization's tickets in the period: what the MSP invoices.
    pub billable_minutes: i64,
    pub non_billable_minutes: i64,
}

/// Who a row of the report is: the current assignee, or the organization.
#[derive(Debug, Clone, Copy)]
enum Key {
    Assignee,
    Organization,
}

impl Key {
    fn of_ticket(self, t: &ReportTicket) -> Option<Uuid> {
        match self {
            Key::Assignee => t.assignee_id,
            Key::Organization => t.organization_id,
        }
    }

    fn of_outcome(self, o: &SlaOutcome) -> Option<Uuid> {
        match self {
            Key::Assignee => o.assignee_id,
            Key::Organization => o.organization_id,
        }
    }
}

/// The figures of one row, counted as the period's tickets stream by.
#[derive(Debug, Default)]
struct Tally {
    created: u64,
    resolved: u64,
    first_response: DurationTally,
    sla_met: u64,
    sla_breached: u64,
}

/// What each per-key figure is computed from: a tally per key (tickets without an
/// assignee or organization under `None`) and the period's logged time.
struct Rows {
    tallies: HashMap<Option<Uuid>, Tally>,
    time: Vec<TimeTotal>,
}

impl Rows {
    /// A snapshot, the period and the rows of one per-agent or per-organization report.
    async fn open(
        svc: &Service,
        actor: &Actor,
        q: &ReportQuery,
        key: Key,
    ) -> ServiceResult<(sea_orm::DatabaseTransaction, Period, Self)> {
        require(actor, Permission::ReadReports)?;
        no_interval(q)?;
        let db = reports::snapshot(&svc.store).await?;
        let p = Period::resolve(&db, &actor.ctx, q, svc.now()).await?;
        let rows = Self::load(&db, actor, &p, key).await?;
        Ok((db, p, rows))
    }

    async fn load(
        db: &(impl sea_orm::ConnectionTrait + sea_orm::StreamTrait),
        actor: &Actor,
        p: &Period,
        key: Key,
    ) -> ServiceResult<Self> {
        let (ctx, f, w) = (&actor.ctx, &p.filter, p.window);
        let mut tallies: HashMap<Option<Uuid>, Tally> = HashMap::new();
        reports::created_in(db, ctx, f, w, |t| {
            let tally = tallies.entry(key.of_ticket(&t)).or_default();
            tally.created += 1;
            tally.first_response.add_first_response(&t);
        })
        .await?;
        reports::resolved_in(db, ctx, f, w, |t| {
            tallies.entry(key.of_ticket(&t)).or_default().resolved += 1;
        })
        .await?;
        reports::sla_outcomes(db, ctx, f, w, |o| {
            let tally = tallies.entry(key.of_outcome(&o)).or_default();
            if o.met {
                tally.sla_met += 1;
            } else {
                tally.sla_breached += 1;
            }
        })
        .await?;
        Ok(Self {
            tallies,
            time: reports::time_totals(db, ctx, f, w).await?,
        })
    }

    /// The tally of `key`'s row (empty when nothing fell in it).
    fn take(&mut self, key: Option<Uuid>) -> Tally {
        self.tallies.remove(&key).unwrap_or_default()
    }
}

fn minutes(time: &[TimeTotal], mine: impl Fn(&TimeTotal) -> bool, billable: bool) -> i64 {
    time.iter()
        .filter(|t| t.billable == billable && mine(t))
        .map(|t| t.minutes)
        .sum()
}

impl Service {
    pub async fn report_agents(
        &self,
        actor: &Actor,
        q: &ReportQuery,
    ) -> ServiceResult<Vec<AgentRow>> {
        let (db, p, mut r) = Rows::open(self, actor, q, Key::Assignee).await?;
        let replies: HashMap<Uuid, i64> =
            reports::replies_by_author(&db, &actor.ctx, &p.filter, p.window)
                .await?
                .into_iter()
                .collect();
        let mut out = Vec::new();
        for (id, name, email) in reports::staff(&db, &actor.ctx).await? {
            if p.filter.agent.is_some_and(|a| a.as_uuid() != id) {
                continue;
            }
            let tally = r.take(Some(id));
            let fr = tally.first_response.finish();
            let sla = Compliance::of_counts(tally.sla_met, tally.sla_breached);
            let by_me = |t: &TimeTotal| t.author_id == Some(id);
            out.push(AgentRow {
                agent_id: id,
                name,
                email,
                assigned: tally.created,
                resolved: tally.resolved,
                public_replies: replies
                    .get(&id)
                    .map_or(0, |n| u64::try_from(*n).unwrap_or(0)),
                median_first_response_business_minutes: fr.business_minutes.median,
                median_first_response_minutes: fr.wall_minutes.median,
                sla_met: sla.met,
                sla_breached: sla.breached,
                sla_compliance_percent: sla.compliance_percent,
                billable_minutes: minutes(&r.time, by_me, true),
                non_billable_minutes: minutes(&r.time, by_me, false),
            });
        }
        Ok(out)
    }

    pub async fn report_organizations(
        &self,
        actor: &Actor,
        q: &ReportQuery,
    ) -> ServiceResult<Vec<OrganizationRow>> {
        let (db, p, mut r) = Rows::open(self, actor, q, Key::Organization).await?;
        let mut orgs: Vec<(Option<Uuid>, String)> = reports::organizations(&db, &actor.ctx)
            .await?
            .into_iter()
            .map(|(id, name)| (Some(id), name))
            .collect();
        orgs.push((None, "(no organization)".to_owned()));
        let mut out = Vec::new();
        for (id, name) in orgs {
            if p.filter
                .organization
                .is_some_and(|o| Some(o.as_uuid()) != id)
            {
                continue;
            }
            let tally = r.take(id);
            let fr = tally.first_response.finish();
            let sla = Compliance::of_counts(tally.sla_met, tally.sla_breached);
            let theirs = |t: &TimeTotal| t.organization_id == id;
            let row = OrganizationRow {
                organization_id: id,
                name,
                created: tally.created,
                resolved: tally.resolved,
                median_first_response_business_minutes: fr.business_minutes.median,
                sla_met: sla.met,
                sla_breached: sla.breached,
                sla_compliance_percent: sla.compliance_percent,
                billable_minutes: minutes(&r.time, theirs, true),
                non_billable_minutes: minutes(&r.time, theirs, false),
            };
            // The catch-all row only when something falls in it.
            let empty = row.created + row.resolved + row.sla_met + row.sla_breached == 0
                && row.billable_minutes + row.non_billable_minutes == 0;
            if id.is_some() || !empty {
                out.push(row);
            }
        }
        Ok(out)
    }
}
