//! `POST /alerts` (API key or agent): monitoring and RMM alerts. The first `FIRING` report
//! of a `(source, dedup_key)` opens a ticket; repeats add an internal note and count while
//! that ticket is not closed (a resolved one is reopened); `RESOLVED` adds a note and
//! resolves the ticket when no agent has replied yet; after the ticket is closed, a new
//! `FIRING` opens a new ticket. Honours `Idempotency-Key`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::{AssetId, OrganizationId};
use helpdesk_service::tickets::alerts::AlertReport;
pub use helpdesk_service::tickets::alerts::{AlertOut, AlertState, Outcome, Severity};
use helpdesk_service::{Actor, Once};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiResult;
use crate::extract::{HashedJson, Staff};
use crate::idempotency::{IdempotencyKey, respond};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(report_alert))
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
    let key = key.bind("POST /alerts", &body.sha256);
    let a = body.value;
    let report = AlertReport {
        source: a.source,
        dedup_key: a.dedup_key,
        severity: a.severity,
        summary: a.summary,
        details: a.details,
        asset_id: a.asset_id,
        organization_id: a.organization_id,
        state: a.state,
    };
    let once = state
        .service
        .report_alert(&Actor::request(authed.ctx), report, key)
        .await?;
    let status = match &once {
        Once::Done(out) if out.outcome == Outcome::Opened => StatusCode::CREATED,
        _ => StatusCode::OK,
    };
    Ok(respond(once, status))
}
