//! The organization page's contracts: each with its terms in words and the current
//! period's usage (used of included, left, over, and what to invoice).

use helpdesk_domain::OrganizationId;
use helpdesk_domain::contract::{ContractKind, Period};
use helpdesk_service::ServiceError;

use crate::error::WebError;
use crate::session::SignedIn;
use crate::state::WebState;

/// One contract on the organization page, with its current period.
#[derive(Debug, Clone)]
pub struct ContractView {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub dates: String,
    pub terms: String,
    /// "420 of 600 min (180 left)", or why there is no figure.
    pub usage: String,
    pub used: i64,
    pub included: i64,
}

fn kind_label(k: ContractKind) -> &'static str {
    match k {
        ContractKind::PrepaidHours => "Prepaid hours",
        ContractKind::Retainer => "Retainer",
        ContractKind::TimeAndMaterials => "Time and materials",
    }
}

pub fn money(cents: i64, currency: &str) -> String {
    format!("{}.{:02} {currency}", cents / 100, cents % 100)
}

/// The organization's contracts as its page shows them.
pub async fn views(
    state: &WebState,
    me: &SignedIn,
    org: OrganizationId,
) -> Result<Vec<ContractView>, WebError> {
    let svc = &state.service;
    let mut out = Vec::new();
    for c in svc.contracts(&me.actor, org).await? {
        let u = svc.contract_usage(&me.actor, c.id, None).await;
        let (usage, used, included) = match u {
            Ok(u) => {
                let mut s = match c.kind {
                    ContractKind::TimeAndMaterials => {
                        format!("{} min this period", u.usage.used_minutes)
                    }
                    _ => format!(
                        "{} of {} min used ({} left, {} over)",
                        u.usage.used_minutes,
                        u.usage.included_minutes,
                        u.usage.remaining_minutes,
                        u.usage.overage_minutes
                    ),
                };
                if let Some(a) = u.amount_cents.filter(|a| *a > 0) {
                    s.push_str(&format!("; {} to invoice", money(a, &u.currency)));
                }
                (s, u.usage.used_minutes, u.usage.included_minutes)
            }
            Err(ServiceError::Validation(_)) => ("Not in force today".to_owned(), 0, 0),
            Err(e) => return Err(e.into()),
        };
        let included_text = c
            .included_minutes
            .map(|m| format!("{} h included", hours(m)));
        let rate = c
            .hourly_rate_cents
            .map(|r| format!("{} an hour", money(r, &c.currency)));
        let renews = match c.period {
            Period::Month => Some("renews monthly"),
            Period::Year => Some("renews yearly"),
            Period::None => None,
        };
        let terms: Vec<String> = [included_text, renews.map(str::to_owned), rate]
            .into_iter()
            .flatten()
            .collect();
        out.push(ContractView {
            id: c.id.to_string(),
            name: c.name,
            kind: kind_label(c.kind),
            dates: format!(
                "{} to {}",
                c.starts_on,
                c.ends_on.as_deref().unwrap_or("open-ended")
            ),
            terms: terms.join(", "),
            usage,
            used,
            included,
        });
    }
    Ok(out)
}

/// Minutes as hours, without a needless decimal: 600 → "10", 450 → "7.5".
pub fn hours(minutes: i64) -> String {
    if minutes % 60 == 0 {
        (minutes / 60).to_string()
    } else {
        format!("{:.2}", minutes as f64 / 60.0)
            .trim_end_matches('0')
            .to_owned()
    }
}
