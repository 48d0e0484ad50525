//! The SLA tracker through whole ticket lives, with the numbers of docs/sla.md's example.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use uuid::Uuid;

use super::*;
use crate::time::{from_micros, to_micros};
use crate::{Priority, TicketStatus as S};

fn madrid_office() -> Calendar {
    let day = vec![Interval {
        start: 9 * 60,
        end: 17 * 60,
    }];
    let mut weekly: [Vec<Interval>; 7] = std::array::from_fn(|_| Vec::new());
    for d in weekly.iter_mut().take(5) {
        *d = day.clone();
    }
    Calendar::new("Europe/Madrid", weekly, BTreeSet::new()).unwrap()
}

/// `"2026-03-02 16:00"` in Madrid, stored.
fn at(local: &str) -> i64 {
    let dt: DateTime = local.parse().unwrap();
    to_micros(
        dt.to_zoned(TimeZone::get("Europe/Madrid").unwrap())
            .unwrap()
            .timestamp(),
    )
}

fn local(us: i64) -> String {
    from_micros(us)
        .to_zoned(TimeZone::get("Europe/Madrid").unwrap())
        .strftime("%a %H:%M")
        .to_string()
}

fn terms(fr: Option<i64>, nr: Option<i64>, res: Option<i64>) -> Terms {
    Terms {
        policy_id: Uuid::nil(),
        calendar_id: None,
        priority: Priority::High,
        targets: Targets {
            first_response_minutes: fr,
            next_response_minutes: nr,
            resolution_minutes: res,
        },
        pause_on: PauseOn::default(),
        warn_at_percent: 80,
    }
}

fn facts(created: i64, status: S, answered: bool) -> TicketFacts {
    TicketFacts {
        created_at: created,
        status,
        answered,
    }
}

fn kinds(steps: &[Step]) -> Vec<(Metric, StepKind)> {
    steps.iter().map(|s| (s.metric, s.kind)).collect()
}

#[test]
fn worked_example_of_the_docs() {
    let cal = madrid_office();
    let created = at("2026-03-02 16:00");
    let (mut s, steps) = SlaState::apply(
        terms(Some(60), Some(120), Some(480)),
        &cal,
        facts(created, S::New, false),
        created,
    );
    assert_eq!(steps.len(), 2);
    let fr = &s.cycles[&Metric::FirstResponse];
    assert_eq!(local(fr.due_at), "Mon 17:00");
    assert_eq!(local(fr.warn_at), "Mon 16:48");
    let res = &s.cycles[&Metric::Resolution];
    assert_eq!(local(res.due_at), "Tue 16:00");
    assert_eq!(local(res.warn_at), "Tue 14:24");
    assert_eq!(local(s.next_check().unwrap()), "Mon 16:48");

    // Overnight the first response breaches; the reply the next morning fulfils it late.
    let now = at("2026-03-03 09:30");
    let caught = s.catch_up(now);
    assert_eq!(
        kinds(&caught),
        [
            (Metric::FirstResponse, StepKind::Warned),
            (Metric::FirstResponse, StepKind::Breached)
        ]
    );
    assert_eq!(caught[1].at, at("2026-03-02 17:00"));
    assert!(s.catch_up(now).is_empty(), "recorded once");
    let done = s.agent_replied(&cal, now);
    assert_eq!(kinds(&done), [(Metric::FirstResponse, StepKind::Fulfilled)]);
    assert_eq!(done[0].data.elapsed_business_minutes, Some(90));

    // Waiting on the customer stops resolution; the customer's answer resumes it.
    let steps = s.status_changed(&cal, S::Open, S::Pending, at("2026-03-03 10:00"));
    assert_eq!(kinds(&steps), [(Metric::Resolution, StepKind::Paused)]);
    assert_eq!(s.due_at(), None, "a paused clock has no running deadline");
    assert_eq!(s.next_check(), None);
    let back = at("2026-03-04 11:00");
    let steps = s.status_changed(&cal, S::Pending, S::Open, back);
    assert_eq!(kinds(&steps), [(Metric::Resolution, StepKind::Resumed)]);
    assert_eq!(steps[0].data.paused_business_seconds, Some(540 * 60));
    assert_eq!(local(s.cycles[&Metric::Resolution].due_at), "Wed 17:00");
    let steps = s.customer_replied(&cal, facts(created, S::Open, true), back);
    assert_eq!(kinds(&steps), [(Metric::NextResponse, StepKind::Applied)]);
    assert_eq!(local(s.cycles[&Metric::NextResponse].due_at), "Wed 13:00");
    assert_eq!(local(s.due_at().unwrap()), "Wed 13:00");

    let steps = s.agent_replied(&cal, at("2026-03-04 12:00"));
    assert_eq!(steps[0].data.elapsed_business_minutes, Some(60));
    let steps = s.status_changed(&cal, S::Open, S::Resolved, at("2026-03-04 15:00"));
    assert_eq!(kinds(&steps), [(Metric::Resolution, StepKind::Fulfilled)]);
    assert_eq!(steps[0].data.elapsed_business_minutes, Some(360));

    // Reopening resumes resolution: the time spent resolved does not count.
    let reopen = at("2026-03-05 10:00");
    let steps = s.status_changed(&cal, S::Resolved, S::Open, reopen);
    assert_eq!(kinds(&steps), [(Metric::Resolution, StepKind::Resumed)]);
    assert_eq!(local(s.cycles[&Metric::Resolution].due_at), "Thu 12:00");
    s.customer_replied(&cal, facts(created, S::Open, true), reopen);
    let nr = &s.cycles[&Metric::NextResponse];
    assert_eq!((nr.number, local(nr.due_at)), (2, "Thu 12:00".into()));
    assert!(s.breached(), "the first response breach stands");
}

#[test]
fn a_priority_change_counts_from_the_original_start() {
    let cal = Calendar::always();
    let t0 = to_micros(Timestamp::UNIX_EPOCH);
    let min = 60_000_000;
    let (mut s, _) = SlaState::apply(
        terms(None, None, Some(960)),
        &cal,
        facts(t0, S::Open, false),
        t0,
    );
    let mut urgent = terms(None, None, Some(240));
    urgent.priority = Priority::Urgent;
    let steps = s.reapply(urgent, &cal, facts(t0, S::Open, false), t0 + 100 * min);
    assert_eq!(kinds(&steps), [(Metric::Resolution, StepKind::Reapplied)]);
    assert_eq!(s.cycles[&Metric::Resolution].due_at, t0 + 240 * min);
    assert_eq!(steps[0].data.started_at, Some(t0));
    // Terms without the metric end its cycle; new ones start from creation.
    let steps = s.reapply(
        terms(Some(30), None, None),
        &cal,
        facts(t0, S::Open, false),
        t0 + 200 * min,
    );
    assert_eq!(
        kinds(&steps),
        [
            (Metric::Resolution, StepKind::Reapplied),
            (Metric::FirstResponse, StepKind::Applied)
        ]
    );
    assert_eq!(steps[0].data.target_minutes, None);
    assert_eq!(s.cycles[&Metric::FirstResponse].due_at, t0 + 30 * min);
    assert_eq!(
        s.catch_up(t0 + 200 * min).len(),
        2,
        "warned and breached at once"
    );
}

#[test]
fn a_pause_after_the_deadline_moves_nothing() {
    let cal = Calendar::always();
    let t0 = 0;
    let min = 60_000_000;
    let (mut s, _) = SlaState::apply(
        terms(None, None, Some(10)),
        &cal,
        facts(t0, S::Open, false),
        t0,
    );
    let steps = s.status_changed(&cal, S::Open, S::OnHold, 15 * min);
    assert_eq!(
        kinds(&steps),
        [(Metric::Resolution, StepKind::Paused)],
        "the breach is caught up by the caller, not lost"
    );
    assert_eq!(kinds(&s.catch_up(15 * min)).len(), 2);
    s.status_changed(&cal, S::OnHold, S::Open, 50 * min);
    assert_eq!(s.cycles[&Metric::Resolution].due_at, 10 * min);
    let v = s.view(Metric::Resolution, &cal, from_micros(50 * min));
    assert!(v.breached);
    assert_eq!(v.remaining_minutes, Some(-40));
}

#[test]
fn paused_view_freezes_the_remaining_minutes() {
    let cal = Calendar::always();
    let min = 60_000_000;
    let (mut s, _) = SlaState::apply(
        terms(None, None, Some(100)),
        &cal,
        facts(0, S::Open, false),
        0,
    );
    s.status_changed(&cal, S::Open, S::Pending, 30 * min);
    for later in [31, 500] {
        let v = s.view(Metric::Resolution, &cal, from_micros(later * min));
        assert!(v.paused && !v.breached);
        assert_eq!(v.remaining_minutes, Some(70));
    }
    s.status_changed(&cal, S::Pending, S::Open, 500 * min);
    let v = s.view(Metric::Resolution, &cal, from_micros(500 * min));
    assert_eq!((v.due_at, v.remaining_minutes), (Some(570 * min), Some(70)));
}

#[test]
fn replies_only_start_next_response_once_answered_and_not_waiting() {
    let cal = Calendar::always();
    let (mut s, _) = SlaState::apply(
        terms(Some(10), Some(10), None),
        &cal,
        facts(0, S::New, false),
        0,
    );
    assert!(
        s.customer_replied(&cal, facts(0, S::New, false), 5)
            .is_empty()
    );
    s.agent_replied(&cal, 6);
    assert_eq!(
        s.customer_replied(&cal, facts(0, S::Open, true), 7).len(),
        1
    );
    assert!(
        s.customer_replied(&cal, facts(0, S::Open, true), 8)
            .is_empty(),
        "the oldest waits"
    );
    assert_eq!(s.cycles[&Metric::NextResponse].started_at, 7);
}

#[test]
fn state_round_trips_through_json() {
    let cal = madrid_office();
    let (s, _) = SlaState::apply(
        terms(Some(1), Some(2), Some(3)),
        &cal,
        facts(0, S::New, false),
        0,
    );
    let back: SlaState = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(back, s);
}
