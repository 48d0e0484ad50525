//! Helpers for free-text fields: trimming and bounds that every name-like field shares.
//!
//! Names and subjects are single lines. A CR, LF or other control character in them is
//! refused: it has no place in a subject line or a name, and it could forge lines in logs
//! and headers in mail.

use std::fmt;

/// Why a single-line field was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineError {
    Blank,
    TooLong(usize),
    ControlCharacters,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineError::Blank => f.write_str("must not be blank"),
            LineError::TooLong(max) => write!(f, "must be at most {max} characters"),
            LineError::ControlCharacters => {
                f.write_str("must be one line, without control characters")
            }
        }
    }
}

/// Trims and checks a single-line field: `min..=max` characters, no control characters.
pub fn bounded(raw: &str, min: usize, max: usize) -> Result<String, LineError> {
    let t = raw.trim();
    if t.chars().any(char::is_control) {
        return Err(LineError::ControlCharacters);
    }
    let n = t.chars().count();
    if n < min {
        return Err(LineError::Blank);
    }
    if n > max {
        return Err(LineError::TooLong(max));
    }
    Ok(t.to_owned())
}

/// `raw` on one line: control characters become spaces. For text from machines that
/// must not be refused (a monitoring alert's summary becoming a ticket subject).
pub fn one_line(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        assert_eq!(bounded("  Acme ", 1, 10).as_deref(), Ok("Acme"));
        assert_eq!(bounded("   ", 1, 10), Err(LineError::Blank));
        assert_eq!(bounded("abcdef", 1, 5), Err(LineError::TooLong(5)));
    }

    #[test]
    fn bounds_are_inclusive_and_explained() {
        assert_eq!(bounded("a", 1, 3).as_deref(), Ok("a"));
        assert_eq!(bounded("abc", 1, 3).as_deref(), Ok("abc"));
        assert_eq!(bounded("ab", 3, 5), Err(LineError::Blank));
        assert_eq!(LineError::Blank.to_string(), "must not be blank");
        assert_eq!(
            LineError::TooLong(5).to_string(),
            "must be at most 5 characters"
        );
        assert!(
            LineError::ControlCharacters
                .to_string()
                .contains("one line")
        );
    }

    #[test]
    fn one_line_only() {
        assert_eq!(
            bounded("Printer\r\nINFO forged", 1, 100),
            Err(LineError::ControlCharacters)
        );
        assert_eq!(
            bounded("tab\there", 1, 100),
            Err(LineError::ControlCharacters)
        );
        assert_eq!(one_line("a\r\nb\u{1b}"), "a  b");
    }
}
