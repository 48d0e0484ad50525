//! An IMAP account as the fetcher needs it: the stored settings with the secret opened.
//! `Debug` never shows a secret.

use helpdesk_domain::mailbox::{AfterImport, ImapSecurity};
use helpdesk_storage::repo::mail_fetch::Mailbox;
use serde::Deserialize;
use uuid::Uuid;

use crate::error::{ServiceError, ServiceResult};
use crate::secret_box::SecretKey;

/// How the fetcher signs in.
#[derive(Clone)]
pub enum ImapAuth {
    Password(String),
    /// XOAUTH2 with an access token obtained from `token_url` with the refresh token.
    OAuth2 {
        token_url: String,
        client_id: String,
        client_secret: String,
        refresh_token: String,
    },
}

impl std::fmt::Debug for ImapAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Password(_) => f.write_str("Password(..)"),
            Self::OAuth2 {
                token_url,
                client_id,
                ..
            } => f
                .debug_struct("OAuth2")
                .field("token_url", token_url)
                .field("client_id", client_id)
                .finish_non_exhaustive(),
        }
    }
}

/// One mailbox's IMAP account and the fetcher's position in it.
#[derive(Debug, Clone)]
pub struct FetchAccount {
    pub mailbox_id: Uuid,
    pub workspace_id: Uuid,
    pub address: String,
    pub host: String,
    pub port: u16,
    pub security: ImapSecurity,
    pub username: String,
    pub auth: ImapAuth,
    pub folder: String,
    pub after_import: AfterImport,
    pub move_to: Option<String>,
    /// Where the last fetch stopped; `None` before the first.
    pub uidvalidity: Option<u32>,
    pub last_uid: Option<u32>,
    /// Changes whenever an admin edits the mailbox: a running fetcher restarts on it.
    pub version: i64,
}

#[derive(Deserialize)]
struct PasswordSecret {
    password: String,
}

#[derive(Deserialize)]
struct OAuthSecret {
    client_secret: String,
    refresh_token: String,
}

fn corrupt(what: &str) -> ServiceError {
    ServiceError::corrupt(format!("mailbox {what}"))
}

impl FetchAccount {
    /// The account of `row`; `None` when it has no IMAP settings.
    pub fn from_row(key: &SecretKey, row: &Mailbox) -> ServiceResult<Option<Self>> {
        let (Some(host), Some(username), Some(sealed)) =
            (&row.imap_host, &row.imap_username, &row.imap_secret)
        else {
            return Ok(None);
        };
        let secret = key.open(sealed)?;
        let auth = match row.imap_auth.as_deref() {
            Some("OAUTH2") => {
                let s: OAuthSecret =
                    serde_json::from_slice(&secret).map_err(|_| corrupt("oauth2 secret"))?;
                ImapAuth::OAuth2 {
                    token_url: row.oauth_token_url.clone().unwrap_or_default(),
                    client_id: row.oauth_client_id.clone().unwrap_or_default(),
                    client_secret: s.client_secret,
                    refresh_token: s.refresh_token,
                }
            }
            _ => {
                let s: PasswordSecret =
                    serde_json::from_slice(&secret).map_err(|_| corrupt("password"))?;
                ImapAuth::Password(s.password)
            }
        };
        let security = row
            .imap_security
            .as_deref()
            .and_then(ImapSecurity::parse)
            .ok_or_else(|| corrupt("security"))?;
        Ok(Some(Self {
            mailbox_id: row.id,
            workspace_id: row.workspace_id,
            address: row.address.clone(),
            host: host.clone(),
            port: row
                .imap_port
                .and_then(|p| u16::try_from(p).ok())
                .ok_or_else(|| corrupt("port"))?,
            security,
            username: username.clone(),
            auth,
            folder: row.imap_folder.clone(),
            after_import: AfterImport::parse(&row.after_import)
                .ok_or_else(|| corrupt("after_import"))?,
            move_to: row.move_to.clone(),
            uidvalidity: row.uidvalidity.and_then(|v| u32::try_from(v).ok()),
            last_uid: row.last_uid.and_then(|v| u32::try_from(v).ok()),
            version: row.updated_at,
        }))
    }
}
