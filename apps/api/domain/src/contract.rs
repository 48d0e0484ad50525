//! Contracts an MSP has with a client organization, and the arithmetic of their usage:
//! which period a day falls in, what was used, what remains, the overage, the amount to
//! invoice, and when admins are alerted. Dates are civil dates in the workspace's time zone.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ContractKind {
    /// A block of hours paid in advance (per period, or once with period `NONE`); time
    /// beyond it is overage, invoiced at the hourly rate.
    PrepaidHours,
    /// A fixed fee for the included minutes of each period (unused minutes lapse); time
    /// beyond them is overage at the hourly rate.
    Retainer,
    /// Every billable minute invoiced at the hourly rate.
    TimeAndMaterials,
}

impl ContractKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            ContractKind::PrepaidHours => "PREPAID_HOURS",
            ContractKind::Retainer => "RETAINER",
            ContractKind::TimeAndMaterials => "TIME_AND_MATERIALS",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            ContractKind::PrepaidHours,
            ContractKind::Retainer,
            ContractKind::TimeAndMaterials,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// How often the included minutes renew.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Period {
    /// Every month from the start date (the 31st renews on the last day of shorter months).
    Month,
    Year,
    /// Once, for the whole contract.
    None,
}

impl Period {
    pub const fn as_str(self) -> &'static str {
        match self {
            Period::Month => "MONTH",
            Period::Year => "YEAR",
            Period::None => "NONE",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Period::Month, Period::Year, Period::None]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// The days `[start, end)` of one period (`end` is `None` for an open-ended `NONE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: Date,
    pub end: Option<Date>,
}

/// The start of period `k` of a contract starting on `start`.
fn nth_start(start: Date, period: Period, k: i64) -> Option<Date> {
    match period {
        Period::Month => start.checked_add(k.months()).ok(),
        Period::Year => start.checked_add(k.years()).ok(),
        Period::None => (k == 0).then_some(start),
    }
}

/// The period of a contract (`starts_on`, inclusive `ends_on`) that day `d` falls in;
/// `None` outside the contract. A period is cut short by the contract's end.
pub fn period_of(starts_on: Date, ends_on: Option<Date>, period: Period, d: Date) -> Option<Span> {
    let last = ends_on.and_then(|e| e.tomorrow().ok());
    if d < starts_on || last.is_some_and(|l| d >= l) {
        return None;
    }
    let mut k = match period {
        Period::Month => {
            i64::from(d.year() - starts_on.year()) * 12 + i64::from(d.month() - starts_on.month())
        }
        Period::Year => i64::from(d.year() - starts_on.year()),
        Period::None => 0,
    };
    // The estimate is off by one around the start day of the month or year.
    while k > 0 && nth_start(starts_on, period, k).is_some_and(|s| s > d) {
        k -= 1;
    }
    let start = nth_start(starts_on, period, k)?;
    let next = match period {
        Period::None => None,
        _ => nth_start(starts_on, period, k + 1),
    };
    let end = match (next, last) {
        (Some(n), Some(l)) => Some(n.min(l)),
        (n, l) => n.or(l),
    };
    Some(Span { start, end })
}

/// Used, remaining and overage minutes of a period with `included` minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Usage {
    pub included_minutes: i64,
    pub used_minutes: i64,
    pub remaining_minutes: i64,
    pub overage_minutes: i64,
}

/// Time and materials includes nothing and so has no overage: every minute is invoiced.
pub fn usage(kind: ContractKind, included: i64, used: i64) -> Usage {
    if kind == ContractKind::TimeAndMaterials {
        return Usage {
            included_minutes: 0,
            used_minutes: used,
            remaining_minutes: 0,
            overage_minutes: 0,
        };
    }
    Usage {
        included_minutes: included,
        used_minutes: used,
        remaining_minutes: (included - used).max(0),
        overage_minutes: (used - included).max(0),
    }
}

/// What a period invoices beyond any fixed fee, in minor units of the currency: every
/// minute for time and materials, the overage otherwise; rounded half up to the unit.
pub fn amount_minor(kind: ContractKind, u: &Usage, hourly_rate_minor: Option<i64>) -> Option<i64> {
    let rate = hourly_rate_minor?;
    let minutes = match kind {
        ContractKind::TimeAndMaterials => u.used_minutes,
        ContractKind::PrepaidHours | ContractKind::Retainer => u.overage_minutes,
    };
    Some((minutes * rate + 30).div_euclid(60))
}

/// An alert admins get once per period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Alert {
    /// Usage reached the contract's alert percentage.
    Threshold,
    /// The included minutes are used up.
    Exhausted,
}

impl Alert {
    pub const fn as_str(self) -> &'static str {
        match self {
            Alert::Threshold => "threshold",
            Alert::Exhausted => "exhausted",
        }
    }
}

/// The alerts due for a period at `used` minutes (the caller sends each once).
pub fn alerts_due(included: i64, alert_at_percent: i64, used: i64) -> Vec<Alert> {
    if included <= 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    if used * 100 >= included * alert_at_percent {
        out.push(Alert::Threshold);
    }
    if used >= included {
        out.push(Alert::Exhausted);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn monthly_periods_start_on_the_start_day() {
        let s = date(2027, 1, 31);
        let p = period_of(s, None, Period::Month, date(2027, 3, 15)).unwrap();
        assert_eq!(
            (p.start, p.end),
            (date(2027, 2, 28), Some(date(2027, 3, 31)))
        );
        let p = period_of(s, None, Period::Month, date(2027, 3, 31)).unwrap();
        assert_eq!(
            (p.start, p.end),
            (date(2027, 3, 31), Some(date(2027, 4, 30)))
        );
        let p = period_of(date(2027, 1, 1), None, Period::Month, date(2027, 1, 31)).unwrap();
        assert_eq!((p.start, p.end), (date(2027, 1, 1), Some(date(2027, 2, 1))));
        assert_eq!(period_of(s, None, Period::Month, date(2027, 1, 30)), None);
    }

    #[test]
    fn the_end_date_is_inclusive_and_cuts_the_last_period() {
        let p = period_of(
            date(2027, 1, 1),
            Some(date(2027, 2, 14)),
            Period::Month,
            date(2027, 2, 14),
        )
        .unwrap();
        assert_eq!(
            (p.start, p.end),
            (date(2027, 2, 1), Some(date(2027, 2, 15)))
        );
        assert_eq!(
            period_of(
                date(2027, 1, 1),
                Some(date(2027, 2, 14)),
                Period::Month,
                date(2027, 2, 15)
            ),
            None
        );
        let once = period_of(date(2027, 1, 1), None, Period::None, date(2030, 5, 5)).unwrap();
        assert_eq!((once.start, once.end), (date(2027, 1, 1), None));
        let y = period_of(date(2027, 7, 1), None, Period::Year, date(2028, 6, 30)).unwrap();
        assert_eq!((y.start, y.end), (date(2027, 7, 1), Some(date(2028, 7, 1))));
    }

    #[test]
    fn usage_amounts_and_alerts() {
        let u = usage(ContractKind::PrepaidHours, 600, 660);
        assert_eq!((u.remaining_minutes, u.overage_minutes), (0, 60));
        assert_eq!(
            amount_minor(ContractKind::PrepaidHours, &u, Some(9000)),
            Some(9000)
        );
        assert_eq!(
            amount_minor(ContractKind::TimeAndMaterials, &u, Some(9000)),
            Some(99000)
        );
        assert_eq!(
            amount_minor(
                ContractKind::Retainer,
                &usage(ContractKind::Retainer, 60, 61),
                Some(100)
            ),
            Some(2)
        );
        assert_eq!(
            amount_minor(
                ContractKind::Retainer,
                &usage(ContractKind::Retainer, 60, 61),
                None
            ),
            None
        );
        assert_eq!(alerts_due(600, 80, 479), Vec::<Alert>::new());
        assert_eq!(alerts_due(600, 80, 480), vec![Alert::Threshold]);
        assert_eq!(
            alerts_due(600, 80, 600),
            vec![Alert::Threshold, Alert::Exhausted]
        );
        assert_eq!(alerts_due(0, 80, 100), Vec::<Alert>::new());
    }

    #[test]
    fn names_round_trip() {
        for k in [
            ContractKind::PrepaidHours,
            ContractKind::Retainer,
            ContractKind::TimeAndMaterials,
        ] {
            assert_eq!(ContractKind::parse(k.as_str()), Some(k));
        }
        for p in [Period::Month, Period::Year, Period::None] {
            assert_eq!(Period::parse(p.as_str()), Some(p));
        }
    }
}
