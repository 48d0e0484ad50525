//! JSON by default, CSV (built by `helpdesk_service::reports::csv`) with
//! `Accept: text/csv`.

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::{ApiError, ApiResult};

pub use helpdesk_service::reports::csv::figures;

pub fn wants_csv(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/csv"))
}

/// `rows` as a CSV download named `name.csv`.
pub fn csv<T: Serialize>(rows: &[T], name: &str) -> ApiResult<Response> {
    let bytes = helpdesk_service::reports::csv::to_csv(rows)?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    let disposition = format!("attachment; filename=\"{name}.csv\"");
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(ApiError::internal)?,
    );
    Ok(res)
}

pub fn json<T: Serialize>(body: T) -> Response {
    Json(body).into_response()
}
