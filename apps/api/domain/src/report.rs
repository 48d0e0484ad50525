//! Report arithmetic, one definition for both databases: percentiles, distributions of
//! durations, SLA compliance, and the buckets of the volume report.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::Serialize;

/// Nearest-rank percentile of ascending `sorted` values: the value at rank ⌈p/100 · n⌉
/// (1-based), so it is always one of the values. `None` without values.
pub fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len() as u64;
    let rank = (u64::from(p) * n).div_ceil(100).clamp(1, n);
    sorted.get(usize::try_from(rank - 1).ok()?).copied()
}

/// Median and 90th percentile of a set of durations in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
pub struct Spread {
    pub count: u64,
    pub median: Option<i64>,
    pub p90: Option<i64>,
}

impl Spread {
    pub fn of(mut values: Vec<i64>) -> Self {
        values.sort_unstable();
        Self {
            count: values.len() as u64,
            median: percentile(&values, 50),
            p90: percentile(&values, 90),
        }
    }
}

/// Met ÷ (met + breached) as a percentage with one decimal; `None` when nothing was
/// decided.
pub fn compliance(met: u64, breached: u64) -> Option<f64> {
    let decided = met + breached;
    (decided > 0).then(|| (met as f64 * 1000.0 / decided as f64).round() / 10.0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    Day,
    /// Weeks start on Monday.
    Week,
}

/// The local date of the bucket `t` falls in.
pub fn bucket(t: Timestamp, tz: &TimeZone, interval: Interval) -> Date {
    let d = t.to_zoned(tz.clone()).date();
    match interval {
        Interval::Day => d,
        Interval::Week => {
            let back = i64::from(d.weekday().to_monday_zero_offset());
            d.checked_sub(back.days()).unwrap_or(d)
        }
    }
}

/// Every bucket from the one holding `from` to the one holding the instant just before
/// `to`, in order.
pub fn buckets(from: Timestamp, to: Timestamp, tz: &TimeZone, interval: Interval) -> Vec<Date> {
    let Ok(last) = to.checked_sub(1.microsecond()) else {
        return Vec::new();
    };
    let (mut d, end) = (bucket(from, tz, interval), bucket(last, tz, interval));
    let step = match interval {
        Interval::Day => 1.day(),
        Interval::Week => 1.week(),
    };
    let mut out = Vec::new();
    while d <= end && out.len() < 10_000 {
        out.push(d);
        match d.checked_add(step) {
            Ok(next) => d = next,
            Err(_) => break,
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank() {
        let v: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&v, 50), Some(5));
        assert_eq!(percentile(&v, 90), Some(9));
        assert_eq!(percentile(&v, 100), Some(10));
        assert_eq!(percentile(&[7], 90), Some(7));
        assert_eq!(percentile(&[1, 2, 3, 4], 50), Some(2));
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(Spread::of(vec![30, 10, 20]).median, Some(20));
    }

    #[test]
    fn compliance_rounds_to_a_tenth() {
        assert_eq!(compliance(2, 1), Some(66.7));
        assert_eq!(compliance(0, 0), None);
        assert_eq!(compliance(3, 0), Some(100.0));
    }

    #[test]
    fn week_buckets_start_on_monday_in_the_zone() {
        let tz = TimeZone::get("Europe/Madrid").unwrap();
        // Sunday 2027-03-07 23:30 in Madrid is still that week; UTC says 22:30.
        let t: Timestamp = "2027-03-07T22:30:00Z".parse().unwrap();
        assert_eq!(bucket(t, &tz, Interval::Week).to_string(), "2027-03-01");
        let from: Timestamp = "2027-03-01T00:00:00+01:00".parse().unwrap();
        let to: Timestamp = "2027-03-15T00:00:00+01:00".parse().unwrap();
        assert_eq!(buckets(from, to, &tz, Interval::Week).len(), 2);
        assert_eq!(buckets(from, to, &tz, Interval::Day).len(), 14);
    }
}
