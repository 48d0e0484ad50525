//! Business-hours calendars: weekly opening intervals and holidays in an IANA time zone,
//! and the two operations SLA deadlines are made of — adding business minutes to an
//! instant, and counting the business minutes between two instants. Local times are
//! turned into instants per day, so days with a DST change count their real length: a
//! 01:00–04:00 interval is two hours on a spring-forward day and four on a fall-back day.

use std::collections::BTreeSet;

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};

/// Opening hours of one day, as minutes since local midnight: `[start, end)`, `end` up to
/// 1440 (24:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Interval {
    pub start: u16,
    pub end: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("unknown time zone {0:?}")]
    UnknownZone(String),
    #[error("{0}: intervals must be within 00:00-24:00 and end after they start")]
    BadInterval(&'static str),
    #[error("{0}: intervals overlap")]
    Overlap(&'static str),
}

/// A calendar; [`Calendar::always`] is 24×7 with no holidays.
#[derive(Debug, Clone)]
pub struct Calendar {
    zone: TimeZone,
    /// Monday first.
    weekly: [Vec<Interval>; 7],
    holidays: BTreeSet<Date>,
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn day_index(w: Weekday) -> usize {
    usize::from(w.to_monday_zero_offset().unsigned_abs())
}

impl Calendar {
    pub fn always() -> Self {
        let all = vec![Interval {
            start: 0,
            end: 1440,
        }];
        Self {
            zone: TimeZone::UTC,
            weekly: std::array::from_fn(|_| all.clone()),
            holidays: BTreeSet::new(),
        }
    }

    /// `weekly` Monday first; intervals are sorted and must not overlap.
    pub fn new(
        zone: &str,
        weekly: [Vec<Interval>; 7],
        holidays: BTreeSet<Date>,
    ) -> Result<Self, CalendarError> {
        let zone = TimeZone::get(zone).map_err(|_| CalendarError::UnknownZone(zone.to_owned()))?;
        let mut weekly = weekly;
        for (i, day) in weekly.iter_mut().enumerate() {
            day.sort();
            if day.iter().any(|iv| iv.start >= iv.end || iv.end > 1440) {
                return Err(CalendarError::BadInterval(DAYS[i]));
            }
            if day.windows(2).any(|w| w[0].end > w[1].start) {
                return Err(CalendarError::Overlap(DAYS[i]));
            }
        }
        Ok(Self {
            zone,
            weekly,
            holidays,
        })
    }

    /// The absolute instants of a day's intervals, in order.
    fn open_spans(&self, date: Date) -> Vec<(Timestamp, Timestamp)> {
        if self.holidays.contains(&date) {
            return Vec::new();
        }
        let at = |minute: u16| -> Option<Timestamp> {
            let (day, minute) = if minute == 1440 {
                (date.tomorrow().ok()?, 0)
            } else {
                (date, minute)
            };
            let time = Time::new(
                i8::try_from(minute / 60).ok()?,
                i8::try_from(minute % 60).ok()?,
                0,
                0,
            )
            .ok()?;
            // A local time skipped by DST maps forward ("compatible"), a repeated one to its
            // first occurrence: the day's real length is what counts.
            day.to_datetime(time)
                .to_zoned(self.zone.clone())
                .ok()
                .map(|z| z.timestamp())
        };
        self.weekly[day_index(date.weekday())]
            .iter()
            .filter_map(|iv| Some((at(iv.start)?, at(iv.end)?)))
            .filter(|(a, b)| a < b)
            .collect()
    }

    fn local_date(&self, t: Timestamp) -> Date {
        t.to_zoned(self.zone.clone()).date()
    }

    /// Whether any business time exists at all (an empty calendar never advances).
    fn has_hours(&self) -> bool {
        self.weekly.iter().any(|d| !d.is_empty())
    }

    /// The instant at which `minutes` business minutes after `start` have elapsed. With
    /// `minutes == 0` that is `start` itself; otherwise the result lies inside business
    /// hours (at most at an interval's end). `None` if the calendar never opens.
    pub fn add_minutes(&self, start: Timestamp, minutes: i64) -> Option<Timestamp> {
        self.add_seconds(start, minutes.checked_mul(60)?)
    }

    /// [`Calendar::add_minutes`] to the second: pauses are measured in seconds so that
    /// resuming moves a deadline by exactly the business time spent paused.
    pub fn add_seconds(&self, start: Timestamp, seconds: i64) -> Option<Timestamp> {
        if seconds <= 0 {
            return Some(start);
        }
        if !self.has_hours() {
            return None;
        }
        let mut left = SignedDuration::from_secs(seconds);
        let mut date = self.local_date(start).yesterday().ok()?;
        // Ten years of holidays is enough to give up on a misconfigured calendar.
        for _ in 0..3660 {
            for (a, b) in self.open_spans(date) {
                let from = a.max(start);
                if from >= b {
                    continue;
                }
                let available = b.duration_since(from);
                if left <= available {
                    return from.checked_add(left).ok();
                }
                left -= available;
            }
            date = date.checked_add(1.day()).ok()?;
        }
        None
    }

    /// Whether `t` falls inside business hours.
    pub fn is_open(&self, t: Timestamp) -> bool {
        t.checked_add(SignedDuration::from_secs(1))
            .is_ok_and(|next| self.seconds_between(t, next) > 0)
    }

    /// Business time between `a` and `b` (zero when `b <= a`), in whole minutes.
    pub fn minutes_between(&self, a: Timestamp, b: Timestamp) -> i64 {
        self.seconds_between(a, b) / 60
    }

    /// Business time between `a` and `b` in seconds.
    pub fn seconds_between(&self, a: Timestamp, b: Timestamp) -> i64 {
        if b <= a {
            return 0;
        }
        let mut total = SignedDuration::ZERO;
        let Ok(mut date) = self.local_date(a).yesterday() else {
            return 0;
        };
        let last = self.local_date(b);
        while date <= last {
            for (s, e) in self.open_spans(date) {
                let (from, to) = (s.max(a), e.min(b));
                if from < to {
                    total += to.duration_since(from);
                }
            }
            let Ok(next) = date.tomorrow() else { break };
            date = next;
        }
        total.as_secs()
    }
}

#[cfg(test)]
mod tests;
