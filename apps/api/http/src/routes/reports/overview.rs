//! `GET /reports/overview`: volume, backlog, response and resolution times, SLA compliance.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use helpdesk_domain::Priority;
use helpdesk_domain::report::{Spread, compliance};
use helpdesk_storage::repo::reports::{self, ReportTicket, SlaOutcome};
use serde::Serialize;

use super::period::{Period, ReportQuery};
use super::respond;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Staff, StrictQuery};
use crate::routes::common::rfc3339;
use crate::state::AppState;

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

pub fn first_response(t: &ReportTicket) -> Option<(i64, Option<i64>)> {
    t.first_response_at
        .map(|at| (at, t.first_response_business_minutes))
}

pub fn resolution(t: &ReportTicket) -> Option<(i64, Option<i64>)> {
    t.resolved_at.map(|at| (at, t.resolution_business_minutes))
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
    pub fn of(outcomes: &[SlaOutcome]) -> Self {
        let by = |m: &str| Compliance::of(outcomes.iter().filter(|o| o.metric == m));
        Self {
            first_response: by("first_response"),
            next_response: by("next_response"),
            resolution: by("resolution"),
            overall: Compliance::of(outcomes.iter()),
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

/// CSV: one `figure,value` row per figure, nested names joined by `.`, in alphabetical
/// order (e.g. `backlog.by_status.OPEN`, `first_response.business_minutes.median`).
#[utoipa::path(get, path = "/reports/overview", tag = "reports", params(ReportQuery),
    responses((status = 200, body = Overview, content_type = "application/json"),
        (status = 200, description = "`Accept: text/csv`: columns `figure,value`", content_type = "text/csv"),
        (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn overview(
    State(state): State<AppState>,
    Staff(authed): Staff,
    headers: HeaderMap,
    StrictQuery(q): StrictQuery<ReportQuery>,
) -> ApiResult<Response> {
    if q.interval.is_some() {
        return Err(ApiError::invalid(
            "interval",
            "only /reports/volume takes an interval",
        ));
    }
    let tx = reports::snapshot(&state.store).await?;
    let (db, ctx) = (&tx, &authed.ctx);
    let p = Period::resolve(db, ctx, &q, state.now()).await?;
    let (f, w) = (&p.filter, p.window);
    let created = reports::created_in(db, ctx, f, w).await?;
    let resolved = reports::resolved_in(db, ctx, f, w).await?;
    let reopened = reports::reopened_in(db, ctx, f, w).await?;
    let outcomes = reports::sla_outcomes(db, ctx, f, w).await?;
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
        created: created.len() as u64,
        resolved: resolved.len() as u64,
        reopened: reopened.len() as u64,
        backlog,
        first_response: Durations::of(created.iter(), first_response),
        resolution: Durations::of(resolved.iter(), resolution),
        sla: SlaFigures::of(&outcomes),
    };
    if respond::wants_csv(&headers) {
        let value = serde_json::to_value(&body).map_err(ApiError::internal)?;
        return respond::csv(&respond::figures(&value), "overview");
    }
    Ok(respond::json(body))
}
