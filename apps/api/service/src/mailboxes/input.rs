//! What an admin sends for a mailbox, checked field by field into a row; secrets are
//! sealed here and never come back out through the API.

use helpdesk_domain::mailbox::{AfterImport, ImapSecurity, UnknownSenders};
use helpdesk_domain::{Email, Priority, text};
use helpdesk_storage::repo::mailboxes::Mailbox;
use serde_json::json;

use crate::error::{FieldError, ServiceError, ServiceResult};
use crate::secret_box::SecretKey;

/// `POST /mailboxes` and `PATCH /mailboxes/{id}` (absent fields are left as they are;
/// `imap: null` removes the IMAP account).
#[derive(Debug, Clone, Default)]
pub struct MailboxInput {
    pub address: Option<String>,
    pub name: Option<String>,
    pub active: Option<bool>,
    pub imap: Option<Option<ImapInput>>,
    pub default_priority: Option<Priority>,
    pub unknown_senders: Option<UnknownSenders>,
}

/// The IMAP account, replaced as a whole. Without `password` or `oauth2`, a change keeps
/// the stored secret of the same kind.
#[derive(Clone, Default)]
pub struct ImapInput {
    pub host: String,
    pub port: u16,
    pub security: Option<ImapSecurity>,
    pub username: String,
    pub password: Option<String>,
    pub oauth2: Option<OAuth2Input>,
    pub folder: Option<String>,
    pub after_import: Option<AfterImport>,
    pub move_to: Option<String>,
}

impl std::fmt::Debug for ImapInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapInput")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// Debug names the client, never the secrets.
#[derive(Clone, Default)]
pub struct OAuth2Input {
    pub token_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub refresh_token: String,
}

impl std::fmt::Debug for OAuth2Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuth2Input")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

fn bounded(errors: &mut Vec<FieldError>, field: &str, v: &str, max: usize) -> String {
    match text::bounded(v, 1, max) {
        Ok(s) => s,
        Err(e) => {
            errors.push(FieldError::new(field, e.to_string()));
            String::new()
        }
    }
}

/// Applies `input` to `row` (a new row's defaults, or the stored one).
pub fn apply(key: &SecretKey, row: &mut Mailbox, input: MailboxInput) -> ServiceResult<()> {
    let mut errors = Vec::new();
    if let Some(a) = input.address {
        match Email::parse(&a) {
            Ok(e) => row.address = e.as_str().to_owned(),
            Err(e) => errors.push(FieldError::new("address", e.to_string())),
        }
    }
    if let Some(n) = input.name {
        row.name = bounded(&mut errors, "name", &n, 200);
    }
    if let Some(a) = input.active {
        row.active = a;
    }
    if let Some(p) = input.default_priority {
        row.default_priority = p.as_str().to_owned();
    }
    if let Some(u) = input.unknown_senders {
        row.unknown_senders = u.as_str().to_owned();
    }
    match input.imap {
        None => {}
        Some(None) => clear_imap(row),
        Some(Some(imap)) => apply_imap(key, row, imap, &mut errors)?,
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Validation(errors))
    }
}

fn clear_imap(row: &mut Mailbox) {
    row.imap_host = None;
    row.imap_port = None;
    row.imap_security = None;
    row.imap_username = None;
    row.imap_auth = None;
    row.imap_secret = None;
    row.oauth_token_url = None;
    row.oauth_client_id = None;
    row.move_to = None;
}

fn apply_imap(
    key: &SecretKey,
    row: &mut Mailbox,
    imap: ImapInput,
    errors: &mut Vec<FieldError>,
) -> ServiceResult<()> {
    row.imap_host = Some(bounded(errors, "imap.host", &imap.host, 253));
    if imap.port == 0 {
        errors.push(FieldError::new("imap.port", "must be between 1 and 65535"));
    }
    row.imap_port = Some(i64::from(imap.port));
    row.imap_security = Some(
        imap.security
            .unwrap_or(ImapSecurity::Tls)
            .as_str()
            .to_owned(),
    );
    row.imap_username = Some(bounded(errors, "imap.username", &imap.username, 320));
    row.imap_folder = bounded(
        errors,
        "imap.folder",
        imap.folder.as_deref().unwrap_or("INBOX"),
        200,
    );
    let after = imap.after_import.unwrap_or(AfterImport::Seen);
    row.after_import = after.as_str().to_owned();
    row.move_to = match (after, imap.move_to) {
        (AfterImport::Move, Some(f)) => Some(bounded(errors, "imap.move_to", &f, 200)),
        (AfterImport::Move, None) => {
            errors.push(FieldError::new(
                "imap.move_to",
                "is required when after_import is MOVE",
            ));
            None
        }
        (_, Some(_)) => {
            errors.push(FieldError::new(
                "imap.move_to",
                "only applies when after_import is MOVE",
            ));
            None
        }
        (_, None) => None,
    };
    match (imap.password, imap.oauth2) {
        (Some(_), Some(_)) => {
            errors.push(FieldError::new(
                "imap",
                "give a password or oauth2, not both",
            ));
        }
        (Some(p), None) => {
            if p.is_empty() || p.len() > 1024 {
                errors.push(FieldError::new("imap.password", "must be 1 to 1024 bytes"));
            }
            row.imap_auth = Some("PASSWORD".into());
            row.oauth_token_url = None;
            row.oauth_client_id = None;
            row.imap_secret = Some(key.seal(json!({ "password": p }).to_string().as_bytes())?);
        }
        (None, Some(o)) => {
            let url = url::Url::parse(&o.token_url)
                .ok()
                .filter(|u| matches!(u.scheme(), "https" | "http"));
            if url.is_none() {
                errors.push(FieldError::new(
                    "imap.oauth2.token_url",
                    "must be an http(s) URL",
                ));
            }
            row.imap_auth = Some("OAUTH2".into());
            row.oauth_token_url = Some(o.token_url);
            row.oauth_client_id = Some(bounded(errors, "imap.oauth2.client_id", &o.client_id, 500));
            for (field, v) in [
                ("client_secret", &o.client_secret),
                ("refresh_token", &o.refresh_token),
            ] {
                if v.is_empty() || v.len() > 8192 {
                    errors.push(FieldError::new(
                        format!("imap.oauth2.{field}"),
                        "must be 1 to 8192 bytes",
                    ));
                }
            }
            let secret =
                json!({ "client_secret": o.client_secret, "refresh_token": o.refresh_token });
            row.imap_secret = Some(key.seal(secret.to_string().as_bytes())?);
        }
        // Nothing new: keep what is stored, if there is something.
        (None, None) if row.imap_secret.is_some() => {}
        (None, None) => {
            errors.push(FieldError::new("imap", "a password or oauth2 is required"));
        }
    }
    Ok(())
}
