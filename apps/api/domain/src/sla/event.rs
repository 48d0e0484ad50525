//! The append-only SLA steps of a ticket, each with the numbers that explain it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Metric;
use crate::Priority;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A policy's target started a cycle.
    Applied,
    /// The ticket entered a status that stops this metric's clock.
    Paused,
    /// The clock runs again; the deadline moved by the paused business time.
    Resumed,
    /// The metric was met (or ended by resolving the ticket).
    Fulfilled,
    /// `warn_at_percent` of the target has run.
    Warned,
    /// The deadline passed before the metric was fulfilled.
    Breached,
    /// A priority or organization change put other terms on the cycle, counted from its
    /// original start.
    Reapplied,
}

impl StepKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            StepKind::Applied => "applied",
            StepKind::Paused => "paused",
            StepKind::Resumed => "resumed",
            StepKind::Fulfilled => "fulfilled",
            StepKind::Warned => "warned",
            StepKind::Breached => "breached",
            StepKind::Reapplied => "reapplied",
        }
    }
}

/// The numbers behind a step; which are set depends on the kind. Instants are stored
/// microseconds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    /// `None` on `reapplied` when the new terms have no target for the metric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warn_at_percent: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused_from: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused_business_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed_business_minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warn_at: Option<i64>,
}

/// One step: `at` is when it happened (for `warned` and `breached` the threshold itself,
/// even when the sweep notices it a little later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub metric: Metric,
    pub kind: StepKind,
    pub cycle: u32,
    pub at: i64,
    pub data: StepData,
    /// For `fulfilled`: the cycle was met, never having breached.
    pub met: Option<bool>,
}
