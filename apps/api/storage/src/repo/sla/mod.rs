//! Ticket SLAs in storage: each ticket change runs the domain tracker inside the change's
//! transaction, saves its state on the ticket row and appends its steps; warnings and
//! breaches also become ticket events, which notify and fire webhooks.

mod steps;
mod sweep;
mod terms;

pub use steps::{SlaEvent, append, for_ticket};
pub use sweep::{due_tickets, sweep_ticket};
pub use terms::{Calendars, calendar_of, terms_for};

use helpdesk_domain::sla::{Calendar, SlaState, Step, StepKind, TicketFacts};
use helpdesk_domain::time::from_micros;
use helpdesk_domain::{OrganizationId, Priority, TenantCtx, TicketId, TicketStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter};
use serde_json::json;

use super::events::{self, Event, NewEvent};
use super::tickets::Ticket;
use crate::batch::Batch;
use crate::entities::ticket;
use crate::error::{StoreError, StoreResult};

/// Who wrote a public message, when the change is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    Agent,
    Customer,
}

/// The tracker state stored on a ticket.
pub fn state_of(t: &Ticket) -> StoreResult<Option<SlaState>> {
    t.sla_state
        .clone()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("sla state of ticket {}: {e}", t.id)))
}

fn status(t: &Ticket) -> StoreResult<TicketStatus> {
    t.status
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("status of ticket {}", t.id)))
}

/// Brings the SLA of ticket `after` up to date with the change from `before` made at
/// `now`, in the change's transaction (a new ticket goes through [`start`]). Returns the
/// ticket events it wrote (warnings and breaches), for live delivery; `after` gets the new
/// state.
pub async fn track(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    before: &Ticket,
    after: &mut Ticket,
    reply: Option<Reply>,
    now: i64,
) -> StoreResult<Vec<Event>> {
    let old = state_of(before)?;
    let mut state = old.clone();
    let mut cal = match &state {
        Some(s) => Calendars::one(db, ctx, s.terms.calendar_id).await?,
        None => Calendar::always(),
    };
    let to = status(after)?;
    let facts = |answered: bool| TicketFacts {
        created_at: after.created_at,
        status: to,
        answered,
    };
    let mut steps: Vec<Step> = Vec::new();
    if let Some(s) = state.as_mut() {
        steps.extend(s.catch_up(now));
        let from = status(before)?;
        if from != to {
            steps.extend(s.status_changed(&cal, from, to, now));
        }
        match reply {
            Some(Reply::Agent) => steps.extend(s.agent_replied(&cal, now)),
            Some(Reply::Customer) => {
                let answered = before.first_response_at.is_some();
                steps.extend(s.customer_replied(&cal, facts(answered), now));
            }
            None => {}
        }
    }
    let terms_may_change =
        before.priority != after.priority || before.organization_id != after.organization_id;
    if terms_may_change {
        let priority = Priority::from_rank(after.priority)
            .ok_or_else(|| StoreError::Corrupt(format!("priority of ticket {}", after.id)))?;
        let org = after.organization_id.map(OrganizationId::from_uuid);
        let answered = after.first_response_at.is_some();
        match (
            state.as_mut(),
            terms_for(db, ctx, org, priority, now).await?,
        ) {
            (None, None) => {}
            (None, Some(terms)) => {
                cal = Calendars::one(db, ctx, terms.calendar_id).await?;
                let (s, applied) = SlaState::apply(terms, &cal, facts(answered), now);
                steps.extend(applied);
                state = Some(s);
            }
            (Some(s), Some(terms)) => {
                if terms != s.terms {
                    cal = Calendars::one(db, ctx, terms.calendar_id).await?;
                    steps.extend(s.reapply(terms, &cal, facts(answered), now));
                }
            }
            (Some(s), None) => {
                steps.extend(s.detach(now));
                state = None;
            }
        }
    }
    if state.is_none() {
        cal = Calendar::always();
    }
    durations(db, ctx, before, after, &cal).await?;
    if state == old && steps.is_empty() {
        return Ok(Vec::new());
    }
    save(db, ctx, after, state.as_ref()).await?;
    record(db, ctx, TicketId::from_uuid(after.id), &steps, now).await
}

/// The terms and calendar a new ticket will be held to, looked up before its number is
/// taken: taking the number locks the workspace's counter until the creating transaction
/// ends, so lookups done first keep that lock short.
pub async fn prepare(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    organization: Option<OrganizationId>,
    priority: Priority,
    now: i64,
) -> StoreResult<Option<(helpdesk_domain::sla::Terms, Calendar)>> {
    match terms_for(db, ctx, organization, priority, now).await? {
        Some(terms) => {
            let cal = Calendars::one(db, ctx, terms.calendar_id).await?;
            Ok(Some((terms, cal)))
        }
        None => Ok(None),
    }
}

/// [`track`] for a ticket about to be created, with the terms [`prepare`] found: puts the
/// tracker's state on the `draft` row (nothing is written) and returns the steps for
/// [`record`].
pub fn begin(
    draft: &mut Ticket,
    prepared: Option<(helpdesk_domain::sla::Terms, Calendar)>,
    now: i64,
) -> StoreResult<Vec<Step>> {
    let Some((terms, cal)) = prepared else {
        return Ok(Vec::new());
    };
    let facts = TicketFacts {
        created_at: draft.created_at,
        status: status(draft)?,
        answered: draft.first_response_at.is_some(),
    };
    let (state, steps) = SlaState::apply(terms, &cal, facts, now);
    set_state(draft, Some(&state))?;
    Ok(steps)
}

/// Keeps the business minutes to the first response and to the latest resolution on the
/// ticket when they become known, for reports.
async fn durations(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    before: &Ticket,
    after: &mut Ticket,
    cal: &Calendar,
) -> StoreResult<()> {
    use ticket::Column as C;
    let minutes =
        |at: i64| cal.seconds_between(from_micros(after.created_at), from_micros(at)) / 60;
    let first = after
        .first_response_at
        .filter(|_| before.first_response_at.is_none())
        .map(minutes);
    let resolved = after
        .resolved_at
        .filter(|r| before.resolved_at != Some(*r))
        .map(minutes);
    if first.is_none() && resolved.is_none() {
        return Ok(());
    }
    let mut q = ticket::Entity::update_many();
    if let Some(m) = first {
        after.first_response_business_minutes = Some(m);
        q = q.col_expr(C::FirstResponseBusinessMinutes, Expr::value(m));
    }
    if let Some(m) = resolved {
        after.resolution_business_minutes = Some(m);
        q = q.col_expr(C::ResolutionBusinessMinutes, Expr::value(m));
    }
    q.filter(C::Id.eq(after.id))
        .filter(C::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}

/// Puts the tracker's state and the columns derived from it on `t`.
fn set_state(t: &mut Ticket, state: Option<&SlaState>) -> StoreResult<()> {
    t.sla_state = state
        .map(serde_json::to_value)
        .transpose()
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    t.sla_due_at = state.and_then(SlaState::due_at);
    t.sla_warn_at = state.and_then(SlaState::warn_at);
    t.sla_check_at = state.and_then(SlaState::next_check);
    t.sla_breached = state.is_some_and(SlaState::breached);
    Ok(())
}

/// Writes the state and the columns derived from it; the ticket's version stays, as this
/// is bookkeeping rather than an edit someone could conflict with.
pub(crate) async fn save(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    t: &mut Ticket,
    state: Option<&SlaState>,
) -> StoreResult<()> {
    use ticket::Column as C;
    set_state(t, state)?;
    ticket::Entity::update_many()
        .col_expr(C::SlaState, Expr::value(t.sla_state.clone()))
        .col_expr(C::SlaDueAt, Expr::value(t.sla_due_at))
        .col_expr(C::SlaWarnAt, Expr::value(t.sla_warn_at))
        .col_expr(C::SlaCheckAt, Expr::value(t.sla_check_at))
        .col_expr(C::SlaBreached, Expr::value(t.sla_breached))
        .filter(C::Id.eq(t.id))
        .filter(C::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}

/// Appends the steps of ticket `ticket_id`; each warning and breach also becomes a ticket
/// event.
pub async fn record(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket_id: TicketId,
    steps: &[Step],
    now: i64,
) -> StoreResult<Vec<Event>> {
    let (events, batch) = prepare_record(db.get_database_backend(), ctx, ticket_id, steps, now);
    batch.execute(db).await?;
    Ok(events)
}

/// [`record`]'s writes, to be sent with others ([`Batch`]): the steps, then the events.
pub fn prepare_record(
    backend: DbBackend,
    ctx: &TenantCtx,
    ticket_id: TicketId,
    steps: &[Step],
    now: i64,
) -> (Vec<Event>, Batch) {
    let mut batch = Batch::new(backend);
    if let Some(insert) = steps::append_statement(backend, ctx, ticket_id, steps, now) {
        batch.push(insert);
    }
    let mut alerts = Vec::new();
    for s in steps {
        let kind = match s.kind {
            StepKind::Warned => "sla.warning",
            StepKind::Breached => "sla.breached",
            _ => continue,
        };
        let changes = json!({
            "metric": s.metric,
            "cycle": s.cycle,
            "at": from_micros(s.at).to_string(),
        });
        alerts.push(NewEvent {
            ticket_id,
            kind,
            changes,
            message_id: None,
            internal: false,
        });
    }
    let system = TenantCtx::system(ctx.workspace_id);
    let (events, writes) = events::prepare(backend, &system, alerts, now);
    batch.append(writes);
    (events, batch)
}
