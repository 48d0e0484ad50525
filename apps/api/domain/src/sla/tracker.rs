//! A ticket's SLA state and how it follows the ticket's life: the policy attaches, statuses
//! pause and resume clocks, replies fulfil them, and time passing warns and breaches. Every
//! change returns the [`Step`]s that record it. Pure: callers pass the calendar and `now`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::cycle::{Cycle, Pause};
use super::event::{Step, StepData, StepKind};
use super::{Calendar, Metric, Terms};
use crate::TicketStatus;
use crate::time::from_micros;

/// What the tracker needs to know of the ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketFacts {
    pub created_at: i64,
    pub status: TicketStatus,
    /// Whether a public agent reply was ever written.
    pub answered: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaState {
    pub terms: Terms,
    pub cycles: BTreeMap<Metric, Cycle>,
}

fn finished(s: TicketStatus) -> bool {
    matches!(s, TicketStatus::Resolved | TicketStatus::Closed)
}

impl SlaState {
    /// Attaches `terms` to a ticket: at creation, or when a policy first applies to it.
    pub fn apply(terms: Terms, cal: &Calendar, t: TicketFacts, now: i64) -> (Self, Vec<Step>) {
        let mut s = SlaState {
            terms,
            cycles: BTreeMap::new(),
        };
        let steps = s.start_missing(cal, t, now);
        (s, steps)
    }

    fn step(&self, metric: Metric, kind: StepKind, at: i64) -> Step {
        let cycle = self.cycles.get(&metric).map_or(1, |c| c.number);
        Step {
            metric,
            kind,
            cycle,
            at,
            data: StepData::default(),
            met: None,
        }
    }

    /// The data of `applied` / `reapplied`: everything the deadline is computed from.
    fn terms_step(&self, metric: Metric, kind: StepKind, at: i64) -> Step {
        let mut s = self.step(metric, kind, at);
        s.data.policy_id = Some(self.terms.policy_id);
        s.data.calendar_id = self.terms.calendar_id;
        s.data.priority = Some(self.terms.priority);
        s.data.warn_at_percent = Some(self.terms.warn_at_percent);
        if let Some(c) = self.cycles.get(&metric) {
            s.data.target_minutes = Some(c.target_minutes);
            s.data.started_at = Some(c.started_at);
            s.data.due_at = Some(c.due_at);
            s.data.warn_at = Some(c.warn_at);
        }
        s
    }

    /// Starts the first-response and resolution cycles the terms ask for and the ticket
    /// still needs, counted from the ticket's creation.
    fn start_missing(&mut self, cal: &Calendar, t: TicketFacts, now: i64) -> Vec<Step> {
        let mut steps = Vec::new();
        for m in [Metric::FirstResponse, Metric::Resolution] {
            let Some(target) = self.terms.targets.minutes(m) else {
                continue;
            };
            if self.cycles.contains_key(&m)
                || finished(t.status)
                || (m == Metric::FirstResponse && t.answered)
            {
                continue;
            }
            self.cycles.insert(m, Cycle::new(1, target, t.created_at));
            steps.extend(self.begin(cal, m, t.status, now));
        }
        steps
    }

    /// Records a just-inserted cycle, paused at once if the status says so.
    fn begin(&mut self, cal: &Calendar, m: Metric, status: TicketStatus, now: i64) -> Vec<Step> {
        let pct = self.terms.warn_at_percent;
        let pause = self.terms.pause_on.pauses(m, status);
        let Some(c) = self.cycles.get_mut(&m) else {
            return Vec::new();
        };
        c.recompute(cal, pct);
        let mut steps = vec![self.terms_step(m, StepKind::Applied, now)];
        if pause {
            steps.extend(self.pause(m, now));
        }
        steps
    }

    fn pause(&mut self, m: Metric, now: i64) -> Option<Step> {
        let c = self.cycles.get_mut(&m)?;
        if !c.running() || c.paused() {
            return None;
        }
        c.pauses.push(Pause {
            from: now,
            to: None,
        });
        Some(self.step(m, StepKind::Paused, now))
    }

    /// Closes an open pause at `now` and moves the deadline; `None` if not paused.
    fn resume(&mut self, cal: &Calendar, m: Metric, now: i64) -> Option<Step> {
        let pct = self.terms.warn_at_percent;
        let c = self.cycles.get_mut(&m)?;
        if !c.paused() {
            return None;
        }
        let last = c.pauses.last_mut()?;
        last.to = Some(now);
        let from = last.from;
        c.recompute(cal, pct);
        let mut s = self.step(m, StepKind::Resumed, now);
        let c = self.cycles.get(&m)?;
        s.data.paused_from = Some(from);
        s.data.paused_business_seconds =
            Some(cal.seconds_between(from_micros(from), from_micros(now)));
        s.data.due_at = Some(c.due_at);
        s.data.warn_at = Some(c.warn_at);
        Some(s)
    }

    /// Pauses or resumes `m` to match `status`.
    fn follow_status(
        &mut self,
        cal: &Calendar,
        m: Metric,
        status: TicketStatus,
        now: i64,
    ) -> Option<Step> {
        if self.terms.pause_on.pauses(m, status) {
            self.pause(m, now)
        } else {
            self.resume(cal, m, now)
        }
    }

    fn fulfil(&mut self, cal: &Calendar, m: Metric, now: i64) -> Option<Step> {
        let c = self.cycles.get_mut(&m)?;
        if !c.running() {
            return None;
        }
        if let Some(p) = c.pauses.last_mut().filter(|p| p.to.is_none()) {
            p.to = Some(now);
        }
        c.fulfilled_at = Some(now);
        let elapsed = c.elapsed_seconds(cal, now) / 60;
        let due = c.due_at;
        let met = !c.breached;
        let mut s = self.step(m, StepKind::Fulfilled, now);
        s.met = Some(met);
        s.data.elapsed_business_minutes = Some(elapsed);
        s.data.due_at = Some(due);
        Some(s)
    }

    /// Records the warnings and breaches whose moment has come by `now`, once per cycle.
    /// A paused clock is judged at the pause's start, a fulfilled one at its fulfilment.
    pub fn catch_up(&mut self, now: i64) -> Vec<Step> {
        let mut steps = Vec::new();
        for (m, c) in self.cycles.iter_mut() {
            let at = match (c.fulfilled_at, c.pauses.last()) {
                (Some(f), _) => f,
                (None, Some(p)) if p.to.is_none() => p.from.min(now),
                _ => now,
            };
            for (kind, threshold, done) in [
                (StepKind::Warned, c.warn_at, &mut c.warned),
                (StepKind::Breached, c.due_at, &mut c.breached),
            ] {
                if !*done && at >= threshold {
                    *done = true;
                    let mut data = StepData::default();
                    if kind == StepKind::Warned {
                        data.warn_at = Some(threshold);
                    } else {
                        data.due_at = Some(threshold);
                    }
                    steps.push(Step {
                        metric: *m,
                        kind,
                        cycle: c.number,
                        at: threshold,
                        data,
                        met: None,
                    });
                }
            }
        }
        steps
    }

    /// The ticket moved from `from` to `to`.
    pub fn status_changed(
        &mut self,
        cal: &Calendar,
        from: TicketStatus,
        to: TicketStatus,
        now: i64,
    ) -> Vec<Step> {
        let mut steps = Vec::new();
        if finished(to) {
            for m in Metric::ALL {
                steps.extend(self.fulfil(cal, m, now));
            }
            return steps;
        }
        if from == TicketStatus::Resolved {
            steps.extend(self.reopen(cal, now));
        }
        for m in Metric::ALL {
            steps.extend(self.follow_status(cal, m, to, now));
        }
        steps
    }

    /// Reopening resumes resolution: the time spent resolved counts as a pause.
    fn reopen(&mut self, cal: &Calendar, now: i64) -> Option<Step> {
        let c = self.cycles.get_mut(&Metric::Resolution)?;
        let resolved_at = c.fulfilled_at.take()?;
        c.pauses.push(Pause {
            from: resolved_at,
            to: None,
        });
        self.resume(cal, Metric::Resolution, now)
    }

    /// A public agent reply fulfils first and next response.
    pub fn agent_replied(&mut self, cal: &Calendar, now: i64) -> Vec<Step> {
        [Metric::FirstResponse, Metric::NextResponse]
            .into_iter()
            .filter_map(|m| self.fulfil(cal, m, now))
            .collect()
    }

    /// A public customer message starts a next-response cycle unless one already waits, or
    /// the first response is still owed (its own clock covers the wait).
    pub fn customer_replied(&mut self, cal: &Calendar, t: TicketFacts, now: i64) -> Vec<Step> {
        let m = Metric::NextResponse;
        let Some(target) = self.terms.targets.minutes(m) else {
            return Vec::new();
        };
        let previous = self.cycles.get(&m);
        if !t.answered || previous.is_some_and(Cycle::running) {
            return Vec::new();
        }
        let number = previous.map_or(1, |c| c.number + 1);
        self.cycles.insert(m, Cycle::new(number, target, now));
        self.begin(cal, m, t.status, now)
    }

    /// New terms (a priority or organization change) on the running cycles, counted from
    /// their original start; cycles the new terms lack a target for end, and cycles they
    /// add start from the ticket's creation. Fulfilled cycles stay as they were.
    pub fn reapply(&mut self, terms: Terms, cal: &Calendar, t: TicketFacts, now: i64) -> Vec<Step> {
        let mut steps = Vec::new();
        self.terms = terms;
        for m in Metric::ALL {
            let Some(c) = self.cycles.get(&m) else {
                continue;
            };
            if !c.running() {
                continue;
            }
            match self.terms.targets.minutes(m) {
                None => {
                    let mut s = self.terms_step(m, StepKind::Reapplied, now);
                    s.data.target_minutes = None;
                    s.data.started_at = None;
                    s.data.due_at = None;
                    s.data.warn_at = None;
                    self.cycles.remove(&m);
                    steps.push(s);
                }
                Some(target) => {
                    steps.extend(self.follow_status(cal, m, t.status, now));
                    let pct = self.terms.warn_at_percent;
                    if let Some(c) = self.cycles.get_mut(&m) {
                        c.target_minutes = target;
                        c.recompute(cal, pct);
                    }
                    steps.push(self.terms_step(m, StepKind::Reapplied, now));
                }
            }
        }
        steps.extend(self.start_missing(cal, t, now));
        steps
    }

    /// Ends every running cycle without fulfilment: no policy applies any more.
    pub fn detach(&self, now: i64) -> Vec<Step> {
        self.cycles
            .iter()
            .filter(|(_, c)| c.running())
            .map(|(m, _)| {
                let mut s = self.step(*m, StepKind::Reapplied, now);
                s.data.target_minutes = None;
                s
            })
            .collect()
    }

    fn live(&self) -> impl Iterator<Item = &Cycle> {
        self.cycles.values().filter(|c| c.running() && !c.paused())
    }

    /// The earliest deadline of a running clock, for `sort=due`.
    pub fn due_at(&self) -> Option<i64> {
        self.live()
            .map(|c| c.due_at)
            .filter(|d| *d < i64::MAX)
            .min()
    }

    /// The earliest warning moment of a running clock, for `sla=at_risk`.
    pub fn warn_at(&self) -> Option<i64> {
        self.live()
            .map(|c| c.warn_at)
            .filter(|d| *d < i64::MAX)
            .min()
    }

    /// Whether any current cycle has breached.
    pub fn breached(&self) -> bool {
        self.cycles.values().any(|c| c.breached)
    }

    /// When the sweep must next look at this ticket: the earliest warning or deadline not
    /// yet recorded of a running clock.
    pub fn next_check(&self) -> Option<i64> {
        self.live()
            .flat_map(|c| {
                [
                    (!c.warned).then_some(c.warn_at),
                    (!c.breached).then_some(c.due_at),
                ]
            })
            .flatten()
            .filter(|d| *d < i64::MAX)
            .min()
    }
}
