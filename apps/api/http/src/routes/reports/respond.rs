//! JSON by default, CSV (RFC 4180: a header row, CRLF line ends, quoted as needed) with
//! `Accept: text/csv`.

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::{ApiError, ApiResult};

pub fn wants_csv(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/csv"))
}

/// `rows` as CSV; the header comes from the row type's field order.
pub fn csv<T: Serialize>(rows: &[T], name: &str) -> ApiResult<Response> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for r in rows {
        w.serialize(r).map_err(ApiError::internal)?;
    }
    let bytes = w.into_inner().map_err(ApiError::internal)?;
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

/// One `figure,value` row of a report flattened for CSV.
#[derive(Debug, Serialize)]
pub struct FigureRow {
    pub figure: String,
    pub value: String,
}

/// Flattens a JSON object into `figure,value` rows, nested keys joined by `.`, in key
/// order; null is an empty value.
pub fn figures(v: &serde_json::Value) -> Vec<FigureRow> {
    fn walk(prefix: &str, v: &serde_json::Value, out: &mut Vec<FigureRow>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&key, v, out);
                }
            }
            serde_json::Value::Null => out.push(FigureRow {
                figure: prefix.to_owned(),
                value: String::new(),
            }),
            serde_json::Value::String(s) => out.push(FigureRow {
                figure: prefix.to_owned(),
                value: s.clone(),
            }),
            other => out.push(FigureRow {
                figure: prefix.to_owned(),
                value: other.to_string(),
            }),
        }
    }
    let mut out = Vec::new();
    walk("", v, &mut out);
    out
}
