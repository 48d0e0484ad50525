//! A ticket's SLA explained (staff): the terms it is held to, each metric's cycle with the
//! arithmetic behind its deadline, and every recorded step.

use helpdesk_domain::sla::cycle::{deadline_and_pauses, warn_seconds};
use helpdesk_domain::sla::{Calendar, Cycle, Metric, PauseOn, StepData, Targets, Terms};
use helpdesk_domain::time::from_micros;
use helpdesk_domain::{Permission, Priority, TicketId};
use helpdesk_storage::repo::sla::{self, Calendars, SlaEvent};
use helpdesk_storage::repo::tickets::{self, TicketRef};
use serde::Serialize;
use uuid::Uuid;

use super::sla_view::{SlaClock, SlaOut};
use crate::Service;
use crate::actor::Actor;
use crate::error::ServiceResult;
use crate::permissions::require;
use crate::time::{rfc3339, rfc3339_opt};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TermsOut {
    #[schema(value_type = String, format = Uuid)]
    pub policy_id: Uuid,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub business_hours_id: Option<Uuid>,
    /// The zone the calendar counts in; `UTC` for 24×7.
    pub timezone: String,
    pub priority: Priority,
    pub targets: Targets,
    pub pause_on: PauseOn,
    pub warn_at_percent: u8,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PauseOut {
    pub from: String,
    /// Null while the pause lasts.
    pub to: Option<String>,
    pub business_minutes: f64,
}

/// One metric's current cycle and how its deadline follows from it:
/// `due_at = started_at + target_minutes + counted_pause_minutes` in business time.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CycleOut {
    pub metric: Metric,
    pub cycle: u32,
    pub target_minutes: i64,
    pub started_at: String,
    pub pauses: Vec<PauseOut>,
    /// Business minutes of the pauses that began before the deadline and so moved it.
    pub counted_pause_minutes: f64,
    pub due_at: Option<String>,
    pub warn_at: Option<String>,
    pub fulfilled_at: Option<String>,
    /// Business minutes the clock ran (to fulfilment, or to now).
    pub elapsed_business_minutes: i64,
    pub warned: bool,
    pub breached: bool,
    /// The arithmetic in words.
    pub derivation: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StepOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub metric: String,
    /// `applied`, `paused`, `resumed`, `fulfilled`, `warned`, `breached`, `reapplied`.
    pub kind: String,
    pub cycle: i64,
    /// When it happened; for `warned` / `breached` the threshold itself.
    pub at: String,
    pub recorded_at: String,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TicketSlaOut {
    pub ticket_id: TicketId,
    /// The live reading, as on the ticket.
    pub sla: Option<SlaOut>,
    pub terms: Option<TermsOut>,
    pub cycles: Vec<CycleOut>,
    /// Every step, oldest first.
    pub events: Vec<StepOut>,
}

fn minutes(seconds: i64) -> f64 {
    (seconds as f64 / 60.0 * 100.0).round() / 100.0
}

fn cycle_out(m: Metric, c: &Cycle, terms: &Terms, cal: &Calendar, tz: &str, now: i64) -> CycleOut {
    let pauses = c
        .pauses
        .iter()
        .map(|p| PauseOut {
            from: rfc3339(p.from),
            to: rfc3339_opt(p.to),
            business_minutes: minutes(
                cal.seconds_between(from_micros(p.from), from_micros(p.to.unwrap_or(now))),
            ),
        })
        .collect();
    let counted = deadline_and_pauses(cal, c.started_at, c.target_minutes * 60, &c.pauses)
        .map_or(0, |(_, s)| s);
    let known = |t: i64| (t < i64::MAX).then(|| rfc3339(t));
    let due = known(c.due_at);
    let derivation = format!(
        "{} + {} business minutes + {} paused business minutes ({tz}) = {}; warned at {}% ({} business minutes)",
        rfc3339(c.started_at),
        c.target_minutes,
        minutes(counted),
        due.as_deref()
            .unwrap_or("never (the calendar has no hours)"),
        terms.warn_at_percent,
        minutes(warn_seconds(c.target_minutes, terms.warn_at_percent)),
    );
    CycleOut {
        metric: m,
        cycle: c.number,
        target_minutes: c.target_minutes,
        started_at: rfc3339(c.started_at),
        pauses,
        counted_pause_minutes: minutes(counted),
        due_at: due,
        warn_at: known(c.warn_at),
        fulfilled_at: rfc3339_opt(c.fulfilled_at),
        elapsed_business_minutes: c.elapsed_seconds(cal, c.fulfilled_at.unwrap_or(now)) / 60,
        warned: c.warned,
        breached: c.breached,
        derivation,
    }
}

/// Stored instants (microseconds) in a step's data, as RFC 3339.
fn step_out(e: SlaEvent) -> StepOut {
    let data: StepData = serde_json::from_value(e.data.clone()).unwrap_or_default();
    let mut out = serde_json::to_value(&data).unwrap_or_default();
    if let Some(map) = out.as_object_mut() {
        for (k, v) in map.iter_mut() {
            if (k.ends_with("_at") || k == "paused_from")
                && let Some(us) = v.as_i64()
            {
                *v = serde_json::Value::String(rfc3339(us));
            }
        }
    }
    StepOut {
        id: e.id,
        metric: e.metric,
        kind: e.kind,
        cycle: e.cycle,
        at: rfc3339(e.at),
        recorded_at: rfc3339(e.created_at),
        data: out,
    }
}

impl Service {
    pub async fn ticket_sla(&self, actor: &Actor, r: TicketRef) -> ServiceResult<TicketSlaOut> {
        require(actor, Permission::ReadSla)?;
        let db = self.store.read();
        let ctx = &actor.ctx;
        let t = tickets::get(db, ctx, r).await?;
        let now = self.now();
        let clock = SlaClock::load(db, ctx, &[&t], now).await?;
        let events = sla::for_ticket(db, ctx, TicketId::from_uuid(t.id)).await?;
        let (terms, cycles) = match sla::state_of(&t)? {
            None => (None, Vec::new()),
            Some(s) => {
                let cal = Calendars::one(db, ctx, s.terms.calendar_id).await?;
                let tz = match s.terms.calendar_id {
                    Some(id) => helpdesk_storage::repo::business_hours::get(db, ctx, id)
                        .await
                        .map_or_else(|_| "UTC".to_owned(), |c| c.timezone),
                    None => "UTC".to_owned(),
                };
                let cycles = s
                    .cycles
                    .iter()
                    .map(|(m, c)| cycle_out(*m, c, &s.terms, &cal, &tz, now))
                    .collect();
                let terms = TermsOut {
                    policy_id: s.terms.policy_id,
                    business_hours_id: s.terms.calendar_id,
                    timezone: tz,
                    priority: s.terms.priority,
                    targets: s.terms.targets.clone(),
                    pause_on: s.terms.pause_on.clone(),
                    warn_at_percent: s.terms.warn_at_percent,
                };
                (Some(terms), cycles)
            }
        };
        Ok(TicketSlaOut {
            ticket_id: TicketId::from_uuid(t.id),
            sla: clock.read(&t)?,
            terms,
            cycles,
            events: events.into_iter().map(step_out).collect(),
        })
    }
}
