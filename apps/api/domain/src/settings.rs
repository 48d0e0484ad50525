//! A workspace's settings, stored as JSON on the workspace; absent keys take defaults.

use serde::{Deserialize, Serialize};

/// Branding shown to customers (the web app and emails).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Branding {
    /// `#RRGGBB`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_color: Option<String>,
    /// An `https://` URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WorkspaceSettings {
    /// Days after which the default auto-close rule closes a resolved ticket (rules read it
    /// as `"value": "auto_close_days"`).
    #[serde(default = "default_auto_close_days")]
    pub auto_close_days: i64,
    /// IANA zone for reports' dates; default UTC.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    #[serde(default)]
    pub branding: Branding,
    /// Ask a ticket's requester to rate each resolution (`GOOD` / `BAD`); off by default.
    #[serde(default)]
    pub csat_enabled: bool,
}

fn default_auto_close_days() -> i64 {
    4
}

fn default_timezone() -> String {
    "UTC".into()
}

impl Default for WorkspaceSettings {
    fn default() -> Self {
        Self {
            auto_close_days: default_auto_close_days(),
            timezone: default_timezone(),
            branding: Branding::default(),
            csat_enabled: false,
        }
    }
}

/// Whether `s` is a `#RRGGBB` colour.
pub fn is_hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// The WCAG contrast ratio of `#RRGGBB` against white (1 to 21), or `None` if it is not
/// such a colour. Branding colours are used for text and buttons on white: 4.5 is the
/// least that reads.
pub fn contrast_on_white(hex: &str) -> Option<f64> {
    let h = hex.strip_prefix('#').filter(|h| h.len() == 6)?;
    let channel = |i: usize| -> Option<f64> {
        let v = f64::from(u8::from_str_radix(h.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if v <= 0.040_45 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        })
    };
    let l = 0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?;
    Some(1.05 / (l + 0.05))
}

impl WorkspaceSettings {
    /// The stored settings; anything unreadable falls back to the defaults.
    pub fn from_json(v: &serde_json::Value) -> Self {
        serde_json::from_value(v.clone()).unwrap_or_default()
    }
}

#[cfg(test)]
mod contrast_tests {
    use super::contrast_on_white;

    #[test]
    fn contrast_against_white() {
        let r = |h| contrast_on_white(h).unwrap_or(0.0);
        assert!((r("#000000") - 21.0).abs() < 0.01);
        assert!((r("#ffffff") - 1.0).abs() < 0.01);
        assert!(r("#2457c5") > 4.5);
        assert!(r("#ffff00") < 4.5);
        assert_eq!(contrast_on_white("red"), None);
    }
}
