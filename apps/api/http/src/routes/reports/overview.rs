//! `GET /reports/overview`: volume, backlog, response and resolution times, SLA compliance.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use helpdesk_service::Actor;

use super::period::ReportQuery;
use super::respond;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Staff, StrictQuery};
use crate::state::AppState;
pub use helpdesk_service::reports::overview::Overview;

/// CSV: one `figure,value` row per figure, nested names joined by `.`, in alphabetical
/// order (e.g. `backlog.by_status.OPEN`, `first_response.business_minutes.median`).
#[utoipa::path(get, path = "/reports/overview", tag = "reports", params(ReportQuery),
    responses((status = 200, body = Overview, content_type = "application/json"),
        (status = 200, description = "`Accept: text/csv`: columns `figure,value`", content_type = "text/csv"),
        (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn overview(
    State(state): State<AppState>,
    Staff(authed): Staff,
    headers: HeaderMap,
    StrictQuery(q): StrictQuery<ReportQuery>,
) -> ApiResult<Response> {
    let body = state
        .service
        .report_overview(&Actor::request(authed.ctx), &q)
        .await?;
    if respond::wants_csv(&headers) {
        let value = serde_json::to_value(&body).map_err(ApiError::internal)?;
        return respond::csv(&respond::figures(&value), "overview");
    }
    Ok(respond::json(body))
}
