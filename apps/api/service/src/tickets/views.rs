//! The agent's standard ticket views (My open, Unassigned, …): each is a query in the
//! list language, so a view's URL, its list and its count always agree.

use helpdesk_domain::Permission;
use helpdesk_storage::repo::tickets;

use super::list::TicketQuery;
use super::list_query::filter_of;
use crate::Service;
use crate::actor::Actor;
use crate::error::ServiceResult;
use crate::permissions::require;

/// Counts stop here: a badge says "999+" rather than paying for an exact huge count.
pub const COUNT_CAP: u64 = 1000;

/// Statuses someone still has to act on.
const OPEN: &str = "NEW,OPEN,PENDING,ON_HOLD";
/// Statuses the team has to act on now.
const ACTIONABLE: &str = "NEW,OPEN";

/// A built-in view of the console's sidebar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    MyOpen,
    Unassigned,
    AllOpen,
    Pending,
    OnHold,
    AtRisk,
    Breached,
    Recent,
}

impl View {
    pub const ALL: [View; 8] = [
        View::MyOpen,
        View::Unassigned,
        View::AllOpen,
        View::Pending,
        View::OnHold,
        View::AtRisk,
        View::Breached,
        View::Recent,
    ];

    /// The name in URLs (`?view=mine`).
    pub const fn slug(self) -> &'static str {
        match self {
            View::MyOpen => "mine",
            View::Unassigned => "unassigned",
            View::AllOpen => "open",
            View::Pending => "pending",
            View::OnHold => "on-hold",
            View::AtRisk => "at-risk",
            View::Breached => "breached",
            View::Recent => "recent",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            View::MyOpen => "My open",
            View::Unassigned => "Unassigned",
            View::AllOpen => "All open",
            View::Pending => "Pending",
            View::OnHold => "On hold",
            View::AtRisk => "SLA at risk",
            View::Breached => "SLA breached",
            View::Recent => "Recently updated",
        }
    }

    pub fn from_slug(s: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.slug() == s)
    }

    /// The view as a list query.
    pub fn query(self) -> TicketQuery {
        let q = |status: &str| TicketQuery {
            status: Some(status.to_owned()),
            ..TicketQuery::default()
        };
        match self {
            View::MyOpen => TicketQuery {
                assignee_id: Some("me".into()),
                ..q(OPEN)
            },
            View::Unassigned => TicketQuery {
                assignee_id: Some("none".into()),
                ..q(ACTIONABLE)
            },
            View::AllOpen => q(OPEN),
            View::Pending => q("PENDING"),
            View::OnHold => q("ON_HOLD"),
            View::AtRisk => TicketQuery {
                sla: Some("at_risk".into()),
                ..q(OPEN)
            },
            View::Breached => TicketQuery {
                sla: Some("breached".into()),
                ..q(OPEN)
            },
            View::Recent => TicketQuery {
                sort: Some("-updated_at".into()),
                ..TicketQuery::default()
            },
        }
    }
}

impl Service {
    /// How many tickets each built-in view holds for `actor` (staff), up to [`COUNT_CAP`].
    pub async fn view_counts(&self, actor: &Actor) -> ServiceResult<Vec<(View, u64)>> {
        require(actor, Permission::WorkTickets)?;
        let ctx = &actor.ctx;
        let now = self.now();
        let db = self.store.read();
        let mut out = Vec::with_capacity(View::ALL.len());
        for view in View::ALL {
            let filter = filter_of(&view.query(), ctx.user_id(), now)?;
            out.push((view, tickets::count(db, ctx, &filter, COUNT_CAP).await?));
        }
        Ok(out)
    }
}
