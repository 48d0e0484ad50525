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

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first, and
/// not a plain number) gets a leading `'`, so it is shown as text.
fn neutralised(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// `rows` as CSV; the header comes from the row type's field order. Every cell is
/// neutralised against formula injection: names and subjects come from users.
pub fn csv<T: Serialize>(rows: &[T], name: &str) -> ApiResult<Response> {
    let mut raw = csv::Writer::from_writer(Vec::new());
    for r in rows {
        raw.serialize(r).map_err(ApiError::internal)?;
    }
    let raw = raw.into_inner().map_err(ApiError::internal)?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(raw.as_slice());
    for record in reader.records() {
        let record = record.map_err(ApiError::internal)?;
        w.write_record(record.iter().map(|c| neutralised(c).into_owned()))
            .map_err(ApiError::internal)?;
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

#[cfg(test)]
mod tests {
    use super::neutralised;

    #[test]
    fn formulas_become_text_numbers_stay_numbers() {
        for risky in [
            "=HYPERLINK(\"x\")",
            "+cmd",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralised(risky), format!("'{risky}"));
        }
        for safe in ["-5", "+1.5", "Acme", "", "12", "a=b"] {
            assert_eq!(neutralised(safe), safe);
        }
    }
}
