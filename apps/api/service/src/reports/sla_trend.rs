//! SLA compliance over time: the cycles decided in each day or week of the period (met,
//! breached, the share met), by the same rule as the overview's figures.

use helpdesk_domain::Permission;
use helpdesk_domain::report::{Interval, buckets};
use helpdesk_domain::time::{from_micros, to_micros};
use helpdesk_storage::repo::reports::{self, Window};
use jiff::ToSpan;
use serde::Serialize;

use super::overview::SlaFigures;
use super::period::{Period, ReportQuery};
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;

/// One interval; CSV columns in this order.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SlaTrendRow {
    /// The interval's first local date (a Monday for weeks).
    pub start: String,
    pub met: u64,
    pub breached: u64,
    /// met ÷ (met + breached), one decimal; null when nothing was decided.
    pub compliance_percent: Option<f64>,
}

impl Service {
    /// Compliance per `q.interval` (`day` or `week`; by default days for a period of up to
    /// 14 days, else weeks) over the period.
    pub async fn report_sla_trend(
        &self,
        actor: &Actor,
        q: &ReportQuery,
    ) -> ServiceResult<Vec<SlaTrendRow>> {
        require(actor, Permission::ReadReports)?;
        let tx = reports::snapshot(&self.store).await?;
        let (db, ctx) = (&tx, &actor.ctx);
        let p = Period::resolve(db, ctx, q, self.now()).await?;
        let w = p.window;
        let interval = match q.interval.as_deref() {
            None if w.to - w.from <= 14 * 86_400 * 1_000_000 => Interval::Day,
            None | Some("week") => Interval::Week,
            Some("day") => Interval::Day,
            Some(_) => return Err(ServiceError::invalid("interval", "must be day or week")),
        };
        let starts = buckets(from_micros(w.from), from_micros(w.to), &p.tz, interval);
        let step = match interval {
            Interval::Day => 1.day(),
            Interval::Week => 1.week(),
        };
        let mut rows = Vec::with_capacity(starts.len());
        for d in starts {
            let local = |date: jiff::civil::Date| {
                date.to_zoned(p.tz.clone())
                    .map(|z| to_micros(z.timestamp()))
                    .map_err(ServiceError::internal)
            };
            let next = d.checked_add(step).map_err(ServiceError::internal)?;
            let part = Window {
                from: local(d)?.max(w.from),
                to: local(next)?.min(w.to),
            };
            let counts = reports::sla_counts(db, ctx, &p.filter, part).await?;
            let overall = SlaFigures::of_counts(&counts).overall;
            rows.push(SlaTrendRow {
                start: d.to_string(),
                met: overall.met,
                breached: overall.breached,
                compliance_percent: overall.compliance_percent,
            });
        }
        Ok(rows)
    }
}
