//! One run of a metric's clock, from its start to its fulfilment with the pauses in
//! between, and the pure arithmetic that turns it into a deadline.
//!
//! The rule: a deadline is the instant at which the clock has run for the target in
//! business time. Time inside a pause does not count, so a pause that begins before the
//! deadline moves it out by the business time the pause lasted; a pause that begins after
//! the deadline (already missed) moves nothing.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::Calendar;
use crate::time::{from_micros, to_micros};

/// A span in which the clock stood still; `to` is `None` while it lasts. Instants are
/// stored microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub from: i64,
    pub to: Option<i64>,
}

/// A metric's current cycle. `next_response` starts a new cycle at each customer message
/// that waits for an answer; the other metrics have one cycle per ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cycle {
    pub number: u32,
    pub target_minutes: i64,
    pub started_at: i64,
    pub pauses: Vec<Pause>,
    pub due_at: i64,
    pub warn_at: i64,
    pub fulfilled_at: Option<i64>,
    pub warned: bool,
    pub breached: bool,
}

/// The instant at which `active_seconds` of business time have run since `start`, with
/// the closed `pauses` (in order) not counting. An open pause is ignored: its end is not
/// known yet. `None` only for a calendar without hours.
pub fn deadline(cal: &Calendar, start: i64, active_seconds: i64, pauses: &[Pause]) -> Option<i64> {
    deadline_and_pauses(cal, start, active_seconds, pauses).map(|(due, _)| due)
}

/// [`deadline`] and the paused business seconds that moved it (those of the pauses that
/// began before it).
pub fn deadline_and_pauses(
    cal: &Calendar,
    start: i64,
    active_seconds: i64,
    pauses: &[Pause],
) -> Option<(i64, i64)> {
    let mut due = cal.add_seconds(from_micros(start), active_seconds)?;
    let mut counted = 0;
    for p in pauses {
        let Some(to) = p.to else { continue };
        let from = from_micros(p.from);
        if from >= due {
            break;
        }
        let paused = cal.seconds_between(from, from_micros(to));
        counted += paused;
        due = cal.add_seconds(due, paused)?;
    }
    Some((to_micros(due), counted))
}

/// The part of a target at which to warn, in seconds.
pub fn warn_seconds(target_minutes: i64, warn_at_percent: u8) -> i64 {
    target_minutes
        .saturating_mul(60)
        .saturating_mul(i64::from(warn_at_percent))
        / 100
}

impl Cycle {
    pub fn new(number: u32, target_minutes: i64, started_at: i64) -> Self {
        Self {
            number,
            target_minutes,
            started_at,
            pauses: Vec::new(),
            due_at: started_at,
            warn_at: started_at,
            fulfilled_at: None,
            warned: false,
            breached: false,
        }
    }

    pub fn running(&self) -> bool {
        self.fulfilled_at.is_none()
    }

    pub fn paused(&self) -> bool {
        self.running() && self.pauses.last().is_some_and(|p| p.to.is_none())
    }

    /// Recomputes `due_at` and `warn_at` from the start, the target and the pauses.
    pub fn recompute(&mut self, cal: &Calendar, warn_at_percent: u8) {
        let target = self.target_minutes.saturating_mul(60);
        let far = i64::MAX;
        self.due_at = deadline(cal, self.started_at, target, &self.pauses).unwrap_or(far);
        self.warn_at = deadline(
            cal,
            self.started_at,
            warn_seconds(self.target_minutes, warn_at_percent),
            &self.pauses,
        )
        .unwrap_or(far);
    }

    /// Business seconds the clock ran from the start until `until`, pauses excluded.
    pub fn elapsed_seconds(&self, cal: &Calendar, until: i64) -> i64 {
        let until_t = from_micros(until);
        let total = cal.seconds_between(from_micros(self.started_at), until_t);
        let paused: i64 = self
            .pauses
            .iter()
            .map(|p| {
                let to = p.to.map_or(until_t, from_micros).min(until_t);
                cal.seconds_between(from_micros(p.from), to)
            })
            .sum();
        total - paused
    }

    /// Business minutes left before the deadline at `now` (negative once overdue); frozen
    /// at the pause's start while paused.
    pub fn remaining_minutes(&self, cal: &Calendar, now: Timestamp) -> i64 {
        let at = match self.pauses.last() {
            Some(p) if self.paused() => from_micros(p.from),
            _ => now,
        };
        let due = from_micros(self.due_at);
        if at <= due {
            cal.seconds_between(at, due) / 60
        } else {
            -(cal.seconds_between(due, at) / 60)
        }
    }
}
