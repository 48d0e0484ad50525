//! The dashboard's figures as CSV downloads, for the same period and filters; built by
//! the service's CSV writer, as the API's `Accept: text/csv` answers are.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use helpdesk_service::reports::csv::{figures_csv, to_csv};
use helpdesk_service::reports::period::ReportQuery;

use super::Params;
use crate::error::WebError;
use crate::session::Staff;
use crate::state::WebState;

pub async fn csv(
    State(state): State<WebState>,
    Staff(_, me): Staff,
    Path(name): Path<String>,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let svc = &state.service;
    let actor = &me.actor;
    let q = p.query(&state, &me)?;
    let (file, bytes) = match name.as_str() {
        "overview.csv" => (
            "overview",
            figures_csv(&svc.report_overview(actor, &q).await?)?,
        ),
        "volume.csv" => {
            let vq = ReportQuery {
                interval: Some("day".into()),
                ..q
            };
            (
                "volume",
                to_csv(&svc.report_volume(actor, &vq).await?.rows)?,
            )
        }
        "sla-trend.csv" => (
            "sla-trend",
            to_csv(&svc.report_sla_trend(actor, &q).await?)?,
        ),
        "agents.csv" => ("agents", to_csv(&svc.report_agents(actor, &q).await?)?),
        "organizations.csv" => (
            "organizations",
            to_csv(&svc.report_organizations(actor, &q).await?)?,
        ),
        "csat.csv" => ("csat", to_csv(&svc.report_csat(actor, &q).await?)?),
        "billing.csv" => ("billing", to_csv(&svc.report_billing(actor, &q).await?)?),
        _ => return Err(WebError::NotFound),
    };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    let disposition = format!("attachment; filename=\"{file}.csv\"");
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(WebError::internal)?,
    );
    Ok(res)
}
