//! The live SLA reading shown on tickets: due times, remaining business minutes, breached
//! flags and pauses, read from the stored tracker state at the request's instant.

use helpdesk_domain::TenantCtx;
use helpdesk_domain::sla::{Metric, MetricView};
use helpdesk_domain::time::{from_micros, to_micros};
use helpdesk_storage::repo::sla::{Calendars, state_of};
use helpdesk_storage::repo::tickets::Ticket;
use jiff::Timestamp;
use sea_orm::ConnectionTrait;
use serde::Serialize;
use uuid::Uuid;

use crate::error::{ServiceError, ServiceResult};
use crate::time::rfc3339;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SlaOut {
    #[schema(value_type = String, format = Uuid)]
    pub policy_id: Uuid,
    /// The calendar the minutes count in; null: 24×7.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub business_hours_id: Option<Uuid>,
    /// Deadlines of the running clocks; null when the metric's clock does not run (met,
    /// not started, or no target).
    pub first_response_due_at: Option<String>,
    pub next_response_due_at: Option<String>,
    pub resolution_due_at: Option<String>,
    /// The metric's current cycle missed its deadline (or is past it now).
    pub first_response_breached: bool,
    pub next_response_breached: bool,
    pub resolution_breached: bool,
    /// Business minutes left before each running deadline; negative once overdue; frozen
    /// while paused.
    pub first_response_remaining_minutes: Option<i64>,
    pub next_response_remaining_minutes: Option<i64>,
    pub resolution_remaining_minutes: Option<i64>,
    /// A clock stands still (the status is one of its policy's `pause_on`).
    pub paused: bool,
    /// A running clock passed `warn_at_percent` and none has breached.
    pub at_risk: bool,
}

/// What a live reading needs: the instant and the calendars of the tickets shown.
#[derive(Debug, Clone)]
pub struct SlaClock {
    now: Timestamp,
    calendars: Calendars,
}

impl SlaClock {
    /// The reading at `now` in calendars already at hand.
    pub fn new(now: i64, calendars: Calendars) -> Self {
        Self {
            now: from_micros(now),
            calendars,
        }
    }

    pub async fn load(
        db: &impl ConnectionTrait,
        ctx: &TenantCtx,
        tickets: &[&Ticket],
        now: i64,
    ) -> ServiceResult<Self> {
        let mut ids = Vec::new();
        for t in tickets {
            if let Some(s) = state_of(t)? {
                ids.extend(s.terms.calendar_id);
            }
        }
        Ok(Self {
            now: from_micros(now),
            calendars: Calendars::load(db, ctx, ids).await?,
        })
    }

    pub fn read(&self, t: &Ticket) -> Result<Option<SlaOut>, ServiceError> {
        let Some(s) = state_of(t)? else {
            return Ok(None);
        };
        let cal = self.calendars.get(s.terms.calendar_id);
        let [fr, nr, res]: [MetricView; 3] = Metric::ALL.map(|m| s.view(m, &cal, self.now));
        let now = to_micros(self.now);
        let breached = fr.breached || nr.breached || res.breached;
        let at_risk = !breached
            && s.warn_at().is_some_and(|w| w <= now)
            && s.due_at().is_some_and(|d| d > now);
        Ok(Some(SlaOut {
            policy_id: s.terms.policy_id,
            business_hours_id: s.terms.calendar_id,
            first_response_due_at: fr.due_at.map(rfc3339),
            next_response_due_at: nr.due_at.map(rfc3339),
            resolution_due_at: res.due_at.map(rfc3339),
            first_response_breached: fr.breached,
            next_response_breached: nr.breached,
            resolution_breached: res.breached,
            first_response_remaining_minutes: fr.remaining_minutes,
            next_response_remaining_minutes: nr.remaining_minutes,
            resolution_remaining_minutes: res.remaining_minutes,
            paused: s.paused(),
            at_risk,
        }))
    }
}
