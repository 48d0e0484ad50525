//! How values read on a page: statuses and priorities as labelled pills, instants as
//! relative times with the exact time (in the workspace's zone) beside them, SLA badges
//! with the time left.

use helpdesk_domain::{Priority, TicketStatus};
use helpdesk_service::tickets::sla_view::SlaOut;
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// An instant: machine-readable, exact and relative.
#[derive(Debug, Clone)]
pub struct When {
    pub iso: String,
    pub exact: String,
    pub relative: String,
}

/// The zone a workspace shows times in.
pub fn zone(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

/// The signed-in person's workspace's zone.
pub fn zone_of(me: &crate::session::SignedIn) -> TimeZone {
    zone(&helpdesk_domain::settings::WorkspaceSettings::from_json(&me.workspace.settings).timezone)
}

pub fn when(rfc3339: &str, now: Timestamp, tz: &TimeZone) -> When {
    match rfc3339.parse::<Timestamp>() {
        Ok(t) => When {
            iso: t.to_string(),
            exact: t
                .to_zoned(tz.clone())
                .strftime("%Y-%m-%d %H:%M %Z")
                .to_string(),
            relative: relative(t, now),
        },
        Err(_) => When {
            iso: rfc3339.to_owned(),
            exact: rfc3339.to_owned(),
            relative: rfc3339.to_owned(),
        },
    }
}

fn relative(t: Timestamp, now: Timestamp) -> String {
    let secs = now.as_second() - t.as_second();
    let ago = secs >= 0;
    let s = secs.unsigned_abs();
    let text = if s < 60 {
        return "just now".into();
    } else if s < 3600 {
        format!("{} min", s / 60)
    } else if s < 86_400 {
        format!("{} h", s / 3600)
    } else {
        format!("{} d", s / 86_400)
    };
    if ago {
        format!("{text} ago")
    } else {
        format!("in {text}")
    }
}

/// A duration in minutes as people read it: "2h 14m", "3d 4h", "35m".
pub fn span(minutes: i64) -> String {
    let m = minutes.unsigned_abs();
    if m >= 1440 {
        format!("{}d {}h", m / 1440, (m % 1440) / 60)
    } else if m >= 60 {
        format!("{}h {}m", m / 60, m % 60)
    } else {
        format!("{m}m")
    }
}

/// A small labelled pill; `class` picks its colour.
#[derive(Debug, Clone)]
pub struct Pill {
    pub label: &'static str,
    pub class: &'static str,
}

pub fn status(s: TicketStatus) -> Pill {
    let (label, class) = match s {
        TicketStatus::New => ("New", "st-new"),
        TicketStatus::Open => ("Open", "st-open"),
        TicketStatus::Pending => ("Pending", "st-pending"),
        TicketStatus::OnHold => ("On hold", "st-hold"),
        TicketStatus::Resolved => ("Resolved", "st-resolved"),
        TicketStatus::Closed => ("Closed", "st-closed"),
    };
    Pill { label, class }
}

/// The portal's plain words for a status.
pub fn customer_status(s: TicketStatus) -> Pill {
    let (label, class) = match s {
        TicketStatus::New | TicketStatus::Open | TicketStatus::OnHold => ("We're on it", "st-open"),
        TicketStatus::Pending => ("Waiting for you", "st-pending"),
        TicketStatus::Resolved => ("Resolved", "st-resolved"),
        TicketStatus::Closed => ("Closed", "st-closed"),
    };
    Pill { label, class }
}

pub fn priority(p: Priority) -> Pill {
    let (label, class) = match p {
        Priority::Low => ("Low", "pr-low"),
        Priority::Medium => ("Medium", "pr-medium"),
        Priority::High => ("High", "pr-high"),
        Priority::Urgent => ("Urgent", "pr-urgent"),
    };
    Pill { label, class }
}

/// The SLA badge of a ticket: the next running deadline, or a breach.
#[derive(Debug, Clone)]
pub struct SlaBadge {
    /// "2h 14m", "overdue 35m", "paused".
    pub text: String,
    /// `sla-ok`, `sla-warn`, `sla-breach`, `sla-paused`.
    pub class: &'static str,
    /// The deadline (RFC 3339) the badge counts down to, for the live countdown.
    pub due: String,
    /// Which clock: "First response", "Next response", "Resolution".
    pub metric: &'static str,
}

pub fn sla_badge(sla: Option<&SlaOut>) -> Option<SlaBadge> {
    let sla = sla?;
    let clocks = [
        (
            "First response",
            &sla.first_response_due_at,
            sla.first_response_remaining_minutes,
            sla.first_response_breached,
        ),
        (
            "Next response",
            &sla.next_response_due_at,
            sla.next_response_remaining_minutes,
            sla.next_response_breached,
        ),
        (
            "Resolution",
            &sla.resolution_due_at,
            sla.resolution_remaining_minutes,
            sla.resolution_breached,
        ),
    ];
    let next = clocks
        .iter()
        .filter_map(|(m, due, left, breached)| due.as_ref().map(|d| (*m, d, *left, *breached)))
        .min_by_key(|(_, _, left, _)| left.unwrap_or(i64::MAX));
    let (metric, due, left, breached) = next?;
    let left = left.unwrap_or(0);
    let (text, class) = if breached || left < 0 {
        (format!("overdue {}", span(left)), "sla-breach")
    } else if sla.paused {
        (format!("paused, {} left", span(left)), "sla-paused")
    } else if sla.at_risk {
        (span(left), "sla-warn")
    } else {
        (span(left), "sla-ok")
    };
    Some(SlaBadge {
        text,
        class,
        due: due.clone(),
        metric,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_naturally() {
        assert_eq!(span(35), "35m");
        assert_eq!(span(134), "2h 14m");
        assert_eq!(span(-35), "35m");
        assert_eq!(span(1440 * 3 + 240), "3d 4h");
    }

    #[test]
    fn relative_times() {
        let now = Timestamp::from_second(1_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
        let t = |s: i64| Timestamp::from_second(s).unwrap_or(Timestamp::UNIX_EPOCH);
        assert_eq!(relative(t(1_000_000 - 30), now), "just now");
        assert_eq!(relative(t(1_000_000 - 600), now), "10 min ago");
        assert_eq!(relative(t(1_000_000 + 7200), now), "in 2 h");
    }
}
