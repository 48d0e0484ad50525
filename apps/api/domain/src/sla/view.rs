//! The live reading of a ticket's SLA at an instant: what `GET /tickets/{id}` shows.

use jiff::Timestamp;

use super::{Calendar, Metric, SlaState};
use crate::time::to_micros;

/// One metric at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MetricView {
    /// The running cycle's deadline; `None` when no clock runs for the metric.
    pub due_at: Option<i64>,
    /// The current cycle breached: recorded, or its deadline is past.
    pub breached: bool,
    pub paused: bool,
    /// Business minutes to the deadline (negative once overdue), when a clock runs.
    pub remaining_minutes: Option<i64>,
}

impl SlaState {
    pub fn view(&self, m: Metric, cal: &Calendar, now: Timestamp) -> MetricView {
        let Some(c) = self.cycles.get(&m) else {
            return MetricView::default();
        };
        let running = c.running() && c.due_at < i64::MAX;
        MetricView {
            due_at: running.then_some(c.due_at),
            breached: c.breached || (running && !c.paused() && to_micros(now) >= c.due_at),
            paused: c.paused(),
            remaining_minutes: running.then(|| c.remaining_minutes(cal, now)),
        }
    }

    /// Whether any running clock stands still.
    pub fn paused(&self) -> bool {
        self.cycles.values().any(|c| c.paused())
    }
}
