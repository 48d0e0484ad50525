//! The choices of the console's selects: statuses, priorities, sorts, agents and
//! organizations, each with the current value marked.

use helpdesk_domain::{Role, TicketStatus};
use helpdesk_service::Actor;
use helpdesk_service::Service;
use helpdesk_service::paging::PageRequest;
use helpdesk_storage::repo::Page;
use helpdesk_storage::repo::users::UserFilter;

use crate::error::WebError;

/// One `<option>`.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Options from `(value, label)` pairs, the current one selected; a current value that is
/// not among them (a hand-written URL) is shown as it is.
pub fn choices(pairs: &[(&str, &str)], current: &str) -> Vec<Choice> {
    let mut out: Vec<Choice> = pairs
        .iter()
        .map(|(v, l)| Choice {
            value: (*v).to_owned(),
            label: (*l).to_owned(),
            selected: *v == current,
        })
        .collect();
    if !current.is_empty() && !pairs.iter().any(|(v, _)| *v == current) {
        out.push(Choice {
            value: current.to_owned(),
            label: current.to_owned(),
            selected: true,
        });
    }
    out
}

pub const STATUS_FILTERS: &[(&str, &str)] = &[
    ("", "Any status"),
    ("NEW,OPEN,PENDING,ON_HOLD", "Not resolved"),
    ("NEW,OPEN", "New or open"),
    ("NEW", "New"),
    ("OPEN", "Open"),
    ("PENDING", "Pending"),
    ("ON_HOLD", "On hold"),
    ("RESOLVED", "Resolved"),
    ("CLOSED", "Closed"),
];

pub const PRIORITY_FILTERS: &[(&str, &str)] = &[
    ("", "Any priority"),
    ("URGENT", "Urgent"),
    ("HIGH", "High"),
    ("HIGH,URGENT", "High or urgent"),
    ("MEDIUM", "Medium"),
    ("LOW", "Low"),
];

pub const SORTS: &[(&str, &str)] = &[
    ("", "Newest first"),
    ("created_at", "Oldest first"),
    ("-updated_at", "Recently updated"),
    ("-priority", "Priority"),
    ("due", "SLA due soonest"),
];

pub const PRIORITIES: &[(&str, &str)] = &[
    ("LOW", "Low"),
    ("MEDIUM", "Medium"),
    ("HIGH", "High"),
    ("URGENT", "Urgent"),
];

/// Statuses a person may set by hand, as `(value, label)`.
pub fn statuses() -> Vec<(&'static str, &'static str)> {
    [
        TicketStatus::New,
        TicketStatus::Open,
        TicketStatus::Pending,
        TicketStatus::OnHold,
        TicketStatus::Resolved,
        TicketStatus::Closed,
    ]
    .into_iter()
    .map(|s| (s.as_str(), crate::display::status(s).label))
    .collect()
}

/// The workspace's staff (agents and admins) as `(id, name)`, by name.
pub async fn staff(service: &Service, actor: &Actor) -> Result<Vec<(String, String)>, WebError> {
    let mut out = Vec::new();
    for role in [Role::Agent, Role::Admin] {
        let filter = UserFilter {
            role: Some(role),
            organization_id: None,
            q: None,
        };
        let page = Page {
            limit: 200,
            after: None,
        };
        for u in service.users(actor, &filter, page).await? {
            if u.active {
                out.push((u.id.to_string(), u.name));
            }
        }
    }
    out.sort_by_key(|a| a.1.to_lowercase());
    Ok(out)
}

/// The workspace's organizations as `(id, name)` (the first 100, by creation).
pub async fn organizations(
    service: &Service,
    actor: &Actor,
) -> Result<Vec<(String, String)>, WebError> {
    let page = PageRequest {
        limit: Some(100),
        cursor: None,
    };
    let orgs = service.organizations(actor, None, page).await?;
    let mut out: Vec<(String, String)> = orgs
        .items
        .into_iter()
        .map(|o| (o.row.id.to_string(), o.row.name))
        .collect();
    out.sort_by_key(|a| a.1.to_lowercase());
    Ok(out)
}

/// Options for a select over `(id, name)` pairs, led by `leading` fixed choices.
pub fn named(leading: &[(&str, &str)], items: &[(String, String)], current: &str) -> Vec<Choice> {
    let mut pairs: Vec<(&str, &str)> = leading.to_vec();
    pairs.extend(items.iter().map(|(v, l)| (v.as_str(), l.as_str())));
    choices(&pairs, current)
}
