//! `GET /reports/volume?interval=day|week`: tickets created and resolved per interval.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use helpdesk_domain::report::{Interval, bucket, buckets};
use helpdesk_domain::time::from_micros;
use helpdesk_storage::repo::reports;
use serde::Serialize;

use super::period::{Period, ReportQuery};
use super::respond;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Staff, StrictQuery};
use crate::routes::common::rfc3339;
use crate::state::AppState;

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

#[utoipa::path(get, path = "/reports/volume", tag = "reports", params(ReportQuery),
    responses((status = 200, body = Volume, content_type = "application/json"),
        (status = 200, description = "`Accept: text/csv`: columns `start,created,resolved`", content_type = "text/csv"),
        (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn volume(
    State(state): State<AppState>,
    Staff(authed): Staff,
    headers: HeaderMap,
    StrictQuery(q): StrictQuery<ReportQuery>,
) -> ApiResult<Response> {
    let (interval, name) = match q.interval.as_deref() {
        None | Some("day") => (Interval::Day, "day"),
        Some("week") => (Interval::Week, "week"),
        Some(_) => return Err(ApiError::invalid("interval", "must be day or week")),
    };
    let tx = reports::snapshot(&state.store).await?;
    let (db, ctx) = (&tx, &authed.ctx);
    let p = Period::resolve(db, ctx, &q, state.now()).await?;
    let (f, w) = (&p.filter, p.window);
    let mut counts: BTreeMap<_, (u64, u64)> =
        buckets(from_micros(w.from), from_micros(w.to), &p.tz, interval)
            .into_iter()
            .map(|d| (d, (0, 0)))
            .collect();
    for t in reports::created_in(db, ctx, f, w).await? {
        counts
            .entry(bucket(from_micros(t.created_at), &p.tz, interval))
            .or_default()
            .0 += 1;
    }
    for t in reports::resolved_in(db, ctx, f, w).await? {
        if let Some(at) = t.resolved_at {
            counts
                .entry(bucket(from_micros(at), &p.tz, interval))
                .or_default()
                .1 += 1;
        }
    }
    let rows: Vec<VolumeRow> = counts
        .into_iter()
        .map(|(d, (created, resolved))| VolumeRow {
            start: d.to_string(),
            created,
            resolved,
        })
        .collect();
    if respond::wants_csv(&headers) {
        return respond::csv(&rows, "volume");
    }
    Ok(respond::json(Volume {
        from: rfc3339(w.from),
        to: rfc3339(w.to),
        timezone: p.tz_name,
        interval: name.to_owned(),
        rows,
    }))
}
