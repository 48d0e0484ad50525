//! Customer satisfaction. When a ticket of a workspace that asks is resolved, its requester
//! is asked once for that resolution — in the "resolved" email (a link per answer that
//! records it in one click, no sign-in) and in the portal — to rate it `GOOD` or `BAD`,
//! with an optional comment. A link is single-use (one rating; a comment may follow once),
//! expires after [`LINK_DAYS`], and stops working when the ticket is resolved again (which
//! asks again). Reports count the answers per agent and organization.

pub mod answer;
pub mod report;

use helpdesk_domain::csat::{LINK_DAYS, Rating};
use helpdesk_domain::settings::WorkspaceSettings;
use helpdesk_domain::{TenantCtx, TicketId};
use helpdesk_storage::repo::csat::{self, NewSurvey, Survey};
use helpdesk_storage::repo::tickets::Ticket;
use helpdesk_storage::repo::workspaces::Workspace;
use sea_orm::ConnectionTrait;
use serde::Serialize;

use crate::auth::opaque;
use crate::error::ServiceResult;
use crate::time::{rfc3339, rfc3339_opt};

const DAY_MICROS: i64 = 86_400 * 1_000_000;

/// Where a survey stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SurveyState {
    /// Asked, not answered, the link still valid.
    Pending,
    Rated,
    /// Not answered in time, or the ticket was resolved again.
    Expired,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CsatOut {
    pub ticket_id: TicketId,
    /// The resolution the survey asks about.
    pub resolved_at: String,
    pub state: SurveyState,
    pub rating: Option<Rating>,
    pub comment: Option<String>,
    pub rated_at: Option<String>,
    pub expires_at: String,
}

impl CsatOut {
    pub fn of(s: &Survey, now: i64) -> Self {
        let rating = s.rating.as_deref().and_then(Rating::parse);
        let state = match (rating, s.expires_at > now) {
            (Some(_), _) => SurveyState::Rated,
            (None, true) => SurveyState::Pending,
            (None, false) => SurveyState::Expired,
        };
        Self {
            ticket_id: TicketId::from_uuid(s.ticket_id),
            resolved_at: rfc3339(s.resolved_at),
            state,
            rating,
            comment: s.comment.clone(),
            rated_at: rfc3339_opt(s.rated_at),
            expires_at: rfc3339(s.expires_at),
        }
    }
}

/// Asks `t`'s requester about its resolution at `t.resolved_at` when the workspace asks;
/// the link's token (handed out once, for the email), or `None` when nothing is asked.
pub async fn ask(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ws: &Workspace,
    t: &Ticket,
    now: i64,
) -> ServiceResult<Option<String>> {
    let Some(resolved_at) = t.resolved_at else {
        return Ok(None);
    };
    if !WorkspaceSettings::from_json(&ws.settings).csat_enabled {
        return Ok(None);
    }
    csat::expire_open(db, ctx, t.id, now).await?;
    let token = opaque::generate("");
    let new = NewSurvey {
        ticket_id: t.id,
        requester_id: t.requester_id,
        assignee_id: t.assignee_id,
        organization_id: t.organization_id,
        priority: i64::from(t.priority),
        resolved_at,
        token_hash: opaque::hash(&token),
        expires_at: resolved_at.max(now) + LINK_DAYS * DAY_MICROS,
    };
    Ok(csat::create(db, ctx, new, now).await?.map(|_| token))
}

/// The lines the "resolved" email ends with: one link per answer.
pub fn email_lines(public_url: &str, token: &str) -> String {
    let base = format!("{}/csat/{token}", public_url.trim_end_matches('/'));
    format!(
        "\n\nHow did we do? One click records your answer:\n  Good: {base}?rating=GOOD\n  Bad:  {base}?rating=BAD\n"
    )
}
