//! The per-agent (by current assignee) and per-organization reports: the same figures for
//! each row.

use std::collections::HashMap;

use helpdesk_domain::Permission;
use helpdesk_storage::repo::reports::{self, ReportTicket, SlaOutcome, TimeTotal};
use serde::Serialize;
use uuid::Uuid;

use super::overview::{Compliance, Durations, first_response};
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

/// What each per-key figure is computed from.
struct Rows {
    created: Vec<ReportTicket>,
    resolved: Vec<ReportTicket>,
    outcomes: Vec<SlaOutcome>,
    time: Vec<TimeTotal>,
}

impl Rows {
    /// A snapshot, the period and the rows of one per-agent or per-organization report.
    async fn open(
        svc: &Service,
        actor: &Actor,
        q: &ReportQuery,
    ) -> ServiceResult<(sea_orm::DatabaseTransaction, Period, Self)> {
        require(actor, Permission::ReadReports)?;
        no_interval(q)?;
        let db = reports::snapshot(&svc.store).await?;
        let p = Period::resolve(&db, &actor.ctx, q, svc.now()).await?;
        let rows = Self::load(&db, actor, &p).await?;
        Ok((db, p, rows))
    }

    async fn load(
        db: &(impl sea_orm::ConnectionTrait + sea_orm::StreamTrait),
        actor: &Actor,
        p: &Period,
    ) -> ServiceResult<Self> {
        let (ctx, f, w) = (&actor.ctx, &p.filter, p.window);
        Ok(Self {
            created: reports::created_in(db, ctx, f, w).await?,
            resolved: reports::resolved_in(db, ctx, f, w).await?,
            outcomes: reports::sla_outcomes(db, ctx, f, w).await?,
            time: reports::time_totals(db, ctx, f, w).await?,
        })
    }
}

fn count<T>(rows: &[T], mine: impl Fn(&T) -> bool) -> u64 {
    rows.iter().filter(|r| mine(r)).count() as u64
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
        let (db, p, r) = Rows::open(self, actor, q).await?;
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
            let mine = |t: &ReportTicket| t.assignee_id == Some(id);
            let fr = Durations::of(r.created.iter().filter(|t| mine(t)), first_response);
            let sla = Compliance::of(r.outcomes.iter().filter(|o| o.assignee_id == Some(id)));
            let by_me = |t: &TimeTotal| t.author_id == Some(id);
            out.push(AgentRow {
                agent_id: id,
                name,
                email,
                assigned: count(&r.created, mine),
                resolved: count(&r.resolved, mine),
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
        let (db, p, r) = Rows::open(self, actor, q).await?;
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
            let mine = |t: &ReportTicket| t.organization_id == id;
            let fr = Durations::of(r.created.iter().filter(|t| mine(t)), first_response);
            let sla = Compliance::of(r.outcomes.iter().filter(|o| o.organization_id == id));
            let theirs = |t: &TimeTotal| t.organization_id == id;
            let row = OrganizationRow {
                organization_id: id,
                name,
                created: count(&r.created, mine),
                resolved: count(&r.resolved, mine),
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
