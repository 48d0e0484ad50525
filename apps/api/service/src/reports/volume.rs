//! The volume report: tickets created and resolved per day or week.

use std::collections::BTreeMap;

use helpdesk_domain::Permission;
use helpdesk_domain::report::{Interval, bucket, buckets};
use helpdesk_domain::time::from_micros;
use helpdesk_storage::repo::reports;
use serde::Serialize;

use super::period::{Period, ReportQuery};
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;
use crate::time::rfc3339;

/// One interval; CSV columns in this order: `start,created,resolved`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VolumeRow {
    /// The interval's first local date (a Monday for weeks).
    pub start: String,
    pub created: u64,
    pub resolved: u64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Volume {
    pub from: String,
    pub to: String,
    pub timezone: String,
    pub interval: String,
    pub rows: Vec<VolumeRow>,
}

impl Service {
    pub async fn report_volume(&self, actor: &Actor, q: &ReportQuery) -> ServiceResult<Volume> {
        require(actor, Permission::ReadReports)?;
        let (interval, name) = match q.interval.as_deref() {
            None | Some("day") => (Interval::Day, "day"),
            Some("week") => (Interval::Week, "week"),
            Some(_) => return Err(ServiceError::invalid("interval", "must be day or week")),
        };
        let tx = reports::snapshot(&self.store).await?;
        let (db, ctx) = (&tx, &actor.ctx);
        let p = Period::resolve(db, ctx, q, self.now()).await?;
        let (f, w) = (&p.filter, p.window);
        let mut counts: BTreeMap<_, (u64, u64)> =
            buckets(from_micros(w.from), from_micros(w.to), &p.tz, interval)
                .into_iter()
                .map(|d| (d, (0, 0)))
                .collect();
        reports::created_in(db, ctx, f, w, |t| {
            counts
                .entry(bucket(from_micros(t.created_at), &p.tz, interval))
                .or_default()
                .0 += 1;
        })
        .await?;
        reports::resolved_in(db, ctx, f, w, |t| {
            if let Some(at) = t.resolved_at {
                counts
                    .entry(bucket(from_micros(at), &p.tz, interval))
                    .or_default()
                    .1 += 1;
            }
        })
        .await?;
        let rows: Vec<VolumeRow> = counts
            .into_iter()
            .map(|(d, (created, resolved))| VolumeRow {
                start: d.to_string(),
                created,
                resolved,
            })
            .collect();
        Ok(Volume {
            from: rfc3339(w.from),
            to: rfc3339(w.to),
            timezone: p.tz_name,
            interval: name.to_owned(),
            rows,
        })
    }
}
