//! Macros (staff): a named public reply and actions an agent applies to a ticket in one
//! step (from the ticket page). Written here: the reply, and the actions from the
//! builder's rows or as JSON in the API's own shape, checked by the service with errors
//! at their path.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_service::ServiceError;
use helpdesk_service::automations::macros::{MacroInput, MacroOut};
use uuid::Uuid;

use super::Tab;
use super::rule_builder::{self, Builder, Raw};
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::pages::console::options;
use crate::render::{Chrome, html_status, see_other};
use crate::session::{SignedIn, Staff, Visit};
use crate::state::WebState;

#[derive(Debug, Clone, Default)]
pub struct MacroForm {
    pub name: String,
    pub reply: String,
    pub actions: String,
    /// Save the actions from the builder's rows (`build`) or from the JSON (`json`).
    pub mode: String,
}

/// The posted form and the builder's rows; an unknown field is refused.
fn posted(pairs: &[(String, String)]) -> Result<(MacroForm, Raw), WebError> {
    for (k, _) in pairs {
        let known = matches!(k.as_str(), "name" | "reply" | "actions" | "mode")
            || rule_builder::is_builder_field(k);
        if !known {
            return Err(WebError::BadForm(format!("unknown field {k}")));
        }
    }
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let form = MacroForm {
        name: get("name").unwrap_or_default(),
        reply: get("reply").unwrap_or_default(),
        actions: get("actions").unwrap_or_default(),
        mode: get("mode").unwrap_or_else(|| "json".into()),
    };
    Ok((form, rule_builder::posted(pairs)))
}

impl MacroForm {
    fn of(m: &MacroOut) -> Self {
        Self {
            name: m.name.clone(),
            reply: m.reply.clone().unwrap_or_default(),
            actions: serde_json::to_string_pretty(&m.actions).unwrap_or_default(),
            mode: "build".into(),
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
    builder: Builder,
    /// The macro uses what only the JSON shows.
    json_only: bool,
}

async fn render(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    editing: Option<Uuid>,
    form: Option<(MacroForm, Raw)>,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let list = state.service.macros(&me.actor).await?;
    let staff = options::staff(&state.service, &me.actor).await?;
    let (form, raw) = match (form, editing) {
        (Some((f, raw)), _) => (f, Some(raw)),
        (None, Some(id)) => (
            MacroForm::of(&state.service.macro_def(&me.actor, id).await?),
            None,
        ),
        (None, None) => (
            MacroForm {
                actions: "[]".into(),
                mode: "build".into(),
                ..MacroForm::default()
            },
            None,
        ),
    };
    let (raw, json_only) = match raw {
        Some(r) => (r, false),
        None => {
            let a = serde_json::from_str(&form.actions).unwrap_or(serde_json::Value::Null);
            match rule_builder::from_json(&serde_json::json!([]), &a, &staff) {
                Some(r) => (r, false),
                None => ((Vec::new(), Vec::new()), true),
            }
        }
    };
    let mut form = form;
    if json_only {
        form.mode = "json".into();
    }
    let builder = Builder::of(&raw, &errors);
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
            builder,
            json_only,
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
    pairs: Vec<(String, String)>,
) -> Result<Response, WebError> {
    let (mut form, raw) = posted(&pairs)?;
    if form.mode == "build" {
        let staff = options::staff(&state.service, &me.actor).await?;
        let (_, a) = rule_builder::to_json(&raw, &staff);
        form.actions = serde_json::to_string_pretty(&a).unwrap_or_default();
    }
    let text = if form.actions.trim().is_empty() {
        "[]"
    } else {
        form.actions.as_str()
    };
    let problems = match serde_json::from_str::<serde_json::Value>(text) {
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
    render(state, visit, me, id, Some((form, raw)), errors, status).await
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

pub async fn delete(
    State(state): State<WebState>,
    Staff(_, me): Staff,
    Path(id): Path<Uuid>,
    Posted(_): Posted<crate::form::Empty>,
) -> Result<Response, WebError> {
    state.service.delete_macro(&me.actor, id).await?;
    Ok(see_other("/admin/macros"))
}
