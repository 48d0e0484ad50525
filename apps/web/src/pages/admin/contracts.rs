//! Contracts in the web app: the organization page lists them with the current period's
//! usage (`contract_rows`); admins add one (`/admin/organizations/{id}/contracts/new`), change or delete it
//! (`/admin/contracts/{id}`). Hours and rates are typed as people say them (7.5 hours,
//! 90.00 an hour) and sent to the service in minutes and cents.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::{OrganizationId, Permission};
use helpdesk_service::ServiceError;
use serde::Deserialize;
use uuid::Uuid;

use super::Tab;
use super::contract_form::ContractForm;
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
