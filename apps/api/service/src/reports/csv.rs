//! Reports as CSV (RFC 4180: a header row, CRLF line ends, quoted as needed), every cell
//! neutralised against formula injection; one code path for the API's `Accept: text/csv`
//! and the web app's downloads.

use serde::Serialize;

use crate::error::{ServiceError, ServiceResult};

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

/// `rows` as CSV bytes; the header comes from the row type's field order. Names and
/// subjects come from users, so every cell is neutralised.
pub fn to_csv<T: Serialize>(rows: &[T]) -> ServiceResult<Vec<u8>> {
    let mut raw = csv::Writer::from_writer(Vec::new());
    for r in rows {
        raw.serialize(r).map_err(ServiceError::internal)?;
    }
    let raw = raw
        .into_inner()
        .map_err(|e| ServiceError::internal(e.into_error()))?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(raw.as_slice());
    for record in reader.records() {
        let record = record.map_err(ServiceError::internal)?;
        w.write_record(record.iter().map(|c| neutralised(c).into_owned()))
            .map_err(ServiceError::internal)?;
    }
    w.into_inner()
        .map_err(|e| ServiceError::internal(e.into_error()))
}

/// One `figure,value` row of a report flattened for CSV.
#[derive(Debug, Clone, Serialize)]
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

/// A report object as `figure,value` CSV.
pub fn figures_csv<T: Serialize>(report: &T) -> ServiceResult<Vec<u8>> {
    let value = serde_json::to_value(report).map_err(ServiceError::internal)?;
    to_csv(&figures(&value))
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
