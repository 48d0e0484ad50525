//! The list's optional columns, in the order a view names them; the ticket's number and
//! subject always come first.

use helpdesk_service::tickets::saved_views::{COLUMNS, DEFAULT_COLUMNS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Requester,
    Status,
    Priority,
    Assignee,
    Sla,
    Updated,
    Created,
}

impl Col {
    pub fn from_key(k: &str) -> Option<Col> {
        Some(match k {
            "requester" => Col::Requester,
            "status" => Col::Status,
            "priority" => Col::Priority,
            "assignee" => Col::Assignee,
            "sla" => Col::Sla,
            "updated" => Col::Updated,
            "created" => Col::Created,
            _ => return None,
        })
    }

    pub const fn label(self) -> &'static str {
        match self {
            Col::Requester => "Requester",
            Col::Status => "Status",
            Col::Priority => "Priority",
            Col::Assignee => "Assignee",
            Col::Sla => "SLA",
            Col::Updated => "Updated",
            Col::Created => "Created",
        }
    }
}

/// The columns of `keys` (unknown ones skipped), or the default set.
pub fn of(keys: Option<&[String]>) -> Vec<Col> {
    match keys {
        Some(keys) => keys.iter().filter_map(|k| Col::from_key(k)).collect(),
        None => DEFAULT_COLUMNS
            .iter()
            .filter_map(|k| Col::from_key(k))
            .collect(),
    }
}

/// A checkbox of the view editor.
#[derive(Debug, Clone)]
pub struct ColumnChoice {
    pub key: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

/// Every column as a checkbox, those of `current` ticked.
pub fn choices(current: &[Col]) -> Vec<ColumnChoice> {
    COLUMNS
        .iter()
        .filter_map(|k| Col::from_key(k).map(|c| (*k, c)))
        .map(|(key, c)| ColumnChoice {
            key,
            label: c.label(),
            checked: current.contains(&c),
        })
        .collect()
}
