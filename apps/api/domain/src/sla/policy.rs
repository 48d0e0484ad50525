//! What an SLA policy promises: targets per metric for each priority, the statuses that
//! stop each metric's clock, and the terms one ticket is held to.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Priority, TicketStatus};

/// The three clocks of a ticket.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Creation → first public agent reply.
    FirstResponse,
    /// Oldest unanswered customer message → next public agent reply.
    NextResponse,
    /// Creation → `RESOLVED`.
    Resolution,
}

impl Metric {
    pub const ALL: [Metric; 3] = [
        Metric::FirstResponse,
        Metric::NextResponse,
        Metric::Resolution,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Metric::FirstResponse => "first_response",
            Metric::NextResponse => "next_response",
            Metric::Resolution => "resolution",
        }
    }
}

/// Minutes per metric; an absent metric has no target.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_response_minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_response_minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution_minutes: Option<i64>,
}

impl Targets {
    pub fn minutes(&self, m: Metric) -> Option<i64> {
        match m {
            Metric::FirstResponse => self.first_response_minutes,
            Metric::NextResponse => self.next_response_minutes,
            Metric::Resolution => self.resolution_minutes,
        }
    }
}

/// Statuses in which each metric's clock stops.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PauseOn {
    #[serde(default)]
    pub first_response: Vec<TicketStatus>,
    #[serde(default)]
    pub next_response: Vec<TicketStatus>,
    #[serde(default = "default_resolution_pauses")]
    pub resolution: Vec<TicketStatus>,
}

fn default_resolution_pauses() -> Vec<TicketStatus> {
    vec![TicketStatus::Pending, TicketStatus::OnHold]
}

impl Default for PauseOn {
    /// Reply metrics never pause; resolution pauses while waiting on the customer or a
    /// third party.
    fn default() -> Self {
        Self {
            first_response: Vec::new(),
            next_response: Vec::new(),
            resolution: default_resolution_pauses(),
        }
    }
}

impl PauseOn {
    pub fn pauses(&self, m: Metric, status: TicketStatus) -> bool {
        let list = match m {
            Metric::FirstResponse => &self.first_response,
            Metric::NextResponse => &self.next_response,
            Metric::Resolution => &self.resolution,
        };
        list.contains(&status)
    }
}

/// The terms one ticket is held to: a policy's targets for the ticket's priority. A copy
/// is kept with the ticket, so editing a policy changes tickets only when it is re-applied
/// to them (on a priority or organization change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub policy_id: Uuid,
    /// `None`: 24×7.
    pub calendar_id: Option<Uuid>,
    pub priority: Priority,
    pub targets: Targets,
    pub pause_on: PauseOn,
    /// 1–99.
    pub warn_at_percent: u8,
}
