//! A user's own settings, stored as JSON on the user; absent keys take defaults, so a new
//! preference needs no migration.

use serde::{Deserialize, Serialize};

fn yes() -> bool {
    true
}

/// Which ticket emails a staff member receives (all by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailNotifications {
    /// A ticket was assigned to me.
    #[serde(default = "yes")]
    pub assigned: bool,
    /// A customer replied on a ticket assigned to me.
    #[serde(default = "yes")]
    pub customer_reply: bool,
    /// An internal note was added to a ticket assigned to me.
    #[serde(default = "yes")]
    pub note: bool,
    /// An SLA warning or breach on a ticket assigned to me.
    #[serde(default = "yes")]
    pub sla: bool,
}

impl Default for EmailNotifications {
    fn default() -> Self {
        Self {
            assigned: true,
            customer_reply: true,
            note: true,
            sla: true,
        }
    }
}

impl EmailNotifications {
    /// Whether a notification sent for `why` (the dispatcher's reason) is wanted. Reasons
    /// that are not a staff member's (a customer's reply notice) are always wanted.
    pub fn wants(&self, why: &str) -> bool {
        match why {
            "assigned" => self.assigned,
            "customer_reply" => self.customer_reply,
            "note" => self.note,
            "sla_warning" | "sla_breached" => self.sla,
            _ => true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    /// The console's single-key shortcuts (`j`/`k`, `r`, `?` …).
    #[serde(default = "yes")]
    pub keyboard_shortcuts: bool,
    /// Added under a staff member's public replies when they ask for it (the web app's
    /// composer does by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    #[serde(default)]
    pub email_notifications: EmailNotifications,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            keyboard_shortcuts: true,
            signature: None,
            email_notifications: EmailNotifications::default(),
        }
    }
}

impl Preferences {
    /// The stored preferences; anything unreadable falls back to the defaults.
    pub fn from_json(v: &serde_json::Value) -> Self {
        serde_json::from_value(v.clone()).unwrap_or_default()
    }

    /// A public reply's body with the signature under it, separated as mail clients do.
    pub fn signed(&self, body: &str) -> String {
        match self.signature.as_deref().map(str::trim) {
            Some(sig) if !sig.is_empty() => format!("{}\n\n-- \n{sig}", body.trim_end()),
            _ => body.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_keys_take_defaults_and_signatures_go_below() {
        let p =
            Preferences::from_json(&serde_json::json!({"email_notifications": {"note": false}}));
        assert!(p.keyboard_shortcuts);
        assert!(!p.email_notifications.wants("note"));
        assert!(p.email_notifications.wants("assigned"));
        assert!(p.email_notifications.wants("reply"));
        assert_eq!(p.signed("Hi\n"), "Hi\n");
        let p = Preferences {
            signature: Some("Ann\nLakeside IT".into()),
            ..Preferences::default()
        };
        assert_eq!(p.signed("Done.\n\n"), "Done.\n\n-- \nAnn\nLakeside IT");
    }
}
