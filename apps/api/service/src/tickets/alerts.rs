//! Monitoring and RMM alerts. The first `FIRING` report of a `(source, dedup_key)` opens a
//! ticket; repeats add an internal note and count while that ticket is not closed (a
//! resolved one is reopened); `RESOLVED` adds a note and resolves the ticket when no agent
//! has replied yet; after the ticket is closed, a new `FIRING` opens a new ticket.

use helpdesk_domain::{AssetId, OrganizationId, Priority, TicketId, TicketStatus};
use helpdesk_storage::StoreError;
use helpdesk_storage::repo::alerts;
use helpdesk_storage::repo::tickets::{self, NewTicket, TicketRef, TicketRow};
use serde::{Deserialize, Serialize};

use super::create::insert;
use super::refs;
use super::reply::note;
use crate::Service;
use crate::actor::{Actor, Via};
use crate::error::ServiceResult;
use crate::idempotency::{IdemKey, Keyed, Once};
use crate::permissions::require;
use helpdesk_domain::Permission;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl Severity {
    fn priority(self) -> Priority {
        match self {
            Severity::Critical => Priority::Urgent,
            Severity::High => Priority::High,
            Severity::Medium => Priority::Medium,
            Severity::Low | Severity::Info => Priority::Low,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum AlertState {
    Firing,
    Resolved,
}

/// One report from a monitoring tool.
#[derive(Debug, Clone)]
pub struct AlertReport {
    pub source: String,
    pub dedup_key: String,
    pub severity: Severity,
    pub summary: String,
    pub details: Option<String>,
    pub asset_id: Option<AssetId>,
    pub organization_id: Option<OrganizationId>,
    pub state: AlertState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A new ticket.
    Opened,
    /// A note on the open ticket (reopened if it was resolved).
    Appended,
    /// A note, and the ticket resolved (no agent had replied).
    Resolved,
    /// A note; the ticket stays as it is (an agent is on it).
    Noted,
    /// Nothing to do: no open ticket for this alert.
    Ignored,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AlertOut {
    pub outcome: Outcome,
    pub ticket_id: Option<TicketId>,
    pub ticket_number: Option<i64>,
    /// Reports received for the current ticket.
    pub occurrences: i64,
}

fn note_text(a: &AlertReport, n: i64) -> String {
    let what = match a.state {
        AlertState::Firing => format!("Alert firing again ({n} reports)"),
        AlertState::Resolved => "Alert resolved".to_owned(),
    };
    match &a.details {
        Some(d) => format!("{what}: {}\n\n{d}", a.summary),
        None => format!("{what}: {}", a.summary),
    }
}

impl Service {
    /// Staff and API keys report alerts; customers may not.
    pub async fn report_alert(
        &self,
        actor: &Actor,
        a: AlertReport,
        key: Option<IdemKey>,
    ) -> ServiceResult<Once<AlertOut>> {
        require(actor, Permission::ReportAlerts)?;
        let actor = &Actor {
            ctx: actor.ctx,
            via: Via::Monitoring,
        };
        let ctx = &actor.ctx;
        let now = self.now();
        let mut idem = Keyed::new(key);
        if let Some(replay) = idem.replay(self.store.read(), ctx, now).await? {
            return Ok(Once::Replayed(replay));
        }
        let tx = self.begin().await?;
        if !idem.claim(&tx, ctx, now).await? {
            drop(tx);
            return idem.replay_after_race(self.store.read(), ctx, now).await;
        }
        let mut organization_id = a.organization_id;
        if let Some(o) = organization_id {
            refs::organization(&tx, ctx, o).await?;
        }
        if let Some(id) = a.asset_id {
            let asset = refs::asset(&tx, ctx, id, organization_id).await?;
            organization_id =
                organization_id.or(Some(OrganizationId::from_uuid(asset.organization_id)));
        }
        let mut key_row = alerts::lock_key(&tx, ctx, &a.source, &a.dedup_key, now).await?;
        let current = match key_row.ticket_id {
            Some(id) => {
                match tickets::get_for_update(&tx, ctx, TicketRef::Id(TicketId::from_uuid(id)))
                    .await
                {
                    Ok(t) if !t.is_closed() => Some(t),
                    Ok(_) | Err(StoreError::NotFound) => None,
                    Err(e) => return Err(e.into()),
                }
            }
            None => None,
        };
        let (outcome, ticket, live) = match (a.state, current) {
            (AlertState::Firing, None) => {
                let requester = alerts::monitoring_user(&tx, ctx, now).await?;
                let new = NewTicket {
                    subject: helpdesk_domain::text::one_line(&format!(
                        "[{}] {}",
                        a.source, a.summary
                    )),
                    description: a.details.clone().unwrap_or_else(|| a.summary.clone()),
                    priority: a.severity.priority(),
                    requester_id: requester,
                    assignee_id: None,
                    organization_id,
                    asset_id: a.asset_id,
                    tags: vec!["alert".to_owned()],
                    channel: actor.channel(),
                };
                let (t, _, live) = insert(&tx, actor, new, now).await?;
                key_row.occurrences = 1;
                (Outcome::Opened, Some(t), live)
            }
            (AlertState::Firing, Some(t)) => {
                key_row.occurrences += 1;
                let reopen = (t.status()? == TicketStatus::Resolved).then_some(TicketStatus::Open);
                let text = note_text(&a, key_row.occurrences);
                let (t, live) = note(&tx, actor, &t, text, reopen, now).await?;
                (Outcome::Appended, Some(t), live)
            }
            (AlertState::Resolved, Some(t)) => {
                let resolve =
                    t.first_response_at.is_none() && t.status()? != TicketStatus::Resolved;
                let to = resolve.then_some(TicketStatus::Resolved);
                let text = note_text(&a, key_row.occurrences);
                let (t, live) = note(&tx, actor, &t, text, to, now).await?;
                let outcome = if resolve {
                    Outcome::Resolved
                } else {
                    Outcome::Noted
                };
                (outcome, Some(t), live)
            }
            (AlertState::Resolved, None) => (Outcome::Ignored, None, Vec::new()),
        };
        if let Some(t) = &ticket {
            key_row.ticket_id = Some(t.id);
        }
        key_row.state = match a.state {
            AlertState::Firing => "FIRING",
            AlertState::Resolved => "RESOLVED",
        }
        .to_owned();
        key_row.severity = a.severity.as_str().to_owned();
        key_row.last_seen_at = now;
        key_row.updated_at = now;
        let key_row = alerts::save(&tx, key_row).await?;
        let out = AlertOut {
            outcome,
            ticket_id: ticket.as_ref().map(|t| TicketId::from_uuid(t.id)),
            ticket_number: ticket.as_ref().map(|t| t.number),
            occurrences: key_row.occurrences,
        };
        idem.complete(&tx, outcome == Outcome::Opened, &out).await?;
        tx.commit().await?;
        if let Some(t) = &ticket {
            self.publish(t, &live).await;
        }
        Ok(Once::Done(out))
    }
}
