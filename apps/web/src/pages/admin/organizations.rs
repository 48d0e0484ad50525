//! Organizations (staff): the clients the team supports, listed and searched, and created
//! with their email domains, SLA policy and notes. One organization's page is in
//! [`super::organization`].

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::Permission;
use helpdesk_service::ServiceError;
use helpdesk_service::organizations::OrganizationInput;
use helpdesk_service::paging::PageRequest;
use serde::Deserialize;
use uuid::Uuid;

use super::Tab;
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::pages::console::options::{self, Choice};
use crate::render::{Chrome, html_status, see_other};
use crate::session::{SignedIn, Staff, Visit};
use crate::state::WebState;

pub const LABELS: &[(&str, &str)] = &[
    ("name", "Name"),
    ("domains", "Email domains"),
    ("sla_policy_id", "SLA policy"),
    ("notes", "Notes"),
];

#[derive(Debug, Clone)]
pub struct OrgRow {
    pub id: String,
    pub name: String,
    pub domains: String,
    pub policy: String,
}

#[derive(Template)]
#[template(path = "admin/organizations.html")]
struct ListPage {
    chrome: Chrome,
    tabs: Vec<Tab>,
    errors: Errors,
    rows: Vec<OrgRow>,
    q: String,
    can_edit: bool,
    form: OrgForm,
    policies: Vec<Choice>,
    /// The shared form posts here (none: a new organization).
    form_action: Option<String>,
}

/// The organization form, as posted (domains one per line or comma-separated).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgForm {
    pub name: String,
    #[serde(default)]
    pub domains: String,
    #[serde(default)]
    pub sla_policy_id: String,
    #[serde(default)]
    pub notes: String,
}

impl OrgForm {
    /// The service's input; `None` for a policy id that is not one.
    pub fn input(&self) -> Option<OrganizationInput> {
        let policy = match self.sla_policy_id.as_str() {
            "" => None,
            id => Some(id.parse::<Uuid>().ok()?),
        };
        Some(OrganizationInput {
            name: Some(self.name.clone()),
            domains: Some(
                self.domains
                    .split([',', '\n', ' '])
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
            sla_policy_id: Some(policy),
            notes: Some(Some(self.notes.clone())),
        })
    }
}

/// The workspace's SLA policies as choices, `current` selected.
pub async fn policies(
    state: &WebState,
    me: &SignedIn,
    current: &str,
) -> Result<(Vec<Choice>, Vec<(String, String)>), WebError> {
    let list = state.service.sla_policies(&me.actor).await?;
    let named: Vec<(String, String)> = list
        .into_iter()
        .map(|p| (p.id.to_string(), p.name))
        .collect();
    Ok((
        options::named(&[("", "The workspace's default")], &named, current),
        named,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Search {
    q: Option<String>,
}

async fn render(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    q: String,
    form: OrgForm,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let page = PageRequest {
        limit: Some(100),
        cursor: None,
    };
    let orgs = state
        .service
        .organizations(&me.actor, Some(q.as_str()), page)
        .await?;
    let (choices, named) = policies(state, me, &form.sla_policy_id).await?;
    let rows = orgs
        .items
        .into_iter()
        .map(|o| OrgRow {
            id: o.row.id.to_string(),
            policy: o
                .row
                .sla_policy_id
                .and_then(|p| named.iter().find(|(id, _)| *id == p.to_string()))
                .map_or_else(|| "Default".to_owned(), |(_, n)| n.clone()),
            domains: o.domains.join(", "),
            name: o.row.name,
        })
        .collect();
    html_status(
        status,
        &ListPage {
            chrome: Chrome::new(visit, "admin"),
            tabs: super::tabs(me, "/admin/organizations"),
            errors,
            rows,
            q,
            can_edit: me.actor.ctx.can(Permission::ManageDirectory),
            form,
            policies: choices,
            form_action: None,
        },
    )
}

pub async fn list(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Query(s): Query<Search>,
) -> Result<Response, WebError> {
    let q = s.q.unwrap_or_default();
    let (form, errors) = (OrgForm::default(), Errors::default());
    render(&state, &visit, &me, q, form, errors, StatusCode::OK).await
}

pub async fn create(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Posted(form): Posted<OrgForm>,
) -> Result<Response, WebError> {
    let input = form
        .input()
        .ok_or_else(|| WebError::BadForm("unknown SLA policy".into()))?;
    match state.service.create_organization(&me.actor, input).await {
        Ok(o) => Ok(see_other(&format!("/admin/organizations/{}", o.row.id))),
        Err(e) => {
            let errors = refusal(e)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&state, &visit, &me, String::new(), form, errors, status).await
        }
    }
}

/// A refused organization form, as messages on its fields (`domains[1]` on domains).
pub fn refusal(e: ServiceError) -> Result<Errors, WebError> {
    match e {
        ServiceError::Validation(list) => Ok(Errors::fields(
            list.into_iter()
                .map(|mut f| {
                    if f.field.starts_with("domains[") {
                        f.field = "domains".into();
                    }
                    f
                })
                .collect(),
            LABELS,
        )),
        ServiceError::Conflict(m) => Ok(Errors::fields(
            vec![helpdesk_service::FieldError::new("domains", m)],
            LABELS,
        )),
        e => Err(e.into()),
    }
}
