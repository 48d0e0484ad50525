//! A mailbox as the API shows it: settings and status, never a secret.

use helpdesk_storage::repo::mailboxes::Mailbox;
use serde::Serialize;
use uuid::Uuid;

use crate::time::{rfc3339, rfc3339_opt};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MailboxOut {
    pub id: Uuid,
    pub address: String,
    pub name: String,
    pub active: bool,
    /// Priority of the tickets its mail opens.
    pub default_priority: String,
    /// `CREATE_CUSTOMER` or `QUARANTINE`.
    pub unknown_senders: String,
    /// Null when mail reaches it only through the listener or the HTTP intake.
    pub imap: Option<ImapOut>,
    pub status: MailboxStatus,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImapOut {
    pub host: String,
    pub port: i64,
    /// `TLS`, `STARTTLS` or `NONE`.
    pub security: String,
    pub username: String,
    /// `PASSWORD` or `OAUTH2`; the secrets themselves are write-only.
    pub auth: String,
    pub oauth2: Option<OAuth2Out>,
    pub folder: String,
    /// `KEEP`, `SEEN`, `MOVE` or `DELETE`.
    pub after_import: String,
    pub move_to: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OAuth2Out {
    pub token_url: String,
    pub client_id: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MailboxStatus {
    pub last_fetch_at: Option<String>,
    pub last_error: Option<String>,
    pub uidvalidity: Option<i64>,
    pub last_uid: Option<i64>,
    pub imported: i64,
}

impl From<Mailbox> for MailboxOut {
    fn from(m: Mailbox) -> Self {
        let imap = match (m.imap_host, m.imap_username) {
            (Some(host), Some(username)) => Some(ImapOut {
                host,
                port: m.imap_port.unwrap_or(993),
                security: m.imap_security.unwrap_or_default(),
                username,
                auth: m.imap_auth.clone().unwrap_or_default(),
                oauth2: match (m.oauth_token_url, m.oauth_client_id) {
                    (Some(token_url), Some(client_id)) => Some(OAuth2Out {
                        token_url,
                        client_id,
                    }),
                    _ => None,
                },
                folder: m.imap_folder,
                after_import: m.after_import,
                move_to: m.move_to,
            }),
            _ => None,
        };
        Self {
            id: m.id,
            address: m.address,
            name: m.name,
            active: m.active,
            default_priority: m.default_priority,
            unknown_senders: m.unknown_senders,
            imap,
            status: MailboxStatus {
                last_fetch_at: rfc3339_opt(m.last_fetch_at),
                last_error: m.last_error,
                uidvalidity: m.uidvalidity,
                last_uid: m.last_uid,
                imported: m.imported,
            },
            created_at: rfc3339(m.created_at),
            updated_at: rfc3339(m.updated_at),
        }
    }
}
