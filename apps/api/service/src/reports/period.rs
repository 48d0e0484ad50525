//! The query every report takes: the period (in the workspace's time zone) and filters.

use crate::error::{ServiceError, ServiceResult};
use helpdesk_domain::time::{from_micros, to_micros};
use helpdesk_domain::{OrganizationId, Priority, TenantCtx, UserId};
use helpdesk_storage::repo::reports::{ReportFilter, Window};
use helpdesk_storage::repo::workspaces;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use sea_orm::ConnectionTrait;

/// What every report is asked for, as the caller wrote it (the API's query string); every
/// field is parsed here.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// A date (`2027-03-01`: from the start of that day in the time zone) or an RFC 3339
    /// instant; default: 30 local days ending with the day of `to` (with today by default).
    pub from: Option<String>,
    /// A date (inclusive: up to the end of that day) or an RFC 3339 instant (exclusive);
    /// default: now.
    pub to: Option<String>,
    /// IANA zone for dates and buckets; default: the workspace's `timezone` setting, else
    /// UTC.
    pub timezone: Option<String>,
    /// Only tickets of this organization.
    pub organization_id: Option<OrganizationId>,
    /// Only tickets assigned to this agent.
    pub agent_id: Option<UserId>,
    /// Only tickets of this priority.
    pub priority: Option<Priority>,
    /// `/reports/volume` only: `day` (default) or `week` (weeks start on Monday).
    pub interval: Option<String>,
}

/// A resolved period: instants, zone and filters.
#[derive(Debug, Clone)]
pub struct Period {
    pub window: Window,
    pub tz: TimeZone,
    pub tz_name: String,
    pub filter: ReportFilter,
}

const MAX_DAYS: i64 = 400;

fn instant(field: &str, raw: &str, tz: &TimeZone, end: bool) -> ServiceResult<Timestamp> {
    if let Ok(t) = raw.parse::<Timestamp>() {
        return Ok(t);
    }
    let date: Date = raw.parse().map_err(|_| {
        ServiceError::invalid(field, "must be a date (2027-03-01) or an RFC 3339 instant")
    })?;
    let day = if end { date.tomorrow() } else { Ok(date) };
    day.and_then(|d| d.to_zoned(tz.clone()))
        .map(|z| z.timestamp())
        .map_err(|_| ServiceError::invalid(field, "is out of range"))
}

impl Period {
    pub async fn resolve(
        db: &impl ConnectionTrait,
        ctx: &TenantCtx,
        q: &ReportQuery,
        now: i64,
    ) -> ServiceResult<Self> {
        let tz_name = match &q.timezone {
            Some(z) => z.clone(),
            None => workspaces::get(db, ctx.workspace_id).await?.settings["timezone"]
                .as_str()
                .unwrap_or("UTC")
                .to_owned(),
        };
        let tz = TimeZone::get(&tz_name).map_err(|_| {
            ServiceError::invalid("timezone", format!("unknown time zone {tz_name:?}"))
        })?;
        let now = from_micros(now);
        let to = match &q.to {
            Some(raw) => instant("to", raw, &tz, true)?,
            None => now,
        };
        let from = match &q.from {
            Some(raw) => instant("from", raw, &tz, false)?,
            None => {
                // Thirty local days ending with the day `to` falls in.
                let last_day = to
                    .checked_sub(1.microsecond())
                    .unwrap_or(to)
                    .to_zoned(tz.clone())
                    .date();
                last_day
                    .checked_sub(29.days())
                    .and_then(|d| d.to_zoned(tz.clone()))
                    .map(|z| z.timestamp())
                    .map_err(ServiceError::internal)?
            }
        };
        if from >= to {
            return Err(ServiceError::invalid("from", "must be before `to`"));
        }
        if to.duration_since(from).as_secs() > (MAX_DAYS * 24 + 1) * 3600 {
            return Err(ServiceError::invalid(
                "to",
                format!("a period spans at most {MAX_DAYS} days"),
            ));
        }
        Ok(Self {
            window: Window {
                from: to_micros(from),
                to: to_micros(to),
            },
            tz,
            tz_name,
            filter: ReportFilter {
                organization: q.organization_id,
                agent: q.agent_id,
                priority: q.priority,
            },
        })
    }
}

/// Only the volume report takes an interval.
pub fn no_interval(q: &ReportQuery) -> ServiceResult<()> {
    match q.interval {
        Some(_) => Err(ServiceError::invalid(
            "interval",
            "only /reports/volume takes an interval",
        )),
        None => Ok(()),
    }
}
