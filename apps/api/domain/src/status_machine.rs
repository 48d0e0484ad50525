//! The ticket status machine: one table of allowed transitions, and the automatic moves
//! that replies cause.

use crate::ticket::TicketStatus::{self, *};

/// Every allowed `(from, to)` pair; staying in the same status is always allowed.
/// Nothing goes back to `NEW`, and `CLOSED` is final.
const ALLOWED: &[(TicketStatus, TicketStatus)] = &[
    (New, Open),
    (New, Pending),
    (New, OnHold),
    (New, Resolved),
    (New, Closed),
    (Open, Pending),
    (Open, OnHold),
    (Open, Resolved),
    (Open, Closed),
    (Pending, Open),
    (Pending, OnHold),
    (Pending, Resolved),
    (Pending, Closed),
    (OnHold, Open),
    (OnHold, Pending),
    (OnHold, Resolved),
    (OnHold, Closed),
    (Resolved, Open),
    (Resolved, Closed),
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a ticket cannot go from {from} to {to}")]
pub struct InvalidTransition {
    pub from: TicketStatus,
    pub to: TicketStatus,
}

pub fn can_transition(from: TicketStatus, to: TicketStatus) -> bool {
    from == to && from != Closed || ALLOWED.contains(&(from, to))
}

pub fn transition(from: TicketStatus, to: TicketStatus) -> Result<TicketStatus, InvalidTransition> {
    if can_transition(from, to) {
        Ok(to)
    } else {
        Err(InvalidTransition { from, to })
    }
}

/// A public reply by staff: a `NEW` ticket becomes `OPEN`; other statuses stay.
pub fn after_staff_reply(status: TicketStatus) -> TicketStatus {
    if status == New { Open } else { status }
}

/// A reply by the customer: waiting or resolved tickets come back to `OPEN`.
pub fn after_customer_reply(status: TicketStatus) -> TicketStatus {
    match status {
        Pending | OnHold | Resolved => Open,
        other => other,
    }
}

/// Whether a ticket in `status` accepts replies (a closed one needs a follow-up ticket).
pub fn accepts_replies(status: TicketStatus) -> bool {
    status != Closed
}

/// The lifecycle timestamps after a move to `to`: `resolved_at` is set on entering
/// `RESOLVED` and cleared on reopening; `closed_at` is set on entering `CLOSED`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifecycle {
    pub resolved_at: Option<i64>,
    pub closed_at: Option<i64>,
}

pub fn lifecycle_after(
    from: TicketStatus,
    to: TicketStatus,
    before: Lifecycle,
    now: i64,
) -> Lifecycle {
    if from == to {
        return before;
    }
    match to {
        Resolved => Lifecycle {
            resolved_at: Some(now),
            closed_at: None,
        },
        Closed => Lifecycle {
            resolved_at: before.resolved_at.or(Some(now)),
            closed_at: Some(now),
        },
        _ => Lifecycle {
            resolved_at: None,
            closed_at: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transition_table_is_exactly_as_specified() {
        for from in TicketStatus::ALL {
            for to in TicketStatus::ALL {
                let expected = match (from, to) {
                    (Closed, _) => false,
                    (_, New) => from == New,
                    (f, t) if f == t => true,
                    (Resolved, t) => matches!(t, Open | Closed),
                    _ => true,
                };
                assert_eq!(can_transition(from, to), expected, "{from} -> {to}");
                assert_eq!(transition(from, to).is_ok(), expected, "{from} -> {to}");
            }
        }
    }

    #[test]
    fn replies_move_status() {
        for s in TicketStatus::ALL {
            let staff = after_staff_reply(s);
            assert_eq!(staff, if s == New { Open } else { s });
            let customer = after_customer_reply(s);
            assert_eq!(
                customer,
                if matches!(s, Pending | OnHold | Resolved) {
                    Open
                } else {
                    s
                }
            );
            // Automatic moves are themselves allowed transitions.
            if s != Closed {
                assert!(can_transition(s, staff) && can_transition(s, customer));
            }
        }
        assert!(!accepts_replies(Closed));
        assert!(accepts_replies(Resolved));
    }

    #[test]
    fn lifecycle_timestamps() {
        let none = Lifecycle {
            resolved_at: None,
            closed_at: None,
        };
        let resolved = lifecycle_after(Open, Resolved, none, 10);
        assert_eq!(
            resolved,
            Lifecycle {
                resolved_at: Some(10),
                closed_at: None
            }
        );
        let reopened = lifecycle_after(Resolved, Open, resolved, 20);
        assert_eq!(reopened, none);
        let closed = lifecycle_after(Resolved, Closed, resolved, 30);
        assert_eq!(
            closed,
            Lifecycle {
                resolved_at: Some(10),
                closed_at: Some(30)
            }
        );
        let closed_direct = lifecycle_after(Open, Closed, none, 40);
        assert_eq!(
            closed_direct,
            Lifecycle {
                resolved_at: Some(40),
                closed_at: Some(40)
            }
        );
        assert_eq!(lifecycle_after(Open, Open, resolved, 50), resolved);
    }
}
