//! One organization (staff): its details to edit, its customers, its assets (added and
//! edited here), its open tickets and its SLA compliance this month.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::{AssetId, OrganizationId, Permission, Role};
use helpdesk_service::ServiceError;
use helpdesk_service::assets::{AssetFilter, AssetInput};
use helpdesk_service::paging::PageRequest;
use helpdesk_service::reports::period::ReportQuery;
use helpdesk_service::tickets::list::TicketQuery;
use helpdesk_storage::repo::Page;
use helpdesk_storage::repo::users::UserFilter;
use serde::Deserialize;

use super::Tab;
use super::organizations::{OrgForm, policies, refusal};
use crate::display::{self, Pill};
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::pages::console::options::Choice;
use crate::render::{Chrome, html_status, see_other};
use crate::session::{SignedIn, Staff, Visit};
use crate::state::WebState;

#[derive(Debug, Clone)]
pub struct AssetRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub hostname: String,
    pub os: String,
    pub serial: String,
    pub remote_access_id: String,
}

#[derive(Debug, Clone)]
pub struct TicketRow {
    pub number: i64,
    pub subject: String,
    pub status: Pill,
}

#[derive(Template)]
#[template(path = "admin/organization.html")]
struct OrgPage {
    chrome: Chrome,
    tabs: Vec<Tab>,
    errors: Errors,
    id: String,
    title: String,
    can_edit: bool,
    form: OrgForm,
    form_action: Option<String>,
    policies: Vec<Choice>,
    customers: Vec<(String, String)>,
    assets: Vec<AssetRow>,
    tickets: Vec<TicketRow>,
    /// "92.5 % (37 met, 3 breached)", or why there is no figure.
    compliance: String,
    month: String,
    /// The empty "Add an asset" form.
    blank_asset: AssetRow,
    contracts: Vec<super::contract_rows::ContractView>,
    can_contract: bool,
}

async fn render(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    id: OrganizationId,
    form: Option<OrgForm>,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let svc = &state.service;
    let actor = &me.actor;
    let org = svc.organization(actor, id).await?;
    let form = form.unwrap_or_else(|| OrgForm {
        name: org.row.name.clone(),
        domains: org.domains.join(", "),
        sla_policy_id: org
            .row
            .sla_policy_id
            .map(|p| p.to_string())
            .unwrap_or_default(),
        notes: org.row.notes.clone().unwrap_or_default(),
    });
    let (choices, _) = policies(state, me, &form.sla_policy_id).await?;
    let filter = UserFilter {
        role: Some(Role::Customer),
        organization_id: Some(id),
        q: None,
    };
    let page = Page {
        limit: 100,
        after: None,
    };
    let customers = svc
        .users(actor, &filter, page)
        .await?
        .into_iter()
        .map(|u| (u.name, u.email))
        .collect();
    let all = PageRequest {
        limit: Some(100),
        cursor: None,
    };
    let asset_filter = AssetFilter {
        organization_id: Some(id),
        q: None,
    };
    let assets = svc
        .assets(actor, asset_filter, all)
        .await?
        .items
        .into_iter()
        .map(|a| AssetRow {
            id: a.id.to_string(),
            name: a.name,
            kind: a.kind,
            hostname: a.hostname.unwrap_or_default(),
            os: a.os.unwrap_or_default(),
            serial: a.serial.unwrap_or_default(),
            remote_access_id: a.remote_access_id.unwrap_or_default(),
        })
        .collect();
    let open = TicketQuery {
        organization_id: Some(id.to_string()),
        status: Some("NEW,OPEN,PENDING,ON_HOLD".into()),
        limit: Some(20),
        ..TicketQuery::default()
    };
    let tickets = svc
        .list_tickets(actor, &open)
        .await?
        .items
        .into_iter()
        .map(|t| TicketRow {
            number: t.number,
            status: display::status(t.status),
            subject: t.subject,
        })
        .collect();
    // This month in the workspace's zone.
    let today = svc.clock.now().to_zoned(crate::display::zone_of(me)).date();
    let first = today.first_of_month();
    let q = ReportQuery {
        from: Some(first.to_string()),
        organization_id: Some(id),
        ..ReportQuery::default()
    };
    let sla = svc.report_overview(actor, &q).await?.sla.overall;
    let compliance = match sla.compliance_percent {
        Some(p) => format!("{p:.1} % ({} met, {} breached)", sla.met, sla.breached),
        None => "No SLA target was due yet this month.".to_owned(),
    };
    let contracts = super::contract_rows::views(state, me, id).await?;
    html_status(
        status,
        &OrgPage {
            chrome: Chrome::new(visit, "admin"),
            tabs: super::tabs(me, "/admin/organizations"),
            errors,
            id: id.to_string(),
            title: org.row.name,
            can_edit: actor.ctx.can(Permission::ManageDirectory),
            form,
            form_action: Some(id.to_string()),
            policies: choices,
            customers,
            assets,
            tickets,
            compliance,
            month: first.strftime("%B %Y").to_string(),
            blank_asset: AssetRow {
                id: String::new(),
                name: String::new(),
                kind: String::new(),
                hostname: String::new(),
                os: String::new(),
                serial: String::new(),
                remote_access_id: String::new(),
            },
            contracts,
            can_contract: actor.ctx.can(Permission::ManageContracts),
        },
    )
}

pub async fn show(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(id): Path<OrganizationId>,
) -> Result<Response, WebError> {
    render(
        &state,
        &visit,
        &me,
        id,
        None,
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn update(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(id): Path<OrganizationId>,
    Posted(form): Posted<OrgForm>,
) -> Result<Response, WebError> {
    let input = form
        .input()
        .ok_or_else(|| WebError::BadForm("unknown SLA policy".into()))?;
    match state
        .service
        .update_organization(&me.actor, id, input)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/admin/organizations/{id}"))),
        Err(e) => {
            let errors = refusal(e)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&state, &visit, &me, id, Some(form), errors, status).await
        }
    }
}

/// An asset's form; blank optional fields are cleared.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssetForm {
    name: String,
    kind: String,
    #[serde(default)]
    hostname: String,
    #[serde(default)]
    os: String,
    #[serde(default)]
    serial: String,
    #[serde(default)]
    remote_access_id: String,
}

impl AssetForm {
    fn input(self, org: Option<OrganizationId>) -> AssetInput {
        AssetInput {
            organization_id: org,
            name: Some(self.name),
            kind: Some(self.kind),
            hostname: Some(Some(self.hostname)),
            os: Some(Some(self.os)),
            serial: Some(Some(self.serial)),
            remote_access_id: Some(Some(self.remote_access_id)),
            notes: None,
        }
    }
}

/// A refused asset, said over the page (its form may be one of many).
fn asset_refusal(e: ServiceError) -> Result<Errors, WebError> {
    match e {
        ServiceError::Validation(list) => Ok(Errors::general(format!(
            "The asset was not saved: {}.",
            list.iter()
                .map(|f| format!("{} {}", f.field.replace('_', " "), f.message))
                .collect::<Vec<_>>()
                .join("; ")
        ))),
        e => Err(e.into()),
    }
}

pub async fn add_asset(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(id): Path<OrganizationId>,
    Posted(form): Posted<AssetForm>,
) -> Result<Response, WebError> {
    match state
        .service
        .create_asset(&me.actor, form.input(Some(id)))
        .await
    {
        Ok(_) => Ok(see_other(&format!("/admin/organizations/{id}#assets"))),
        Err(e) => {
            let errors = asset_refusal(e)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&state, &visit, &me, id, None, errors, status).await
        }
    }
}

pub async fn edit_asset(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(asset): Path<AssetId>,
    Posted(form): Posted<AssetForm>,
) -> Result<Response, WebError> {
    let current = state.service.asset(&me.actor, asset).await?;
    let org = OrganizationId::from_uuid(current.organization_id);
    match state
        .service
        .update_asset(&me.actor, asset, form.input(None))
        .await
    {
        Ok(_) => Ok(see_other(&format!("/admin/organizations/{org}#assets"))),
        Err(e) => {
            let errors = asset_refusal(e)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&state, &visit, &me, org, None, errors, status).await
        }
    }
}
