//! The mailbox form: address and handling, and the IMAP account with a password or
//! OAuth2. Secrets are write-only: left blank, the stored ones stay.

use helpdesk_domain::Priority;
use helpdesk_domain::mailbox::{AfterImport, ImapSecurity, UnknownSenders};
use helpdesk_service::mailboxes::{ImapInput, MailboxInput, MailboxOut, OAuth2Input};
use serde::Deserialize;

use crate::error::WebError;

/// The form as posted and as shown again (secrets never shown).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailboxForm {
    pub address: String,
    #[serde(default)]
    pub name: String,
    pub active: Option<String>,
    #[serde(default)]
    pub default_priority: String,
    #[serde(default)]
    pub unknown_senders: String,
    /// Present when mail is fetched over IMAP.
    pub imap: Option<String>,
    #[serde(default)]
    pub host: String,
    #[serde(default)]
    pub port: String,
    #[serde(default)]
    pub security: String,
    #[serde(default)]
    pub username: String,
    /// `PASSWORD` or `OAUTH2`.
    #[serde(default)]
    pub auth: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub token_url: String,
    #[serde(default)]
    pub client_id: String,
    #[serde(default)]
    pub client_secret: String,
    #[serde(default)]
    pub refresh_token: String,
    #[serde(default)]
    pub folder: String,
    #[serde(default)]
    pub after_import: String,
    #[serde(default)]
    pub move_to: String,
}

impl MailboxForm {
    pub fn of(m: &MailboxOut) -> Self {
        let imap = m.imap.as_ref();
        let oauth = imap.and_then(|i| i.oauth2.as_ref());
        let s = |v: Option<&String>| v.cloned().unwrap_or_default();
        Self {
            address: m.address.clone(),
            name: m.name.clone(),
            active: m.active.then(|| "on".into()),
            default_priority: m.default_priority.clone(),
            unknown_senders: m.unknown_senders.clone(),
            imap: imap.map(|_| "on".into()),
            host: s(imap.map(|i| &i.host)),
            port: imap
                .map(|i| i.port.to_string())
                .unwrap_or_else(|| "993".into()),
            security: s(imap.map(|i| &i.security)),
            username: s(imap.map(|i| &i.username)),
            auth: imap.map_or_else(|| "PASSWORD".into(), |i| i.auth.clone()),
            token_url: s(oauth.map(|o| &o.token_url)),
            client_id: s(oauth.map(|o| &o.client_id)),
            folder: imap.map_or_else(|| "INBOX".into(), |i| i.folder.clone()),
            after_import: imap.map_or_else(|| "SEEN".into(), |i| i.after_import.clone()),
            move_to: s(imap.and_then(|i| i.move_to.as_ref())),
            ..Self::default()
        }
    }

    pub fn blank() -> Self {
        Self {
            active: Some("on".into()),
            default_priority: "MEDIUM".into(),
            unknown_senders: "CREATE_CUSTOMER".into(),
            port: "993".into(),
            security: "TLS".into(),
            auth: "PASSWORD".into(),
            folder: "INBOX".into(),
            after_import: "SEEN".into(),
            ..Self::default()
        }
    }

    /// The service's input; `None` for the IMAP account when it is turned off.
    pub fn input(&self) -> Result<MailboxInput, WebError> {
        let bad = |w: &str| WebError::BadForm(format!("unknown {w}"));
        let blank = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let imap = match self.imap {
            None => None,
            Some(_) => {
                let oauth = self.auth == "OAUTH2";
                Some(ImapInput {
                    host: self.host.clone(),
                    port: self.port.trim().parse().unwrap_or(0),
                    security: Some(
                        ImapSecurity::parse(&self.security).ok_or_else(|| bad("security"))?,
                    ),
                    username: self.username.clone(),
                    password: blank(&self.password).filter(|_| !oauth),
                    oauth2: (oauth && !self.client_secret.trim().is_empty()).then(|| OAuth2Input {
                        token_url: self.token_url.clone(),
                        client_id: self.client_id.clone(),
                        client_secret: self.client_secret.clone(),
                        refresh_token: self.refresh_token.clone(),
                    }),
                    folder: blank(&self.folder),
                    after_import: Some(
                        AfterImport::parse(&self.after_import)
                            .ok_or_else(|| bad("after-import choice"))?,
                    ),
                    move_to: blank(&self.move_to),
                })
            }
        };
        Ok(MailboxInput {
            address: Some(self.address.clone()),
            name: Some(self.name.clone()),
            active: Some(self.active.is_some()),
            imap: Some(imap),
            default_priority: Some(
                self.default_priority
                    .parse::<Priority>()
                    .map_err(|_| bad("priority"))?,
            ),
            unknown_senders: Some(
                UnknownSenders::parse(&self.unknown_senders).ok_or_else(|| bad("sender rule"))?,
            ),
        })
    }
}
