//! Customer satisfaction: the two answers, how long a survey link stays valid, and the
//! share of good answers.

use serde::{Deserialize, Serialize};

/// A survey link works for this long after the resolution it asks about.
pub const LINK_DAYS: i64 = 14;

/// A comment is at most this many characters.
pub const COMMENT_MAX_CHARS: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Rating {
    Good,
    Bad,
}

impl Rating {
    pub const fn as_str(self) -> &'static str {
        match self {
            Rating::Good => "GOOD",
            Rating::Bad => "BAD",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "GOOD" => Some(Rating::Good),
            "BAD" => Some(Rating::Bad),
            _ => None,
        }
    }
}

/// Good answers as a percentage of all answers, to one decimal; `None` without answers.
pub fn good_percent(good: u64, bad: u64) -> Option<f64> {
    let rated = good + bad;
    if rated == 0 {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let pct = (good as f64) * 1000.0 / (rated as f64);
    Some(pct.round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_to_one_decimal() {
        assert_eq!(good_percent(0, 0), None);
        assert_eq!(good_percent(2, 1), Some(66.7));
        assert_eq!(good_percent(1, 2), Some(33.3));
        assert_eq!(good_percent(3, 0), Some(100.0));
    }

    #[test]
    fn ratings_round_trip() {
        for r in [Rating::Good, Rating::Bad] {
            assert_eq!(Rating::parse(r.as_str()), Some(r));
        }
        assert_eq!(Rating::parse("good"), None);
    }
}
