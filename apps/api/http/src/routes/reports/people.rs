//! `GET /reports/agents` and `GET /reports/organizations`: the same figures per agent (by
//! current assignee) and per client organization.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use helpdesk_service::Actor;

use super::period::ReportQuery;
use super::respond;
use crate::error::ApiResult;
use crate::extract::{Staff, StrictQuery};
use crate::state::AppState;
pub use helpdesk_service::reports::people::{AgentRow, OrganizationRow};

#[utoipa::path(get, path = "/reports/agents", tag = "reports", params(ReportQuery),
    responses((status = 200, body = Vec<AgentRow>, content_type = "application/json"),
        (status = 200, description = "`Accept: text/csv`: the fields of `AgentRow` as columns, in order", content_type = "text/csv"),
        (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn agents(
    State(state): State<AppState>,
    Staff(authed): Staff,
    headers: HeaderMap,
    StrictQuery(q): StrictQuery<ReportQuery>,
) -> ApiResult<Response> {
    let out = state
        .service
        .report_agents(&Actor::request(authed.ctx), &q)
        .await?;
    if respond::wants_csv(&headers) {
        return respond::csv(&out, "agents");
    }
    Ok(respond::json(out))
}

#[utoipa::path(get, path = "/reports/organizations", tag = "reports", params(ReportQuery),
    responses((status = 200, body = Vec<OrganizationRow>, content_type = "application/json"),
        (status = 200, description = "`Accept: text/csv`: the fields of `OrganizationRow` as columns, in order", content_type = "text/csv"),
        (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn organizations(
    State(state): State<AppState>,
    Staff(authed): Staff,
    headers: HeaderMap,
    StrictQuery(q): StrictQuery<ReportQuery>,
) -> ApiResult<Response> {
    let out = state
        .service
        .report_organizations(&Actor::request(authed.ctx), &q)
        .await?;
    if respond::wants_csv(&headers) {
        return respond::csv(&out, "organizations");
    }
    Ok(respond::json(out))
}
