//! SLA policies (admins manage, staff read): targets per priority and metric in a table,
//! which statuses pause each clock, the calendar, the warning point, the default policy,
//! and a preview the SLA engine computes ("a HIGH ticket opened now is due …").

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::sla::policy::Metric;
use helpdesk_domain::{Permission, Priority};
use helpdesk_service::ServiceError;
use uuid::Uuid;

use super::Tab;
use super::sla_policy_form::{PolicyForm, parse};
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::pages::console::options::{self, Choice};
use crate::render::{Chrome, html_status, see_other};
use crate::session::{SignedIn, Staff, Visit};
use crate::state::WebState;

#[derive(Template)]
#[template(path = "admin/sla_policies.html")]
struct Page {
    chrome: Chrome,
    tabs: Vec<Tab>,
    errors: Errors,
    policies: Vec<(String, String, bool)>,
    editing: Option<String>,
    form: PolicyForm,
    calendars: Vec<Choice>,
    can_edit: bool,
    /// Per priority: when a ticket opened now would be due, per metric.
    preview: Vec<(String, Vec<String>)>,
}

async fn preview(
    state: &WebState,
    me: &SignedIn,
    id: Uuid,
) -> Result<Vec<(String, Vec<String>)>, WebError> {
    let tz = crate::display::zone_of(me);
    let mut out = Vec::new();
    for p in [
        Priority::Low,
        Priority::Medium,
        Priority::High,
        Priority::Urgent,
    ] {
        let due = state.service.sla_preview(&me.actor, id, p).await?;
        let cells = [
            Metric::FirstResponse,
            Metric::NextResponse,
            Metric::Resolution,
        ]
        .iter()
        .map(|m| {
            due.iter()
                .find(|d| d.metric == *m)
                .and_then(|d| d.due)
                .map_or_else(
                    || "no target".to_owned(),
                    |t| {
                        t.to_zoned(tz.clone())
                            .strftime("%a %Y-%m-%d %H:%M %Z")
                            .to_string()
                    },
                )
        })
        .collect();
        out.push((crate::pages::reports::label(p.as_str()), cells));
    }
    Ok(out)
}

async fn render(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    editing: Option<Uuid>,
    form: Option<PolicyForm>,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let list = state.service.sla_policies(&me.actor).await?;
    let form = match (form, editing) {
        (Some(f), _) => f,
        (None, Some(id)) => PolicyForm::of(&state.service.sla_policy(&me.actor, id).await?),
        (None, None) => PolicyForm::blank(),
    };
    let cals: Vec<(String, String)> = state
        .service
        .calendars(&me.actor)
        .await?
        .into_iter()
        .map(|c| (c.id.to_string(), c.name))
        .collect();
    let preview = match editing {
        Some(id) => preview(state, me, id).await?,
        None => Vec::new(),
    };
    html_status(
        status,
        &Page {
            chrome: Chrome::new(visit, "admin"),
            tabs: super::tabs(me, "/admin/sla-policies"),
            errors,
            policies: list
                .into_iter()
                .map(|p| (p.id.to_string(), p.name, p.is_default))
                .collect(),
            editing: editing.map(|i| i.to_string()),
            calendars: options::named(&[("", "Around the clock (24×7)")], &cals, &form.calendar),
            form,
            can_edit: me.actor.ctx.can(Permission::ManageSla),
            preview,
        },
    )
}

pub async fn list(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
) -> Result<Response, WebError> {
    render(
        &state,
        &visit,
        &me,
        None,
        None,
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn show(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    render(
        &state,
        &visit,
        &me,
        Some(id),
        None,
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

const LABELS: &[(&str, &str)] = &[
    ("name", "Name"),
    ("warn_at_percent", "Warn at (% of the target)"),
    ("business_hours_id", "Business hours"),
];

async fn save(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    id: Option<Uuid>,
    pairs: Vec<(String, String)>,
) -> Result<Response, WebError> {
    let (_, input) = parse(&pairs, &Errors::default())?;
    let done = match id {
        Some(id) => state.service.update_sla_policy(&me.actor, id, input).await,
        None => state.service.create_sla_policy(&me.actor, input).await,
    };
    match done {
        Ok(p) => Ok(see_other(&format!("/admin/sla-policies/{}", p.id))),
        Err(ServiceError::Validation(list)) => {
            let errors = Errors::fields(list, LABELS);
            let (form, _) = parse(&pairs, &errors)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(state, visit, me, id, Some(form), errors, status).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Posted(pairs): Posted<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    save(&state, &visit, &me, None, pairs).await
}

pub async fn update(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(id): Path<Uuid>,
    Posted(pairs): Posted<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    save(&state, &visit, &me, Some(id), pairs).await
}
