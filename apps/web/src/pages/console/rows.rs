//! A ticket as a row of the console's list: who asked, for which organization, who has
//! it, how it stands, and its SLA badge.

use helpdesk_service::people::Names;
use helpdesk_service::tickets::TicketOut;
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::display::{self, Pill, SlaBadge, When};

#[derive(Debug, Clone)]
pub struct Row {
    pub number: i64,
    pub subject: String,
    pub requester: String,
    pub organization: Option<String>,
    pub status: Pill,
    pub priority: Pill,
    pub assignee: Option<String>,
    pub updated: When,
    pub created: When,
    pub sla: Option<SlaBadge>,
}

impl Row {
    pub fn new(t: &TicketOut, names: &Names, now: Timestamp, tz: &TimeZone) -> Self {
        Self {
            number: t.number,
            subject: t.subject.clone(),
            requester: names
                .user(t.requester_id)
                .map_or_else(|| "Unknown".to_owned(), |p| p.name.clone()),
            organization: t
                .organization_id
                .and_then(|o| names.org(o))
                .map(str::to_owned),
            status: display::status(t.status),
            priority: display::priority(t.priority),
            assignee: t
                .assignee_id
                .and_then(|a| names.user(a))
                .map(|p| p.name.clone()),
            updated: display::when(&t.updated_at, now, tz),
            created: display::when(&t.created_at, now, tz),
            sla: display::sla_badge(t.sla.as_ref()),
        }
    }
}

/// The ids a page of tickets needs names for.
pub fn ids_of(
    tickets: &[TicketOut],
) -> (
    Vec<helpdesk_domain::UserId>,
    Vec<helpdesk_domain::OrganizationId>,
) {
    let mut users = Vec::new();
    let mut orgs = Vec::new();
    for t in tickets {
        users.push(t.requester_id);
        users.extend(t.assignee_id);
        orgs.extend(t.organization_id);
    }
    users.sort_by_key(|u| u.as_uuid());
    users.dedup();
    orgs.sort_by_key(|o| o.as_uuid());
    orgs.dedup();
    (users, orgs)
}
