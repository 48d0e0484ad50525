//! The overview report: volume, backlog, response and resolution times, SLA compliance.

use std::collections::BTreeMap;

use helpdesk_domain::report::{Spread, compliance};
use helpdesk_domain::{Permission, Priority};
use helpdesk_storage::repo::reports::{self, ReportTicket, SlaOutcome};
use serde::Serialize;

use super::period::{Period, ReportQuery, no_interval};
use crate::Service;
use crate::actor::Actor;
use crate::error::ServiceResult;
use crate::permissions::require;
use crate::time::rfc3339;

const MICROS_PER_MINUTE: i64 = 60_000_000;

/// Time to an event, in business minutes (the ticket's SLA calendar; 24×7 without one)
/// and in wall-clock minutes.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Durations {
    pub business_minutes: Spread,
    pub wall_minutes: Spread,
}

impl Durations {
    /// `pick` gives `(instant, stored business minutes)` of each ticket that has one.
    pub fn of<'a>(
        tickets: impl Iterator<Item = &'a ReportTicket>,
        pick: impl Fn(&ReportTicket) -> Option<(i64, Option<i64>)>,
    ) -> Self {
        let (mut business, mut wall) = (Vec::new(), Vec::new());
        for t in tickets {
            if let Some((at, stored)) = pick(t) {
                let minutes = (at - t.created_at).max(0) / MICROS_PER_MINUTE;
                wall.push(minutes);
                business.push(stored.unwrap_or(minutes));
            }
        }
        Self {
            business_minutes: Spread::of(business),
            wall_minutes: Spread::of(wall),
        }
    }
}

impl Durations {
    /// From `(created_at, instant, stored business minutes)` rows.
    pub fn of_rows(rows: &[(i64, i64, Option<i64>)]) -> Self {
        let (mut business, mut wall) = (Vec::new(), Vec::new());
        for (created, at, stored) in rows {
            let minutes = (at - created).max(0) / MICROS_PER_MINUTE;
            wall.push(minutes);
            business.push(stored.unwrap_or(minutes));
        }
        Self {
            business_minutes: Spread::of(business),
            wall_minutes: Spread::of(wall),
        }
    }
}

pub fn first_response(t: &ReportTicket) -> Option<(i64, Option<i64>)> {
    t.first_response_at
        .map(|at| (at, t.first_response_business_minutes))
}

#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Compliance {
    pub met: u64,
    pub breached: u64,
    /// met ÷ (met + breached), one decimal; null when nothing was decided.
    pub compliance_percent: Option<f64>,
}

impl Compliance {
    pub fn of<'a>(outcomes: impl Iterator<Item = &'a SlaOutcome>) -> Self {
        let (mut met, mut breached) = (0, 0);
        for o in outcomes {
            if o.met {
                met += 1;
            } else {
                breached += 1;
            }
        }
        Self {
            met,
            breached,
            compliance_percent: compliance(met, breached),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SlaFigures {
    pub first_response: Compliance,
    pub next_response: Compliance,
    pub resolution: Compliance,
    /// All metrics together.
    pub overall: Compliance,
}

impl SlaFigures {
    /// From `(metric, met, cycles)` counts.
    pub fn of_counts(counts: &[(String, bool, i64)]) -> Self {
        let sum = |metric: Option<&str>, met: bool| -> u64 {
            counts
                .iter()
                .filter(|(m, is_met, _)| *is_met == met && metric.is_none_or(|x| x == m))
                .map(|(_, _, n)| u64::try_from(*n).unwrap_or(0))
                .sum()
        };
        let of = |metric: Option<&str>| {
            let (met, breached) = (sum(metric, true), sum(metric, false));
            Compliance {
                met,
                breached,
                compliance_percent: compliance(met, breached),
            }
        };
        Self {
            first_response: of(Some("first_response")),
            next_response: of(Some("next_response")),
            resolution: of(Some("resolution")),
            overall: of(None),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Backlog {
    pub total: u64,
    pub by_status: BTreeMap<String, u64>,
    pub by_priority: BTreeMap<String, u64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Overview {
    pub from: String,
    pub to: String,
    pub timezone: String,
    pub created: u64,
    pub resolved: u64,
    pub reopened: u64,
    /// Open tickets now (not `RESOLVED` or `CLOSED`), whatever the period.
    pub backlog: Backlog,
    /// Of the tickets created in the period that got a first response.
    pub first_response: Durations,
    /// Of the tickets whose latest resolution falls in the period.
    pub resolution: Durations,
    /// SLA cycles decided in the period.
    pub sla: SlaFigures,
}

impl Service {
    pub async fn report_overview(&self, actor: &Actor, q: &ReportQuery) -> ServiceResult<Overview> {
        require(actor, Permission::ReadReports)?;
        no_interval(q)?;
        let tx = reports::snapshot(&self.store).await?;
        let (db, ctx) = (&tx, &actor.ctx);
        let p = Period::resolve(db, ctx, q, self.now()).await?;
        let (f, w) = (&p.filter, p.window);
        let created = reports::created_count(db, ctx, f, w).await?;
        let first_responses = reports::durations(db, ctx, f, w, false).await?;
        let resolutions = reports::durations(db, ctx, f, w, true).await?;
        let reopened = reports::reopened_in(db, ctx, f, w).await?;
        let sla = reports::sla_counts(db, ctx, f, w).await?;
        let mut backlog = Backlog {
            total: 0,
            by_status: BTreeMap::new(),
            by_priority: BTreeMap::new(),
        };
        for (status, rank, n) in reports::backlog(db, ctx, f).await? {
            let n = u64::try_from(n).unwrap_or(0);
            let priority = Priority::from_rank(rank).map_or("?", Priority::as_str);
            backlog.total += n;
            *backlog.by_status.entry(status).or_default() += n;
            *backlog.by_priority.entry(priority.to_owned()).or_default() += n;
        }
        let body = Overview {
            from: rfc3339(w.from),
            to: rfc3339(w.to),
            timezone: p.tz_name.clone(),
            created: u64::try_from(created).unwrap_or(0),
            resolved: resolutions.len() as u64,
            reopened: reopened.len() as u64,
            backlog,
            first_response: Durations::of_rows(&first_responses),
            resolution: Durations::of_rows(&resolutions),
            sla: SlaFigures::of_counts(&sla),
        };
        Ok(body)
    }
}
