//! `GET /reports/csat`: satisfaction answers for the resolutions of a period.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use helpdesk_service::Actor;

use super::period::ReportQuery;
use super::respond;
use crate::error::ApiResult;
use crate::extract::{Staff, StrictQuery};
use crate::state::AppState;
pub use helpdesk_service::csat::report::CsatRow;

/// The surveys asked for resolutions in the period (filters: the ticket's organization,
/// assignee and priority at its resolution): the `overall` row, then one per `agent` and
/// per `organization`.
#[utoipa::path(get, path = "/reports/csat", tag = "reports", params(ReportQuery),
    responses((status = 200, body = Vec<CsatRow>, content_type = "application/json"),
        (status = 200, description = "`Accept: text/csv`: the fields of `CsatRow` as columns, in order", content_type = "text/csv"),
        (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn csat(
    State(state): State<AppState>,
    Staff(authed): Staff,
    headers: HeaderMap,
    StrictQuery(q): StrictQuery<ReportQuery>,
) -> ApiResult<Response> {
    let out = state
        .service
        .report_csat(&Actor::request(authed.ctx), &q)
        .await?;
    if respond::wants_csv(&headers) {
        return respond::csv(&out, "csat");
    }
    Ok(respond::json(out))
}
