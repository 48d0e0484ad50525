//! What a rule's conditions see of a ticket at an instant.

use helpdesk_domain::automation::Facts;
use helpdesk_domain::time::from_micros;
use helpdesk_domain::{Priority, TenantCtx, TicketStatus};
use helpdesk_storage::repo::sla::{Calendars, state_of};
use helpdesk_storage::repo::tickets::{Ticket, TicketRow};
use sea_orm::ConnectionTrait;

use crate::error::ServiceResult;

/// The workspace's `auto_close_days` setting.
pub async fn auto_close_days(db: &impl ConnectionTrait, ctx: &TenantCtx) -> ServiceResult<f64> {
    let ws = helpdesk_storage::repo::workspaces::get(db, ctx.workspace_id).await?;
    Ok(
        helpdesk_domain::settings::WorkspaceSettings::from_json(&ws.settings).auto_close_days
            as f64,
    )
}

/// Owned inputs of [`Facts`] for one ticket.
#[derive(Debug)]
pub struct TicketFacts {
    pub status: TicketStatus,
    pub priority: Priority,
    pub tags: Vec<String>,
    pub business_hours_now: bool,
    pub auto_close_days: f64,
}

impl TicketFacts {
    pub async fn load(
        db: &impl ConnectionTrait,
        ctx: &TenantCtx,
        t: &Ticket,
        now: i64,
    ) -> ServiceResult<Self> {
        let status = t.status()?;
        let priority = t.priority()?;
        let calendar = match state_of(t)? {
            Some(s) => s.terms.calendar_id,
            None => None,
        };
        let cal = Calendars::one(db, ctx, calendar).await?;
        Ok(Self {
            status,
            priority,
            tags: helpdesk_storage::repo::tickets::tags_of(t),
            business_hours_now: cal.is_open(from_micros(now)),
            auto_close_days: auto_close_days(db, ctx).await?,
        })
    }

    pub fn facts<'a>(&'a self, t: &'a Ticket, now: i64) -> Facts<'a> {
        let hours = |at: i64| (now - at).max(0) as f64 / 3_600_000_000.0;
        Facts {
            status: self.status,
            priority: self.priority,
            organization_id: t.organization_id,
            requester_id: t.requester_id,
            assignee_id: t.assignee_id,
            tags: &self.tags,
            subject: &t.subject,
            description: &t.description,
            channel: &t.channel,
            business_hours_now: self.business_hours_now,
            hours_since_status: hours(t.status_changed_at),
            hours_since_update: hours(t.updated_at),
            hours_since_created: hours(t.created_at),
            auto_close_days: self.auto_close_days,
        }
    }
}
