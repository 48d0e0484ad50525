//! Contracts in the web app: the organization page lists them with the current period's
//! usage; admins add one (`/admin/organizations/{id}/contracts/new`), change or delete it
//! (`/admin/contracts/{id}`). Hours and rates are typed as people say them (7.5 hours,
//! 90.00 an hour) and sent to the service in minutes and cents.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::contract::{ContractKind, Period};
use helpdesk_domain::{OrganizationId, Permission};
use helpdesk_service::ServiceError;
use helpdesk_service::contracts::{ContractInput, ContractOut};
use serde::Deserialize;
use uuid::Uuid;

use super::Tab;
use super::organizations::policies;
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::pages::console::options::{self, Choice};
use crate::render::{Chrome, html_status, see_other};
use crate::session::{SignedIn, Staff, Visit};
use crate::state::WebState;

const LABELS: &[(&str, &str)] = &[
    ("name", "Name"),
    ("kind", "Kind"),
    ("included_minutes", "Included hours"),
    ("period", "Renews"),
    ("starts_on", "Starts on"),
    ("ends_on", "Ends on"),
    ("hourly_rate_cents", "Hourly rate"),
    ("currency", "Currency"),
    ("sla_policy_id", "SLA policy"),
    ("alert_at_percent", "Alert at (%)"),
];

const KINDS: &[(&str, &str)] = &[
    ("PREPAID_HOURS", "Prepaid hours"),
    ("RETAINER", "Retainer"),
    ("TIME_AND_MATERIALS", "Time and materials"),
];

const PERIODS: &[(&str, &str)] = &[
    ("MONTH", "Every month"),
    ("YEAR", "Every year"),
    ("NONE", "Never (one block)"),
];

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

fn money(cents: i64, currency: &str) -> String {
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
fn hours(minutes: i64) -> String {
    if minutes % 60 == 0 {
        (minutes / 60).to_string()
    } else {
        format!("{:.2}", minutes as f64 / 60.0)
            .trim_end_matches('0')
            .to_owned()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractForm {
    name: String,
    kind: String,
    #[serde(default)]
    included_hours: String,
    period: String,
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    hourly_rate: String,
    currency: String,
    #[serde(default)]
    sla_policy_id: String,
    alert_at_percent: String,
}

impl ContractForm {
    fn of(c: &ContractOut) -> Self {
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
    fn input(&self) -> Result<ContractInput, ServiceError> {
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

#[derive(Template)]
#[template(path = "admin/contract.html")]
struct ContractPage {
    chrome: Chrome,
    tabs: Vec<Tab>,
    errors: Errors,
    org_id: String,
    org_name: String,
    /// Editing contract `id`; `None`: a new one.
    id: Option<String>,
    form: ContractForm,
    kinds: Vec<Choice>,
    periods: Vec<Choice>,
    policies: Vec<Choice>,
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    org: OrganizationId,
    id: Option<Uuid>,
    form: ContractForm,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, WebError> {
    if !me.actor.ctx.can(Permission::ManageContracts) {
        return Err(WebError::NotFound);
    }
    let o = state.service.organization(&me.actor, org).await?;
    let (mut policies, _) = policies(state, me, &form.sla_policy_id).await?;
    if let Some(first) = policies.first_mut() {
        first.label = "The organization's own".into();
    }
    html_status(
        status,
        &ContractPage {
            chrome: Chrome::new(visit, "admin"),
            tabs: super::tabs(me, "/admin/organizations"),
            errors,
            org_id: org.to_string(),
            org_name: o.row.name,
            id: id.map(|i| i.to_string()),
            kinds: options::choices(KINDS, &form.kind),
            periods: options::choices(PERIODS, &form.period),
            policies,
            form,
        },
    )
}

fn refused(e: ServiceError) -> Result<Errors, WebError> {
    match e {
        ServiceError::Validation(list) => Ok(Errors::fields(list, LABELS)),
        ServiceError::Conflict(m) => Ok(Errors::general(m)),
        other => Err(other.into()),
    }
}

pub async fn new_form(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(org): Path<OrganizationId>,
) -> Result<Response, WebError> {
    let today = state
        .service
        .clock
        .now()
        .to_zoned(crate::display::zone_of(&me))
        .date();
    let form = ContractForm {
        kind: "PREPAID_HOURS".into(),
        period: "MONTH".into(),
        starts_on: today.first_of_month().to_string(),
        currency: "EUR".into(),
        alert_at_percent: "80".into(),
        ..ContractForm::default()
    };
    render(
        &state,
        &visit,
        &me,
        org,
        None,
        form,
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn create(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(org): Path<OrganizationId>,
    Posted(form): Posted<ContractForm>,
) -> Result<Response, WebError> {
    let done = match form.input() {
        Ok(input) => state.service.create_contract(&me.actor, org, input).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Ok(see_other(&format!("/admin/organizations/{org}#contracts"))),
        Err(e) => {
            let errors = refused(e)?;
            render(
                &state,
                &visit,
                &me,
                org,
                None,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn edit_form(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    let c = state.service.contract(&me.actor, id).await?;
    let form = ContractForm::of(&c);
    render(
        &state,
        &visit,
        &me,
        c.organization_id,
        Some(id),
        form,
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn update(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(id): Path<Uuid>,
    Posted(form): Posted<ContractForm>,
) -> Result<Response, WebError> {
    let c = state.service.contract(&me.actor, id).await?;
    let done = match form.input() {
        Ok(input) => state.service.update_contract(&me.actor, id, input).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Ok(see_other(&format!(
            "/admin/organizations/{}#contracts",
            c.organization_id
        ))),
        Err(e) => {
            let errors = refused(e)?;
            render(
                &state,
                &visit,
                &me,
                c.organization_id,
                Some(id),
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

pub async fn delete(
    State(state): State<WebState>,
    Staff(_, me): Staff,
    Path(id): Path<Uuid>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    let c = state.service.contract(&me.actor, id).await?;
    state.service.delete_contract(&me.actor, id).await?;
    Ok(see_other(&format!(
        "/admin/organizations/{}#contracts",
        c.organization_id
    )))
}
