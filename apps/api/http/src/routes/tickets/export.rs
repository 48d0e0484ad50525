//! `GET /export/tickets`: tickets changed since a cursor, oldest change first, for
//! incremental sync into a data warehouse or PSA.

use axum::Json;
use axum::extract::State;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use helpdesk_storage::repo::tickets;
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult};
use crate::extract::{Staff, StrictQuery};
use crate::routes::common::MAX_LIMIT;
use crate::state::AppState;
use helpdesk_service::tickets::{SlaClock, TicketOut};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExportParams {
    /// From the previous page's `next_cursor`; absent: from the beginning.
    pub cursor: Option<String>,
    /// 1 to 100, default 100.
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportPage {
    pub items: Vec<TicketOut>,
    /// Pass it back to continue; keep it to resume later.
    pub next_cursor: String,
    /// True when this page reached the present: poll again later with `next_cursor`.
    pub end_of_stream: bool,
}

fn decode(raw: &str) -> ApiResult<(i64, uuid::Uuid)> {
    let bad = || ApiError::invalid("cursor", "is not an export cursor");
    let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| bad())?;
    let (t, id) = std::str::from_utf8(&bytes)
        .ok()
        .and_then(|s| s.split_once(':'))
        .ok_or_else(bad)?;
    Ok((
        t.parse().map_err(|_| bad())?,
        id.parse().map_err(|_| bad())?,
    ))
}

fn encode(t: i64, id: uuid::Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("{t}:{id}"))
}

#[utoipa::path(get, path = "/export/tickets", tag = "tickets", params(ExportParams),
    responses((status = 200, body = ExportPage), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn export_tickets(
    State(state): State<AppState>,
    Staff(authed): Staff,
    StrictQuery(p): StrictQuery<ExportParams>,
) -> ApiResult<Json<ExportPage>> {
    let limit = p.limit.unwrap_or(MAX_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    let after = p.cursor.as_deref().map(decode).transpose()?;
    let lag = i64::try_from(state.settings.export_lag.as_micros()).unwrap_or(0);
    let horizon = state.now() - lag;
    let rows =
        tickets::changed_since(state.store.read(), &authed.ctx, after, horizon, limit).await?;
    let end_of_stream = rows.len() < usize::try_from(limit).unwrap_or(usize::MAX);
    let next_cursor = match (rows.last(), p.cursor) {
        (Some(t), _) => encode(t.updated_at, t.id),
        (None, Some(c)) => c,
        (None, None) => encode(0, uuid::Uuid::nil()),
    };
    let clock = SlaClock::load(
        state.store.read(),
        &authed.ctx,
        &rows.iter().collect::<Vec<_>>(),
        state.now(),
    )
    .await?;
    Ok(Json(ExportPage {
        items: rows
            .into_iter()
            .map(|t| TicketOut::from_row(t, &clock))
            .collect::<Result<_, helpdesk_service::ServiceError>>()?,
        next_cursor,
        end_of_stream,
    }))
}
