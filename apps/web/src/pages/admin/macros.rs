//! Macros (staff): a named public reply and actions an agent applies to a ticket in one
//! step (from the ticket page). Written here: the reply, and the actions as JSON in the
//! API's own shape, checked by the service with errors at their path.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_service::ServiceError;
use helpdesk_service::automations::macros::{MacroInput, MacroOut};
use serde::Deserialize;
use uuid::Uuid;

use super::Tab;
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::render::{Chrome, html_status, see_other};
use crate::session::{SignedIn, Staff, Visit};
use crate::state::WebState;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MacroForm {
    pub name: String,
    #[serde(default)]
    pub reply: String,
    #[serde(default)]
    pub actions: String,
}

impl MacroForm {
    fn of(m: &MacroOut) -> Self {
        Self {
            name: m.name.clone(),
            reply: m.reply.clone().unwrap_or_default(),
            actions: serde_json::to_string_pretty(&m.actions).unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/macros.html")]
struct Page {
    chrome: Chrome,
    tabs: Vec<Tab>,
    errors: Errors,
    macros: Vec<(String, String)>,
    editing: Option<String>,
    form: MacroForm,
    bad_actions: bool,
}

async fn render(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    editing: Option<Uuid>,
    form: Option<MacroForm>,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let list = state.service.macros(&me.actor).await?;
    let form = match (form, editing) {
        (Some(f), _) => f,
        (None, Some(id)) => MacroForm::of(&state.service.macro_def(&me.actor, id).await?),
        (None, None) => MacroForm {
            actions: "[]".into(),
            ..MacroForm::default()
        },
    };
    html_status(
        status,
        &Page {
            chrome: Chrome::new(visit, "admin"),
            tabs: super::tabs(me, "/admin/macros"),
            bad_actions: errors.summary.iter().any(|(f, _)| f.starts_with("actions")),
            errors,
            macros: list
                .into_iter()
                .map(|m| (m.id.to_string(), m.name))
                .collect(),
            editing: editing.map(|i| i.to_string()),
            form,
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

async fn save(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    id: Option<Uuid>,
    form: MacroForm,
) -> Result<Response, WebError> {
    let raw = if form.actions.trim().is_empty() {
        "[]"
    } else {
        form.actions.as_str()
    };
    let problems = match serde_json::from_str::<serde_json::Value>(raw) {
        Err(e) => vec![helpdesk_service::FieldError::new(
            "actions",
            format!("is not JSON ({e})"),
        )],
        Ok(actions) => {
            let input = MacroInput {
                name: Some(form.name.clone()),
                reply: Some(form.reply.clone()),
                actions: Some(actions),
            };
            let done = match id {
                Some(id) => state.service.update_macro(&me.actor, id, input).await,
                None => state.service.create_macro(&me.actor, input).await,
            };
            match done {
                Ok(m) => return Ok(see_other(&format!("/admin/macros/{}", m.id))),
                Err(ServiceError::Validation(list)) => list,
                Err(e) => return Err(e.into()),
            }
        }
    };
    let errors = Errors::fields(problems, &[("name", "Name"), ("reply", "Reply")]);
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render(state, visit, me, id, Some(form), errors, status).await
}

pub async fn create(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Posted(form): Posted<MacroForm>,
) -> Result<Response, WebError> {
    save(&state, &visit, &me, None, form).await
}

pub async fn update(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(id): Path<Uuid>,
    Posted(form): Posted<MacroForm>,
) -> Result<Response, WebError> {
    save(&state, &visit, &me, Some(id), form).await
}

pub async fn delete(
    State(state): State<WebState>,
    Staff(_, me): Staff,
    Path(id): Path<Uuid>,
    Posted(_): Posted<crate::form::Empty>,
) -> Result<Response, WebError> {
    state.service.delete_macro(&me.actor, id).await?;
    Ok(see_other("/admin/macros"))
}
