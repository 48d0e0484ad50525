//! `GET /reports/billing`: what to invoice per organization and contract period.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use helpdesk_service::Actor;

use super::period::ReportQuery;
use super::respond;
use crate::error::ApiResult;
use crate::extract::{Staff, StrictQuery};
use crate::state::AppState;
pub use helpdesk_service::contracts::billing::BillingRow;

/// One row per contract period overlapping the range (its figures for the whole period),
/// then per organization the billable time no contract covers; amounts in minor units.
#[utoipa::path(get, path = "/reports/billing", tag = "reports", params(ReportQuery),
    responses((status = 200, body = Vec<BillingRow>, content_type = "application/json"),
        (status = 200, description = "`Accept: text/csv`: the fields of `BillingRow` as columns, in order", content_type = "text/csv"),
        (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn billing(
    State(state): State<AppState>,
    Staff(authed): Staff,
    headers: HeaderMap,
    StrictQuery(q): StrictQuery<ReportQuery>,
) -> ApiResult<Response> {
    let out = state
        .service
        .report_billing(&Actor::request(authed.ctx), &q)
        .await?;
    if respond::wants_csv(&headers) {
        return respond::csv(&out, "billing");
    }
    Ok(respond::json(out))
}
