//! A contract's form as people fill it in (hours like 7.5, rates like 90.50), and its
//! translation into the service's input in minutes and cents.

use helpdesk_domain::contract::{ContractKind, Period};
use helpdesk_service::ServiceError;
use helpdesk_service::contracts::{ContractInput, ContractOut};
use serde::Deserialize;
use uuid::Uuid;

use super::contract_rows::hours;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractForm {
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub included_hours: String,
    pub period: String,
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub hourly_rate: String,
    pub currency: String,
    #[serde(default)]
    pub sla_policy_id: String,
    pub alert_at_percent: String,
}

impl ContractForm {
    pub fn of(c: &ContractOut) -> Self {
        Self {
            name: c.name.clone(),
            kind: c.kind.as_str().to_owned(),
            included_hours: c.included_minutes.map(hours).unwrap_or_default(),
            period: c.period.as_str().to_owned(),
            starts_on: c.starts_on.clone(),
            ends_on: c.ends_on.clone().unwrap_or_default(),
            hourly_rate: c
                .hourly_rate_cents
                .map(|r| format!("{}.{:02}", r / 100, r % 100))
                .unwrap_or_default(),
            currency: c.currency.clone(),
            sla_policy_id: c.sla_policy_id.map(|p| p.to_string()).unwrap_or_default(),
            alert_at_percent: c.alert_at_percent.to_string(),
        }
    }

    /// The service's input; what cannot even be read is refused on its field.
    pub fn input(&self) -> Result<ContractInput, ServiceError> {
        let mut errors = Vec::new();
        let mut bad = |f: &str, m: &str| errors.push(helpdesk_service::FieldError::new(f, m));
        let blank = |s: &str| s.trim().is_empty();
        let decimal = |s: &str, scale: f64| -> Option<Option<i64>> {
            if blank(s) {
                return Some(None);
            }
            s.trim()
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .map(|v| Some((v * scale).round() as i64))
        };
        let included = decimal(&self.included_hours, 60.0).unwrap_or_else(|| {
            bad(
                "included_minutes",
                "must be a number of hours, like 10 or 7.5",
            );
            None
        });
        let rate = decimal(&self.hourly_rate, 100.0).unwrap_or_else(|| {
            bad("hourly_rate_cents", "must be an amount, like 90.00");
            None
        });
        let alert = self
            .alert_at_percent
            .trim()
            .parse::<i64>()
            .unwrap_or_else(|_| {
                bad(
                    "alert_at_percent",
                    "must be a whole number between 1 and 100",
                );
                0
            });
        let policy = match self.sla_policy_id.as_str() {
            "" => None,
            p => Some(
                p.parse::<Uuid>()
                    .map_err(|_| ServiceError::invalid("sla_policy_id", "unknown policy"))?,
            ),
        };
        if !errors.is_empty() {
            return Err(ServiceError::Validation(errors));
        }
        Ok(ContractInput {
            name: Some(self.name.clone()),
            kind: ContractKind::parse(&self.kind),
            included_minutes: Some(included),
            period: Period::parse(&self.period),
            starts_on: Some(self.starts_on.trim().to_owned()),
            ends_on: Some(Some(self.ends_on.trim().to_owned()).filter(|e| !e.is_empty())),
            hourly_rate_cents: Some(rate),
            currency: Some(self.currency.trim().to_uppercase()),
            sla_policy_id: Some(policy),
            alert_at_percent: Some(alert),
        })
    }
}
