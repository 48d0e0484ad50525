//! Automations (admins): the rules in the order they run, each switched on or off and
//! moved up or down in place; a rule built from rows of allowed fields, operators and
//! actions, or written as JSON beside it (the API's own shape, docs/automations.md),
//! checked by the service with errors at their path; and each rule's latest runs.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::automation::Trigger;
use helpdesk_service::ServiceError;
use helpdesk_service::automations::rules::{RuleInput, RuleOut};
use serde::Deserialize;
use uuid::Uuid;

use super::Tab;
use super::rule_builder::{self, Builder, Raw};
use crate::display::{self, When};
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::pages::console::options::{self, Choice};
use crate::render::{Chrome, html_status, see_other};
use crate::session::{SignedIn, Staff, Visit};
use crate::state::WebState;

const TRIGGERS: &[(&str, &str)] = &[
    ("ticket.created", "A ticket is created"),
    ("ticket.updated", "A ticket is updated"),
    ("ticket.merged", "Another ticket is merged into a ticket"),
    ("message.created", "A public message is added"),
    ("sla.warning", "An SLA warning"),
    ("sla.breached", "An SLA breach"),
    ("contract.threshold", "A contract reaches its alert point"),
    (
        "contract.exhausted",
        "A contract's included time is used up",
    ),
    (
        "schedule",
        "On a schedule (open tickets, every few minutes)",
    ),
];

#[derive(Debug, Clone)]
pub struct RuleRow {
    pub id: String,
    pub name: String,
    pub trigger: String,
    pub active: bool,
}

#[derive(Debug, Clone, Default)]
pub struct RuleForm {
    pub name: String,
    pub trigger: String,
    pub conditions: String,
    pub actions: String,
    pub active: Option<String>,
    /// Save from the builder's rows (`build`) or from the JSON (`json`).
    pub mode: String,
}

/// The posted form and the builder's rows; an unknown field is refused.
fn posted(pairs: &[(String, String)]) -> Result<(RuleForm, Raw), WebError> {
    for (k, _) in pairs {
        let known = matches!(
            k.as_str(),
            "name" | "trigger" | "conditions" | "actions" | "active" | "mode"
        ) || rule_builder::is_builder_field(k);
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
    let form = RuleForm {
        name: get("name").unwrap_or_default(),
        trigger: get("trigger").unwrap_or_default(),
        conditions: get("conditions").unwrap_or_default(),
        actions: get("actions").unwrap_or_default(),
        active: get("active"),
        mode: get("mode").unwrap_or_else(|| "json".into()),
    };
    Ok((form, rule_builder::posted(pairs)))
}

impl RuleForm {
    fn of(r: &RuleOut) -> Self {
        let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
        Self {
            name: r.name.clone(),
            trigger: trigger_name(r.trigger),
            conditions: pretty(&r.conditions),
            actions: pretty(&r.actions),
            active: r.active.then(|| "on".to_owned()),
            mode: "json".into(),
        }
    }

    fn blank() -> Self {
        Self {
            trigger: "ticket.created".into(),
            conditions: "[]".into(),
            actions:
                "[\n  {\"type\": \"assign\", \"strategy\": \"round_robin\", \"agents\": []}\n]"
                    .into(),
            active: Some("on".into()),
            mode: "build".into(),
            ..Self::default()
        }
    }

    /// The service's input; JSON that does not parse is an error on its field.
    fn input(&self) -> Result<RuleInput, Vec<helpdesk_service::FieldError>> {
        let mut errors = Vec::new();
        let mut json = |field: &str, raw: &str| {
            let raw = if raw.trim().is_empty() { "[]" } else { raw };
            serde_json::from_str::<serde_json::Value>(raw)
                .map_err(|e| {
                    errors.push(helpdesk_service::FieldError::new(
                        field,
                        format!("is not JSON ({e})"),
                    ))
                })
                .ok()
        };
        let conditions = json("conditions", &self.conditions);
        let actions = json("actions", &self.actions);
        let trigger =
            serde_json::from_value::<Trigger>(serde_json::Value::String(self.trigger.clone()));
        if trigger.is_err() {
            errors.push(helpdesk_service::FieldError::new(
                "trigger",
                "is not a trigger",
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(RuleInput {
            name: Some(self.name.clone()),
            active: Some(self.active.is_some()),
            position: None,
            trigger: trigger.ok(),
            conditions,
            actions,
        })
    }
}

fn trigger_name(t: Trigger) -> String {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "admin/automations.html")]
struct Page {
    chrome: Chrome,
    tabs: Vec<Tab>,
    errors: Errors,
    rules: Vec<RuleRow>,
    editing: Option<String>,
    form: RuleForm,
    triggers: Vec<Choice>,
    runs: Vec<(i64, When)>,
    /// Which editor fields an error path falls in.
    bad_conditions: bool,
    bad_actions: bool,
    builder: Builder,
    /// The rule uses what only the JSON shows (groups, notify, webhook).
    json_only: bool,
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    editing: Option<Uuid>,
    form: Option<(RuleForm, Raw)>,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let svc = &state.service;
    let rules = svc.rules(&me.actor).await?;
    let staff = options::staff(svc, &me.actor).await?;
    let (form, raw) = match form {
        Some((f, raw)) => (Some(f), Some(raw)),
        None => (None, None),
    };
    let (mut form, runs) = match editing {
        Some(id) => {
            let rule = svc.rule(&me.actor, id).await?;
            let tz = crate::display::zone_of(me);
            let now = svc.clock.now();
            let runs = svc
                .rule_runs(&me.actor, id)
                .await?
                .into_iter()
                .map(|(n, at)| {
                    (
                        n,
                        display::when(&helpdesk_service::time::rfc3339(at), now, &tz),
                    )
                })
                .collect();
            (form.unwrap_or_else(|| RuleForm::of(&rule)), runs)
        }
        None => (form.unwrap_or_else(RuleForm::blank), Vec::new()),
    };
    // The builder shows the posted rows, else the stored rule when it can show all of it.
    let from_rule = || {
        let c = serde_json::from_str(&form.conditions).unwrap_or(serde_json::Value::Null);
        let a = serde_json::from_str(&form.actions).unwrap_or(serde_json::Value::Null);
        rule_builder::from_json(&c, &a, &staff)
    };
    let (raw, json_only) = match raw {
        Some(r) => (r, false),
        None => match from_rule() {
            Some(r) => (r, false),
            None => ((Vec::new(), Vec::new()), true),
        },
    };
    if editing.is_some() && form.mode == "json" && !json_only && errors.summary.is_empty() {
        form.mode = "build".into();
    }
    let builder = Builder::of(&raw, &errors);
    let bad = |prefix: &str| errors.summary.iter().any(|(f, _)| f.starts_with(prefix));
    html_status(
        status,
        &Page {
            chrome: Chrome::new(visit, "admin"),
            tabs: super::tabs(me, "/admin/automations"),
            bad_conditions: bad("conditions"),
            bad_actions: bad("actions"),
            errors,
            rules: rules
                .into_iter()
                .map(|r| RuleRow {
                    id: r.id.to_string(),
                    trigger: trigger_name(r.trigger),
                    name: r.name,
                    active: r.active,
                })
                .collect(),
            editing: editing.map(|i| i.to_string()),
            triggers: options::choices(TRIGGERS, &form.trigger),
            form,
            runs,
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
        // The builder's rows become the JSON, which the page then shows beside them.
        let staff = options::staff(&state.service, &me.actor).await?;
        let (c, a) = rule_builder::to_json(&raw, &staff);
        let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
        form.conditions = pretty(&c);
        form.actions = pretty(&a);
    }
    let problems = match form.input() {
        Ok(input) => {
            let done = match id {
                Some(id) => state.service.update_rule(&me.actor, id, input).await,
                None => state.service.create_rule(&me.actor, input).await,
            };
            match done {
                Ok(r) => return Ok(see_other(&format!("/admin/automations/{}", r.id))),
                Err(ServiceError::Validation(list)) => list,
                Err(e) => return Err(e.into()),
            }
        }
        Err(list) => list,
    };
    let errors = Errors::fields(problems, &[("name", "Name"), ("trigger", "Trigger")]);
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Move {
    /// `on`, `off`, `up`, `down` or `delete`.
    to: String,
}

/// Switches a rule, moves it one place (swapping positions with its neighbour), or
/// deletes it.
pub async fn change(
    State(state): State<WebState>,
    Staff(_, me): Staff,
    Path(id): Path<Uuid>,
    Posted(m): Posted<Move>,
) -> Result<Response, WebError> {
    let svc = &state.service;
    let set = |active: Option<bool>, position: Option<i64>| RuleInput {
        active,
        position,
        ..RuleInput::default()
    };
    match m.to.as_str() {
        "on" | "off" => {
            svc.update_rule(&me.actor, id, set(Some(m.to == "on"), None))
                .await?;
        }
        "up" | "down" => {
            let rules = svc.rules(&me.actor).await?;
            let at = rules
                .iter()
                .position(|r| r.id == id)
                .ok_or(WebError::NotFound)?;
            let other = if m.to == "up" {
                at.checked_sub(1)
            } else {
                Some(at + 1).filter(|i| *i < rules.len())
            };
            if let Some(o) = other {
                let (a, b) = (&rules[at], &rules[o]);
                // Distinct positions even when both were equal.
                let (pa, pb) = if a.position == b.position {
                    (b.position + if m.to == "up" { -1 } else { 1 }, b.position)
                } else {
                    (b.position, a.position)
                };
                svc.update_rule(&me.actor, a.id, set(None, Some(pa)))
                    .await?;
                svc.update_rule(&me.actor, b.id, set(None, Some(pb)))
                    .await?;
            }
        }
        "delete" => {
            svc.delete_rule(&me.actor, id).await?;
            return Ok(see_other("/admin/automations"));
        }
        _ => return Err(WebError::BadForm("unknown change".into())),
    }
    Ok(see_other("/admin/automations"))
}
