//! The wire form of a calendar's weekly hours (`{"mon": [["09:00", "17:00"]], …}`) and its
//! parsing into [`Interval`]s.

use serde::{Deserialize, Serialize};

use super::Interval;

/// Opening intervals per weekday, `[["09:00", "13:00"], ["14:00", "18:00"]]`; an absent or
/// empty day is closed. An interval crossing midnight is given as two.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Weekly {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mon: Vec<[String; 2]>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tue: Vec<[String; 2]>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wed: Vec<[String; 2]>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thu: Vec<[String; 2]>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fri: Vec<[String; 2]>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sat: Vec<[String; 2]>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sun: Vec<[String; 2]>,
}

/// `"09:30"` → 570; `"24:00"` → 1440. Exactly `HH:MM`.
pub fn minute_of_day(hhmm: &str) -> Option<u16> {
    let (h, m) = hhmm.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

/// An interval whose times are not `HH:MM` between 00:00 and 24:00.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadTime {
    pub day: &'static str,
    pub interval: [String; 2],
}

impl Weekly {
    /// The days, Monday first, with their names.
    pub fn days(&self) -> [(&'static str, &Vec<[String; 2]>); 7] {
        [
            ("mon", &self.mon),
            ("tue", &self.tue),
            ("wed", &self.wed),
            ("thu", &self.thu),
            ("fri", &self.fri),
            ("sat", &self.sat),
            ("sun", &self.sun),
        ]
    }

    /// The intervals per day, Monday first; every malformed time is reported.
    pub fn intervals(&self) -> Result<[Vec<Interval>; 7], Vec<BadTime>> {
        let mut days: [Vec<Interval>; 7] = std::array::from_fn(|_| Vec::new());
        let mut bad = Vec::new();
        for (i, (day, ivs)) in self.days().into_iter().enumerate() {
            for [a, b] in ivs {
                match (minute_of_day(a), minute_of_day(b)) {
                    (Some(start), Some(end)) => days[i].push(Interval { start, end }),
                    _ => bad.push(BadTime {
                        day,
                        interval: [a.clone(), b.clone()],
                    }),
                }
            }
        }
        if bad.is_empty() { Ok(days) } else { Err(bad) }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_times() {
        assert_eq!(minute_of_day("00:00"), Some(0));
        assert_eq!(minute_of_day("09:30"), Some(570));
        assert_eq!(minute_of_day("24:00"), Some(1440));
        for bad in ["24:01", "9:30", "09:60", "0930", "ab:cd", ""] {
            assert_eq!(minute_of_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn reports_each_bad_interval() {
        let w = Weekly {
            mon: vec![["09:00".into(), "17:00".into()]],
            fri: vec![["9".into(), "17:00".into()]],
            ..Weekly::default()
        };
        let err = w.intervals().unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].day, "fri");
    }
}
