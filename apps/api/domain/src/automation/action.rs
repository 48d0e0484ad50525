//! What a rule (or a macro) does to a ticket. The wire form is `{"type": …, …}`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::{RuleError, template};
use crate::{Priority, TicketStatus, ticket::normalize_tags};

/// Whom `assign` picks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssignTo {
    Agent(Uuid),
    /// The next active agent of the list after the one this rule picked last.
    RoundRobin(Vec<Uuid>),
    /// The active agent of the list with the fewest open tickets; ties go to the earlier.
    LeastLoaded(Vec<Uuid>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    Requester,
    Assignee,
    Admins,
    Address,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Assign(AssignTo),
    SetPriority(Priority),
    SetStatus(TicketStatus),
    AddTag(String),
    RemoveTag(String),
    AddInternalNote(String),
    Notify {
        to: Recipient,
        /// For [`Recipient::Address`].
        address: Option<String>,
        subject: String,
        body: String,
    },
    Webhook(Uuid),
}

fn string(
    map: &serde_json::Map<String, Value>,
    key: &str,
    path: &str,
    max: usize,
) -> Result<String, RuleError> {
    map.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.chars().count() <= max)
        .map(str::to_owned)
        .ok_or_else(|| {
            RuleError::new(
                format!("{path}.{key}"),
                format!("must be text of 1 to {max} characters"),
            )
        })
}

fn id(map: &serde_json::Map<String, Value>, key: &str, path: &str) -> Result<Uuid, RuleError> {
    map.get(key)
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| RuleError::new(format!("{path}.{key}"), "must be an id"))
}

fn only(map: &serde_json::Map<String, Value>, keys: &[&str], path: &str) -> Result<(), RuleError> {
    match map
        .keys()
        .find(|k| k.as_str() != "type" && !keys.contains(&k.as_str()))
    {
        Some(k) => Err(RuleError::new(format!("{path}.{k}"), "unknown key")),
        None => Ok(()),
    }
}

fn tag(map: &serde_json::Map<String, Value>, path: &str) -> Result<String, RuleError> {
    let raw = string(map, "tag", path, 50)?;
    normalize_tags(&[raw])
        .ok()
        .and_then(|mut t| t.pop())
        .ok_or_else(|| RuleError::new(format!("{path}.tag"), "must be a tag"))
}

fn agents(map: &serde_json::Map<String, Value>, path: &str) -> Result<Vec<Uuid>, RuleError> {
    let err = || {
        RuleError::new(
            format!("{path}.agents"),
            "must be a list of 1 to 50 user ids",
        )
    };
    let list = map
        .get("agents")
        .and_then(Value::as_array)
        .ok_or_else(err)?;
    if list.is_empty() || list.len() > 50 {
        return Err(err());
    }
    list.iter()
        .map(|v| v.as_str().and_then(|s| s.parse().ok()).ok_or_else(err))
        .collect()
}

impl Action {
    pub fn parse(v: &Value, path: &str) -> Result<Action, RuleError> {
        let Value::Object(map) = v else {
            return Err(RuleError::new(path, "must be an object"));
        };
        let kind = map.get("type").and_then(Value::as_str).unwrap_or_default();
        Ok(match kind {
            "assign" => match map.get("strategy").and_then(Value::as_str) {
                None => {
                    only(map, &["agent_id"], path)?;
                    Action::Assign(AssignTo::Agent(id(map, "agent_id", path)?))
                }
                Some("round_robin") => {
                    only(map, &["strategy", "agents"], path)?;
                    Action::Assign(AssignTo::RoundRobin(agents(map, path)?))
                }
                Some("least_loaded") => {
                    only(map, &["strategy", "agents"], path)?;
                    Action::Assign(AssignTo::LeastLoaded(agents(map, path)?))
                }
                Some(_) => {
                    return Err(RuleError::new(
                        format!("{path}.strategy"),
                        "must be round_robin or least_loaded (or absent, with agent_id)",
                    ));
                }
            },
            "set_priority" => {
                only(map, &["priority"], path)?;
                Action::SetPriority(
                    map.get("priority")
                        .and_then(Value::as_str)
                        .and_then(|s| s.parse().ok())
                        .ok_or_else(|| {
                            RuleError::new(format!("{path}.priority"), "must be a priority")
                        })?,
                )
            }
            "set_status" => {
                only(map, &["status"], path)?;
                Action::SetStatus(
                    map.get("status")
                        .and_then(Value::as_str)
                        .and_then(|s| s.parse().ok())
                        .filter(|s| *s != TicketStatus::New)
                        .ok_or_else(|| {
                            RuleError::new(
                                format!("{path}.status"),
                                "must be a status other than NEW",
                            )
                        })?,
                )
            }
            "add_tag" => {
                only(map, &["tag"], path)?;
                Action::AddTag(tag(map, path)?)
            }
            "remove_tag" => {
                only(map, &["tag"], path)?;
                Action::RemoveTag(tag(map, path)?)
            }
            "add_internal_note" => {
                only(map, &["body"], path)?;
                let body = string(map, "body", path, 10_000)?;
                if let Some(p) = template::unknown_placeholder(&body) {
                    return Err(RuleError::new(
                        format!("{path}.body"),
                        format!("unknown placeholder {{{{{p}}}}}"),
                    ));
                }
                Action::AddInternalNote(body)
            }
            "notify" => {
                only(map, &["to", "address", "subject", "body"], path)?;
                let to: Recipient = map
                    .get("to")
                    .cloned()
                    .and_then(|v| serde_json::from_value(v).ok())
                    .ok_or_else(|| {
                        RuleError::new(
                            format!("{path}.to"),
                            "must be requester, assignee, admins or address",
                        )
                    })?;
                let address = match (&to, map.get("address").and_then(Value::as_str)) {
                    (Recipient::Address, Some(a)) if crate::Email::parse(a).is_ok() => {
                        Some(a.to_owned())
                    }
                    (Recipient::Address, _) => {
                        return Err(RuleError::new(
                            format!("{path}.address"),
                            "must be an email address",
                        ));
                    }
                    (_, Some(_)) => {
                        return Err(RuleError::new(
                            format!("{path}.address"),
                            "only with to: address",
                        ));
                    }
                    (_, None) => None,
                };
                let subject = string(map, "subject", path, 200)?;
                let body = string(map, "body", path, 10_000)?;
                for (key, t) in [("subject", &subject), ("body", &body)] {
                    if let Some(p) = template::unknown_placeholder(t) {
                        return Err(RuleError::new(
                            format!("{path}.{key}"),
                            format!("unknown placeholder {{{{{p}}}}}"),
                        ));
                    }
                }
                Action::Notify {
                    to,
                    address,
                    subject,
                    body,
                }
            }
            "webhook" => {
                only(map, &["webhook_id"], path)?;
                Action::Webhook(id(map, "webhook_id", path)?)
            }
            other => {
                return Err(RuleError::new(
                    format!("{path}.type"),
                    format!("unknown action {other:?}"),
                ));
            }
        })
    }

    /// A rule's `actions`: 1 to 20 of them.
    pub fn parse_list(v: &Value) -> Result<Vec<Action>, Vec<RuleError>> {
        let Value::Array(items) = v else {
            return Err(vec![RuleError::new("actions", "must be a list")]);
        };
        if items.is_empty() || items.len() > 20 {
            return Err(vec![RuleError::new("actions", "must hold 1 to 20 actions")]);
        }
        let mut out = Vec::new();
        let mut errors = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match Action::parse(item, &format!("actions[{i}]")) {
                Ok(a) => out.push(a),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// The agents an action names, for checking at save time.
    pub fn agents(&self) -> Vec<Uuid> {
        match self {
            Action::Assign(AssignTo::Agent(a)) => vec![*a],
            Action::Assign(AssignTo::RoundRobin(l) | AssignTo::LeastLoaded(l)) => l.clone(),
            _ => Vec::new(),
        }
    }
}
