//! A contract's fields as a caller gives them, checked one by one (every bad field named),
//! and the rule that an organization's contracts never overlap.

use helpdesk_domain::TenantCtx;
use helpdesk_domain::contract::{ContractKind, Period};
use helpdesk_domain::text;
use helpdesk_storage::repo::contracts::{self, Contract, ContractFields};
use helpdesk_storage::repo::sla_policies;
use jiff::civil::Date;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::error::{FieldError, ServiceError, ServiceResult};

/// `None` leaves a field as it is (on creation: its default, or missing when required);
/// `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct ContractInput {
    pub name: Option<String>,
    pub kind: Option<ContractKind>,
    pub included_minutes: Option<Option<i64>>,
    pub period: Option<Period>,
    pub starts_on: Option<String>,
    pub ends_on: Option<Option<String>>,
    pub hourly_rate_cents: Option<Option<i64>>,
    pub currency: Option<String>,
    pub sla_policy_id: Option<Option<Uuid>>,
    pub alert_at_percent: Option<i64>,
}

pub fn date(s: &str) -> Option<Date> {
    s.parse::<Date>().ok()
}

/// The stored fields after `input` is applied to `current` (or to nothing), every field
/// checked; all bad fields at once.
pub async fn fields(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    current: Option<&Contract>,
    input: ContractInput,
) -> ServiceResult<ContractFields> {
    let mut errors = Vec::new();
    let mut bad = |f: &str, m: &str| errors.push(FieldError::new(f, m));
    let name = match (input.name, current) {
        (Some(n), _) => text::bounded(&n, 1, 100).unwrap_or_else(|e| {
            bad("name", &e.to_string());
            String::new()
        }),
        (None, Some(c)) => c.name.clone(),
        (None, None) => {
            bad("name", "is required");
            String::new()
        }
    };
    let kind = input
        .kind
        .or_else(|| current.and_then(|c| ContractKind::parse(&c.kind)));
    let period = input
        .period
        .or_else(|| current.and_then(|c| Period::parse(&c.period)))
        .unwrap_or(Period::Month);
    let included = input
        .included_minutes
        .unwrap_or_else(|| current.and_then(|c| c.included_minutes));
    let rate = input
        .hourly_rate_cents
        .unwrap_or_else(|| current.and_then(|c| c.hourly_rate_minor));
    match kind {
        None => bad("kind", "is required"),
        Some(ContractKind::TimeAndMaterials) => {
            if included.is_some_and(|m| m != 0) {
                bad("included_minutes", "time and materials includes no minutes");
            }
            if rate.is_none() {
                bad("hourly_rate_cents", "is required for time and materials");
            }
        }
        Some(k) => {
            if !included.is_some_and(|m| (1..=10_000_000).contains(&m)) {
                bad("included_minutes", "must be between 1 and 10,000,000");
            }
            if k == ContractKind::Retainer && period == Period::None {
                bad("period", "a retainer renews: MONTH or YEAR");
            }
        }
    }
    if rate.is_some_and(|r| !(0..=100_000_000).contains(&r)) {
        bad("hourly_rate_cents", "must be between 0 and 100,000,000");
    }
    let currency = input
        .currency
        .or_else(|| current.map(|c| c.currency.clone()))
        .unwrap_or_default();
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        bad("currency", "must be a three-letter ISO 4217 code, like EUR");
    }
    let starts_on = input
        .starts_on
        .or_else(|| current.map(|c| c.starts_on.clone()));
    let start = match &starts_on {
        Some(s) => date(s).or_else(|| {
            bad("starts_on", "must be a date like 2027-01-31");
            None
        }),
        None => {
            bad("starts_on", "is required");
            None
        }
    };
    let ends_on = input
        .ends_on
        .unwrap_or_else(|| current.and_then(|c| c.ends_on.clone()));
    if let Some(e) = &ends_on {
        match (date(e), start) {
            (None, _) => bad("ends_on", "must be a date like 2027-12-31"),
            (Some(e), Some(s)) if e < s => bad("ends_on", "must not be before starts_on"),
            _ => {}
        }
    }
    let alert = input
        .alert_at_percent
        .or_else(|| current.map(|c| c.alert_at_percent))
        .unwrap_or(80);
    if !(1..=100).contains(&alert) {
        bad("alert_at_percent", "must be between 1 and 100");
    }
    let policy = input
        .sla_policy_id
        .unwrap_or_else(|| current.and_then(|c| c.sla_policy_id));
    if let Some(p) = policy
        && sla_policies::get(db, ctx, p).await.is_err()
    {
        errors.push(FieldError::new(
            "sla_policy_id",
            "no such policy in this workspace",
        ));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Validation(errors));
    }
    let kind = kind.unwrap_or(ContractKind::TimeAndMaterials);
    Ok(ContractFields {
        name,
        kind: kind.as_str().to_owned(),
        included_minutes: included.filter(|_| kind != ContractKind::TimeAndMaterials),
        period: period.as_str().to_owned(),
        starts_on: start.map(|d| d.to_string()).unwrap_or_default(),
        ends_on: ends_on.and_then(|e| date(&e)).map(|d| d.to_string()),
        hourly_rate_minor: rate,
        currency,
        sla_policy_id: policy,
        alert_at_percent: alert,
    })
}

/// Refuses `f` when it overlaps another contract of `organization` (409).
pub async fn no_overlap(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    organization: Uuid,
    except: Option<Uuid>,
    f: &ContractFields,
) -> ServiceResult<()> {
    // Dates are ISO, so text order is date order; no end sorts after every date.
    let end = |e: &Option<String>| e.clone().unwrap_or_else(|| "9999-12-31".into());
    for other in contracts::of_organization(db, ctx, organization).await? {
        if Some(other.id) == except {
            continue;
        }
        if f.starts_on <= end(&other.ends_on) && other.starts_on <= end(&f.ends_on) {
            return Err(ServiceError::Conflict(format!(
                "overlaps the organization's contract {:?} ({} to {}): an organization has one contract at a time",
                other.name,
                other.starts_on,
                other.ends_on.as_deref().unwrap_or("open-ended")
            )));
        }
    }
    Ok(())
}
