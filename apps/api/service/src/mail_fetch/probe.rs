//! The port through which `POST /mailboxes/{id}/check` reaches an IMAP server: the service
//! decides who may check what; the email-intake adapter, plugged in at start-up, talks IMAP.

use serde::Serialize;

use super::FetchAccount;
use crate::Service;

/// What trying a mailbox's account found, stage by stage.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckReport {
    /// Whether it connected, signed in and opened the folder.
    pub ok: bool,
    /// The last stage reached: `connect`, `tls`, `token`, `login`, `select` or `done`.
    pub stage: String,
    /// What went wrong at that stage.
    pub error: Option<String>,
    /// The folder's UIDVALIDITY and message count, when it was opened.
    pub uidvalidity: Option<u32>,
    pub messages: Option<u32>,
    /// Whether the server offers IDLE (new mail at once rather than by polling).
    pub idle: Option<bool>,
}

/// Tries an IMAP account now.
#[async_trait::async_trait]
pub trait MailboxProbe: Send + Sync + std::fmt::Debug {
    /// `service` stores what the provider changes (a rotated OAuth2 refresh token).
    async fn check(&self, service: &Service, account: FetchAccount) -> CheckReport;
}
