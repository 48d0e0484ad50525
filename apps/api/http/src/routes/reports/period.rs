//! The query string every report takes: the period (in the workspace's time zone) and
//! filters, handed to the service as written.

use helpdesk_domain::{OrganizationId, Priority, UserId};
use helpdesk_service::reports::period::ReportQuery as Params;
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// A date (`2027-03-01`: from the start of that day in the time zone) or an RFC 3339
    /// instant; default: 30 local days ending with the day of `to` (with today by default).
    pub from: Option<String>,
    /// A date (inclusive: up to the end of that day) or an RFC 3339 instant (exclusive);
    /// default: now.
    pub to: Option<String>,
    /// IANA zone for dates and buckets; default: the workspace's `timezone` setting, else
    /// UTC.
    pub timezone: Option<String>,
    /// Only tickets of this organization.
    pub organization_id: Option<OrganizationId>,
    /// Only tickets assigned to this agent.
    pub agent_id: Option<UserId>,
    /// Only tickets of this priority.
    pub priority: Option<Priority>,
    /// `/reports/volume` only: `day` (default) or `week` (weeks start on Monday).
    pub interval: Option<String>,
}

impl From<ReportQuery> for Params {
    fn from(q: ReportQuery) -> Self {
        Params {
            from: q.from,
            to: q.to,
            timezone: q.timezone,
            organization_id: q.organization_id,
            agent_id: q.agent_id,
            priority: q.priority,
            interval: q.interval,
        }
    }
}
