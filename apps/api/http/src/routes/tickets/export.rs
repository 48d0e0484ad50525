//! `GET /export/tickets`: tickets changed since a cursor, oldest change first, for
//! incremental sync into a data warehouse or PSA.

use axum::Json;
use axum::extract::State;
use helpdesk_service::Actor;
pub use helpdesk_service::tickets::export::ExportPage;
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{Staff, StrictQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExportParams {
    /// From the previous page's `next_cursor`; absent: from the beginning.
    pub cursor: Option<String>,
    /// 1 to 100, default 100.
    pub limit: Option<u64>,
}

#[utoipa::path(get, path = "/export/tickets", tag = "tickets", params(ExportParams),
    responses((status = 200, body = ExportPage), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn export_tickets(
    State(state): State<AppState>,
    Staff(authed): Staff,
    StrictQuery(p): StrictQuery<ExportParams>,
) -> ApiResult<Json<ExportPage>> {
    let page = state
        .service
        .export_tickets(&Actor::request(authed.ctx), p.cursor, p.limit)
        .await?;
    Ok(Json(page))
}
