//! `POST /alerts` (API key or agent): monitoring and RMM alerts. The first `FIRING` report
//! of a `(source, dedup_key)` opens a ticket; repeats add an internal note and count while
//! that ticket is not closed (a resolved one is reopened); `RESOLVED` adds a note and
//! resolves the ticket when no agent has replied yet; after the ticket is closed, a new
//! `FIRING` opens a new ticket. Honours `Idempotency-Key`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use helpdesk_domain::{AssetId, OrganizationId, Priority, TicketId, TicketStatus};
use helpdesk_storage::repo::alerts;
use helpdesk_storage::repo::tickets::{self, NewTicket, TicketRef};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::tickets::{create, dto::status_of, ops, refs};
use crate::error::{ApiError, ApiResult};
use crate::extract::{HashedJson, Staff};
use crate::idempotency::{IdempotencyKey, Idempotent};
use crate::live::LiveEvent;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(report_alert))
}

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum AlertState {
    Firing,
    Resolved,
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertBody {
    /// The monitoring tool, e.g. `zabbix`.
    #[garde(length(chars, min = 1, max = 100))]
    pub source: String,
    /// What identifies one alert across its reports, e.g. `host42/disk-c`.
    #[garde(length(chars, min = 1, max = 200))]
    pub dedup_key: String,
    /// `critical` → URGENT, `high` → HIGH, `medium` → MEDIUM, `low` / `info` → LOW.
    #[garde(skip)]
    pub severity: Severity,
    #[garde(length(chars, min = 1, max = 250))]
    pub summary: String,
    #[garde(length(max = 65536))]
    pub details: Option<String>,
    #[garde(skip)]
    pub asset_id: Option<AssetId>,
    /// Default: the asset's organization.
    #[garde(skip)]
    pub organization_id: Option<OrganizationId>,
    #[garde(skip)]
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

fn note_text(a: &AlertBody, n: i64) -> String {
    let what = match a.state {
        AlertState::Firing => format!("Alert firing again ({n} reports)"),
        AlertState::Resolved => "Alert resolved".to_owned(),
    };
    match &a.details {
        Some(d) => format!("{what}: {}\n\n{d}", a.summary),
        None => format!("{what}: {}", a.summary),
    }
}

#[utoipa::path(post, path = "/alerts", tag = "alerts", request_body = AlertBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "replays the first response for 24 h")),
    responses((status = 201, description = "a ticket was opened", body = AlertOut),
        (status = 200, description = "an existing ticket was updated, or nothing to do", body = AlertOut),
        (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn report_alert(
    State(state): State<AppState>,
    Staff(authed): Staff,
    key: IdempotencyKey,
    body: HashedJson<AlertBody>,
) -> ApiResult<Response> {
    let ctx = authed.ctx;
    let a = body.value;
    let mut idem = Idempotent::new(key, "POST /alerts", &body.sha256);
    if let Some(replay) = idem.replay(&state, &ctx).await? {
        return Ok(replay);
    }
    let now = state.now();
    let tx = state.store.begin().await.map_err(ApiError::internal)?;
    if !idem.claim(&tx, &ctx).await? {
        drop(tx);
        return idem.replay_after_race(&state, &ctx).await;
    }
    let mut organization_id = a.organization_id;
    if let Some(o) = organization_id {
        refs::organization(&tx, &ctx, o).await?;
    }
    if let Some(id) = a.asset_id {
        let asset = refs::asset(&tx, &ctx, id, organization_id).await?;
        organization_id =
            organization_id.or(Some(OrganizationId::from_uuid(asset.organization_id)));
    }
    let mut key_row = alerts::lock_key(&tx, &ctx, &a.source, &a.dedup_key, now).await?;
    let current = match key_row.ticket_id {
        Some(id) => {
            match tickets::get_for_update(&tx, &ctx, TicketRef::Id(TicketId::from_uuid(id))).await {
                Ok(t) if status_of(&t)? != TicketStatus::Closed => Some(t),
                Ok(_) | Err(helpdesk_storage::StoreError::NotFound) => None,
                Err(e) => return Err(e.into()),
            }
        }
        None => None,
    };
    let (outcome, ticket, live) = match (a.state, current) {
        (AlertState::Firing, None) => {
            let requester = alerts::monitoring_user(&tx, &ctx).await?;
            let new = NewTicket {
                subject: format!("[{}] {}", a.source, a.summary),
                description: a.details.clone().unwrap_or_else(|| a.summary.clone()),
                priority: a.severity.priority(),
                requester_id: requester,
                assignee_id: None,
                organization_id,
                asset_id: a.asset_id,
                tags: vec!["alert".to_owned()],
                channel: "alert",
            };
            let (t, _, live) = create::insert(&tx, &ctx, new, now).await?;
            key_row.occurrences = 1;
            (Outcome::Opened, Some(t), live)
        }
        (AlertState::Firing, Some(t)) => {
            key_row.occurrences += 1;
            let reopen = (status_of(&t)? == TicketStatus::Resolved).then_some(TicketStatus::Open);
            let (t, live) = ops::note(
                &tx,
                &ctx,
                &t,
                note_text(&a, key_row.occurrences),
                reopen,
                None,
                now,
            )
            .await?;
            (Outcome::Appended, Some(t), live)
        }
        (AlertState::Resolved, Some(t)) => {
            let status = status_of(&t)?;
            let resolve = t.first_response_at.is_none() && status != TicketStatus::Resolved;
            let to = resolve.then_some(TicketStatus::Resolved);
            let (t, live) = ops::note(
                &tx,
                &ctx,
                &t,
                note_text(&a, key_row.occurrences),
                to,
                None,
                now,
            )
            .await?;
            (
                if resolve {
                    Outcome::Resolved
                } else {
                    Outcome::Noted
                },
                Some(t),
                live,
            )
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
    key_row.severity = serde_json::to_value(a.severity)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    key_row.last_seen_at = now;
    key_row.updated_at = now;
    let key_row = alerts::save(&tx, key_row).await?;
    let status = if outcome == Outcome::Opened {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let out = AlertOut {
        outcome,
        ticket_id: ticket.as_ref().map(|t| TicketId::from_uuid(t.id)),
        ticket_number: ticket.as_ref().map(|t| t.number),
        occurrences: key_row.occurrences,
    };
    idem.complete(&tx, status, &out).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    if let Some(t) = &ticket {
        state
            .events
            .publish(
                live.iter()
                    .map(|e| LiveEvent::new(e, t.number, t.requester_id))
                    .collect(),
            )
            .await;
    }
    Ok((status, Json(out)).into_response())
}
