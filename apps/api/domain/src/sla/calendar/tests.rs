//! Pinned examples (DST days in Madrid and New York, holidays, overnight splits) and
//! properties of the calendar arithmetic.

use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::civil::date;
use proptest::prelude::*;

use super::*;

fn office(zone: &str, holidays: &[Date]) -> Calendar {
    let nine_to_five = vec![Interval {
        start: 9 * 60,
        end: 17 * 60,
    }];
    let mut weekly: [Vec<Interval>; 7] = std::array::from_fn(|_| Vec::new());
    for day in weekly.iter_mut().take(5) {
        *day = nine_to_five.clone();
    }
    Calendar::new(zone, weekly, holidays.iter().copied().collect())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn at(zone: &str, y: i16, mo: i8, d: i8, h: i8, mi: i8) -> Timestamp {
    date(y, mo, d)
        .at(h, mi, 0, 0)
        .in_tz(zone)
        .unwrap_or_else(|e| panic!("{e}"))
        .timestamp()
}

#[test]
fn office_hours_skip_nights_weekends_and_holidays() {
    let z = "Europe/Madrid";
    let cal = office(z, &[date(2026, 12, 25)]);
    // Thursday 16:30 + 60 min = Friday 09:30 (the 25th is a holiday, so Thursday 24th...)
    let thu = at(z, 2026, 12, 24, 16, 30);
    assert_eq!(
        cal.add_minutes(thu, 60),
        Some(at(z, 2026, 12, 28, 9, 30)),
        "over the holiday and the weekend"
    );
    assert_eq!(cal.minutes_between(thu, at(z, 2026, 12, 28, 9, 30)), 60);
    // Outside hours, the clock starts at the next opening.
    let night = at(z, 2026, 12, 1, 22, 0);
    assert_eq!(cal.add_minutes(night, 30), Some(at(z, 2026, 12, 2, 9, 30)));
    // A target of zero is the start itself.
    assert_eq!(cal.add_minutes(night, 0), Some(night));
    // Exactly the end of a day.
    assert_eq!(
        cal.add_minutes(at(z, 2026, 12, 1, 9, 0), 480),
        Some(at(z, 2026, 12, 1, 17, 0))
    );
}

#[test]
fn dst_days_count_their_real_length() {
    // An overnight desk 00:00-06:00 every day.
    let night: [Vec<Interval>; 7] = std::array::from_fn(|_| {
        vec![Interval {
            start: 0,
            end: 6 * 60,
        }]
    });
    for (z, spring, fall) in [
        ("Europe/Madrid", date(2026, 3, 29), date(2026, 10, 25)),
        ("America/New_York", date(2026, 3, 8), date(2026, 11, 1)),
    ] {
        let cal =
            Calendar::new(z, night.clone(), BTreeSet::new()).unwrap_or_else(|e| panic!("{e}"));
        let midnight = |d: Date| {
            d.at(0, 0, 0, 0)
                .in_tz(z)
                .unwrap_or_else(|e| panic!("{e}"))
                .timestamp()
        };
        let six = |d: Date| {
            d.at(6, 0, 0, 0)
                .in_tz(z)
                .unwrap_or_else(|e| panic!("{e}"))
                .timestamp()
        };
        assert_eq!(
            cal.minutes_between(midnight(spring), six(spring)),
            5 * 60,
            "{z}: spring forward loses an hour"
        );
        assert_eq!(
            cal.minutes_between(midnight(fall), six(fall)),
            7 * 60,
            "{z}: fall back repeats an hour"
        );
        // 5 business hours from midnight on the spring day end at 06:00 local.
        assert_eq!(
            cal.add_minutes(midnight(spring), 300),
            Some(six(spring)),
            "{z}"
        );
        assert_eq!(cal.add_minutes(midnight(fall), 420), Some(six(fall)), "{z}");
    }
    // Madrid office hours are unaffected by the 02:00/03:00 change on a Sunday-Monday.
    let z = "Europe/Madrid";
    let cal = office(z, &[]);
    assert_eq!(
        cal.add_minutes(at(z, 2026, 3, 27, 16, 0), 120),
        Some(at(z, 2026, 3, 30, 10, 0))
    );
}

#[test]
fn validation() {
    let mut bad: [Vec<Interval>; 7] = std::array::from_fn(|_| Vec::new());
    bad[0] = vec![Interval {
        start: 600,
        end: 500,
    }];
    assert!(matches!(
        Calendar::new("UTC", bad, BTreeSet::new()),
        Err(CalendarError::BadInterval("mon"))
    ));
    let mut overlap: [Vec<Interval>; 7] = std::array::from_fn(|_| Vec::new());
    overlap[2] = vec![
        Interval {
            start: 540,
            end: 720,
        },
        Interval {
            start: 700,
            end: 800,
        },
    ];
    assert!(matches!(
        Calendar::new("UTC", overlap, BTreeSet::new()),
        Err(CalendarError::Overlap("wed"))
    ));
    assert!(matches!(
        Calendar::new(
            "Mars/Olympus",
            std::array::from_fn(|_| Vec::new()),
            BTreeSet::new()
        ),
        Err(CalendarError::UnknownZone(_))
    ));
    let closed = Calendar::new("UTC", std::array::from_fn(|_| Vec::new()), BTreeSet::new())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(closed.add_minutes(Timestamp::UNIX_EPOCH, 1), None);
}

fn calendars() -> impl Strategy<Value = Calendar> {
    let zones = prop_oneof![
        Just("Europe/Madrid"),
        Just("America/New_York"),
        Just("Asia/Kolkata"),
        Just("UTC")
    ];
    let day = prop::collection::vec((0u16..1440, 1u16..600), 0..3);
    (
        zones,
        prop::array::uniform7(day),
        prop::collection::btree_set(0i32..730, 0..10),
    )
        .prop_filter_map("a valid calendar", |(z, days, hol)| {
            let weekly: [Vec<Interval>; 7] = days.map(|ivs| {
                let mut out: Vec<Interval> = ivs
                    .into_iter()
                    .map(|(s, len)| Interval {
                        start: s,
                        end: (s + len).min(1440),
                    })
                    .collect();
                out.sort();
                out.dedup_by(|b, a| b.start < a.end);
                out
            });
            let base = date(2026, 1, 1);
            let holidays = hol
                .into_iter()
                .filter_map(|d| base.checked_add(jiff::Span::new().days(d)).ok())
                .collect();
            Calendar::new(z, weekly, holidays)
                .ok()
                .filter(Calendar::has_hours)
        })
}

fn instants() -> impl Strategy<Value = Timestamp> {
    // 2026-2027, to the second.
    (1_767_225_600i64..1_830_297_600)
        .prop_map(|s| Timestamp::from_second(s).unwrap_or(Timestamp::UNIX_EPOCH))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn adding_then_measuring_gives_the_minutes_back(cal in calendars(), start in instants(), minutes in 0i64..20_000) {
        let due = cal.add_minutes(start, minutes).unwrap_or(Timestamp::MAX);
        prop_assume!(due != Timestamp::MAX);
        prop_assert_eq!(cal.seconds_between(start, due), minutes * 60);
    }

    #[test]
    fn due_times_are_monotonic(cal in calendars(), start in instants(), a in 0i64..10_000, b in 0i64..10_000, shift in 0i64..200_000) {
        let (lo, hi) = (a.min(b), a.max(b));
        let d_lo = cal.add_minutes(start, lo);
        let d_hi = cal.add_minutes(start, hi);
        prop_assert!(d_lo <= d_hi);
        let later = start.checked_add(SignedDuration::from_secs(shift)).unwrap_or(start);
        prop_assert!(cal.add_minutes(start, hi) <= cal.add_minutes(later, hi));
    }

    #[test]
    fn due_times_lie_in_business_hours(cal in calendars(), start in instants(), minutes in 1i64..10_000) {
        let due = cal.add_minutes(start, minutes).unwrap_or(Timestamp::MAX);
        prop_assume!(due != Timestamp::MAX);
        // The second before the due time was business time. (Not the whole minute: a start
        // with seconds can make the count end one second into an interval.)
        let before = due.checked_sub(SignedDuration::from_secs(1)).unwrap_or(due);
        prop_assert_eq!(cal.seconds_between(before.max(start), due), due.duration_since(before.max(start)).as_secs());
    }

    #[test]
    fn always_open_is_wall_clock(start in instants(), minutes in 0i64..100_000) {
        let cal = Calendar::always();
        let wall = start.checked_add(SignedDuration::from_mins(minutes)).unwrap_or(start);
        prop_assert_eq!(cal.add_minutes(start, minutes), Some(wall));
        prop_assert_eq!(cal.minutes_between(start, wall), minutes);
    }
}
