//! The overview report: volume, backlog, response and resolution times, SLA compliance.

use std::collections::BTreeMap;

use helpdesk_domain::report::{Spread, compliance};
use helpdesk_domain::{Permission, Priority};
use helpdesk_storage::repo::reports::{self, ReportTicket};
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

/// Durations gathered one ticket at a time, as a report's rows stream by: two minutes per
/// ticket are all a median needs to keep.
#[derive(Debug, Default)]
pub struct DurationTally {
    business: Vec<i64>,
    wall: Vec<i64>,
}

impl DurationTally {
    /// One ticket created at `created_at` whose event came at `at`, with the business
    /// minutes stored for it (wall-clock minutes without them).
    pub fn add(&mut self, (created_at, at, stored): (i64, i64, Option<i64>)) {
        let minutes = (at - created_at).max(0) / MICROS_PER_MINUTE;
        self.wall.push(minutes);
        self.business.push(stored.unwrap_or(minutes));
    }

    /// A ticket's time to its first response, when it has one.
    pub fn add_first_response(&mut self, t: &ReportTicket) {
        if let Some(at) = t.first_response_at {
            self.add((t.created_at, at, t.first_response_business_minutes));
        }
    }

    pub fn count(&self) -> u64 {
        self.wall.len() as u64
    }

    pub fn finish(self) -> Durations {
        Durations {
            business_minutes: Spread::of(self.business),
            wall_minutes: Spread::of(self.wall),
        }
    }
}

#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Compliance {
    pub met: u64,
    pub breached: u64,
    /// met ÷ (met + breached), one decimal; null when nothing was decided.
    pub compliance_percent: Option<f64>,
}

impl Compliance {
    pub fn of_counts(met: u64, breached: u64) -> Self {
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
        let of =
            |metric: Option<&str>| Compliance::of_counts(sum(metric, true), sum(metric, false));
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
        let (mut first_responses, mut resolutions) =
            (DurationTally::default(), DurationTally::default());
        reports::durations(db, ctx, f, w, false, |d| first_responses.add(d)).await?;
        reports::durations(db, ctx, f, w, true, |d| resolutions.add(d)).await?;
        let mut reopened = 0u64;
        reports::reopened_in(db, ctx, f, w, |_| reopened += 1).await?;
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
            resolved: resolutions.count(),
            reopened,
            backlog,
            first_response: first_responses.finish(),
            resolution: resolutions.finish(),
            sla: SlaFigures::of_counts(&sla),
        };
        Ok(body)
    }
}
