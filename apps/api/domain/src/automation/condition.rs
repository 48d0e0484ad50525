//! Conditions: tests on one ticket field, combined with `all` / `any` groups. The wire
//! form is `{"field", "op", "value"}` or `{"all": [...]}` / `{"any": [...]}`; a rule's
//! top-level list is an `all` group.

use serde_json::Value;
use uuid::Uuid;

use super::RuleError;
use crate::{Priority, TicketStatus};

/// What conditions read of a ticket, at the instant of evaluation.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    pub status: TicketStatus,
    pub priority: Priority,
    pub organization_id: Option<Uuid>,
    pub requester_id: Uuid,
    pub assignee_id: Option<Uuid>,
    pub tags: &'a [String],
    pub subject: &'a str,
    pub description: &'a str,
    /// `web`, `api` or `alert`: how the ticket was opened.
    pub channel: &'a str,
    /// Inside the hours of the ticket's SLA calendar now (always, without one).
    pub business_hours_now: bool,
    pub hours_since_status: f64,
    pub hours_since_update: f64,
    pub hours_since_created: f64,
    /// The workspace's `auto_close_days`, for bounds that name it.
    pub auto_close_days: f64,
}

/// An hours bound: a number, or `"auto_close_days"` (the workspace's setting, in hours).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Hours {
    Fixed(f64),
    AutoCloseDays,
}

impl Hours {
    pub fn resolve(self, auto_close_days: f64) -> f64 {
        match self {
            Hours::Fixed(h) => h,
            Hours::AutoCloseDays => auto_close_days * 24.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    Status,
    Update,
    Created,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// `in` (true) or `not in` (false) a set.
    Status(bool, Vec<TicketStatus>),
    Priority(bool, Vec<Priority>),
    PriorityAtLeast(Priority),
    PriorityAtMost(Priority),
    Organization(bool, Vec<Option<Uuid>>),
    Requester(bool, Vec<Uuid>),
    /// `None` in the set: unassigned.
    Assignee(bool, Vec<Option<Uuid>>),
    Channel(bool, Vec<String>),
    /// Has (true) or lacks (false) the tag.
    Tag(bool, String),
    /// Contains (true) or not the text, case-insensitively.
    Subject(bool, String),
    Description(bool, String),
    BusinessHoursNow(bool),
    /// At least (true) or at most (false) so many hours.
    HoursSince(Since, bool, Hours),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Test(Test),
}

const CHANNELS: [&str; 3] = ["web", "api", "alert"];
const MAX_DEPTH: usize = 4;

fn many(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

fn parse_each<T>(
    v: &Value,
    path: &str,
    one: impl Fn(&Value) -> Option<T>,
    what: &str,
) -> Result<Vec<T>, RuleError> {
    let items = many(v);
    if items.is_empty() {
        return Err(RuleError::new(
            path,
            format!("must be {what} or a list of them"),
        ));
    }
    items
        .into_iter()
        .map(|x| one(x).ok_or_else(|| RuleError::new(path, format!("{x} is not {what}"))))
        .collect()
}

fn status(v: &Value) -> Option<TicketStatus> {
    v.as_str()?.parse().ok()
}
fn priority(v: &Value) -> Option<Priority> {
    v.as_str()?.parse().ok()
}
fn uuid(v: &Value) -> Option<Uuid> {
    v.as_str()?.parse().ok()
}
/// A user id, or `none` / null for nobody.
fn maybe_uuid(v: &Value) -> Option<Option<Uuid>> {
    match v {
        Value::Null => Some(None),
        Value::String(s) if s == "none" => Some(None),
        other => uuid(other).map(Some),
    }
}
fn text(v: &Value) -> Option<String> {
    let s = v.as_str()?.trim();
    (!s.is_empty() && s.chars().count() <= 200).then(|| s.to_lowercase())
}

fn set_op(op: &str) -> Option<bool> {
    match op {
        "is" | "in" => Some(true),
        "is_not" | "not_in" => Some(false),
        _ => None,
    }
}

fn contains_op(op: &str) -> Option<bool> {
    match op {
        "contains" => Some(true),
        "not_contains" => Some(false),
        _ => None,
    }
}

fn leaf(field: &str, op: &str, value: &Value, path: &str) -> Result<Test, RuleError> {
    let vpath = format!("{path}.value");
    let bad_op = |ops: &str| RuleError::new(format!("{path}.op"), format!("{field} takes {ops}"));
    const SET: &str = "is, is_not, in, not_in";
    const CONTAINS: &str = "contains, not_contains";
    Ok(match field {
        "status" => {
            let yes = set_op(op).ok_or_else(|| bad_op(SET))?;
            Test::Status(yes, parse_each(value, &vpath, status, "a status")?)
        }
        "priority" => match op {
            "gte" => Test::PriorityAtLeast(
                priority(value).ok_or_else(|| RuleError::new(&vpath, "must be a priority"))?,
            ),
            "lte" => Test::PriorityAtMost(
                priority(value).ok_or_else(|| RuleError::new(&vpath, "must be a priority"))?,
            ),
            _ => {
                let yes = set_op(op).ok_or_else(|| bad_op("is, is_not, in, not_in, gte, lte"))?;
                Test::Priority(yes, parse_each(value, &vpath, priority, "a priority")?)
            }
        },
        "organization_id" => {
            let yes = set_op(op).ok_or_else(|| bad_op(SET))?;
            Test::Organization(yes, parse_each(value, &vpath, maybe_uuid, "an id or none")?)
        }
        "requester_id" => {
            let yes = set_op(op).ok_or_else(|| bad_op(SET))?;
            Test::Requester(yes, parse_each(value, &vpath, uuid, "a user id")?)
        }
        "assignee_id" => {
            let yes = set_op(op).ok_or_else(|| bad_op(SET))?;
            Test::Assignee(
                yes,
                parse_each(value, &vpath, maybe_uuid, "a user id or none")?,
            )
        }
        "channel" => {
            let yes = set_op(op).ok_or_else(|| bad_op(SET))?;
            let one = |v: &Value| {
                v.as_str()
                    .filter(|c| CHANNELS.contains(c))
                    .map(str::to_owned)
            };
            Test::Channel(yes, parse_each(value, &vpath, one, "web, api or alert")?)
        }
        "tags" => {
            let yes = contains_op(op).ok_or_else(|| bad_op(CONTAINS))?;
            Test::Tag(
                yes,
                text(value).ok_or_else(|| RuleError::new(&vpath, "must be a tag"))?,
            )
        }
        "subject" | "description" => {
            let yes = contains_op(op).ok_or_else(|| bad_op(CONTAINS))?;
            let t = text(value)
                .ok_or_else(|| RuleError::new(&vpath, "must be text (1-200 characters)"))?;
            if field == "subject" {
                Test::Subject(yes, t)
            } else {
                Test::Description(yes, t)
            }
        }
        "business_hours_now" => {
            if op != "is" {
                return Err(bad_op("is"));
            }
            Test::BusinessHoursNow(
                value
                    .as_bool()
                    .ok_or_else(|| RuleError::new(&vpath, "must be true or false"))?,
            )
        }
        "hours_since_status" | "hours_since_update" | "hours_since_created" => {
            let since = match field {
                "hours_since_status" => Since::Status,
                "hours_since_update" => Since::Update,
                _ => Since::Created,
            };
            let at_least = match op {
                "gte" => true,
                "lte" => false,
                _ => return Err(bad_op("gte, lte")),
            };
            let hours = match value {
                Value::String(s) if s == "auto_close_days" => Hours::AutoCloseDays,
                other => Hours::Fixed(
                    other
                        .as_f64()
                        .filter(|h| (0.0..=24.0 * 3660.0).contains(h))
                        .ok_or_else(|| {
                            RuleError::new(
                                &vpath,
                                "must be a number of hours (0 to 10 years) or \"auto_close_days\"",
                            )
                        })?,
                ),
            };
            Test::HoursSince(since, at_least, hours)
        }
        other => {
            return Err(RuleError::new(
                format!("{path}.field"),
                format!("unknown field {other:?}"),
            ));
        }
    })
}

impl Condition {
    /// A rule's `conditions`: a list, all of which must hold (an empty list always holds).
    pub fn parse_list(v: &Value) -> Result<Condition, Vec<RuleError>> {
        let Value::Array(items) = v else {
            return Err(vec![RuleError::new("conditions", "must be a list")]);
        };
        Self::group(items, "conditions", 0).map(Condition::All)
    }

    fn group(items: &[Value], path: &str, depth: usize) -> Result<Vec<Condition>, Vec<RuleError>> {
        let mut out = Vec::new();
        let mut errors = Vec::new();
        if items.len() > 50 {
            return Err(vec![RuleError::new(
                path,
                "at most 50 conditions per group",
            )]);
        }
        for (i, item) in items.iter().enumerate() {
            match Self::parse(item, &format!("{path}[{i}]"), depth) {
                Ok(c) => out.push(c),
                Err(e) => errors.extend(e),
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    fn parse(v: &Value, path: &str, depth: usize) -> Result<Condition, Vec<RuleError>> {
        let Value::Object(map) = v else {
            return Err(vec![RuleError::new(path, "must be an object")]);
        };
        for (key, make) in [("all", true), ("any", false)] {
            if let Some(inner) = map.get(key) {
                if map.len() != 1 {
                    return Err(vec![RuleError::new(
                        path,
                        format!("a group has only `{key}`"),
                    )]);
                }
                if depth >= MAX_DEPTH {
                    return Err(vec![RuleError::new(path, "groups nest at most 4 deep")]);
                }
                let Value::Array(items) = inner else {
                    return Err(vec![RuleError::new(
                        format!("{path}.{key}"),
                        "must be a list",
                    )]);
                };
                let group = Self::group(items, &format!("{path}.{key}"), depth + 1)?;
                return Ok(if make {
                    Condition::All(group)
                } else {
                    Condition::Any(group)
                });
            }
        }
        if let Some(unknown) = map
            .keys()
            .find(|k| !["field", "op", "value"].contains(&k.as_str()))
        {
            return Err(vec![RuleError::new(
                format!("{path}.{unknown}"),
                "unknown key",
            )]);
        }
        let field = map.get("field").and_then(Value::as_str);
        let op = map.get("op").and_then(Value::as_str);
        let (Some(field), Some(op)) = (field, op) else {
            return Err(vec![RuleError::new(
                path,
                "needs `field`, `op` and `value`",
            )]);
        };
        let value = map.get("value").unwrap_or(&Value::Null);
        leaf(field, op, value, path)
            .map(Condition::Test)
            .map_err(|e| vec![e])
    }

    pub fn matches(&self, f: &Facts<'_>) -> bool {
        match self {
            Condition::All(cs) => cs.iter().all(|c| c.matches(f)),
            Condition::Any(cs) => cs.iter().any(|c| c.matches(f)),
            Condition::Test(t) => t.matches(f),
        }
    }

    /// Every user and organization id the conditions name, for checking at save time.
    pub fn references(&self, users: &mut Vec<Uuid>, orgs: &mut Vec<Uuid>) {
        match self {
            Condition::All(cs) | Condition::Any(cs) => {
                cs.iter().for_each(|c| c.references(users, orgs));
            }
            Condition::Test(Test::Requester(_, ids)) => users.extend(ids),
            Condition::Test(Test::Assignee(_, ids)) => users.extend(ids.iter().flatten()),
            Condition::Test(Test::Organization(_, ids)) => orgs.extend(ids.iter().flatten()),
            Condition::Test(_) => {}
        }
    }

    /// The least hours-since bound an `all` path requires, per clock: lets a scheduled
    /// pass ask the database only for tickets old enough.
    pub fn min_hours(&self, since: Since, auto_close_days: f64) -> Option<f64> {
        match self {
            Condition::All(cs) => cs
                .iter()
                .filter_map(|c| c.min_hours(since, auto_close_days))
                .reduce(f64::max),
            Condition::Any(_) => None,
            Condition::Test(Test::HoursSince(s, true, h)) if *s == since => {
                Some(h.resolve(auto_close_days))
            }
            Condition::Test(_) => None,
        }
    }
}

impl Test {
    fn matches(&self, f: &Facts<'_>) -> bool {
        let lower = |s: &str| s.to_lowercase();
        match self {
            Test::Status(yes, set) => set.contains(&f.status) == *yes,
            Test::Priority(yes, set) => set.contains(&f.priority) == *yes,
            Test::PriorityAtLeast(p) => f.priority >= *p,
            Test::PriorityAtMost(p) => f.priority <= *p,
            Test::Organization(yes, set) => set.contains(&f.organization_id) == *yes,
            Test::Requester(yes, set) => set.contains(&f.requester_id) == *yes,
            Test::Assignee(yes, set) => set.contains(&f.assignee_id) == *yes,
            Test::Channel(yes, set) => set.iter().any(|c| c == f.channel) == *yes,
            Test::Tag(yes, tag) => f.tags.iter().any(|t| t == tag) == *yes,
            Test::Subject(yes, text) => lower(f.subject).contains(text.as_str()) == *yes,
            Test::Description(yes, text) => lower(f.description).contains(text.as_str()) == *yes,
            Test::BusinessHoursNow(v) => f.business_hours_now == *v,
            Test::HoursSince(since, at_least, hours) => {
                let h = match since {
                    Since::Status => f.hours_since_status,
                    Since::Update => f.hours_since_update,
                    Since::Created => f.hours_since_created,
                };
                let bound = hours.resolve(f.auto_close_days);
                if *at_least { h >= bound } else { h <= bound }
            }
        }
    }
}
