//! SLA policies (admins manage, staff read): targets per priority and metric in a table,
//! which statuses pause each clock, the calendar, the warning point, the default policy,
//! and a preview the SLA engine computes ("a HIGH ticket opened now is due …").

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::sla::policy::Metric;
use helpdesk_domain::sla::{PauseOn, Targets};
use helpdesk_domain::{Permission, Priority, TicketStatus};
use helpdesk_service::ServiceError;
use helpdesk_service::sla_setup::policies::{PolicyInput, PolicyOut};
use uuid::Uuid;

use super::Tab;
use crate::display::zone;
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::pages::console::options::{self, Choice};
use crate::render::{Chrome, html_status, see_other};
use crate::session::{SignedIn, Staff, Visit};
use crate::state::WebState;

const PRIORITIES: [&str; 4] = ["LOW", "MEDIUM", "HIGH", "URGENT"];
const METRICS: [(&str, &str); 3] = [
    ("first_response", "First response"),
    ("next_response", "Next response"),
    ("resolution", "Resolution"),
];
const PAUSABLE: [(&str, &str); 3] = [
    ("OPEN", "Open"),
    ("PENDING", "Pending"),
    ("ON_HOLD", "On hold"),
];

/// One cell of the targets table.
#[derive(Debug, Clone)]
pub struct Cell {
    pub name: String,
    pub label: String,
    pub value: String,
    pub error: String,
}

#[derive(Debug, Clone)]
pub struct PauseBox {
    pub name: String,
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

/// The policy form as shown.
#[derive(Debug, Clone, Default)]
pub struct PolicyForm {
    pub name: String,
    pub calendar: String,
    pub is_default: bool,
    pub warn: String,
    /// Per priority: its label and a cell per metric.
    pub rows: Vec<(String, Vec<Cell>)>,
    /// Per metric: its label and the statuses that pause it.
    pub pauses: Vec<(String, Vec<PauseBox>)>,
}

fn minutes_of(t: &Targets, m: &str) -> Option<i64> {
    match m {
        "first_response" => t.first_response_minutes,
        "next_response" => t.next_response_minutes,
        _ => t.resolution_minutes,
    }
}

fn paused(p: &PauseOn, m: &str) -> Vec<String> {
    let list = match m {
        "first_response" => &p.first_response,
        "next_response" => &p.next_response,
        _ => &p.resolution,
    };
    list.iter().map(|s| s.as_str().to_owned()).collect()
}

impl PolicyForm {
    fn build(
        name: String,
        calendar: String,
        is_default: bool,
        warn: String,
        value: impl Fn(&str, &str) -> String,
        pause: impl Fn(&str, &str) -> bool,
        errors: &Errors,
    ) -> Self {
        let rows = PRIORITIES
            .iter()
            .map(|p| {
                let cells = METRICS
                    .iter()
                    .map(|(m, label)| Cell {
                        name: format!("t_{p}_{m}"),
                        label: format!(
                            "{} {}, minutes",
                            crate::pages::reports::label(p),
                            label.to_lowercase()
                        ),
                        value: value(p, m),
                        error: errors.get(&format!("targets.{p}.{m}_minutes")).to_owned(),
                    })
                    .collect();
                (crate::pages::reports::label(p), cells)
            })
            .collect();
        let pauses = METRICS
            .iter()
            .map(|(m, label)| {
                let boxes = PAUSABLE
                    .iter()
                    .map(|(v, l)| PauseBox {
                        name: format!("pause_{m}"),
                        value: v,
                        label: l,
                        checked: pause(m, v),
                    })
                    .collect();
                ((*label).to_owned(), boxes)
            })
            .collect();
        Self {
            name,
            calendar,
            is_default,
            warn,
            rows,
            pauses,
        }
    }

    fn of(p: &PolicyOut) -> Self {
        Self::build(
            p.name.clone(),
            p.business_hours_id
                .map(|c| c.to_string())
                .unwrap_or_default(),
            p.is_default,
            p.warn_at_percent.to_string(),
            |pr, m| {
                p.targets
                    .get(pr)
                    .and_then(|t| minutes_of(t, m))
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            },
            |m, v| paused(&p.pause_on, m).iter().any(|s| s == v),
            &Errors::default(),
        )
    }

    fn blank() -> Self {
        let d = PauseOn::default();
        Self::build(
            String::new(),
            String::new(),
            false,
            "80".into(),
            |_, _| String::new(),
            |m, v| paused(&d, m).iter().any(|s| s == v),
            &Errors::default(),
        )
    }
}

/// The posted pairs as the form to show again and the service's input.
fn parse(
    pairs: &[(String, String)],
    errors: &Errors,
) -> Result<(PolicyForm, PolicyInput), WebError> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let has = |k: &str, v: &str| pairs.iter().any(|(key, val)| key == k && val == v);
    for (k, _) in pairs {
        let known = matches!(
            k.as_str(),
            "csrf" | "name" | "calendar" | "is_default" | "warn"
        ) || k.starts_with("pause_")
            && METRICS.iter().any(|(m, _)| *k == format!("pause_{m}"))
            || PRIORITIES
                .iter()
                .any(|p| METRICS.iter().any(|(m, _)| *k == format!("t_{p}_{m}")));
        if !known {
            return Err(WebError::BadForm(format!("unknown field {k}")));
        }
    }
    let bad = |w: &str| WebError::BadForm(format!("{w} is not a number"));
    let mut targets = BTreeMap::new();
    for p in PRIORITIES {
        let mut t = Targets::default();
        for (m, _) in METRICS {
            let raw = get(&format!("t_{p}_{m}"));
            let v = if raw.is_empty() {
                None
            } else {
                Some(raw.parse::<i64>().map_err(|_| bad("a target"))?)
            };
            match m {
                "first_response" => t.first_response_minutes = v,
                "next_response" => t.next_response_minutes = v,
                _ => t.resolution_minutes = v,
            }
        }
        targets.insert(p.to_owned(), t);
    }
    let statuses = |m: &str| -> Vec<TicketStatus> {
        PAUSABLE
            .iter()
            .filter(|(v, _)| has(&format!("pause_{m}"), v))
            .filter_map(|(v, _)| v.parse().ok())
            .collect()
    };
    let pause_on = PauseOn {
        first_response: statuses("first_response"),
        next_response: statuses("next_response"),
        resolution: statuses("resolution"),
    };
    let calendar = get("calendar");
    let input = PolicyInput {
        name: Some(get("name")),
        business_hours_id: Some(match calendar.as_str() {
            "" => None,
            id => Some(
                id.parse::<Uuid>()
                    .map_err(|_| WebError::BadForm("unknown calendar".into()))?,
            ),
        }),
        is_default: Some(!get("is_default").is_empty()),
        targets: Some(targets),
        pause_on: Some(pause_on),
        warn_at_percent: Some(
            get("warn")
                .parse::<i32>()
                .map_err(|_| bad("the warning point"))?,
        ),
    };
    let form = PolicyForm::build(
        get("name"),
        calendar,
        !get("is_default").is_empty(),
        get("warn"),
        |p, m| get(&format!("t_{p}_{m}")),
        |m, v| has(&format!("pause_{m}"), v),
        errors,
    );
    Ok((form, input))
}

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
    let tz = zone(
        &helpdesk_domain::settings::WorkspaceSettings::from_json(&me.workspace.settings).timezone,
    );
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
