//! The workspace (admins): its name, time zone (picked from the IANA list), how many days
//! after resolution tickets close, the default SLA policy, satisfaction surveys, and
//! branding.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::settings::Branding;
use helpdesk_service::ServiceError;
use helpdesk_service::workspace::WorkspaceEdit;
use serde::Deserialize;
use uuid::Uuid;

use super::Tab;
use super::organizations::policies;
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::pages::console::options::Choice;
use crate::render::{Chrome, html_status, see_other};
use crate::session::{SignedIn, Staff, Visit};
use crate::state::WebState;

const LABELS: &[(&str, &str)] = &[
    ("name", "Workspace name"),
    ("timezone", "Time zone"),
    ("auto_close_days", "Close resolved tickets after (days)"),
    ("default_sla_policy_id", "Default SLA policy"),
    ("primary_color", "Accent colour"),
    ("logo_url", "Logo URL"),
];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceForm {
    name: String,
    timezone: String,
    auto_close_days: String,
    #[serde(default)]
    default_sla_policy_id: String,
    #[serde(default)]
    primary_color: String,
    #[serde(default)]
    logo_url: String,
    /// Present when "Ask customers to rate resolved tickets" is ticked.
    #[serde(default)]
    csat_enabled: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/workspace.html")]
struct WorkspacePage {
    chrome: Chrome,
    tabs: Vec<Tab>,
    errors: Errors,
    form: WorkspaceForm,
    policies: Vec<Choice>,
    zones: Vec<String>,
    saved: bool,
}

async fn render(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    form: Option<WorkspaceForm>,
    errors: Errors,
    saved: bool,
    status: StatusCode,
) -> Result<Response, WebError> {
    let current = state.service.workspace_settings(&me.actor).await?;
    let form = form.unwrap_or_else(|| WorkspaceForm {
        name: current.name.clone(),
        timezone: current.settings.timezone.clone(),
        auto_close_days: current.settings.auto_close_days.to_string(),
        default_sla_policy_id: current
            .default_sla_policy_id
            .map(|p| p.to_string())
            .unwrap_or_default(),
        primary_color: current
            .settings
            .branding
            .primary_color
            .clone()
            .unwrap_or_default(),
        logo_url: current
            .settings
            .branding
            .logo_url
            .clone()
            .unwrap_or_default(),
        csat_enabled: current.settings.csat_enabled.then(|| "on".to_owned()),
    });
    let (mut choices, _) = policies(state, me, &form.default_sla_policy_id).await?;
    if let Some(first) = choices.first_mut() {
        first.label = "None".into();
    }
    let mut zones: Vec<String> = jiff::tz::db()
        .available()
        .map(|z| z.as_str().to_owned())
        .collect();
    zones.sort();
    html_status(
        status,
        &WorkspacePage {
            chrome: Chrome::new(visit, "admin"),
            tabs: super::tabs(me, "/admin/workspace"),
            errors,
            form,
            policies: choices,
            zones,
            saved,
        },
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shown {
    saved: Option<String>,
}

pub async fn page(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Query(q): Query<Shown>,
) -> Result<Response, WebError> {
    let saved = q.saved.is_some();
    render(
        &state,
        &visit,
        &me,
        None,
        Errors::default(),
        saved,
        StatusCode::OK,
    )
    .await
}

pub async fn save(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Posted(form): Posted<WorkspaceForm>,
) -> Result<Response, WebError> {
    let refuse = |field: &str, m: &str| {
        Errors::fields(vec![helpdesk_service::FieldError::new(field, m)], LABELS)
    };
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let Ok(days) = form.auto_close_days.trim().parse::<i64>() else {
        let errors = refuse("auto_close_days", "must be a whole number of days");
        return render(
            &state,
            &visit,
            &me,
            Some(form),
            errors,
            false,
            unprocessable,
        )
        .await;
    };
    let policy = match form.default_sla_policy_id.as_str() {
        "" => None,
        id => Some(
            id.parse::<Uuid>()
                .map_err(|_| WebError::BadForm("unknown SLA policy".into()))?,
        ),
    };
    let blank = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let edit = WorkspaceEdit {
        name: Some(form.name.clone()),
        auto_close_days: Some(days),
        timezone: Some(form.timezone.trim().to_owned()),
        branding: Some(Branding {
            primary_color: blank(&form.primary_color).map(|c| c.to_lowercase()),
            logo_url: blank(&form.logo_url),
        }),
        default_sla_policy_id: Some(policy),
        csat_enabled: Some(form.csat_enabled.is_some()),
    };
    match state.service.update_workspace(&me.actor, edit).await {
        Ok(_) => Ok(see_other("/admin/workspace?saved=1")),
        Err(ServiceError::Validation(list)) => {
            let list = list
                .into_iter()
                .map(|mut f| {
                    f.field = f.field.trim_start_matches("branding.").to_owned();
                    f
                })
                .collect();
            let errors = Errors::fields(list, LABELS);
            render(
                &state,
                &visit,
                &me,
                Some(form),
                errors,
                false,
                unprocessable,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
