//! Time as the rest of the system sees it: UTC instants, stored as microseconds since the epoch.
//!
//! Microsecond integers compare and sort identically on SQLite and PostgreSQL.

use jiff::Timestamp;

/// Converts an instant to its stored form.
pub fn to_micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

/// Reads a stored instant; values outside jiff's range clamp to its bounds.
pub fn from_micros(us: i64) -> Timestamp {
    Timestamp::from_microsecond(us).unwrap_or(if us < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

/// Something that tells the time; injected so tests can control it.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> Timestamp;
}

/// The real wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn micros_round_trip() {
        let t = Timestamp::now();
        let back = from_micros(to_micros(t));
        assert_eq!(back.as_microsecond(), t.as_microsecond());
    }
}
