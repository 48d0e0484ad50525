//! A contract's usage in one period, computed from the billable time logged on the
//! organization's tickets in that period's days (in the workspace's time zone) — never
//! kept as a running total, so an edited or deleted entry is reflected at once.

use helpdesk_domain::contract::{self, ContractKind, Period, Span, Usage};
use helpdesk_domain::settings::WorkspaceSettings;
use helpdesk_domain::time::{from_micros, to_micros};
use helpdesk_domain::{Permission, TenantCtx};
use helpdesk_storage::repo::contracts::{self, Contract};
use helpdesk_storage::repo::{time_entries, workspaces};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use sea_orm::ConnectionTrait;
use serde::Serialize;
use uuid::Uuid;

use super::check::date;
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UsageOut {
    #[schema(value_type = String, format = Uuid)]
    pub contract_id: Uuid,
    /// The period's first day.
    pub period_start: String,
    /// Its last day (inclusive); null for an open-ended contract without periods.
    pub period_end: Option<String>,
    #[serde(flatten)]
    pub usage: Usage,
    /// What the period invoices beyond a fixed fee, in minor units of `currency`: the
    /// overage (prepaid hours, retainer) or every minute (time and materials) at the
    /// hourly rate, rounded half up; null without a rate.
    pub amount_cents: Option<i64>,
    pub currency: String,
}

/// The workspace's time zone (contract days are counted in it).
pub async fn zone(db: &impl ConnectionTrait, ctx: &TenantCtx) -> ServiceResult<TimeZone> {
    let ws = workspaces::get(db, ctx.workspace_id).await?;
    let name = WorkspaceSettings::from_json(&ws.settings).timezone;
    Ok(TimeZone::get(&name).unwrap_or(TimeZone::UTC))
}

/// Midnight starting day `d` in `tz`, in microseconds.
pub fn midnight(d: Date, tz: &TimeZone) -> ServiceResult<i64> {
    d.to_zoned(tz.clone())
        .map(|z| to_micros(z.timestamp()))
        .map_err(ServiceError::internal)
}

/// The day instant `at` falls on in `tz`.
pub fn day_of(at: i64, tz: &TimeZone) -> Date {
    from_micros(at).to_zoned(tz.clone()).date()
}

pub fn parsed(c: &Contract) -> ServiceResult<(ContractKind, Period, Date, Option<Date>)> {
    let corrupt = || ServiceError::corrupt(format!("contract {}", c.id));
    Ok((
        ContractKind::parse(&c.kind).ok_or_else(corrupt)?,
        Period::parse(&c.period).ok_or_else(corrupt)?,
        date(&c.starts_on).ok_or_else(corrupt)?,
        c.ends_on
            .as_deref()
            .map(|e| date(e).ok_or_else(corrupt))
            .transpose()?,
    ))
}

/// The period of `c` that day `d` falls in.
pub fn span_of(c: &Contract, d: Date) -> ServiceResult<Option<Span>> {
    let (_, period, start, end) = parsed(c)?;
    Ok(contract::period_of(start, end, period, d))
}

/// The usage of `c` in period `span`.
pub async fn period_usage(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    c: &Contract,
    span: Span,
    tz: &TimeZone,
) -> ServiceResult<UsageOut> {
    let (kind, _, _, _) = parsed(c)?;
    let from = midnight(span.start, tz)?;
    let to = match span.end {
        Some(e) => midnight(e, tz)?,
        None => i64::MAX,
    };
    let used: i64 = time_entries::billable_in(db, ctx, Some(c.organization_id), from, to)
        .await?
        .iter()
        .map(|e| e.minutes)
        .sum();
    let usage = contract::usage(kind, c.included_minutes.unwrap_or(0), used);
    Ok(UsageOut {
        contract_id: c.id,
        period_start: span.start.to_string(),
        period_end: span
            .end
            .and_then(|e| e.yesterday().ok())
            .map(|d| d.to_string()),
        amount_cents: contract::amount_minor(kind, &usage, c.hourly_rate_minor),
        usage,
        currency: c.currency.clone(),
    })
}

impl Service {
    /// `GET /contracts/{id}/usage?period=` (staff): the period holding day `period`
    /// (default: today in the workspace's time zone).
    pub async fn contract_usage(
        &self,
        actor: &Actor,
        id: Uuid,
        period: Option<String>,
    ) -> ServiceResult<UsageOut> {
        require(actor, Permission::ReadReports)?;
        let db = self.store.read();
        let c = contracts::get(db, &actor.ctx, id).await?;
        let tz = zone(db, &actor.ctx).await?;
        let day = match period {
            Some(p) => date(&p)
                .ok_or_else(|| ServiceError::invalid("period", "must be a date like 2027-01-31"))?,
            None => day_of(self.now(), &tz),
        };
        let span = span_of(&c, day)?
            .ok_or_else(|| ServiceError::invalid("period", "is outside the contract's dates"))?;
        period_usage(db, &actor.ctx, &c, span, &tz).await
    }
}
