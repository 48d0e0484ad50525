//! Business hours (admins manage, staff read): calendars for SLA clocks. A weekly grid
//! with up to three intervals a day, holidays one date per line, a time zone from the IANA
//! list; the SLA engine checks them, and its errors show on the day or field concerned.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::Permission;
use helpdesk_domain::sla::Weekly;
use helpdesk_service::ServiceError;
use helpdesk_service::sla_setup::calendars::{CalendarInput, CalendarOut};
use uuid::Uuid;

use super::Tab;
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::render::{Chrome, html_status, see_other};
use crate::session::{SignedIn, Staff, Visit};
use crate::state::WebState;

const DAYS: [(&str, &str); 7] = [
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
];

/// Intervals a day the grid offers (more when a calendar made through the API has more).
const SLOTS: usize = 3;
/// The most intervals a day the form reads.
const MAX_SLOTS: usize = 8;

#[derive(Debug, Clone)]
pub struct DayRow {
    pub key: &'static str,
    pub label: &'static str,
    /// `(from, to)` per slot, blank where unused.
    pub slots: Vec<(String, String)>,
}

/// The calendar form as shown: every day's slots, the holidays as text.
#[derive(Debug, Clone, Default)]
pub struct CalendarForm {
    pub name: String,
    pub timezone: String,
    pub days: Vec<DayRow>,
    pub holidays: String,
}

impl CalendarForm {
    /// The grid's interval columns, numbered from 1, all days padded to the widest.
    pub fn columns(&self) -> Vec<usize> {
        let n = self
            .days
            .iter()
            .map(|d| d.slots.len())
            .max()
            .unwrap_or(SLOTS);
        (1..=n).collect()
    }
}

fn slots_of(weekly: &Weekly, key: &str) -> Vec<(String, String)> {
    let list = match key {
        "mon" => &weekly.mon,
        "tue" => &weekly.tue,
        "wed" => &weekly.wed,
        "thu" => &weekly.thu,
        "fri" => &weekly.fri,
        "sat" => &weekly.sat,
        _ => &weekly.sun,
    };
    let mut out: Vec<(String, String)> = list.iter().map(|[a, b]| (a.clone(), b.clone())).collect();
    out.resize(SLOTS.max(out.len()), (String::new(), String::new()));
    out
}

impl CalendarForm {
    fn of(c: &CalendarOut) -> Self {
        Self {
            name: c.name.clone(),
            timezone: c.timezone.clone(),
            days: DAYS
                .iter()
                .map(|(key, label)| DayRow {
                    key,
                    label,
                    slots: slots_of(&c.weekly, key),
                })
                .collect(),
            holidays: c.holidays.join("\n"),
        }
    }

    fn blank() -> Self {
        let office = |k: &str| {
            let mut s = vec![("09:00".to_owned(), "17:00".to_owned())];
            if matches!(k, "sat" | "sun") {
                s.clear();
            }
            s.resize(SLOTS, (String::new(), String::new()));
            s
        };
        Self {
            timezone: "UTC".into(),
            days: DAYS
                .iter()
                .map(|(key, label)| DayRow {
                    key,
                    label,
                    slots: office(key),
                })
                .collect(),
            ..Self::default()
        }
    }

    /// The posted pairs as a form (to show again) and as the service's input; a slot with
    /// one time of two is an error on its day.
    fn parse(
        pairs: &[(String, String)],
    ) -> Result<(Self, CalendarInput, Vec<helpdesk_service::FieldError>), WebError> {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default()
        };
        for (k, _) in pairs {
            let known = matches!(k.as_str(), "csrf" | "name" | "timezone" | "holidays")
                || DAYS.iter().any(|(d, _)| {
                    (0..MAX_SLOTS)
                        .any(|i| *k == format!("{d}_{i}_from") || *k == format!("{d}_{i}_to"))
                });
            if !known {
                return Err(WebError::BadForm(format!("unknown field {k}")));
            }
        }
        let mut errors = Vec::new();
        let mut weekly = Weekly::default();
        let mut days = Vec::new();
        for (key, label) in DAYS {
            let mut slots: Vec<(String, String)> = (0..MAX_SLOTS)
                .map(|i| {
                    (
                        get(&format!("{key}_{i}_from")),
                        get(&format!("{key}_{i}_to")),
                    )
                })
                .collect();
            let mut list = Vec::new();
            for (a, b) in &slots {
                match (a.is_empty(), b.is_empty()) {
                    (true, true) => {}
                    (false, false) => list.push([a.clone(), b.clone()]),
                    _ => errors.push(helpdesk_service::FieldError::new(
                        format!("weekly.{key}"),
                        "give both times of an interval, or neither",
                    )),
                }
            }
            match key {
                "mon" => weekly.mon = list,
                "tue" => weekly.tue = list,
                "wed" => weekly.wed = list,
                "thu" => weekly.thu = list,
                "fri" => weekly.fri = list,
                "sat" => weekly.sat = list,
                _ => weekly.sun = list,
            }
            let used = slots
                .iter()
                .rposition(|(a, b)| !a.is_empty() || !b.is_empty())
                .map_or(0, |i| i + 1);
            slots.truncate(SLOTS.max(used));
            days.push(DayRow { key, label, slots });
        }
        let holidays_text = get("holidays");
        let holidays: Vec<String> = holidays_text
            .split(['\n', ',', ' '])
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned)
            .collect();
        let form = Self {
            name: get("name"),
            timezone: get("timezone"),
            days,
            holidays: holidays_text,
        };
        let input = CalendarInput {
            name: Some(form.name.clone()),
            timezone: Some(form.timezone.clone()),
            weekly: Some(weekly),
            holidays: Some(holidays),
        };
        Ok((form, input, errors))
    }
}

#[derive(Template)]
#[template(path = "admin/business_hours.html")]
struct Page {
    chrome: Chrome,
    tabs: Vec<Tab>,
    errors: Errors,
    calendars: Vec<(String, String, String)>,
    /// The calendar being edited (none: a new one).
    editing: Option<String>,
    form: CalendarForm,
    can_edit: bool,
    zones: Vec<String>,
}

const LABELS: &[(&str, &str)] = &[
    ("name", "Name"),
    ("timezone", "Time zone"),
    ("holidays", "Holidays"),
];

/// Field errors with holiday indexes folded onto the holidays field, days labelled.
fn errors_of(list: Vec<helpdesk_service::FieldError>) -> Errors {
    let list = list
        .into_iter()
        .map(|mut f| {
            if f.field.starts_with("holidays[") {
                f.field = "holidays".into();
            }
            f
        })
        .collect();
    let mut labels: Vec<(&str, &str)> = LABELS.to_vec();
    let day_fields: Vec<(String, &str)> = DAYS
        .iter()
        .map(|(k, l)| (format!("weekly.{k}"), *l))
        .collect();
    labels.extend(day_fields.iter().map(|(k, l)| (k.as_str(), *l)));
    Errors::fields(list, &labels)
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    editing: Option<Uuid>,
    form: Option<CalendarForm>,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let list = state.service.calendars(&me.actor).await?;
    let form = match (form, editing) {
        (Some(f), _) => f,
        (None, Some(id)) => CalendarForm::of(&state.service.calendar(&me.actor, id).await?),
        (None, None) => CalendarForm::blank(),
    };
    let mut zones: Vec<String> = jiff::tz::db()
        .available()
        .map(|z| z.as_str().to_owned())
        .collect();
    zones.sort();
    html_status(
        status,
        &Page {
            chrome: Chrome::new(visit, "admin"),
            tabs: super::tabs(me, "/admin/business-hours"),
            errors,
            calendars: list
                .into_iter()
                .map(|c| (c.id.to_string(), c.name, c.timezone))
                .collect(),
            editing: editing.map(|i| i.to_string()),
            form,
            can_edit: me.actor.ctx.can(Permission::ManageSla),
            zones,
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
    let (form, input, mut problems) = CalendarForm::parse(&pairs)?;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    if problems.is_empty() {
        let done = match id {
            Some(id) => state.service.update_calendar(&me.actor, id, input).await,
            None => state.service.create_calendar(&me.actor, input).await,
        };
        match done {
            Ok(c) => return Ok(see_other(&format!("/admin/business-hours/{}", c.id))),
            Err(ServiceError::Validation(list)) => problems = list,
            Err(e) => return Err(e.into()),
        }
    }
    render(
        state,
        visit,
        me,
        id,
        Some(form),
        errors_of(problems),
        unprocessable,
    )
    .await
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
