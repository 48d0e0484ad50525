//! `GET /reports/billing`: what to invoice, per organization and contract period, for the
//! periods that overlap a date range — each period's figures whole (its overage depends on
//! all its time) — plus, per organization, billable time no contract covers.

use helpdesk_domain::Permission;
use helpdesk_domain::contract::ContractKind;
use helpdesk_storage::repo::contracts::{self, Contract};
use helpdesk_storage::repo::{reports, time_entries};
use serde::Serialize;
use uuid::Uuid;

use super::usage::{day_of, parsed, period_usage, span_of, zone};
use crate::Service;
use crate::actor::Actor;
use crate::error::ServiceResult;
use crate::permissions::require;
use crate::reports::period::{Period, ReportQuery, no_interval};

/// One contract period, or an organization's time outside any contract (`contract_id`
/// null); CSV columns in this order. Amounts are in minor units of `currency` (cents).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BillingRow {
    #[schema(value_type = String, format = Uuid)]
    pub organization_id: Uuid,
    pub organization: String,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub contract_id: Option<Uuid>,
    pub contract: Option<String>,
    pub kind: Option<ContractKind>,
    pub period_start: Option<String>,
    /// Inclusive.
    pub period_end: Option<String>,
    /// Billable minutes: the whole period's for a contract row, the range's otherwise.
    pub billable_minutes: i64,
    pub included_minutes: i64,
    pub remaining_minutes: i64,
    pub overage_minutes: i64,
    pub amount_cents: Option<i64>,
    pub currency: Option<String>,
}

fn wanted(p: &Period, org: Uuid) -> bool {
    p.filter.organization.is_none_or(|o| o.as_uuid() == org)
}

impl Service {
    pub async fn report_billing(
        &self,
        actor: &Actor,
        q: &ReportQuery,
    ) -> ServiceResult<Vec<BillingRow>> {
        require(actor, Permission::ReadReports)?;
        no_interval(q)?;
        let ctx = &actor.ctx;
        let db = reports::snapshot(&self.store).await?;
        let p = Period::resolve(&db, ctx, q, self.now()).await?;
        let tz = zone(&db, ctx).await?;
        let names = reports::organizations(&db, ctx).await?;
        let name = |o: Uuid| {
            names
                .iter()
                .find(|n| n.0 == o)
                .map_or_else(String::new, |n| n.1.clone())
        };
        let first = day_of(p.window.from, &tz);
        let last = day_of(p.window.to - 1, &tz);
        let all: Vec<Contract> = contracts::all(&db, ctx)
            .await?
            .into_iter()
            .filter(|c| wanted(&p, c.organization_id))
            .collect();
        let mut rows = Vec::new();
        for c in &all {
            let (kind, _, start, _) = parsed(c)?;
            let mut day = start.max(first);
            while day <= last {
                let Some(span) = span_of(c, day)? else { break };
                let u = period_usage(&db, ctx, c, span, &tz).await?;
                rows.push(BillingRow {
                    organization_id: c.organization_id,
                    organization: name(c.organization_id),
                    contract_id: Some(c.id),
                    contract: Some(c.name.clone()),
                    kind: Some(kind),
                    period_start: Some(u.period_start),
                    period_end: u.period_end,
                    billable_minutes: u.usage.used_minutes,
                    included_minutes: u.usage.included_minutes,
                    remaining_minutes: u.usage.remaining_minutes,
                    overage_minutes: u.usage.overage_minutes,
                    amount_cents: u.amount_cents,
                    currency: Some(u.currency),
                });
                match span.end {
                    Some(next) => day = next,
                    None => break,
                }
            }
        }
        // Time on days no contract of its organization covers.
        let only = p.filter.organization.map(|o| o.as_uuid());
        let entries = time_entries::billable_in(&db, ctx, only, p.window.from, p.window.to).await?;
        let mut loose: Vec<(Uuid, i64)> = Vec::new();
        for e in entries {
            let day = day_of(e.started_at, &tz);
            let mut covered = false;
            for c in all
                .iter()
                .filter(|c| c.organization_id == e.organization_id)
            {
                covered |= span_of(c, day)?.is_some();
            }
            if covered {
                continue;
            }
            match loose.iter_mut().find(|(o, _)| *o == e.organization_id) {
                Some((_, m)) => *m += e.minutes,
                None => loose.push((e.organization_id, e.minutes)),
            }
        }
        rows.extend(loose.into_iter().map(|(o, minutes)| BillingRow {
            organization_id: o,
            organization: name(o),
            contract_id: None,
            contract: None,
            kind: None,
            period_start: None,
            period_end: None,
            billable_minutes: minutes,
            included_minutes: 0,
            remaining_minutes: 0,
            overage_minutes: 0,
            amount_cents: None,
            currency: None,
        }));
        rows.sort_by(|a, b| {
            (&a.organization, a.contract_id.is_none(), &a.period_start).cmp(&(
                &b.organization,
                b.contract_id.is_none(),
                &b.period_start,
            ))
        });
        Ok(rows)
    }
}
