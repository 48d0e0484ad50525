//! The rule builder: conditions and actions picked from the allowed fields, operators and
//! actions, row by row, turned into the JSON the service checks (so its errors, at
//! `conditions[1].value` or `actions[0].tag`, land on their row). Groups (`all`/`any`),
//! `notify` and `webhook` are written in the JSON editor beside it.

use serde_json::{Value, json};

use crate::pages::console::options::{self, Choice};

/// Condition and action rows the builder offers.
pub const CONDITION_ROWS: usize = 4;
pub const ACTION_ROWS: usize = 3;

const FIELDS: &[(&str, &str)] = &[
    ("", "—"),
    ("status", "Status"),
    ("priority", "Priority"),
    ("channel", "Channel (web, api, alert)"),
    ("tags", "Tags"),
    ("subject", "Subject"),
    ("description", "Description"),
    ("organization_id", "Organization id (or none)"),
    ("requester_id", "Requester id"),
    ("assignee_id", "Assignee id (or none)"),
    (
        "business_hours_now",
        "Inside business hours now (true/false)",
    ),
    ("hours_since_status", "Hours since the status changed"),
    ("hours_since_update", "Hours since the last update"),
    ("hours_since_created", "Hours since it was opened"),
];

const OPS: &[(&str, &str)] = &[
    ("is", "is"),
    ("is_not", "is not"),
    ("in", "is one of"),
    ("not_in", "is none of"),
    ("gte", "is at least"),
    ("lte", "is at most"),
    ("contains", "contains"),
    ("not_contains", "does not contain"),
];

const ACTIONS: &[(&str, &str)] = &[
    ("", "—"),
    ("assign", "Assign to the agent"),
    ("round_robin", "Assign in turn among the agents"),
    ("least_loaded", "Assign to the least loaded of the agents"),
    ("set_priority", "Set the priority"),
    ("set_status", "Set the status"),
    ("add_tag", "Add the tag"),
    ("remove_tag", "Remove the tag"),
    ("add_internal_note", "Add an internal note"),
];

#[derive(Debug, Clone)]
pub struct CondRow {
    pub field: Vec<Choice>,
    pub op: Vec<Choice>,
    pub value: String,
    /// The service's complaints about this row.
    pub error: String,
}

#[derive(Debug, Clone)]
pub struct ActRow {
    pub kind: Vec<Choice>,
    pub value: String,
    pub error: String,
}

/// The messages of `errors` about the `k`-th filled item of `list` (`conditions[k]…`).
fn about(errors: &crate::form::Errors, list: &str, k: Option<usize>) -> String {
    let Some(k) = k else { return String::new() };
    let prefix = format!("{list}[{k}]");
    errors
        .summary
        .iter()
        .filter(|(f, _)| f.starts_with(&prefix))
        .map(|(_, m)| m.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

/// For each row, its place among the filled rows.
fn filled_index(filled: impl Iterator<Item = bool>) -> Vec<Option<usize>> {
    let mut k = 0;
    filled
        .map(|f| {
            f.then(|| {
                k += 1;
                k - 1
            })
        })
        .collect()
}

/// The builder's rows as shown.
#[derive(Debug, Clone)]
pub struct Builder {
    pub conditions: Vec<CondRow>,
    pub actions: Vec<ActRow>,
}

/// The rows as text: `(field, op, value)` per condition, `(type, value)` per action.
pub type Raw = (Vec<(String, String, String)>, Vec<(String, String)>);

impl Builder {
    pub fn of(raw: &Raw, errors: &crate::form::Errors) -> Self {
        let ci = filled_index(raw.0.iter().map(|(f, _, _)| !f.is_empty()));
        let ai = filled_index(raw.1.iter().map(|(t, _)| !t.is_empty()));
        let mut conditions: Vec<CondRow> = raw
            .0
            .iter()
            .zip(ci)
            .map(|((f, o, v), k)| CondRow {
                field: options::choices(FIELDS, f),
                op: options::choices(OPS, o),
                value: v.clone(),
                error: about(errors, "conditions", k),
            })
            .collect();
        while conditions.len() < CONDITION_ROWS {
            conditions.push(CondRow {
                field: options::choices(FIELDS, ""),
                op: options::choices(OPS, "is"),
                value: String::new(),
                error: String::new(),
            });
        }
        let mut actions: Vec<ActRow> = raw
            .1
            .iter()
            .zip(ai)
            .map(|((t, v), k)| ActRow {
                kind: options::choices(ACTIONS, t),
                value: v.clone(),
                error: about(errors, "actions", k),
            })
            .collect();
        while actions.len() < ACTION_ROWS {
            actions.push(ActRow {
                kind: options::choices(ACTIONS, ""),
                value: String::new(),
                error: String::new(),
            });
        }
        Self {
            conditions,
            actions,
        }
    }
}

/// The builder's rows from posted pairs (`c0_field`, `c0_op`, `c0_value`, `a0_type`,
/// `a0_value` …).
pub fn posted(pairs: &[(String, String)]) -> Raw {
    let get = |k: String| {
        pairs
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let conditions = (0..CONDITION_ROWS)
        .map(|i| {
            (
                get(format!("c{i}_field")),
                get(format!("c{i}_op")),
                get(format!("c{i}_value")),
            )
        })
        .collect();
    let actions = (0..ACTION_ROWS)
        .map(|i| (get(format!("a{i}_type")), get(format!("a{i}_value"))))
        .collect();
    (conditions, actions)
}

/// Whether `k` is one of the builder's form fields.
pub fn is_builder_field(k: &str) -> bool {
    (0..CONDITION_ROWS).any(|i| {
        [
            format!("c{i}_field"),
            format!("c{i}_op"),
            format!("c{i}_value"),
        ]
        .contains(&k.to_owned())
    }) || (0..ACTION_ROWS)
        .any(|i| [format!("a{i}_type"), format!("a{i}_value")].contains(&k.to_owned()))
}

fn list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The rows as the API's JSON; agents may be named (as the team page shows them) or given
/// by id. Rows without a field or type are skipped, and the filled rows keep their order,
/// so the service's `conditions[i]` is the i-th filled row.
pub fn to_json(raw: &Raw, staff: &[(String, String)]) -> (Value, Value) {
    let agent = |s: &str| {
        staff
            .iter()
            .find(|(id, name)| name.eq_ignore_ascii_case(s) || id == s)
            .map_or_else(|| s.to_owned(), |(id, _)| id.clone())
    };
    let conditions: Vec<Value> = raw
        .0
        .iter()
        .filter(|(f, _, _)| !f.is_empty())
        .map(|(f, o, v)| {
            // Statuses and priorities are upper-case words; people type them any way.
            let v = if matches!(f.as_str(), "status" | "priority") {
                v.to_uppercase()
            } else {
                v.clone()
            };
            let v = &v;
            let value = match f.as_str() {
                "business_hours_now" => json!(matches!(v.to_lowercase().as_str(), "true" | "yes")),
                f if f.starts_with("hours_since_") => {
                    v.parse::<f64>().map_or_else(|_| json!(v), |n| json!(n))
                }
                _ if matches!(o.as_str(), "in" | "not_in") => json!(list(v)),
                _ => json!(v),
            };
            json!({"field": f, "op": o, "value": value})
        })
        .collect();
    let actions: Vec<Value> = raw
        .1
        .iter()
        .filter(|(t, _)| !t.is_empty())
        .map(|(t, v)| match t.as_str() {
            "assign" => json!({"type": "assign", "agent_id": agent(v)}),
            "round_robin" | "least_loaded" => json!({"type": "assign", "strategy": t,
                "agents": list(v).iter().map(|a| agent(a)).collect::<Vec<_>>()}),
            "set_priority" => json!({"type": t, "priority": v.to_uppercase()}),
            "set_status" => json!({"type": t, "status": v.to_uppercase()}),
            "add_tag" | "remove_tag" => json!({"type": t, "tag": v}),
            _ => json!({"type": t, "body": v}),
        })
        .collect();
    (Value::Array(conditions), Value::Array(actions))
}

/// A stored rule's JSON as rows, when the builder can show all of it.
pub fn from_json(conditions: &Value, actions: &Value, staff: &[(String, String)]) -> Option<Raw> {
    let name = |id: &str| {
        staff
            .iter()
            .find(|(i, _)| i == id)
            .map_or_else(|| id.to_owned(), |(_, n)| n.clone())
    };
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(|l| l.join(", ")),
        _ => None,
    };
    let mut conds = Vec::new();
    for c in conditions.as_array()? {
        let f = c.get("field")?.as_str()?.to_owned();
        let o = c.get("op")?.as_str()?.to_owned();
        conds.push((f, o, text(c.get("value")?)?));
    }
    let mut acts = Vec::new();
    for a in actions.as_array()? {
        let t = a.get("type")?.as_str()?;
        let row = match (t, a.get("strategy").and_then(Value::as_str)) {
            ("assign", None) => ("assign".to_owned(), name(a.get("agent_id")?.as_str()?)),
            ("assign", Some(s)) => (
                s.to_owned(),
                a.get("agents")?
                    .as_array()?
                    .iter()
                    .map(|x| x.as_str().map(name))
                    .collect::<Option<Vec<_>>>()?
                    .join(", "),
            ),
            ("set_priority", _) => (t.to_owned(), a.get("priority")?.as_str()?.to_owned()),
            ("set_status", _) => (t.to_owned(), a.get("status")?.as_str()?.to_owned()),
            ("add_tag" | "remove_tag", _) => (t.to_owned(), a.get("tag")?.as_str()?.to_owned()),
            ("add_internal_note", _) => (t.to_owned(), a.get("body")?.as_str()?.to_owned()),
            _ => return None,
        };
        acts.push(row);
    }
    (conds.len() <= CONDITION_ROWS && acts.len() <= ACTION_ROWS).then_some((conds, acts))
}
