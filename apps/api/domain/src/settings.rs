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
        }
    }
}

impl WorkspaceSettings {
    /// The stored settings; anything unreadable falls back to the defaults.
    pub fn from_json(v: &serde_json::Value) -> Self {
        serde_json::from_value(v.clone()).unwrap_or_default()
    }
}
