//! `GET /reports/sla-trend?interval=day|week`: SLA compliance per interval (by default
//! days for a period of up to 14 days, else weeks).

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use helpdesk_service::Actor;

use super::period::ReportQuery;
use super::respond;
use crate::error::ApiResult;
use crate::extract::{Staff, StrictQuery};
use crate::state::AppState;
pub use helpdesk_service::reports::sla_trend::SlaTrendRow;

#[utoipa::path(get, path = "/reports/sla-trend", tag = "reports", params(ReportQuery),
    responses((status = 200, body = Vec<SlaTrendRow>, content_type = "application/json"),
        (status = 200, description = "`Accept: text/csv`: columns `start,met,breached,compliance_percent`", content_type = "text/csv"),
        (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn sla_trend(
    State(state): State<AppState>,
    Staff(authed): Staff,
    headers: HeaderMap,
    StrictQuery(q): StrictQuery<ReportQuery>,
) -> ApiResult<Response> {
    let rows = state
        .service
        .report_sla_trend(&Actor::request(authed.ctx), &q)
        .await?;
    if respond::wants_csv(&headers) {
        return respond::csv(&rows, "sla-trend");
    }
    Ok(Json(rows).into_response())
}
