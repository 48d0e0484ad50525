//! The SLA policy form: its targets table, pause checkboxes and fields, shown from a
//! stored policy or from what was posted, and parsed into the service's input.

use std::collections::BTreeMap;

use helpdesk_domain::TicketStatus;
use helpdesk_domain::sla::{Metric, PauseOn, Targets};
use helpdesk_service::sla_setup::policies::{PolicyInput, PolicyOut};
use uuid::Uuid;

use crate::error::WebError;
use crate::form::Errors;

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

/// The engine's metric a form name stands for.
fn metric(m: &str) -> Metric {
    match m {
        "first_response" => Metric::FirstResponse,
        "next_response" => Metric::NextResponse,
        _ => Metric::Resolution,
    }
}

/// Whether `p` pauses metric `m` in status `v` (a status name).
fn paused(p: &PauseOn, m: &str, v: &str) -> bool {
    v.parse::<TicketStatus>()
        .is_ok_and(|s| p.pauses(metric(m), s))
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

    pub fn of(p: &PolicyOut) -> Self {
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
                    .and_then(|t| t.minutes(metric(m)))
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            },
            |m, v| paused(&p.pause_on, m, v),
            &Errors::default(),
        )
    }

    pub fn blank() -> Self {
        let d = PauseOn::default();
        Self::build(
            String::new(),
            String::new(),
            false,
            "80".into(),
            |_, _| String::new(),
            |m, v| paused(&d, m, v),
            &Errors::default(),
        )
    }
}

/// The posted pairs as the form to show again and the service's input.
pub fn parse(
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
