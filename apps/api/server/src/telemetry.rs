//! Logging: human-readable by default, JSON lines in production. User text reaches logs
//! (subjects in mail logs, addresses in errors), so the readable format escapes control
//! characters in every field: a CR/LF in a value can never start a fake log line. JSON
//! escapes them by itself.

use std::fmt::Write as _;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::field::MakeExt;
use tracing_subscriber::fmt::format::{Writer, debug_fn};

use crate::config::LogFormat;

/// `text` with control characters (CR, LF, ESC, …) written as escapes.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn write_field(
    w: &mut Writer<'_>,
    field: &tracing::field::Field,
    value: &dyn std::fmt::Debug,
) -> std::fmt::Result {
    let mut raw = String::new();
    write!(raw, "{value:?}")?;
    let safe = escape_controls(&raw);
    if field.name() == "message" {
        w.write_str(&safe)
    } else {
        write!(w, "{}={safe}", field.name())
    }
}

pub fn init(format: LogFormat, filter: &str) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(filter)
        .map_err(|e| anyhow::anyhow!("HELPDESK_LOG_FILTER is not a valid filter: {e}"))?;
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let result = match format {
        LogFormat::Pretty => builder
            .fmt_fields(debug_fn(write_field).delimited(" "))
            .try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
    };
    result.map_err(|e| anyhow::anyhow!("cannot initialise logging: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_cannot_break_a_line() {
        let forged = "Printer\r\n2026-12-02T00:00:00Z  INFO admin logged in\x1b[31m";
        let safe = escape_controls(forged);
        assert!(!safe.contains(['\r', '\n', '\x1b']), "{safe}");
        assert!(safe.starts_with("Printer\\r\\n2026"), "{safe}");
    }
}
