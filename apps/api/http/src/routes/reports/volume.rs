//! `GET /reports/volume?interval=day|week`: tickets created and resolved per interval.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use helpdesk_service::Actor;

use super::period::ReportQuery;
use super::respond;
use crate::error::ApiResult;
use crate::extract::{Staff, StrictQuery};
use crate::state::AppState;
pub use helpdesk_service::reports::volume::{Volume, VolumeRow};

#[utoipa::path(get, path = "/reports/volume", tag = "reports", params(ReportQuery),
    responses((status = 200, body = Volume, content_type = "application/json"),
        (status = 200, description = "`Accept: text/csv`: columns `start,created,resolved`", content_type = "text/csv"),
        (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn volume(
    State(state): State<AppState>,
    Staff(authed): Staff,
    headers: HeaderMap,
    StrictQuery(q): StrictQuery<ReportQuery>,
) -> ApiResult<Response> {
    let body = state
        .service
        .report_volume(&Actor::request(authed.ctx), &q)
        .await?;
    if respond::wants_csv(&headers) {
        return respond::csv(&body.rows, "volume");
    }
    Ok(respond::json(body))
}
