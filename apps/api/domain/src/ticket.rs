//! Ticket value types: status, priority and tags.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TicketStatus {
    New,
    Open,
    /// Waiting on the customer.
    Pending,
    /// Waiting on a third party.
    OnHold,
    Resolved,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be one of {0}")]
pub struct UnknownValue(pub &'static str);

impl TicketStatus {
    pub const ALL: [TicketStatus; 6] = [
        TicketStatus::New,
        TicketStatus::Open,
        TicketStatus::Pending,
        TicketStatus::OnHold,
        TicketStatus::Resolved,
        TicketStatus::Closed,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            TicketStatus::New => "NEW",
            TicketStatus::Open => "OPEN",
            TicketStatus::Pending => "PENDING",
            TicketStatus::OnHold => "ON_HOLD",
            TicketStatus::Resolved => "RESOLVED",
            TicketStatus::Closed => "CLOSED",
        }
    }
}

impl FromStr for TicketStatus {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or(UnknownValue(
                "NEW, OPEN, PENDING, ON_HOLD, RESOLVED, CLOSED",
            ))
    }
}

impl fmt::Display for TicketStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Priorities in rising order; the rank is what is stored and sorted on.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum Priority {
    Low,
    #[default]
    Medium,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Medium,
        Priority::High,
        Priority::Urgent,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "LOW",
            Priority::Medium => "MEDIUM",
            Priority::High => "HIGH",
            Priority::Urgent => "URGENT",
        }
    }

    pub const fn rank(self) -> i16 {
        match self {
            Priority::Low => 1,
            Priority::Medium => 2,
            Priority::High => 3,
            Priority::Urgent => 4,
        }
    }

    pub fn from_rank(rank: i16) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.rank() == rank)
    }
}

impl FromStr for Priority {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or(UnknownValue("LOW, MEDIUM, HIGH, URGENT"))
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Normalises tags: trimmed, lower-cased, deduplicated in first-seen order.
/// A tag is 1–50 characters of letters, digits, `-`, `_`, `:` or `.`; at most 20 tags.
pub fn normalize_tags(raw: &[String]) -> Result<Vec<String>, String> {
    if raw.len() > 20 {
        return Err("at most 20 tags".into());
    }
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for t in raw {
        let tag = t.trim().to_lowercase();
        let ok = (1..=50).contains(&tag.chars().count())
            && tag
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'));
        if !ok {
            return Err(format!("invalid tag {t:?}: 1-50 letters, digits, - _ : ."));
        }
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    Ok(out)
}

/// What another ticket is to this one: `RELATED`, its `PARENT` or its `CHILD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LinkKind {
    Related,
    Parent,
    Child,
}

impl LinkKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            LinkKind::Related => "RELATED",
            LinkKind::Parent => "PARENT",
            LinkKind::Child => "CHILD",
        }
    }

    /// The same link seen from the other ticket.
    pub const fn inverse(self) -> Self {
        match self {
            LinkKind::Related => LinkKind::Related,
            LinkKind::Parent => LinkKind::Child,
            LinkKind::Child => LinkKind::Parent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_rank() {
        for s in TicketStatus::ALL {
            assert_eq!(s.as_str().parse::<TicketStatus>().ok(), Some(s));
        }
        assert!("BOGUS".parse::<TicketStatus>().is_err());
        for p in Priority::ALL {
            assert_eq!(Priority::from_rank(p.rank()), Some(p));
        }
        assert!(Priority::Urgent.rank() > Priority::High.rank());
        assert_eq!(Priority::default(), Priority::Medium);
    }

    #[test]
    fn tags_are_normalised() {
        let tags = normalize_tags(&[" VPN ".into(), "vpn".into(), "site:madrid".into()]);
        assert_eq!(tags, Ok(vec!["vpn".to_owned(), "site:madrid".to_owned()]));
        assert!(normalize_tags(&["two words".into()]).is_err());
        assert!(normalize_tags(&["".into()]).is_err());
        assert!(normalize_tags(&vec!["a".to_owned(); 21]).is_err());
    }
}
